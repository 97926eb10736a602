package io.geored.spi;

/** The request is valid but may not be carried out now (403). Nothing was changed. */
public class ForbiddenException extends GeoredException {

  /**
   * Creates the exception.
   *
   * @param message the caller-facing text, exact as in docs/messages.md
   */
  public ForbiddenException(String message) {
    super(Kind.FORBIDDEN, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message the caller-facing text
   * @param cause the wrapped failure
   */
  public ForbiddenException(String message, Throwable cause) {
    super(Kind.FORBIDDEN, message, cause);
  }
}
