package io.geored.adapters.http;

import io.geored.spi.PeerTransportException;
import io.geored.spi.model.SystemPeer;
import java.util.Map;
import java.util.Objects;

/**
 * Gives the {@code X-Auth-Token} for calls to a peer site. Asked on every call, so a provider that
 * fetches and renews tokens (Keystone-style) can plug in; the default is a token configured per
 * peer. Implementations must be thread-safe and must never log the token.
 */
@FunctionalInterface
public interface TokenProvider {

  /**
   * The token for a peer.
   *
   * @param peer the system peer being called
   * @return the token, not empty
   * @throws PeerTransportException when there is no token for that peer
   */
  String tokenFor(SystemPeer peer);

  /**
   * Tokens configured per peer, by the peer's system uuid.
   *
   * @param tokensByPeerUuid the token of each peer
   * @return the provider; a peer without a token fails its calls as a transport error
   */
  static TokenProvider perPeer(Map<String, String> tokensByPeerUuid) {
    Map<String, String> tokens = Map.copyOf(tokensByPeerUuid);
    return peer -> {
      String token = tokens.get(peer.peerUuid());
      if (token == null || token.isEmpty()) {
        throw new PeerTransportException(
            "no token configured for peer " + peer.peerName() + " (" + peer.peerUuid() + ")", null);
      }
      return token;
    };
  }

  /**
   * One token for every peer.
   *
   * @param token the token
   * @return the provider
   */
  static TokenProvider fixed(String token) {
    Objects.requireNonNull(token, "token");
    return peer -> token;
  }
}
