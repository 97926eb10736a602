package io.geored.spi;

/**
 * A valid request that could not be carried out (422), e.g. deleting a primary association while
 * its peer site cannot be reached. Nothing was changed unless the message says otherwise.
 */
public class UnprocessableException extends GeoredException {

  /**
   * Creates the exception.
   *
   * @param message the caller-facing text, exact as in the API's list of answers
   */
  public UnprocessableException(String message) {
    super(Kind.UNPROCESSABLE, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message the caller-facing text
   * @param cause the wrapped failure, e.g. the peer call that could not be made
   */
  public UnprocessableException(String message, Throwable cause) {
    super(Kind.UNPROCESSABLE, message, cause);
  }
}
