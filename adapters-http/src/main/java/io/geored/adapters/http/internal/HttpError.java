package io.geored.adapters.http.internal;

/**
 * A request the HTTP layer answers itself (bad body, wrong method, missing token) with a status and
 * a message. Carries no stack trace: it is an answer, not a failure.
 */
public final class HttpError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * Creates the answer.
   *
   * @param status the HTTP status
   * @param message the text of the answer
   */
  public HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /**
   * A 400 answer.
   *
   * @param message the text
   * @return the error
   */
  public static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }

  /**
   * The status to answer.
   *
   * @return e.g. 400
   */
  public int status() {
    return status;
  }
}
