package io.geored.core.sync;

import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.spi.GeoredException;
import io.geored.spi.NotFoundException;
import io.geored.spi.PeerTransportException;
import io.geored.spi.UnprocessableException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Deletes a primary association and what it put on the peer: the group's copies (those the peer may
 * give up: secondary, secondary-failed, rehome-failed, rehome-prep-failed; any other copy, e.g. one
 * the peer manages, is left in place and counts as done), the peer's association and group, then
 * the local association. When the peer no longer has the group, or is no longer the system it was,
 * only the local association goes. A priority-0 group on the peer refuses the delete and changes
 * nothing; a copy or group the peer would not delete leaves the association failed. A peer that
 * cannot be reached refuses the delete; once the operator has set the system peer disabled, only
 * the local association goes and the peer's copies are left where they are.
 */
public final class AssociationRemoval {

  private static final Logger LOG = EscapingLogger.of(AssociationRemoval.class);

  /** Peer copies the delete asks the peer to remove; any other copy is left alone. */
  static final Set<DeployStatus> DELETABLE =
      EnumSet.of(
          DeployStatus.SECONDARY,
          DeployStatus.SECONDARY_FAILED,
          DeployStatus.REHOME_FAILED,
          DeployStatus.REHOME_PREP_FAILED);

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
   * @throws UnprocessableException when the peer cannot be reached (and the system peer is not
   *     disabled): before anything was deleted nothing changes; later, the association is failed
   *     naming the peer
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
    if (peer.administrativeState() == AdministrativeState.DISABLED) {
      // The operator has let the peer go: it is not called, whatever it still holds stays there.
      LOG.warn(
          "peer disabled, association deleted here only, the peer's copies are left in place"
              + " association_id={} peer={} peer_group={}",
          association.id(),
          peer.peerName(),
          group.peerGroupName());
      deleteLocally(association);
      return;
    }
    LocalSystem me = context.localSystem();
    SiteApi client;
    SubcloudPeerGroup remoteGroup;
    List<Subcloud> copies;
    // Reads only: a peer that cannot be reached here refuses the delete with nothing changed.
    try {
      client = context.peerSites().clientFor(peer, association.id());
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
    } catch (PeerTransportException e) {
      throw unreachable(association, peer, e);
    } catch (GeoredException e) {
      fail(association, e.getMessage());
      throw e;
    }
    if (remoteGroup.groupPriority() == 0) {
      throw new ValidationException(Messages.PEER_GROUP_WRONG_PRIORITY);
    }
    try {
      copies = client.subcloudsOfPeerGroup(Caller.OPERATOR, String.valueOf(remoteGroup.id()));
    } catch (PeerTransportException e) {
      throw unreachable(association, peer, e);
    } catch (GeoredException e) {
      fail(association, e.getMessage());
      throw e;
    }
    try {
      List<String> notDeleted = new ArrayList<>();
      for (Subcloud copy : copies) {
        if (!DELETABLE.contains(copy.deployStatus())) {
          // The peer uses this copy (e.g. it manages it now): it stays there, and that is done.
          LOG.info(
              "peer copy left in place association_id={} subcloud={} deploy_status={}",
              association.id(),
              copy.name(),
              copy.deployStatus().wire());
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
    } catch (PeerTransportException e) {
      // Part of the peer's side may be gone already: the association says the delete is unfinished.
      UnprocessableException answer = unreachable(association, peer, e);
      fail(association, answer.getMessage());
      throw answer;
    } catch (GeoredException e) {
      fail(association, e.getMessage());
      throw e;
    }
    deleteLocally(association);
  }

  /** An unreachable peer is an expected failure: one WARN line naming the peer and the call. */
  private static UnprocessableException unreachable(
      PeerGroupAssociation association, SystemPeer peer, PeerTransportException cause) {
    LOG.warn(
        "peer unreachable call=delete-association association_id={} peer={} reason={}",
        association.id(),
        peer.peerName(),
        cause.getMessage());
    return new UnprocessableException(Messages.peerSiteUnreachable(peer.peerName()), cause);
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
