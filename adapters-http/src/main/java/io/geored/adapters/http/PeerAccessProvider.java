package io.geored.adapters.http;

import io.geored.spi.PeerTransportException;
import io.geored.spi.model.SystemPeer;
import java.net.URI;
import java.util.Objects;

/**
 * Resolves, per system peer, what a call to it needs ({@link PeerAccess}: the token, the dcmanager
 * base URL, the platform endpoint). Asked on every call, so an implementation that logs in to the
 * peer's Keystone and reads the endpoints from the token's catalog can cache and renew them; the
 * default, {@link #staticTokens(TokenProvider)}, sends a configured token to the peer's {@code
 * manager_endpoint}. Implementations must be thread-safe and never log a token or a password.
 */
public interface PeerAccessProvider {

  /**
   * The access for a call to a peer.
   *
   * @param peer the system peer being called, as stored now
   * @return the access
   * @throws PeerTransportException when it cannot be had (no token, a failed login, an endpoint
   *     missing from the catalog), naming the peer
   */
  PeerAccess accessFor(SystemPeer peer);

  /**
   * The peer answered 401 to a call made with {@code rejected}: forget it, so the next {@link
   * #accessFor} authenticates again. The client then retries the call once, and only when this
   * answers true.
   *
   * @param peer the system peer
   * @param rejected the access the peer refused
   * @return whether a new access can be had (a provider that can log in again); false for static
   *     tokens
   */
  default boolean renew(SystemPeer peer, PeerAccess rejected) {
    return false;
  }

  /**
   * Today's behaviour: the token from a {@link TokenProvider}, the peer's {@code manager_endpoint}
   * as the dcmanager base URL, the identity asked at {@code <base>/isystems}, no retry on 401.
   *
   * @param tokens where each peer's token comes from
   * @return the provider
   */
  static PeerAccessProvider staticTokens(TokenProvider tokens) {
    Objects.requireNonNull(tokens, "tokens");
    return new PeerAccessProvider() {
      @Override
      public PeerAccess accessFor(SystemPeer peer) {
        return new PeerAccess(tokens.tokenFor(peer), managerEndpointOf(peer), null);
      }

      @Override
      public String toString() {
        return "PeerAccessProvider[static tokens]";
      }
    };
  }

  /**
   * A peer's {@code manager_endpoint} as an http(s) URL.
   *
   * @param peer the system peer
   * @return the URL
   * @throws PeerTransportException when the peer has none, or it is not an http(s) URL
   */
  static URI managerEndpointOf(SystemPeer peer) {
    String endpoint = peer.managerEndpoint();
    if (endpoint == null || endpoint.isBlank()) {
      throw new PeerTransportException(
          "peer " + peer.peerName() + " has no manager endpoint", null);
    }
    URI uri;
    try {
      uri = URI.create(endpoint.trim());
    } catch (IllegalArgumentException e) {
      throw new PeerTransportException(
          "peer " + peer.peerName() + " has an invalid manager endpoint", e);
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new PeerTransportException(
          "peer " + peer.peerName() + " has a manager endpoint that is not http(s)", null);
    }
    return uri;
  }
}
