package io.geored.spi;

/** The work itself failed (500), e.g. an audit that could not complete. */
public class OperationFailedException extends GeoredException {

  /**
   * Creates the exception.
   *
   * @param message the caller-facing text, exact as in docs/messages.md
   */
  public OperationFailedException(String message) {
    super(Kind.FAILED, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message the caller-facing text
   * @param cause the wrapped failure
   */
  public OperationFailedException(String message, Throwable cause) {
    super(Kind.FAILED, message, cause);
  }
}
