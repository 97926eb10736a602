package io.geored.core.sync;

import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.SiteContext;
import io.geored.spi.GeoredException;
import io.geored.spi.api.AssociationUpdate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Keeps an association's sync status the same on both sites. The primary side tells the peer first
 * (only when the peer's status differs), then records it locally; a peer that cannot be told leaves
 * the local association failed. A non-primary association never pushes.
 */
public final class StatusPropagation {

  private static final Logger LOG = EscapingLogger.of(StatusPropagation.class);

  private final SiteContext context;
  private final LocalAssociations local;

  /**
   * Creates the propagation.
   *
   * @param context the engine's ports
   */
  public StatusPropagation(SiteContext context) {
    this.context = context;
    this.local = new LocalAssociations(context);
  }

  /**
   * Sets one association's status on both sites.
   *
   * @param associationId the association
   * @param status the new status
   * @return the local association afterwards, or empty when it is gone
   */
  public Optional<PeerGroupAssociation> setStatus(long associationId, SyncStatus status) {
    Optional<PeerGroupAssociation> found = context.stores().associations().findById(associationId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    PeerGroupAssociation association = found.get();
    if (!association.isPrimary()) {
      return local.setStatus(associationId, status, null);
    }
    if (!tellPeer(associationId, status)) {
      return context.stores().associations().findById(associationId);
    }
    return local.setStatus(associationId, status, null);
  }

  /**
   * Tells the peer of a primary association its new status (only when the peer's differs). When the
   * peer cannot be told, the local association becomes failed with the message naming the peer and
   * the status.
   *
   * @param associationId the primary association
   * @param status the status the peer should hold
   * @return true when the peer holds it now
   */
  public boolean tellPeer(long associationId, SyncStatus status) {
    Optional<PeerGroupAssociation> found = context.stores().associations().findById(associationId);
    if (found.isEmpty()) {
      return false;
    }
    PeerGroupAssociation association = found.get();
    try {
      pushToPeer(association, status);
      if (status != SyncStatus.SYNCING) {
        // The peer's copy holds a final status now: whatever an earlier sync owed it is paid.
        local.clearOwed(associationId, null);
      }
      return true;
    } catch (GeoredException e) {
      SystemPeer peer =
          context.stores().systemPeers().findById(association.systemPeerId()).orElse(null);
      String uuid = peer == null ? "unknown" : peer.peerUuid();
      LOG.warn(
          "peer association status not updated association_id={} peer_uuid={} status={} reason={}",
          associationId,
          uuid,
          status.wire(),
          e.getMessage());
      local.setStatus(
          associationId,
          SyncStatus.FAILED,
          Messages.failedToUpdatePeerSyncStatus(uuid, status.wire()));
      return false;
    }
  }

  /**
   * After a change of a primary group on this site: every association of the group takes the
   * status; one whose peer is unreachable (unknown) becomes failed locally without calling it.
   *
   * @param peerGroupId the group
   * @param status the new status, normally out-of-sync
   * @return the ids of the associations of the group, for the operator's info message
   */
  public List<Long> setGroupStatus(long peerGroupId, SyncStatus status) {
    List<Long> ids = new ArrayList<>();
    for (PeerGroupAssociation association :
        context.stores().associations().findByPeerGroup(peerGroupId)) {
      ids.add(association.id());
      if (association.syncStatus() == SyncStatus.UNKNOWN) {
        local.setStatus(association.id(), SyncStatus.FAILED, Messages.PEER_UNREACHABLE_SYNC_STATUS);
      } else {
        setStatus(association.id(), status);
      }
    }
    return ids;
  }

  /**
   * Sets only the local side of an association (the seed fix's out-of-sync on a non-primary site,
   * the monitor's unknown and failed).
   *
   * @param associationId the association
   * @param status the status
   * @param message the message, kept only for failed and unknown
   * @return the association afterwards, or empty when it is gone
   */
  public Optional<PeerGroupAssociation> setLocalStatus(
      long associationId, SyncStatus status, String message) {
    return local.setStatus(associationId, status, message);
  }

  /**
   * Gives the peer's side of a primary association the status, when it holds another one: three
   * reads (this site as the peer knows it, the group, the associations) and at most one update.
   *
   * @throws io.geored.spi.NotFoundException when the peer has no such system peer, group or
   *     association
   * @throws GeoredException when a call fails
   */
  void pushToPeer(PeerGroupAssociation association, SyncStatus status) {
    SystemPeer peer =
        context
            .stores()
            .systemPeers()
            .findById(association.systemPeerId())
            .orElseThrow(() -> new io.geored.spi.NotFoundException(Messages.SYSTEM_PEER_NOT_FOUND));
    SubcloudPeerGroup group =
        context
            .stores()
            .peerGroups()
            .findById(association.peerGroupId())
            .orElseThrow(() -> new io.geored.spi.NotFoundException(Messages.PEER_GROUP_NOT_FOUND));
    SiteApi client = context.peerSites().clientFor(peer, association.id());
    long remotePeerId = client.getSystemPeer(Caller.OPERATOR, context.localSystem().uuid()).id();
    long remoteGroupId = client.getPeerGroup(Caller.OPERATOR, group.peerGroupName()).id();
    Optional<PeerGroupAssociation> remote =
        PeerAssociations.find(client, remotePeerId, remoteGroupId);
    if (remote.isEmpty()) {
      throw new io.geored.spi.NotFoundException(Messages.ASSOCIATION_NOT_FOUND);
    }
    if (remote.get().syncStatus() != status) {
      client.updateAssociation(
          Caller.OPERATOR,
          remote.get().id(),
          AssociationUpdate.builder().syncStatus(status.wire()).build());
    }
  }
}
