package io.geored.core.failover;

import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.Lookups;
import io.geored.core.internal.SiteContext;
import io.geored.spi.ConflictException;
import io.geored.spi.ForbiddenException;
import io.geored.spi.NotFoundException;
import io.geored.spi.PeerTransportException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Takes one subcloud away from the peer sites before this site rehomes it: on every system peer
 * associated with the group, the peer's copy (found by region name) is unmanaged and set
 * rehome-pending, unless it is so already or the peer has no copy. A peer this site marks
 * unavailable, and that was not available when the migration started, is skipped only if it cannot
 * be reached at all (the operator migrates away from a site that is gone); one that answers is
 * asked like the others, since its copy may still be managed (the mark lags a healed partition by
 * up to a heartbeat failure's detection). A peer that refuses (400, 403, 409) stops the subcloud at
 * once; any other failure is tried again after {@link #RETRY_DELAY}, {@link
 * MigrationTexts#HANDOVER_ATTEMPTS} times in all, and then stops the subcloud too: rehoming a
 * subcloud that a reachable-looking peer may still manage would leave it managed on two sites. A
 * stopped subcloud is not rehomed and keeps its deploy status here (secondary, as a rule), with the
 * reason in its error description. Retries wait on the scheduler, never on a thread.
 *
 * <p>Each step first asks whether the migration may still go on (with a witness: whether this site
 * still holds the group's lease, and the batch was not halted), and so does each write right before
 * it is sent: a retry comes due later, and a site that stood paused runs it late, after its lease
 * lapsed. A write sent then would carry no leader epoch (this site holds no lease), so no peer
 * could refuse it as stale, and a peer that leads again meanwhile would hold the subcloud
 * rehome-pending for a migration that has stopped (simulation seeds 5848, 12998 and 18424). The
 * walk ends {@link Stopped} instead, writing nothing more.
 */
final class MigrationHandover {

  private static final Logger LOG = EscapingLogger.of(MigrationHandover.class);

  /** The pause between two tries on one peer (upstream waits a second too). */
  static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  /** How the hand-over ended. */
  sealed interface Result {}

  /** Every available peer let the subcloud go (or had no copy of it). */
  record HandedOver() implements Result {}

  /**
   * A peer did not let it go.
   *
   * @param errorDescription why, for the subcloud's error description
   */
  record NotHandedOver(String errorDescription) implements Result {}

  /**
   * The migration may no longer go on (halted, or its lease lost): the walk stopped before writing
   * to the next peer, and the subcloud is not rehomed.
   */
  record Stopped() implements Result {}

  /** Thrown inside a step when the migration may no longer write; ends the walk {@link Stopped}. */
  private static final class MayNotGoOn extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MayNotGoOn() {
      super(null, null, false, false);
    }
  }

  private final SiteContext context;

  MigrationHandover(SiteContext context) {
    this.context = context;
  }

  /**
   * Hands a subcloud over; {@code then} hears the result exactly once, on this thread or on a
   * scheduler task.
   *
   * @param subcloud the local subcloud
   * @param then receives the result
   */
  void start(Subcloud subcloud, Consumer<Result> then) {
    start(subcloud, Set.of(), () -> false, then);
  }

  /**
   * Hands a subcloud over, also asking the peers a migration found available when it started: a
   * peer that became unreachable since (a partition in the middle of a batch) may still manage the
   * subcloud, so it is asked (and the subcloud not rehomed if it cannot be) rather than skipped.
   *
   * @param subcloud the local subcloud
   * @param availableAtStart ids of the system peers that were available when the migration started
   * @param stopped whether the migration must stop (asked before every step and every write; with a
   *     witness it is true once this site may no longer act for the group)
   * @param then receives the result
   */
  void start(
      Subcloud subcloud,
      Set<Long> availableAtStart,
      BooleanSupplier stopped,
      Consumer<Result> then) {
    List<SystemPeer> must = availablePeers(subcloud.peerGroupId(), availableAtStart);
    List<SystemPeer> all = associatedPeers(subcloud.peerGroupId());
    new Walk(subcloud, all, must, stopped, then).step();
  }

  /**
   * The system peers associated with the group that count as available ({@link
   * SystemPeer#isAvailable()}).
   */
  List<SystemPeer> availablePeers(Long groupId) {
    return availablePeers(groupId, Set.of());
  }

  /**
   * Without a witness, the leader a migration of the group could not ask to hand over: a site named
   * the group's leader by this site's copy, or by the copy of a system peer associated with the
   * group that answers, that is neither this site nor one of those peers (site-b and site-c of a
   * primary with associations to both are not each other's peers: a migration on one asks only the
   * primary). A peer that cannot be reached, or holds no copy, tells nothing: an operator may
   * migrate away from peers that are gone, as upstream, unless this site's own copy names such a
   * leader (a group with no association refuses nothing: there is no site to ask). A site holding
   * the group's lease answers it with a witness configured, so then this is always empty (ADR
   * 0028).
   *
   * @param group the local group
   * @return the name the naming copy gives that leader (its uuid when the copy has no name)
   */
  Optional<String> leaderBeyondReach(SubcloudPeerGroup group) {
    if (context.leadership().configured()) {
      return Optional.empty();
    }
    List<SystemPeer> peers = associatedPeers(group.id());
    Set<String> reachable = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    reachable.add(context.localSystem().uuid());
    for (SystemPeer peer : peers) {
      reachable.add(peer.peerUuid());
    }
    if (!peers.isEmpty() && beyond(group, reachable)) {
      // With no associated peer there is no site to ask, and none to learn a leader from.
      return Optional.of(leaderName(group));
    }
    for (SystemPeer peer : peers) {
      SubcloudPeerGroup copy;
      try {
        copy =
            context
                .peerSites()
                .clientFor(peer)
                .getPeerGroup(Caller.OPERATOR, group.peerGroupName());
      } catch (RuntimeException unknown) {
        LOG.info(
            "peer group copy not read before a migration peer_group={} peer={} reason={}",
            group.peerGroupName(),
            peer.peerName(),
            unknown.getMessage());
        continue;
      }
      if (beyond(copy, reachable)) {
        LOG.info(
            "peer names a leader beyond this site's peers peer_group={} peer={} leader={}",
            group.peerGroupName(),
            peer.peerName(),
            leaderName(copy));
        return Optional.of(leaderName(copy));
      }
    }
    return Optional.empty();
  }

  private static boolean beyond(SubcloudPeerGroup copy, Set<String> reachable) {
    String leader = copy.systemLeaderId();
    return leader != null && !leader.isBlank() && !reachable.contains(leader);
  }

  private static String leaderName(SubcloudPeerGroup copy) {
    String name = copy.systemLeaderName();
    return name == null || name.isBlank() ? copy.systemLeaderId() : name;
  }

  private List<SystemPeer> availablePeers(Long groupId, Set<Long> availableAtStart) {
    List<SystemPeer> peers = new ArrayList<>();
    for (SystemPeer peer : associatedPeers(groupId)) {
      if (peer.isAvailable() || availableAtStart.contains(peer.id())) {
        peers.add(peer);
      }
    }
    return peers;
  }

  private List<SystemPeer> associatedPeers(Long groupId) {
    return new Lookups(context.stores()).associatedPeers(groupId);
  }

  private final class Walk {
    private final Subcloud subcloud;
    private final List<SystemPeer> peers;
    private final Set<Long> mustLetGo = new TreeSet<>();
    private final BooleanSupplier stopped;
    private final Consumer<Result> then;
    private int peerIndex;
    private int attempt;

    Walk(
        Subcloud subcloud,
        List<SystemPeer> peers,
        List<SystemPeer> must,
        BooleanSupplier stopped,
        Consumer<Result> then) {
      this.subcloud = subcloud;
      this.peers = peers;
      for (SystemPeer peer : must) {
        mustLetGo.add(peer.id());
      }
      this.stopped = stopped;
      this.then = then;
    }

    void step() {
      if (stopped.getAsBoolean()) {
        stop();
        return;
      }
      if (peerIndex >= peers.size()) {
        then.accept(new HandedOver());
        return;
      }
      SystemPeer peer = peers.get(peerIndex);
      attempt++;
      try {
        letGo(peer);
      } catch (MayNotGoOn stoppedMeanwhile) {
        stop();
        return;
      } catch (ValidationException | ForbiddenException | ConflictException refused) {
        LOG.warn(
            "peer refused to hand over subcloud name={} peer={} reason={}",
            subcloud.name(),
            peer.peerName(),
            refused.getMessage());
        then.accept(
            new NotHandedOver(
                MigrationTexts.handoverRefused(
                    subcloud.name(), peer.peerName(), refused.getMessage())));
        return;
      } catch (PeerTransportException unreachable) {
        if (!mustLetGo.contains(peer.id()) && unreachable.status() == 0) {
          // Marked unavailable and still not reached: the operator migrates away from it.
          LOG.info(
              "unavailable peer not reached, skipped name={} peer={} reason={}",
              subcloud.name(),
              peer.peerName(),
              unreachable.getMessage());
          peerIndex++;
          attempt = 0;
          step();
          return;
        }
        retryOrGiveUp(peer, unreachable);
        return;
      } catch (RuntimeException failed) {
        retryOrGiveUp(peer, failed);
        return;
      }
      peerIndex++;
      attempt = 0;
      step();
    }

    private void stop() {
      LOG.warn(
          "hand-over stopped, the migration may no longer act for the group name={}"
              + " peers_done={} peers={}",
          subcloud.name(),
          peerIndex,
          peers.size());
      then.accept(new Stopped());
    }

    /**
     * The caller a write to a peer is made as, asked right before it is sent: the getSubcloud
     * before it may have taken a while.
     *
     * @throws MayNotGoOn when the migration must stop
     */
    private Caller writer() {
      if (stopped.getAsBoolean()) {
        throw new MayNotGoOn();
      }
      return context.leadership().peerCaller(subcloud.peerGroupId());
    }

    private void retryOrGiveUp(SystemPeer peer, RuntimeException failed) {
      if (attempt < MigrationTexts.HANDOVER_ATTEMPTS) {
        LOG.info(
            "hand-over attempt failed, trying again name={} peer={} attempt={} reason={}",
            subcloud.name(),
            peer.peerName(),
            attempt,
            failed.getMessage());
        context.scheduler().schedule(this::step, RETRY_DELAY);
      } else {
        LOG.warn(
            "hand-over failed name={} peer={} attempts={} reason={}",
            subcloud.name(),
            peer.peerName(),
            attempt,
            failed.getMessage());
        then.accept(
            new NotHandedOver(
                MigrationTexts.handoverFailed(
                    subcloud.name(), peer.peerName(), String.valueOf(failed.getMessage()))));
      }
    }

    /**
     * The peer's copy is rehome-pending already: handed over to this migration before (a retry, a
     * restarted batch), or to another site's. Asking again for the hand-over lets a geored peer
     * tell which (ADR 0030): it changes nothing for this site's own hand-over and is refused with
     * 409 for another's, which stops the subcloud. A peer that refuses the repeated request
     * otherwise (400: a peer that does not take it twice) is taken at its copy's word, as before.
     */
    private void confirm(SiteApi client, SystemPeer peer, String region) {
      try {
        client.updateSubcloud(writer(), region, SubcloudUpdate.builder().migrate(true).build());
      } catch (ValidationException | NotFoundException notConfirmed) {
        LOG.info(
            "peer copy already rehome-pending, hand-over not confirmed name={} peer={} reason={}",
            subcloud.name(),
            peer.peerName(),
            notConfirmed.getMessage());
        return;
      }
      LOG.info(
          "peer copy already unmanaged and rehome-pending name={} peer={}",
          subcloud.name(),
          peer.peerName());
    }

    /** One try on one peer; returns when the peer holds no managed, not-pending copy. */
    private void letGo(SystemPeer peer) {
      SiteApi client = context.peerSites().clientFor(peer);
      String region = subcloud.regionName();
      Subcloud copy;
      try {
        copy = client.getSubcloud(Caller.PEER_SITE, region);
      } catch (NotFoundException none) {
        LOG.info("peer holds no copy name={} peer={}", subcloud.name(), peer.peerName());
        return;
      }
      boolean unmanaged = copy.managementState() == ManagementState.UNMANAGED;
      if (unmanaged && copy.deployStatus() == DeployStatus.REHOME_PENDING) {
        confirm(client, peer, region);
        return;
      }
      // Unmanaging an unmanaged copy is refused, so the management state goes only when needed.
      SubcloudUpdate.Builder update = SubcloudUpdate.builder().migrate(true);
      if (!unmanaged) {
        update.managementState(ManagementState.UNMANAGED.wire());
      }
      try {
        client.updateSubcloud(writer(), region, update.build());
      } catch (NotFoundException gone) {
        LOG.info("peer copy gone meanwhile name={} peer={}", subcloud.name(), peer.peerName());
        return;
      }
      LOG.info(
          "peer copy unmanaged and rehome-pending name={} peer={}",
          subcloud.name(),
          peer.peerName());
    }
  }
}
