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
}
