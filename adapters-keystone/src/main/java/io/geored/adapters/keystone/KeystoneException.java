package io.geored.adapters.keystone;

/**
 * A Keystone call that did not succeed: Keystone answered an unexpected status (a wrong password is
 * 401), or did not answer at all ({@link #status()} 0: unreachable, timed out, not JSON). The
 * message names the Keystone and the status, never a password or a token.
 */
public final class KeystoneException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * Creates the failure.
   *
   * @param message what failed, without secrets
   * @param status Keystone's HTTP status, 0 when it did not answer
   * @param cause the underlying failure, or null
   */
  public KeystoneException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /**
   * Keystone's HTTP status.
   *
   * @return the status, 0 when Keystone did not answer
   */
  public int status() {
    return status;
  }

  /**
   * Whether Keystone could not be asked (no answer, or a server error): a later call may succeed.
   *
   * @return true when unreachable or 5xx
   */
  public boolean unavailable() {
    return status == 0 || status >= 500;
  }
}
