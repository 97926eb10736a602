package io.geored.spi.peer;

import io.geored.spi.api.SiteApi;
import io.geored.spi.model.SystemPeer;

/**
 * Opens a client for a peer site. The client has the {@link SiteApi} shape; its calls throw {@link
 * io.geored.spi.PeerTransportException} when the peer cannot be reached or answers an error that is
 * not one of the outcomes SiteApi names (not found, validation, conflict).
 */
@FunctionalInterface
public interface PeerSites {

  /**
   * A client for the site a system peer describes. Cheap to call; implementations may cache.
   *
   * @param peer the system peer, with its stored (encrypted) password
   * @return the client, thread-safe
   */
  SiteApi clientFor(SystemPeer peer);

  /**
   * A client whose calls serve one peer-group association: the engine asks for it when it syncs,
   * pushes to, audits or removes an association, so that a decorator (metrics, tracing) can say
   * which association a call was made for. The calls and answers are those of {@link
   * #clientFor(SystemPeer)}; the default ignores the association and returns that client. A
   * decorator that overrides one method must override both and pass the association on.
   *
   * @param peer the system peer, with its stored (encrypted) password
   * @param associationId the id, on this site, of the association the calls serve
   * @return the client, thread-safe
   */
  default SiteApi clientFor(SystemPeer peer, long associationId) {
    return clientFor(peer);
  }
}
