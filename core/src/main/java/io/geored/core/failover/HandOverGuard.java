package io.geored.core.failover;

import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.Lookups;
import io.geored.core.internal.SiteContext;
import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SystemPeer;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Without a witness, a site asked by a peer's migration to hand over a subcloud first asks its
 * other system peers associated with the subcloud's group whether one of them manages it (ADR
 * 0030), whether or not it manages the subcloud itself (a partition may have left it managed here
 * and on another peer). A primary with associations to site-b and site-c is the only site both hear
 * of: when site-c manages a member under the primary's leadership, site-b's migration asks the
 * primary alone, whose copy is secondary; handing it over would leave the subcloud managed on
 * site-b and site-c. A peer that manages the subcloud, or is rehoming it, refuses the hand-over
 * with 409; one that cannot be reached or holds no copy tells nothing (an operator migrates away
 * from a site that is gone, as upstream). With a witness the group's lease decides instead, and a
 * request from a site that did not identify itself, or for a subcloud already handed over, is not
 * checked.
 */
public final class HandOverGuard {

  private static final Logger LOG = EscapingLogger.of(HandOverGuard.class);

  private final SiteContext context;

  /**
   * Creates the guard.
   *
   * @param context the engine's ports
   */
  public HandOverGuard(SiteContext context) {
    this.context = context;
  }

  /**
   * Refuses a hand-over to {@code caller} of a subcloud another associated peer manages.
   *
   * @param caller who asks for the hand-over
   * @param subcloud the local subcloud, as stored
   * @throws ConflictException when another peer answers that it manages or is rehoming the subcloud
   */
  public void check(Caller caller, Subcloud subcloud) {
    Optional<String> asker = caller.systemPeerUuid();
    if (asker.isEmpty()
        || context.leadership().configured()
        || subcloud.peerGroupId() == null
        || (subcloud.deployStatus() == DeployStatus.REHOME_PENDING
            && subcloud.handedOverTo() != null)) {
      // Handed over already: to this asker, or to another site, whose claim the update rules
      // answer.
      return;
    }
    for (SystemPeer other : new Lookups(context.stores()).associatedPeers(subcloud.peerGroupId())) {
      if (other.peerUuid().equalsIgnoreCase(asker.get())) {
        continue;
      }
      Subcloud copy;
      try {
        copy =
            context
                .peerSites()
                .clientFor(other)
                .getSubcloud(Caller.PEER_SITE, subcloud.regionName());
      } catch (NotFoundException none) {
        continue;
      } catch (RuntimeException unreachable) {
        LOG.info(
            "peer not asked before a hand-over name={} peer={} reason={}",
            subcloud.name(),
            other.peerName(),
            unreachable.getMessage());
        continue;
      }
      if (copy.managementState() == ManagementState.MANAGED
          || copy.deployStatus() == DeployStatus.PRE_REHOME
          || copy.deployStatus() == DeployStatus.REHOMING) {
        LOG.warn(
            "hand-over refused, another peer holds the subcloud name={} peer={} asked_by={}"
                + " management_state={} deploy_status={}",
            subcloud.name(),
            other.peerName(),
            asker.get(),
            copy.managementState().wire(),
            copy.deployStatus().wire());
        throw new ConflictException(
            Messages.subcloudManagedElsewhere(subcloud.name(), other.peerName()));
      }
    }
  }
}
