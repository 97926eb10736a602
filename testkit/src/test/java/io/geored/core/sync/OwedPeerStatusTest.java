package io.geored.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SyncStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "No association stays syncing beyond the sync that set it (final status owed to the peer)")
class OwedPeerStatusTest {

  private SyncScenario s;

  @BeforeEach
  void setUp() {
    s = new SyncScenario();
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  /** A group whose sync fails: one member has no rehome data. */
  private String failingGroup() {
    s.member("sc1");
    s.member("bad", DeployStatus.COMPLETE, null);
    return Messages.failedToSync(List.of("bad"), "pg1");
  }

  private void loseUpdateAssociation(int occurrence) {
    s.sites.network().to(s.b.system()).failCall("updateAssociation", occurrence);
  }

  private long updatesToB() {
    return s.sites.network().calls(s.a.system(), s.b.system(), "updateAssociation");
  }

  @Test
  @DisplayName(
      "outcome failed, its one call lost: B is left syncing, A owes it failed; the first retry"
          + " (10 s later) delivers it")
  void failedOutcomeLost() {
    String failure = failingGroup();
    loseUpdateAssociation(1);

    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();

    PeerGroupAssociation onA = s.onA(created.id());
    assertThat(onA.syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(onA.syncMessage()).isEqualTo(failure);
    assertThat(onA.owedPeerStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.SYNCING);
    s.sites.network().resetCalls();

    s.sites.advance(Duration.ofSeconds(10));

    PeerGroupAssociation onB = s.onB().orElseThrow();
    assertThat(onB.syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(onB.syncMessage()).isEqualTo(Messages.PRIMARY_SYNC_FAILED);
    PeerGroupAssociation after = s.onA(created.id());
    assertThat(after.syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(after.syncMessage()).isEqualTo(failure);
    assertThat(after.owedPeerStatus()).isNull();
    assertThat(updatesToB()).isEqualTo(1);

    // Paid: later retries and heartbeats make no further call about it.
    s.sites.network().resetCalls();
    s.sites.advance(Duration.ofMinutes(10));
    assertThat(updatesToB()).isZero();
    assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "listAssociations")).isZero();
  }

  @Test
  @DisplayName(
      "outcome in-sync, both its call and the fallback to failed lost: B is left syncing; the retry"
          + " leaves both failed, A saying why")
  void inSyncOutcomeLost() {
    s.member("sc1");
    loseUpdateAssociation(1);
    loseUpdateAssociation(2);

    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();

    String message = Messages.failedToUpdatePeerSyncStatus(s.b.uuid(), "in-sync");
    assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(s.onA(created.id()).syncMessage()).isEqualTo(message);
    assertThat(s.onA(created.id()).owedPeerStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.SYNCING);

    s.sites.advance(Duration.ofSeconds(10));

    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(s.onB().orElseThrow().syncMessage()).isEqualTo(Messages.PRIMARY_SYNC_FAILED);
    assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(s.onA(created.id()).syncMessage()).isEqualTo(message);
    assertThat(s.onA(created.id()).owedPeerStatus()).isNull();
  }

  @Test
  @DisplayName(
      "retries back off (10, 20, 40, 80, 160 s) and stop; the next successful heartbeat delivers"
          + " the status")
  void heartbeatRepairsAfterRetries() {
    failingGroup();
    loseUpdateAssociation(1);
    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();
    // The peer answers heartbeats but takes no status for a while.
    s.sites.network().link(s.a.system(), s.b.system()).failCalls("updateAssociation");
    s.sites.network().resetCalls();

    s.sites.advance(Duration.ofSeconds(10));
    assertThat(updatesToB()).isEqualTo(1);
    s.sites.advance(Duration.ofSeconds(19));
    assertThat(updatesToB()).isEqualTo(1);
    s.sites.advance(Duration.ofSeconds(1));
    assertThat(updatesToB()).isEqualTo(2);
    // Heartbeats from 60 s on try as well while the calls fail; the retries are spent at
    // 10 + 20 + 40 + 80 + 160 = 310 s.
    s.sites.advance(Duration.ofSeconds(290));
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.SYNCING);
    assertThat(s.onA(created.id()).owedPeerStatus()).isEqualTo(SyncStatus.FAILED);
    s.sites.network().link(s.a.system(), s.b.system()).clear();
    s.sites.network().resetCalls();

    s.sites.advance(Duration.ofSeconds(50));

    // The beat at 360 s delivered it; no retry was left.
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(s.onB().orElseThrow().syncMessage()).isEqualTo(Messages.PRIMARY_SYNC_FAILED);
    assertThat(s.onA(created.id()).owedPeerStatus()).isNull();
    assertThat(updatesToB()).isEqualTo(1);
  }

  @Test
  @DisplayName("the mark survives a restart of A; the restarted monitor's heartbeat delivers it")
  void markSurvivesRestart() {
    failingGroup();
    loseUpdateAssociation(1);
    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();
    s.sites.stop(s.a);
    s.sites.advance(Duration.ofMinutes(30));
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.SYNCING);

    s.sites.restart(s.a);

    assertThat(s.onA(created.id()).owedPeerStatus()).isEqualTo(SyncStatus.FAILED);
    s.sites.advance(Duration.ofSeconds(60));
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(s.onB().orElseThrow().syncMessage()).isEqualTo(Messages.PRIMARY_SYNC_FAILED);
    assertThat(s.onA(created.id()).owedPeerStatus()).isNull();
  }

