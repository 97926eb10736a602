package io.geored.benchmarks;

import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The peer-group audit on the in-process network: site B has taken over a synced group of N
 * subclouds, and site A audits its copy against B's, turning all N of its members secondary.
 */
public final class AuditFigure {

  /**
   * One audit's cost.
   *
   * @param peerCalls calls site A made to site B during the audit
   * @param nanos wall time of the audit call
   * @param cpuNanos CPU time the calling thread spent in the audit call (the whole audit runs on
   *     it, both sites included): less disturbed than the wall time by other work on a shared
   *     machine
   * @param allocatedBytes heap the calling thread allocated during the audit call: a measure of its
   *     work that other load on the machine does not disturb
   * @param compileMillis time the JIT compilers spent compiling during the audit call (the JVM's
   *     compilation MXBean, -1 where it is not counted): their threads compete with the auditing
   *     thread for the cores, so the wall time includes it where no core is free
   */
  public record Result(
      long peerCalls, long nanos, long cpuNanos, long allocatedBytes, long compileMillis) {}

  /**
   * Repeated audits of one size.
   *
   * @param peerCalls calls site A made to site B during one audit
   * @param medianNanos median wall time of the audit call
   * @param medianCpuNanos median CPU time of the audit call
   * @param minAllocatedBytes least heap allocated by one audit call
   * @param medianCompileMillis median JIT compilation time during the audit call
   */
  public record Summary(
      long peerCalls,
      long medianNanos,
      long medianCpuNanos,
      long minAllocatedBytes,
      long medianCompileMillis) {}

  /** The longest wait, before each timed audit, for the JIT's queue to empty. */
  static final long JIT_IDLE_BUDGET_MILLIS = 5_000;

  private AuditFigure() {}

  /**
   * Runs {@code runs} audits of a group of {@code n} subclouds, each on a fresh pair of sites.
   *
   * @param n the number of subclouds in the group
   * @param runs how many audits, at least 1
   * @return the calls of the last one and the medians
   */
  public static Summary measure(int n, int runs) {
    long calls = 0;
    List<Long> wall = new ArrayList<>();
    List<Long> cpu = new ArrayList<>();
    List<Long> compile = new ArrayList<>();
    long allocated = Long.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      Result r = run(n, true);
      calls = r.peerCalls();
      wall.add(r.nanos());
      cpu.add(r.cpuNanos());
      compile.add(r.compileMillis());
      allocated = Math.min(allocated, r.allocatedBytes());
    }
    Collections.sort(wall);
    Collections.sort(cpu);
    Collections.sort(compile);
    return new Summary(
        calls, wall.get(runs / 2), cpu.get(runs / 2), allocated, compile.get(runs / 2));
  }

  /**
   * Arranges a fresh pair of sites and runs one audit of a group of {@code n} subclouds, without
   * waiting for the JIT (warm-ups, counted guards).
   *
   * @param n the number of subclouds in the group
   * @return the calls counted and the time taken
   */
  public static Result run(int n) {
    return run(n, false);
  }

  /**
   * Arranges a fresh pair of sites and runs one audit of a group of {@code n} subclouds.
   *
   * @param n the number of subclouds in the group
   * @param jitIdleFirst whether to wait, before the timed call, until the JIT compilers have
   *     nothing queued (at most {@link #JIT_IDLE_BUDGET_MILLIS})
   * @return the calls counted and the time taken
   */
  public static Result run(int n, boolean jitIdleFirst) {
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
      PeerGroupAssociation primary =
          a.api()
              .createAssociation(
                  Caller.OPERATOR,
                  AssociationCreate.builder()
                      .peerGroupId(group.id())
                      .systemPeerId(bOnA.id())
                      .peerGroupPriority(2)
                      .build());
      sites.runUntilIdle();
      requireInSync(a, primary.id());
      // The members are arranged directly on both sites, as a finished sync and a finished
      // migration to B would leave them: B manages its copies and leads the group.
      SubcloudPeerGroup groupOnB = b.stores().peerGroups().findByName("pg1").orElseThrow();
      Members.insert(a.stores(), n, group.id(), Members.A_GATEWAY, sites.now());
      Members.insert(b.stores(), n, groupOnB.id(), Members.B_GATEWAY, sites.now());
      groupOnB =
          saved(
              b.stores()
                  .peerGroups()
                  .update(
                      groupOnB.toBuilder()
                          .migrationStatus(MigrationStatus.COMPLETE)
                          .systemLeaderId(b.uuid())
                          .systemLeaderName(b.name())
                          .build()));
      AuditRequest request =
          AuditRequest.builder()
              .peerUuid(b.uuid())
              .peerGroupName(groupOnB.peerGroupName())
              .groupPriority(groupOnB.groupPriority())
              .groupState(groupOnB.groupState().wire())
              .systemLeaderId(groupOnB.systemLeaderId())
              .systemLeaderName(groupOnB.systemLeaderName())
              .migrationStatus(groupOnB.migrationStatus().wire())
              .maxSubcloudRehoming(groupOnB.maxSubcloudRehoming())
              .build();
      sites.network().resetCalls();

      // The 2N members just arranged are young objects: collected during the audit they would
      // charge
      // it with copying them, a cost of the set-up that grows with N times the audit's own garbage
      // (at N = 5,000 it made the audit look superlinear). A real site's members are long-lived.
      System.gc();
      // Arranging 2N members queues compilations of the set-up's code; on 2 cores they would run
      // during the timed audit (at N = 5,000 about 50 ms of compiling in each measured audit).
      if (jitIdleFirst) {
        JitQueue.awaitIdle(JIT_IDLE_BUDGET_MILLIS);
      }
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpuStart = threads.getCurrentThreadCpuTime();
      long allocatedStart = allocatedBytes(threads);
      long compileStart = compileMillis();
      long start = System.nanoTime();
      AuditAnswer answer = a.api().auditPeerGroup(Caller.PEER_SITE, "pg1", request);
      long nanos = System.nanoTime() - start;
      long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
      long allocated = allocatedBytes(threads) - allocatedStart;
      long compiled = compileStart < 0 ? -1 : compileMillis() - compileStart;

      if (answer.message() != null) {
        throw new IllegalStateException("audit answered " + answer.message());
      }
      int secondary =
          a.stores().subclouds().findByDeployStatus(List.of(DeployStatus.SECONDARY)).size();
      if (secondary != n) {
        throw new IllegalStateException("audit left " + secondary + " of " + n + " secondary");
      }
      return new Result(
          sites.network().calls(a.system(), b.system()), nanos, cpuNanos, allocated, compiled);
    }
  }

  private static long compileMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : -1;
  }

  private static long allocatedBytes(ThreadMXBean threads) {
    return threads instanceof com.sun.management.ThreadMXBean counting
        ? counting.getCurrentThreadAllocatedBytes()
        : -1;
  }

  static void requireInSync(SimSite site, long associationId) {
    PeerGroupAssociation association =
        site.stores().associations().findById(associationId).orElseThrow();
    if (association.syncStatus() != SyncStatus.IN_SYNC) {
      throw new IllegalStateException("set-up sync failed: " + association);
    }
  }

  @SuppressWarnings("unchecked")
  static <T> T saved(io.geored.spi.store.StoreResult<T> result) {
    if (result instanceof io.geored.spi.store.StoreResult.Saved<T> s) {
      return s.value();
    }
    throw new IllegalStateException("not saved: " + result);
  }
}
