package io.geored.spi;

/**
 * A call to a peer site failed for a reason outside the rules: the peer is unreachable, timed out,
 * or answered with an error this site does not map to an outcome. The message names the call and,
 * when there was one, the status and the peer's text; never a token or password.
 */
public class PeerTransportException extends GeoredException {

  /** The HTTP status the peer answered, 0 when it was not reached. */
  private final int status;

  /**
   * Creates the exception for a peer that could not be reached.
   *
   * @param message the call and why
   * @param cause the transport failure, may be null
   */
  public PeerTransportException(String message, Throwable cause) {
    this(message, 0, cause);
  }

  /**
   * Creates the exception for a peer that answered an error.
   *
   * @param message the call, the status and the peer's text
   * @param status the peer's HTTP status, or 0 when it did not answer
   * @param cause the underlying failure, may be null
   */
  public PeerTransportException(String message, int status, Throwable cause) {
    super(Kind.PEER_TRANSPORT, message, cause);
    this.status = status;
  }

  /**
   * The status the peer answered.
   *
   * @return the HTTP status, or 0 when the peer was not reached
   */
  public int status() {
    return status;
  }
}
