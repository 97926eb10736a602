package io.geored.core.sync;

import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.spi.GeoredException;
import io.geored.spi.NotFoundException;
import io.geored.spi.PeerTransportException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Deletes a primary association and what it put on the peer: the group's copies (those the peer may
 * give up: secondary, rehome-failed, rehome-prep-failed), the peer's association and group, then
 * the local association. When the peer no longer has the group, or is no longer the system it was,
 * only the local association goes. A priority-0 group on the peer refuses the delete and changes
 * nothing; a copy or group the peer would not delete leaves the association failed.
 */
public final class AssociationRemoval {

  private static final Logger LOG = EscapingLogger.of(AssociationRemoval.class);

  private final SiteContext context;
  private final LocalAssociations local;
  private final StateEvents events;

  /**
   * Creates the removal.
   *
   * @param context the engine's ports
   */
  public AssociationRemoval(SiteContext context) {
    this.context = context;
    this.local = new LocalAssociations(context);
    this.events = new StateEvents(context);
  }

  /**
   * Deletes a primary association with its peer-side data.
   *
   * @param association the primary association
   * @throws ValidationException when the peer refuses (the association is then failed, except for
   *     the priority-0 case, which changes nothing)
   */
  public void deletePrimary(PeerGroupAssociation association) {
    SystemPeer peer =
        context.stores().systemPeers().findById(association.systemPeerId()).orElse(null);
    SubcloudPeerGroup group =
        context.stores().peerGroups().findById(association.peerGroupId()).orElse(null);
    if (peer == null || group == null) {
      deleteLocally(association);
      return;
    }
    LocalSystem me = context.localSystem();
    SiteApi client;
    SubcloudPeerGroup remoteGroup;
    try {
      client = context.peerSites().clientFor(peer);
      if (!Objects.equals(client.identity(Caller.OPERATOR).uuid(), peer.peerUuid())) {
        LOG.info(
            "peer is another system now, deleting locally association_id={}", association.id());
        deleteLocally(association);
        return;
      }
      try {
        remoteGroup = client.getPeerGroup(Caller.OPERATOR, group.peerGroupName());
      } catch (NotFoundException e) {
        deleteLocally(association);
        return;
      }
    } catch (GeoredException e) {
      unreachable(e, association, peer);
      fail(association, e.getMessage());
      throw e;
    }
    if (remoteGroup.groupPriority() == 0) {
      throw new ValidationException(Messages.PEER_GROUP_WRONG_PRIORITY);
    }
    try {
      List<String> notDeleted = new ArrayList<>();
      for (Subcloud copy :
          client.subcloudsOfPeerGroup(Caller.OPERATOR, String.valueOf(remoteGroup.id()))) {
        if (!AssociationSync.REPLACEABLE.contains(copy.deployStatus())) {
          notDeleted.add(copy.name());
          continue;
        }
        try {
          client.deleteSubcloud(Caller.PEER_SITE, copy.regionName());
        } catch (GeoredException e) {
          LOG.warn(
              "peer copy not deleted association_id={} subcloud={} reason={}",
              association.id(),
              copy.name(),
              e.getMessage());
          notDeleted.add(copy.name());
        }
      }
      if (!notDeleted.isEmpty()) {
        String message = Messages.deletionFailedOnPeer(notDeleted, group.peerGroupName());
        fail(association, message);
        throw new ValidationException(message);
      }
      Optional<PeerGroupAssociation> remoteAssociation = remoteAssociation(client, me, remoteGroup);
      if (remoteAssociation.isPresent()) {
        client.deleteAssociation(Caller.OPERATOR, remoteAssociation.get().id());
      }
      try {
        client.deletePeerGroup(Caller.OPERATOR, remoteGroup.peerGroupName());
      } catch (ValidationException e) {
        if (e.getMessage() != null && e.getMessage().contains(Messages.PEER_GROUP_ASSOCIATED)) {
          String message = Messages.peerGroupDeleteRefusedOnPeer(group.peerGroupName());
          fail(association, message);
          throw new ValidationException(message);
        }
        throw e;
      } catch (NotFoundException e) {
        // Already gone: what we wanted.
      }
    } catch (ValidationException e) {
      if (!isFailedWith(association.id(), e.getMessage())) {
        fail(association, e.getMessage());
      }
      throw e;
    } catch (GeoredException e) {
      unreachable(e, association, peer);
      fail(association, e.getMessage());
      throw e;
    }
    deleteLocally(association);
  }

  /** An unreachable peer is an expected failure: one WARN line naming the peer and the call. */
  private static void unreachable(
      GeoredException e, PeerGroupAssociation association, SystemPeer peer) {
    if (e instanceof PeerTransportException) {
      LOG.warn(
          "peer unreachable call=delete-association association_id={} peer={} reason={}",
          association.id(),
          peer.peerName(),
          e.getMessage());
    }
  }

  private Optional<PeerGroupAssociation> remoteAssociation(
      SiteApi client, LocalSystem me, SubcloudPeerGroup remoteGroup) {
    long remotePeerId;
    try {
      remotePeerId = client.getSystemPeer(Caller.OPERATOR, me.uuid()).id();
    } catch (NotFoundException e) {
      return Optional.empty();
    }
    return PeerAssociations.find(client, remotePeerId, remoteGroup.id());
  }

  private boolean isFailedWith(long id, String message) {
    return context
        .stores()
        .associations()
        .findById(id)
        .map(a -> a.syncStatus() == SyncStatus.FAILED && Objects.equals(a.syncMessage(), message))
        .orElse(false);
  }

  private void fail(PeerGroupAssociation association, String message) {
    local.setStatus(association.id(), SyncStatus.FAILED, message);
  }

  private void deleteLocally(PeerGroupAssociation association) {
    if (context.stores().associations().delete(association.id())) {
      events.association(association, null);
      LOG.info(
          "association deleted association_id={} peer_group_id={} system_peer_id={}",
          association.id(),
          association.peerGroupId(),
          association.systemPeerId());
    }
  }
}
