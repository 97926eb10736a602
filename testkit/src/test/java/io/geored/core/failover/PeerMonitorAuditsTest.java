package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.SyncStatus;
import io.geored.testkit.sim.SimNetwork;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The peer monitor audits the groups both sites hold on its beats")
class PeerMonitorAuditsTest {

  private PeerMonitorScenario s;

  @BeforeEach
  void setUp() {
    s = new PeerMonitorScenario(10, 3).syncedGroup("sc1", "sc2");
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  private void bMigrating() {
    PeerMonitorScenario.updateGroup(s.b, "pg1", g -> g.migrationStatus(MigrationStatus.MIGRATING));
  }

  private void bCompleted() {
    PeerMonitorScenario.updateGroup(
        s.b,
        "pg1",
        g ->
            g.migrationStatus(MigrationStatus.COMPLETE)
                .systemLeaderId(s.b.uuid())
                .systemLeaderName(s.b.name()));
    PeerMonitorScenario.update(
        s.b,
        "sc1",
        b ->
            b.managementState(ManagementState.MANAGED)
                .availabilityStatus(AvailabilityStatus.ONLINE)
                .deployStatus(DeployStatus.COMPLETE));
  }

  private long memberLists() {
    return s.sites.network().calls(s.a.system(), s.b.system(), "subcloudsOfPeerGroup");
  }

  @Test
  @DisplayName("a new watch marks its groups: its first beat, at once, audits them")
  void firstBeatAuditsMarkedGroups() {
    bMigrating();
    Instant restarted = s.sites.now();

    // The engine's restart starts a new watch.
    s.sites.restart(s.a);
    s.sites.runUntilIdle();

    assertThat(s.sites.now()).isEqualTo(restarted);

    assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
    assertThat(s.subcloud(s.a, "sc1").managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(s.subcloud(s.a, "sc2").deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
    assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
    assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
  }

  @Test
  @DisplayName(
      "an audited group is not audited again for a migrating peer group until the peer is lost"
          + " and back")
  void markClearedUntilPeerLost() {
    s.beat(1);
    bMigrating();
    List<Object> before = PeerMonitorScenario.records(s.a);

    s.beat(3);
    assertThat(PeerMonitorScenario.records(s.a)).isEqualTo(before);

    s.sites.network().partition(s.a.system(), s.b.system());
    s.beat(3);
    assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.UNAVAILABLE);
    assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    s.sites.network().heal(s.a.system(), s.b.system());
    s.beat(1);

    assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
    assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
    // The audit settled the association before the recovery looked at it.
    assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
    assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
  }

  @Test
  @DisplayName(
      "a group the peer reports complete is audited on the next beat without a mark, once: the"
          + " audit resets the peer's status")
  void completeIsAuditedOnce() {
    s.beat(1);
    bCompleted();
    s.sites.network().resetCalls();

    s.beat(1);

    assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    assertThat(s.a.stores().peerGroups().findByName("pg1").orElseThrow().systemLeaderId())
        .isEqualTo(s.b.uuid());
    assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.NONE);
    assertThat(memberLists()).isEqualTo(1);

    // A still manages sc2 under B's leadership, so the next beat lists B's members once more to
    // look for a member both manage (ADR 0030); not again while nothing changes.
    s.beat(3);
    assertThat(memberLists()).isEqualTo(2);
  }

  @Test
  @DisplayName("a group missing on the peer is not audited; nothing changes on either site")
  void missingOnPeer() {
    bMigrating();
    long groupOnB = s.groupOnB().id();
    s.b.stores().associations().delete(s.associationOnB().id());
    s.b
        .stores()
        .subclouds()
        .findByPeerGroup(groupOnB)
        .forEach(c -> s.b.stores().subclouds().delete(c.id()));
    s.b.stores().peerGroups().delete(groupOnB);
    List<Object> before = PeerMonitorScenario.records(s.a);

    s.beat(2);

    assertThat(PeerMonitorScenario.records(s.a)).isEqualTo(before);
    assertThat(memberLists()).isZero();
    assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
  }

  @Test
  @DisplayName("an audit that fails on a beat does not break the heartbeat and runs again next")
  void failedAuditRetried() {
    bCompleted();
    SimNetwork.Faults link = s.sites.network().link(s.a.system(), s.b.system());
    link.failCalls("subcloudsOfPeerGroup");

    s.beat(1);

    assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
    assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);

    link.clear();
    s.beat(1);

    assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.NONE);
  }

  @Test
  @DisplayName(
      "a peer's audit request skipped because this site migrates the group marks it for the"
          + " next beat")
  void skippedRequestMarksForNextBeat() {
    s.beat(1);
    bMigrating();
    PeerMonitorScenario.updateGroup(s.a, "pg1", g -> g.migrationStatus(MigrationStatus.MIGRATING));
    s.a.api().auditPeerGroup(io.geored.spi.api.Caller.PEER_SITE, "pg1", s.auditRequestFromB());
    assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    PeerMonitorScenario.updateGroup(s.a, "pg1", g -> g.migrationStatus(MigrationStatus.NONE));

    s.beat(1);

    assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
  }
}
