package io.geored.spi;

/**
 * A uniqueness rule, a lost concurrent update or a running operation stands in the way (409).
 * Nothing was changed.
 */
public class ConflictException extends GeoredException {

  /**
   * Creates the exception.
   *
   * @param message the caller-facing text, exact as in docs/messages.md
   */
  public ConflictException(String message) {
    super(Kind.CONFLICT, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message the caller-facing text
   * @param cause the wrapped failure
   */
  public ConflictException(String message, Throwable cause) {
    super(Kind.CONFLICT, message, cause);
  }
}
