package io.geored.adapters.http;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides who a request comes from, from its {@code X-Auth-Token}. The server asks it on every
 * request; a request it does not recognise is answered 401. One backed by a remote identity service
 * may also refuse a known holder (403) or be unable to decide (503): see {@link
 * AuthenticationException}. Implementations must be thread-safe and must not log the token.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * Who holds a token.
   *
   * @param token the header value, or null when the request carried none
   * @return the caller, or empty when the token is missing or not valid (answered 401)
   * @throws AuthenticationException when the token's holder may do nothing here (answered 403) or
   *     the authenticator cannot decide now (answered 503)
   */
  Optional<Principal> authenticate(String token);

  /**
   * An authenticated caller: an operator with roles, or a peer site that is one system peer.
   *
   * <p>A peer site's principal has no role: it names the system peer's uuid, and the server lets it
   * make only the calls a peer site makes, confined to what an association with that system peer
   * covers (whatever User-Agent it sends).
   *
   * @param name who it is, for logs (never the token)
   * @param roles what an operator may do; empty for a peer site
   * @param systemPeerUuid the system peer a peer site is; empty for an operator
   */
  record Principal(String name, Set<Role> roles, Optional<String> systemPeerUuid) {

    /**
     * Checks that the principal is exactly one of the two kinds.
     *
     * @param name who it is
     * @param roles what an operator may do; empty for a peer site
     * @param systemPeerUuid the system peer a peer site is; empty for an operator
     * @throws IllegalArgumentException when both or neither are given, or the uuid is blank
     */
    public Principal {
      roles = Set.copyOf(roles);
      Objects.requireNonNull(systemPeerUuid, "systemPeerUuid");
      if (systemPeerUuid.isPresent() == !roles.isEmpty()) {
        throw new IllegalArgumentException(
            "a principal is an operator with roles or a peer site with a system peer uuid");
      }
      if (systemPeerUuid.isPresent() && systemPeerUuid.get().isBlank()) {
        throw new IllegalArgumentException("a peer site's system peer uuid must not be blank");
      }
    }

    /**
     * An operator.
     *
     * @param name who it is
     * @param roles what it may do; not empty
     */
    public Principal(String name, Set<Role> roles) {
      this(name, roles, Optional.empty());
    }

    /**
     * A peer site that is one system peer.
     *
     * @param name who it is, for logs
     * @param systemPeerUuid the uuid of the system peer it is
     * @return the principal
     */
    public static Principal peer(String name, String systemPeerUuid) {
      return new Principal(
          name, Set.of(), Optional.of(Objects.requireNonNull(systemPeerUuid, "systemPeerUuid")));
    }

    /**
     * Whether this is a peer site.
     *
     * @return true when it names a system peer
     */
    public boolean isPeer() {
      return systemPeerUuid.isPresent();
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
