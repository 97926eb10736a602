package io.geored.adapters.http.internal;

import java.util.Map;

/**
 * A request the HTTP layer answers itself (bad body, wrong method, missing token) with a status and
 * a message. Carries no stack trace: it is an answer, not a failure.
 */
public final class HttpError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Map<String, String> headers;

  /**
   * Creates the answer.
   *
   * @param status the HTTP status
   * @param message the text of the answer
   */
  public HttpError(int status, String message) {
    this(status, message, Map.of());
  }

  /**
   * Creates the answer with headers it must carry (e.g. {@code Allow} on a 405).
   *
   * @param status the HTTP status
   * @param message the text of the answer
   * @param headers header values by name
   */
  public HttpError(int status, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.headers = Map.copyOf(headers);
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

  /**
   * The headers the answer carries besides its type.
   *
   * @return header values by name, possibly empty
   */
  public Map<String, String> headers() {
    return headers;
  }
}
