package io.geored.core.sync;

import io.geored.spi.api.Caller;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.PeerGroupAssociation;
import java.util.Optional;

/**
 * Finds the peer's side of an association: the dialect has no lookup by group and peer, so the
 * peer's list is read once and searched by the peer's ids for this site and for the group.
 */
final class PeerAssociations {

  private PeerAssociations() {}

  static Optional<PeerGroupAssociation> find(
      SiteApi client, long remoteSystemPeerId, long remoteGroupId) {
    return client.listAssociations(Caller.OPERATOR).stream()
        .filter(a -> a.systemPeerId() == remoteSystemPeerId && a.peerGroupId() == remoteGroupId)
        .findFirst();
  }
}
