package io.geored.examples;

/**
 * A standalone site cannot start for a reason its operator can fix (the database or the port is in
 * use, the peer-password key file is missing or wrong). The message is one line saying what and
 * where; {@link SiteMain} prints it and exits with code 2, without a stack trace.
 */
public final class SiteStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming what is wrong and where
   * @param cause what failed underneath, or null
   */
  public SiteStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
