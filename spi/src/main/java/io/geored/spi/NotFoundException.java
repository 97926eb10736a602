package io.geored.spi;

/** The named resource does not exist (404). Nothing was changed. */
public class NotFoundException extends GeoredException {

  /**
   * Creates the exception.
   *
   * @param message the caller-facing text, exact as in docs/messages.md
   */
  public NotFoundException(String message) {
    super(Kind.NOT_FOUND, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message the caller-facing text
   * @param cause the wrapped failure
   */
  public NotFoundException(String message, Throwable cause) {
    super(Kind.NOT_FOUND, message, cause);
  }
}
