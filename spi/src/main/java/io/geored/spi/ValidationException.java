package io.geored.spi;

/** The request is malformed or the rules refuse it (400). Nothing was changed. */
public class ValidationException extends GeoredException {

  /**
   * Creates the exception.
   *
   * @param message the caller-facing text, exact as in docs/messages.md
   */
  public ValidationException(String message) {
    super(Kind.VALIDATION, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message the caller-facing text
   * @param cause the wrapped failure
   */
  public ValidationException(String message, Throwable cause) {
    super(Kind.VALIDATION, message, cause);
  }
}
