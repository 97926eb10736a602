package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.service.RestartRecovery;
import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.Stores;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.work.Gate;
import io.geored.testkit.work.RehomeScript;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "Migrating a priority-0 group back clears alarm 280.005 of that group; a non-primary group"
        + " keeps it")
class MigrationBackTest {

  private static final String ALARM = "280.005";

  private MigrationScenario s;
  private String pg1OfB;
  private String pg1OfC;
  private String pg10OfB;

  @BeforeEach
  void setUp() {
    s = new MigrationScenario(MigrationBatchTest.QUIET_AUDIT).withGroup(10, 2);
    // As B's migration and A's audit leave it: B manages the subclouds and leads pg1 on both sites.
    for (String name : List.of("sc01", "sc02")) {
      hand(s.a.stores(), name, DeployStatus.SECONDARY, ManagementState.UNMANAGED);
      hand(s.b.stores(), name, DeployStatus.COMPLETE, ManagementState.MANAGED);
    }
    for (SimSite site : List.of(s.a, s.b)) {
      SubcloudPeerGroup pg1 = s.group(site);
      site.stores()
          .peerGroups()
          .update(pg1.toBuilder().systemLeaderId(s.b.uuid()).systemLeaderName(s.b.name()).build());
    }
    pg1OfB = "peer_group=pg1,peer=" + s.b.uuid();
    pg1OfC = "peer_group=pg1,peer=" + SimHarness.SITE_C.uuid();
    pg10OfB = "peer_group=pg10,peer=" + s.b.uuid();
    for (SimSite site : List.of(s.a, s.b)) {
      for (String entity : List.of(pg1OfB, pg1OfC, pg10OfB)) {
        site.alarms().raise(lowerPriority(entity));
      }
    }
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  private static void hand(Stores stores, String name, DeployStatus status, ManagementState state) {
    Subcloud subcloud = stores.subclouds().findByName(name).orElseThrow();
    stores
        .subclouds()
        .update(
            subcloud.toBuilder()
                .deployStatus(status)
                .managementState(state)
                .availabilityStatus(
                    state == ManagementState.MANAGED
                        ? AvailabilityStatus.ONLINE
                        : AvailabilityStatus.OFFLINE)
                .build());
  }

  private Alarm lowerPriority(String entity) {
    return new Alarm(
        ALARM,
        "subcloud_peer_group",
        entity,
        AlarmSeverity.MAJOR,
        "managed by remote system with a lower priority",
        "migrate it back",
        false,
        s.now());
  }

  private List<String> raised(SimSite site) {
    return site.alarms(RecordingAlarms.class).raised(ALARM).stream()
        .map(Alarm::entityInstance)
        .toList();
  }

  @Test
  @DisplayName(
      "A takes pg1 back from B: B's copies are handed over, A manages the subclouds and leads the"
          + " group, and pg1's 280.005 alarms are cleared, another group's kept")
  void primaryMigratesBack() {
    s.migrate(s.a);
    s.sites.runUntilIdle();

    for (String name : List.of("sc01", "sc02")) {
      Subcloud onA = s.subcloud(s.a, name);
      assertThat(onA.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
      assertThat(onA.managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(onA.availabilityStatus()).isEqualTo(AvailabilityStatus.ONLINE);
      assertThat(onA.rehomed()).isTrue();
      Subcloud onB = s.subcloud(s.b, name);
      assertThat(onB.deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
      assertThat(onB.managementState()).isEqualTo(ManagementState.UNMANAGED);
    }
    SubcloudPeerGroup pg1 = s.group(s.a);
    assertThat(pg1.groupPriority()).isZero();
    assertThat(pg1.systemLeaderId()).isEqualTo(s.a.uuid());
    assertThat(pg1.systemLeaderName()).isEqualTo(s.a.name());
    assertThat(pg1.migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    assertThat(raised(s.a)).containsExactly(pg10OfB);
    assertThat(s.auditRequests(s.b))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.peerUuid()).isEqualTo(s.a.uuid());
              assertThat(r.groupPriority()).isZero();
              assertThat(r.systemLeaderId()).isEqualTo(s.a.uuid());
              assertThat(r.migrationStatus()).isEqualTo("complete");
            });
  }

  @Test
  @DisplayName("a fault manager that fails does not keep the migration from ending")
  void failingFaultManager() {
    s.a.alarms(RecordingAlarms.class).failEveryCall(true);

    s.migrate(s.a);
    s.sites.runUntilIdle();

    assertThat(s.group(s.a).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    assertThat(s.group(s.a).systemLeaderId()).isEqualTo(s.a.uuid());
    assertThat(s.a.alarms(RecordingAlarms.class).failedCalls()).isPositive();
    assertThat(s.auditRequests(s.b)).hasSize(1);
  }

  @Test
  @DisplayName("B migrating its non-primary pg1 keeps B's 280.005 alarms")
  void nonPrimaryKeepsAlarm() {
    // B hands the subclouds back to itself: its copies must be waiting for migration again.
    for (String name : List.of("sc01", "sc02")) {
      hand(s.b.stores(), name, DeployStatus.REHOME_FAILED, ManagementState.UNMANAGED);
    }

    s.migrate(s.b);
    s.sites.runUntilIdle();

    assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    assertThat(raised(s.b)).containsExactlyInAnyOrder(pg1OfB, pg1OfC, pg10OfB);
  }

  @Test
  @DisplayName(
      "a restart in the middle of A's migration back closes it and still clears pg1's alarms and"
          + " asks B to audit")
  void restartClearsToo() {
    Gate gate = new Gate();
    s.rehomer(s.a).byDefault(RehomeScript.succeed().awaiting(gate));
    s.migrate(s.a);
    s.sites.runUntilIdle();
    assertThat(raised(s.a)).containsExactlyInAnyOrder(pg1OfB, pg1OfC, pg10OfB);

    RestartRecovery.Report report = s.restart(s.a);

    assertThat(report).isEqualTo(new RestartRecovery.Report(2, 0, 1));
    assertThat(raised(s.a)).containsExactly(pg10OfB);
    assertThat(s.group(s.a).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    assertThat(s.group(s.a).systemLeaderId()).isEqualTo(s.a.uuid());
    assertThat(s.auditRequests(s.b)).hasSize(1);
  }
}
