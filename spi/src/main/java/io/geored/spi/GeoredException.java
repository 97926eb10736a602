package io.geored.spi;

/**
 * The root of every exception geored throws on purpose. Unchecked. Its message is meant for the
 * caller (the API answers it as is) and never holds a secret; {@link #kind()} tells how to answer.
 */
public abstract class GeoredException extends RuntimeException {

  /** How an API answers an exception, with the HTTP status upstream's clients expect. */
  public enum Kind {
    /** Bad input or a request the rules refuse: 400. */
    VALIDATION(400),
    /** A request the caller may not make in the current state: 403. */
    FORBIDDEN(403),
    /** The resource does not exist: 404. */
    NOT_FOUND(404),
    /** A uniqueness rule, a concurrent change or an operation already running: 409. */
    CONFLICT(409),
    /** The work itself failed (a store, an audit): 500. */
    FAILED(500),
    /**
     * A valid request the engine could not carry out and that changed nothing, e.g. because a peer
     * site it must call cannot be reached: 422, as upstream answers a failure its manager reports.
     */
    UNPROCESSABLE(422),
    /** A peer site could not be reached or answered an error: 502 when relayed. */
    PEER_TRANSPORT(502);

    private final int httpStatus;

    Kind(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    /**
     * The HTTP status that goes with it.
     *
     * @return e.g. 400
     */
    public int httpStatus() {
      return httpStatus;
    }
  }

  /** How the exception is answered. */
  private final Kind kind;

  /**
   * Creates the exception.
   *
   * @param kind how to answer it
   * @param message the caller-facing text, no secrets
   * @param cause the wrapped failure, may be null
   */
  protected GeoredException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /**
   * How to answer this exception.
   *
   * @return never null
   */
  public Kind kind() {
    return kind;
  }
}
