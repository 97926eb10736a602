package io.geored.benchmarks;

import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;

/**
 * A first association sync of a primary group of N subclouds over a network where every call from
 * the syncing site to the peer takes a latency L, counted in virtual time: the simulated network
 * holds each call for L while the other calls in flight go on ({@link
 * VirtualScheduler#overlappingWaits()}), as a WAN between two sites does. Nothing can beat ceil(2N
 * / P) · L for the 2N calls per subcloud with P subclouds in flight, plus the fixed calls made one
 * after the other; the bound allows 8 · L for them.
 */
public final class LatencyFigure {

  /**
   * One sync under latency.
   *
   * @param makespan virtual time from the association's creation until it was in-sync on the
   *     syncing site
   * @param places P, the subclouds the sync keeps in flight (the engine's sync concurrency)
   * @param bound ceil(2N / P) · L + 8 · L
   * @param peerCalls calls the syncing site made to the peer for the sync
   * @param wallNanos what simulating it cost
   */
  public record Result(
      Duration makespan, int places, Duration bound, long peerCalls, long wallNanos) {

    /**
     * The makespan as a share of the bound.
     *
     * @return makespan / bound; at most 1 when the bound is met
     */
    public double ratio() {
      return makespan.toNanos() / (double) bound.toNanos();
    }
  }

  private LatencyFigure() {}

  /**
   * Syncs a group of {@code n} subclouds from site A to site B, every call A makes to B taking
   * {@code latency}.
   *
   * @param n the number of subclouds in the group
   * @param latency what each call costs
   * @return the makespan against the bound
   */
  public static Result run(int n, Duration latency) {
    return run(n, latency, VirtualScheduler.overlappingWaits());
  }

  /**
   * The same on a given scheduler: on one whose waits do not overlap, every call's latency adds up,
   * as if the sync made its calls one at a time.
   *
   * @param n the number of subclouds in the group
   * @param latency what each call costs
   * @param scheduler the sites' scheduler
   * @return the makespan against the bound
   */
  public static Result run(int n, Duration latency, VirtualScheduler scheduler) {
    try (SimHarness sites = SimHarness.builder().scheduler(scheduler).build()) {
      SimSite a = sites.a();
      SimSite b = sites.b();
      sites.pair(a, b);
      sites.start();
      sites.runUntilIdle();
      SystemPeer bOnA = a.stores().systemPeers().findByUuid(b.uuid()).orElseThrow();
      SubcloudPeerGroup group =
          a.api()
              .createPeerGroup(
                  Caller.OPERATOR,
                  PeerGroupCreate.builder().peerGroupName("pg1").maxSubcloudRehoming(5).build());
      Members.insert(a.stores(), n, group.id(), Members.A_GATEWAY, sites.now());
      int places = a.engine().context().settings().syncConcurrency();
      sites.network().link(a.system(), b.system()).delay(latency);
      sites.network().resetCalls();

      long wall = System.nanoTime();
      Instant start = sites.now();
      PeerGroupAssociation created =
          a.api()
              .createAssociation(
                  Caller.OPERATOR,
                  AssociationCreate.builder()
                      .peerGroupId(group.id())
                      .systemPeerId(bOnA.id())
                      .peerGroupPriority(2)
                      .build());
      sites
          .scheduler()
          .advanceUntil(
              () ->
                  a.stores().associations().findById(created.id()).orElseThrow().syncStatus()
                      != SyncStatus.SYNCING,
              latency,
              Duration.ofHours(2));
      long wallNanos = System.nanoTime() - wall;

      PeerGroupAssociation done = a.stores().associations().findById(created.id()).orElseThrow();
      if (done.syncStatus() != SyncStatus.IN_SYNC) {
        throw new IllegalStateException("sync under latency failed: " + done);
      }
      int copies = b.stores().subclouds().findAll().size();
      if (copies != n) {
        throw new IllegalStateException("peer holds " + copies + " copies of " + n);
      }
      long heartbeats = sites.network().calls(a.system(), b.system(), "listPeerGroups");
      long calls = sites.network().calls(a.system(), b.system()) - heartbeats;
      Duration bound = latency.multipliedBy(ceilDiv(2L * n, places) + 8);
      return new Result(Duration.between(start, done.updatedAt()), places, bound, calls, wallNanos);
    }
  }

  private static long ceilDiv(long x, long y) {
    return (x + y - 1) / y;
  }
}
