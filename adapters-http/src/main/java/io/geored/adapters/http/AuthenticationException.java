package io.geored.adapters.http;

import java.util.Objects;

/**
 * What an {@link Authenticator} throws when a token is neither simply valid nor simply unknown:
 *
 * <ul>
 *   <li>{@link #unavailable}: it cannot decide now (the identity service it asks cannot be
 *       reached). The server answers 503 {@link HttpMessages#AUTHENTICATION_UNAVAILABLE}, never
 *       500, and the request changes nothing; a later request may succeed.
 *   <li>{@link #forbidden}: the token is valid but its holder may do nothing here (e.g. a token
 *       scoped to a project this site does not serve, or holding none of geored's roles). The
 *       server answers 403 {@link HttpMessages#FORBIDDEN} and logs the holder's name and the
 *       reason.
 * </ul>
 *
 * <p>The message is for the log: it must never hold the token. Carries no stack trace: it is an
 * answer, not a failure of the server.
 */
public final class AuthenticationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean unavailable;
  private final String principalName;

  private AuthenticationException(boolean unavailable, String principalName, String message) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.unavailable = unavailable;
    this.principalName = principalName;
  }

  /**
   * The authenticator cannot decide now: answered 503.
   *
   * @param reason why, for the log (e.g. the identity service's address and the failure), never the
   *     token
   * @return the exception
   */
  public static AuthenticationException unavailable(String reason) {
    return new AuthenticationException(true, null, reason);
  }

  /**
   * The token is valid but its holder may do nothing here: answered 403.
   *
   * @param principalName who holds it, for the log
   * @param reason why it may do nothing, for the log, never the token
   * @return the exception
   */
  public static AuthenticationException forbidden(String principalName, String reason) {
    return new AuthenticationException(
        false, Objects.requireNonNull(principalName, "principalName"), reason);
  }

  /**
   * Whether the authenticator could not decide (503), rather than refused (403).
   *
   * @return true for {@link #unavailable}
   */
  public boolean isUnavailable() {
    return unavailable;
  }

  /**
   * Who holds the refused token.
   *
   * @return the name for {@link #forbidden}, {@code none} for {@link #unavailable}
   */
  public String principalName() {
    return principalName == null ? "none" : principalName;
  }
}
