package io.geored.adapters.http;

import java.util.Optional;
import java.util.Set;

/**
 * Decides who a request comes from, from its {@code X-Auth-Token}. The server asks it on every
 * request; a request it does not recognise is answered 401. Implementations must be thread-safe and
 * must not log the token.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * Who holds a token.
   *
   * @param token the header value, or null when the request carried none
   * @return the caller, or empty when the token is missing or not valid
   */
  Optional<Principal> authenticate(String token);

  /**
   * An authenticated caller.
   *
   * @param name who it is, for logs (never the token)
   * @param roles what it may do; not empty
   */
  record Principal(String name, Set<Role> roles) {

    /**
     * Copies the roles.
     *
     * @param name who it is
     * @param roles what it may do
     */
    public Principal {
      roles = Set.copyOf(roles);
      if (roles.isEmpty()) {
        throw new IllegalArgumentException("a principal needs a role");
      }
    }

    /**
     * Whether it holds any of some roles.
     *
     * @param wanted the roles that would do
     * @return true when one of them is held
     */
    public boolean hasAny(Set<Role> wanted) {
      return roles.stream().anyMatch(wanted::contains);
    }
  }
}