  @Test
  @DisplayName(
      "a restart that ends a sync owes the peer failed: B's copy does not stay syncing either")
  void restartDuringSync() {
    s.member("sc1");
    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();
    // A stops in the middle of a sync: both copies syncing.
    setStatus(s.a, created.id(), SyncStatus.SYNCING);
    setStatus(s.b, s.onB().orElseThrow().id(), SyncStatus.SYNCING);

    s.sites.restart(s.a);

    PeerGroupAssociation onA = s.onA(created.id());
    assertThat(onA.syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(onA.syncMessage()).isEqualTo(Messages.SERVICE_RESTART_DURING_SYNCING);
    assertThat(onA.owedPeerStatus()).isEqualTo(SyncStatus.FAILED);
    s.sites.advance(Duration.ofSeconds(60));
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(s.onB().orElseThrow().syncMessage()).isEqualTo(Messages.PRIMARY_SYNC_FAILED);
    assertThat(s.onA(created.id()).owedPeerStatus()).isNull();
  }

  @Test
  @DisplayName("an audit the peer asks for delivers what is owed before it runs")
  void auditRepairs() {
    failingGroup();
    loseUpdateAssociation(1);
    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.SYNCING);

    s.a
        .api()
        .auditPeerGroup(
            Caller.PEER_SITE,
            "pg1",
            new AuditRequest(s.b.uuid(), "pg1", 2, "enabled", s.a.uuid(), s.a.name(), "none", 5));

    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(s.onA(created.id()).owedPeerStatus()).isNull();
  }

  @Test
  @DisplayName("a new sync that reaches the peer settles the debt itself")
  void newSyncSettles() {
    failingGroup();
    loseUpdateAssociation(1);
    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();
    s.a
        .stores()
        .subclouds()
        .findByRegionName("region-bad")
        .ifPresent(x -> s.a.stores().subclouds().delete(x.id()));

    s.a.api().syncAssociation(Caller.OPERATOR, created.id());
    s.sites.runUntilIdle();

    assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.onA(created.id()).owedPeerStatus()).isNull();
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    s.sites.network().resetCalls();
    s.sites.advance(Duration.ofSeconds(10));
    assertThat(updatesToB()).isZero();
  }

  @Test
  @DisplayName("with nothing owed, a heartbeat reads nothing of the peer's associations")
  void nothingOwedNoCalls() {
    s.member("sc1");
    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();
    assertThat(s.onA(created.id()).owedPeerStatus()).isNull();
    s.sites.network().resetCalls();

    s.sites.advance(Duration.ofSeconds(60));

    assertThat(s.sites.network().callsByKind(s.a.system(), s.b.system()))
        .containsOnlyKeys("listPeerGroups");
  }

  private static void setStatus(io.geored.testkit.sim.SimSite on, long id, SyncStatus status) {
    PeerGroupAssociation current = on.stores().associations().findById(id).orElseThrow();
    on.stores()
        .associations()
        .update(current.toBuilder().syncStatus(status).syncMessage(null).build());
  }
}
