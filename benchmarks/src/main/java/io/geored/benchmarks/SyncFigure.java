package io.geored.benchmarks;

import io.geored.adapters.http.HttpPeerSites;
import io.geored.adapters.http.HttpSiteClient;
import io.geored.adapters.jdbc.JdbcStores;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.peer.PeerSites;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.store.InMemoryStores;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

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

  /** Where the two sites of a sync over HTTP keep their data. */
  public enum Storage {
    /** The testkit's in-memory stores. */
    IN_MEMORY,
    /** The embedded crash-safe H2 file store ({@code JdbcStores.embedded}), one per site. */
    H2_FILE
  }

  /**
   * Syncs a group of {@code n} subclouds from site A to site B, each behind its own loopback HTTP
   * server, on in-memory stores.
   *
   * @param n the number of subclouds in the group
   * @return the calls B's server received and the time taken
   */
  public static Result overHttp(int n) {
    return overHttp(n, Storage.IN_MEMORY, null);
  }

  /**
   * Syncs a group of {@code n} subclouds from site A to site B, each behind its own loopback HTTP
   * server, as deployed sites run it: each engine on its own threads (its default scheduler), so
   * the sync has as many subclouds in flight as the engine allows.
   *
   * @param n the number of subclouds in the group
   * @param storage where both sites keep their data
   * @param recorder when not null, A reaches B through an HTTP client that notes every exchange (to
   *     learn the calls' sizes; the timed runs use the production client)
   * @return the calls B's server received and the time taken
   */
  public static Result overHttp(int n, Storage storage, RecordingHttpClient recorder) {
    return overHttp(n, storage, recorder, false);
  }

  /**
   * As {@link #overHttp(int, Storage, RecordingHttpClient)}, optionally waiting, after the set-up
   * and before the timed sync, until the JIT compilers have nothing queued (at most {@link
   * AuditFigure#JIT_IDLE_BUDGET_MILLIS}): inserting N members into an H2 file queues compilations
   * of H2's code that would otherwise run on the same 2 cores during the timed sync.
   *
   * @param n the number of subclouds in the group
   * @param storage where both sites keep their data
   * @param recorder when not null, A reaches B through an HTTP client that notes every exchange
   * @param jitIdleFirst whether to wait for the JIT's queue to empty before the timed sync
   * @return the calls B's server received and the time taken
   */
  public static Result overHttp(
      int n, Storage storage, RecordingHttpClient recorder, boolean jitIdleFirst) {
    List<AutoCloseable> owned = new ArrayList<>();
    try (LoopbackSite a = deployedSite(SimHarness.SITE_A, storage, recorder, owned);
        LoopbackSite b = deployedSite(SimHarness.SITE_B, storage, null, owned)) {
      SystemPeer bOnA = a.knows(b);
      b.knows(a);
      SubcloudPeerGroup group =
          a.api()
              .createPeerGroup(
                  Caller.OPERATOR,
                  PeerGroupCreate.builder().peerGroupName("pg1").maxSubcloudRehoming(5).build());
      Members.insert(a.stores(), n, group.id(), Members.A_GATEWAY, Instant.now());
      long before = b.requests();
      if (jitIdleFirst) {
        JitQueue.awaitIdle(AuditFigure.JIT_IDLE_BUDGET_MILLIS);
      }

      long start = System.nanoTime();
      PeerGroupAssociation created =
          a.api().createAssociation(Caller.OPERATOR, create(group, bOnA));
      PeerGroupAssociation done = settled(a, created.id());
      long nanos = System.nanoTime() - start;

      if (done.syncStatus() != SyncStatus.IN_SYNC) {
        throw new IllegalStateException("sync over HTTP failed: " + done);
      }
      requireCopies(b.stores(), n);
      return new Result(b.requests() - before, nanos);
    } finally {
      for (AutoCloseable c : owned) {
        Cleanup.quietly(c);
      }
    }
  }

  private static LoopbackSite deployedSite(
      io.geored.spi.model.LocalSystem system,
      Storage storage,
      RecordingHttpClient recorder,
      List<AutoCloseable> owned) {
    PeerSites peers =
        recorder == null
            ? null
            : peer ->
                new HttpSiteClient(
                    recorder,
                    URI.create(peer.managerEndpoint()),
                    () -> LoopbackSite.TOKEN,
                    HttpPeerSites.DEFAULT_REQUEST_TIMEOUT);
    if (storage == Storage.IN_MEMORY) {
      return new LoopbackSite(system, null, InMemoryStores.create(), null, peers);
    }
    Path folder = Cleanup.tempFolder("geored-bench-sync", owned);
    JdbcStores db = JdbcStores.embedded(folder);
    return new LoopbackSite(system, null, db.stores(), db, peers);
  }

  /** Waits (polling A's store every 5 ms: cheap beside a sync of seconds) until it settles. */
  private static PeerGroupAssociation settled(LoopbackSite a, long associationId) {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (true) {
      PeerGroupAssociation now = a.stores().associations().findById(associationId).orElseThrow();
      if (now.syncStatus() != SyncStatus.SYNCING) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("sync over HTTP still syncing after 10 minutes: " + now);
      }
      LockSupport.parkNanos(5_000_000);
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
