package io.geored.core.failover;

import io.geored.core.internal.SiteContext;
import io.geored.core.sync.StatusPropagation;
import io.geored.spi.GeoredException;
import io.geored.spi.api.AssociationUpdate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lost peer answers again: each local primary association with it takes the status the peer's
 * return gives it — unknown becomes in-sync, failed becomes out-of-sync, in-sync, syncing and
 * out-of-sync are kept, anything else becomes failed — and the peer's copy of the association is
 * given the same status. Non-primary associations are the primary site's to change and are left
 * alone.
 *
 * <p>The peer is read once whatever the number of associations (its record of this site and its
 * association list; its groups come from the heartbeat that found it), and its copy is written only
 * where its status differs. A copy that cannot be read or written leaves the local association
 * failed, with the message naming the peer and the status it should have had.
 */
final class ReachableAgain {

  private static final Logger LOG = LoggerFactory.getLogger(ReachableAgain.class);

  private final SiteContext context;
  private final StatusPropagation status;

  ReachableAgain(SiteContext context, StatusPropagation status) {
    this.context = context;
    this.status = status;
  }

  /**
   * The status a local primary association takes when its peer is reachable again.
   *
   * @param current the status it holds
   * @return the status it keeps or takes
   */
  static SyncStatus statusOnReturn(SyncStatus current) {
    if (current == null) {
      return SyncStatus.FAILED;
    }
    return switch (current) {
      case UNKNOWN -> SyncStatus.IN_SYNC;
      case FAILED -> SyncStatus.OUT_OF_SYNC;
      case IN_SYNC, SYNCING, OUT_OF_SYNC -> current;
    };
  }

  /**
   * Settles the primary associations with a peer found reachable again.
   *
   * @param peer the peer, as stored now
   * @param remoteGroups the peer's groups, as the heartbeat listed them
   */
  void settle(SystemPeer peer, List<SubcloudPeerGroup> remoteGroups) {
    List<PeerGroupAssociation> primaries =
        context.stores().associations().findBySystemPeer(peer.id()).stream()
            .filter(PeerGroupAssociation::isPrimary)
            .toList();
    if (primaries.isEmpty()) {
      return;
    }
    Map<String, Long> remoteGroupIds = new HashMap<>();
    for (SubcloudPeerGroup remote : remoteGroups) {
      remoteGroupIds.put(remote.peerGroupName(), remote.id());
    }
    SiteApi client = context.peerSites().clientFor(peer);
    long remotePeerId;
    List<PeerGroupAssociation> remoteAssociations;
    try {
      remotePeerId = client.getSystemPeer(Caller.OPERATOR, context.localSystem().uuid()).id();
      remoteAssociations = client.listAssociations(Caller.OPERATOR);
    } catch (GeoredException e) {
      LOG.warn(
          "peer associations not readable on return peer={} peer_uuid={} reason={}",
          peer.peerName(),
          peer.peerUuid(),
          e.getMessage());
      for (PeerGroupAssociation a : primaries) {
        failLocally(peer, a, statusOnReturn(a.syncStatus()));
      }
      return;
    }
    for (PeerGroupAssociation a : primaries) {
      SyncStatus target = statusOnReturn(a.syncStatus());
      if (!tellPeer(client, peer, a, target, remotePeerId, remoteGroupIds, remoteAssociations)) {
        failLocally(peer, a, target);
        continue;
      }
      // A kept status keeps its message too, except that in-sync and out-of-sync carry none.
      boolean clearsMessage = target == SyncStatus.IN_SYNC || target == SyncStatus.OUT_OF_SYNC;
      if (a.syncStatus() != target || (clearsMessage && a.syncMessage() != null)) {
        status.setLocalStatus(a.id(), target, clearsMessage ? null : a.syncMessage());
      }
    }
    LOG.info(
        "primary associations settled on return peer={} peer_uuid={} associations={}",
        peer.peerName(),
        peer.peerUuid(),
        primaries.size());
  }

  /** Gives the peer's copy the status when it holds another; false when that could not be done. */
  private boolean tellPeer(
      SiteApi client,
      SystemPeer peer,
      PeerGroupAssociation association,
      SyncStatus target,
      long remotePeerId,
      Map<String, Long> remoteGroupIds,
      List<PeerGroupAssociation> remoteAssociations) {
    Optional<SubcloudPeerGroup> group =
        context.stores().peerGroups().findById(association.peerGroupId());
    Long remoteGroupId = group.map(g -> remoteGroupIds.get(g.peerGroupName())).orElse(null);
    Optional<PeerGroupAssociation> copy =
        remoteGroupId == null
            ? Optional.empty()
            : remoteAssociations.stream()
                .filter(r -> r.systemPeerId() == remotePeerId && r.peerGroupId() == remoteGroupId)
                .findFirst();
    if (copy.isEmpty()) {
      LOG.warn(
          "peer has no copy of the association association_id={} peer={} status={}",
          association.id(),
          peer.peerName(),
          target.wire());
      return false;
    }
    if (copy.get().syncStatus() == target) {
      return true;
    }
    try {
      client.updateAssociation(
          Caller.OPERATOR,
          copy.get().id(),
          AssociationUpdate.builder().syncStatus(target.wire()).build());
      return true;
    } catch (GeoredException e) {
      LOG.warn(
          "peer association status not updated association_id={} peer_uuid={} status={}"
              + " reason={}",
          association.id(),
          peer.peerUuid(),
          target.wire(),
          e.getMessage());
      return false;
    }
  }

  private void failLocally(SystemPeer peer, PeerGroupAssociation association, SyncStatus target) {
    status.setLocalStatus(
        association.id(),
        SyncStatus.FAILED,
        Messages.failedToUpdatePeerSyncStatus(peer.peerUuid(), target.wire()));
  }
}
