package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.service.RestartRecovery;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.testkit.work.Gate;
import io.geored.testkit.work.RehomeScript;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A site restarted in the middle of a migration finishes it")
class MigrationRestartTest {

  private MigrationScenario s;
  private final Gate gate = new Gate();

  @BeforeEach
  void setUp() {
    s = new MigrationScenario(MigrationBatchTest.QUIET_AUDIT).withGroup(2, 3);
    s.rehomer(s.b).byDefault(RehomeScript.succeed().awaiting(gate));
    s.migrate(s.b);
    s.sites.runUntilIdle();
    assertThat(s.subcloud(s.b, "sc01").deployStatus()).isEqualTo(DeployStatus.REHOMING);
    assertThat(s.subcloud(s.b, "sc02").deployStatus()).isEqualTo(DeployStatus.REHOMING);
    assertThat(s.subcloud(s.b, "sc03").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    s.sites.network().resetCalls();
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  @Test
  @DisplayName(
      "no subcloud is left in a transitory state, the group is complete and led by the site, and"
          + " the peer is asked to audit it")
  void recoveryFinishesTheMigration() {
    SubcloudPeerGroup before = s.group(s.b);

    RestartRecovery.Report report = s.restart(s.b);

    assertThat(report).isEqualTo(new RestartRecovery.Report(2, 0, 1));
    assertThat(s.b.stores().subclouds().findAll())
        .allSatisfy(sc -> assertThat(sc.deployStatus().isTransitory()).isFalse());
    for (String name : List.of("sc01", "sc02")) {
      Subcloud sc = s.subcloud(s.b, name);
      assertThat(sc.deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(sc.errorDescription()).isEqualTo(MigrationTexts.NO_ERRORS);
    }
    assertThat(s.subcloud(s.b, "sc03").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    SubcloudPeerGroup after = s.group(s.b);
    assertThat(after.migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    assertThat(after.systemLeaderId()).isEqualTo(s.b.uuid());
    assertThat(after.systemLeaderName()).isEqualTo(s.b.name());
    assertThat(after.groupPriority()).isEqualTo(before.groupPriority());
    assertThat(s.calls(s.b, s.a, "auditPeerGroup")).isEqualTo(1);
    assertThat(s.auditRequests(s.a))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.peerUuid()).isEqualTo(s.b.uuid());
              assertThat(r.migrationStatus()).isEqualTo("complete");
              assertThat(r.systemLeaderId()).isEqualTo(s.b.uuid());
            });
  }

  @Test
  @DisplayName("the stopped engine's rehomes, ending later, change nothing")
  void leftoverWorkIsDropped() {
    s.restart(s.b);
    List<Subcloud> subclouds = s.b.stores().subclouds().findAll();
    List<SubcloudPeerGroup> groups = s.b.stores().peerGroups().findAll();

    gate.open();
    s.sites.advance(Duration.ofMinutes(30));

    assertThat(s.b.stores().subclouds().findAll()).isEqualTo(subclouds);
    assertThat(s.b.stores().peerGroups().findAll()).isEqualTo(groups);
    assertThat(s.rehomer(s.b).totalCalls()).isEqualTo(2);
  }

  @Test
  @DisplayName("after the restart the group can be migrated again, and this time it succeeds")
  void migrateAgain() {
    s.restart(s.b);
    gate.open();

    List<Subcloud> answer = s.migrate(s.b);
    s.sites.runUntilIdle();

    assertThat(answer).extracting(Subcloud::name).containsExactly("sc01", "sc02", "sc03");
    assertThat(s.b.stores().subclouds().findAll())
        .extracting(Subcloud::deployStatus)
        .containsOnly(DeployStatus.COMPLETE);
    assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
  }
}
