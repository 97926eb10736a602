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
   */
  public record Result(long peerCalls, long nanos) {}

  private AuditFigure() {}

  /**
   * Arranges a fresh pair of sites and runs one audit of a group of {@code n} subclouds.
   *
   * @param n the number of subclouds in the group
   * @return the calls counted and the time taken
   */
  public static Result run(int n) {
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

      long start = System.nanoTime();
      AuditAnswer answer = a.api().auditPeerGroup(Caller.PEER_SITE, "pg1", request);
      long nanos = System.nanoTime() - start;

      if (answer.message() != null) {
        throw new IllegalStateException("audit answered " + answer.message());
      }
      int secondary =
          a.stores().subclouds().findByDeployStatus(List.of(DeployStatus.SECONDARY)).size();
      if (secondary != n) {
        throw new IllegalStateException("audit left " + secondary + " of " + n + " secondary");
      }
      return new Result(sites.network().calls(a.system(), b.system()), nanos);
    }
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
