package io.geored.benchmarks;

import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.time.VirtualScheduler;

/**
 * A first association sync of a primary group of N subclouds to a peer that has none of it: on the
 * in-process network and over loopback HTTP.
 */
public final class SyncFigure {

  /**
   * One sync's cost.
   *
   * @param peerCalls calls the syncing site made to the peer
   * @param nanos wall time from the association's creation until the sync settled
   */
  public record Result(long peerCalls, long nanos) {}

  private SyncFigure() {}

  /**
   * Syncs a group of {@code n} subclouds from site A to site B on the in-process network.
   *
   * @param n the number of subclouds in the group
   * @return the calls counted (the sync's own: the peer monitor's first heartbeat, which runs when
   *     the association is created, is left out) and the time taken
   */
  public static Result inProcess(int n) {
    try (SimHarness sites = SimHarness.twoSites()) {
      SimSite a = sites.a();
      SimSite b = sites.b();
      sites.pair(a, b);
      sites.start();
      SystemPeer bOnA = a.stores().systemPeers().findByUuid(b.uuid()).orElseThrow();
      SubcloudPeerGroup group =
          a.api()
              .createPeerGroup(
                  Caller.OPERATOR,
                  PeerGroupCreate.builder().peerGroupName("pg1").maxSubcloudRehoming(5).build());
      Members.insert(a.stores(), n, group.id(), Members.A_GATEWAY, sites.now());
      sites.network().resetCalls();

      long start = System.nanoTime();
      PeerGroupAssociation created =
          a.api().createAssociation(Caller.OPERATOR, create(group, bOnA));
      sites.runUntilIdle();
      long nanos = System.nanoTime() - start;

      AuditFigure.requireInSync(a, created.id());
      requireCopies(b.stores(), n);
      long heartbeats = sites.network().calls(a.system(), b.system(), "listPeerGroups");
      return new Result(sites.network().calls(a.system(), b.system()) - heartbeats, nanos);
    }
  }

  /**
   * Syncs a group of {@code n} subclouds from site A to site B, each behind its own loopback HTTP
   * server.
   *
   * @param n the number of subclouds in the group
   * @return the calls B's server received and the time taken
   */
  public static Result overHttp(int n) {
    VirtualScheduler scheduler = new VirtualScheduler();
    try (LoopbackSite a = new LoopbackSite(SimHarness.SITE_A, scheduler);
        LoopbackSite b = new LoopbackSite(SimHarness.SITE_B, scheduler)) {
      SystemPeer bOnA = a.knows(b);
      b.knows(a);
      SubcloudPeerGroup group =
          a.api()
              .createPeerGroup(
                  Caller.OPERATOR,
                  PeerGroupCreate.builder().peerGroupName("pg1").maxSubcloudRehoming(5).build());
      Members.insert(a.stores(), n, group.id(), Members.A_GATEWAY, scheduler.now());
      long before = b.requests();

      long start = System.nanoTime();
      PeerGroupAssociation created =
          a.api().createAssociation(Caller.OPERATOR, create(group, bOnA));
      scheduler.runUntilIdle();
      long nanos = System.nanoTime() - start;

      PeerGroupAssociation done = a.stores().associations().findById(created.id()).orElseThrow();
      if (done.syncStatus() != io.geored.spi.model.SyncStatus.IN_SYNC) {
        throw new IllegalStateException("sync over HTTP failed: " + done);
      }
      requireCopies(b.stores(), n);
      return new Result(b.requests() - before, nanos);
    }
  }

  private static AssociationCreate create(SubcloudPeerGroup group, SystemPeer peer) {
    return AssociationCreate.builder()
        .peerGroupId(group.id())
        .systemPeerId(peer.id())
        .peerGroupPriority(2)
        .build();
  }

  private static void requireCopies(io.geored.spi.store.Stores stores, int n) {
    int copies = stores.subclouds().findAll().size();
    if (copies != n) {
      throw new IllegalStateException("peer holds " + copies + " copies of " + n);
    }
  }
}
