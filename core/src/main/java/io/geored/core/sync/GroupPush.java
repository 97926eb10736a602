package io.geored.core.sync;

import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.SiteContext;
import io.geored.spi.GeoredException;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Pushes a change of a primary peer group to the peer sites that hold a copy, before the change is
 * made here, so an operator's change never leaves the sites disagreeing without anyone knowing.
 */
public final class GroupPush {

  private static final Logger LOG = EscapingLogger.of(GroupPush.class);

  private final SiteContext context;

  /**
   * Creates the push.
   *
   * @param context the engine's ports
   */
  public GroupPush(SiteContext context) {
    this.context = context;
  }

  /** What a push came to. */
  public enum Outcome {
    /** The group has no association: nothing to push. */
    NO_PEERS,
    /** At least one associated peer took the change. */
    ACCEPTED,
    /** No associated peer took it (unavailable peers count as refusals). */
    REFUSED
  }

  /**
   * Pushes a change of name, state or max rehoming to every associated, available peer.
   *
   * @param group the group as it is now (its current name addresses the peer's copy)
   * @param change only the fields to push
   * @return whether anyone took it
   */
  public Outcome pushGroupChange(SubcloudPeerGroup group, PeerGroupUpdate change) {
    List<PeerGroupAssociation> associations =
        context.stores().associations().findByPeerGroup(group.id());
    if (associations.isEmpty()) {
      return Outcome.NO_PEERS;
    }
    int accepted = 0;
    for (PeerGroupAssociation association : associations) {
      Optional<SystemPeer> peer =
          context.stores().systemPeers().findById(association.systemPeerId());
      if (peer.isEmpty() || !peer.get().isAvailable()) {
        continue;
      }
      if (push(peer.get(), association.id(), group.peerGroupName(), change)) {
        accepted++;
      }
    }
    return accepted > 0 ? Outcome.ACCEPTED : Outcome.REFUSED;
  }

  /**
   * Pushes a primary association's new priority to the peer's copy of the group.
   *
   * @param association the primary association
   * @param priority the new priority
   * @return true when the peer took it
   */
  public boolean pushPriority(PeerGroupAssociation association, int priority) {
    Optional<SystemPeer> peer = context.stores().systemPeers().findById(association.systemPeerId());
    Optional<SubcloudPeerGroup> group =
        context.stores().peerGroups().findById(association.peerGroupId());
    if (peer.isEmpty() || group.isEmpty()) {
      return false;
    }
    return push(
        peer.get(),
        association.id(),
        group.get().peerGroupName(),
        PeerGroupUpdate.builder().groupPriority(priority).build());
  }

  private boolean push(
      SystemPeer peer, long associationId, String groupName, PeerGroupUpdate change) {
    try {
      context
          .peerSites()
          .clientFor(peer, associationId)
          .updatePeerGroup(context.leadership().peerCaller(groupName), groupName, change);
      return true;
    } catch (GeoredException e) {
      LOG.warn(
          "peer group change not taken by peer peer={} peer_group={} reason={}",
          peer.peerName(),
          groupName,
          e.getMessage());
      return false;
    }
  }
}
