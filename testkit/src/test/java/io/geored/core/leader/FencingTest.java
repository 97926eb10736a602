package io.geored.core.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ConflictException;
import io.geored.spi.ForbiddenException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.witness.FencedGroup;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.work.Gate;
import io.geored.testkit.work.RehomeScript;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fencing a running batch, the hand-over call's refusals, candidates withdrawn, no witness. */
class FencingTest {

  @Test
  void fencingStopsTheRunningBatchAndCancelsTheRehomeInFlight() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01", "sc02")) {
      Gate never = new Gate();
      s.rehomers.get(s.b.uuid()).byDefault(RehomeScript.succeed().awaiting(never));
      s.migrate(s.b);
      s.sites.runUntilIdle();
      assertThat(s.subcloud(s.b, "sc01").deployStatus()).isEqualTo(DeployStatus.REHOMING);
      s.sites.witness().cutOff(s.b.uuid());
      s.advance(Duration.ofSeconds(45));
      for (String name : List.of("sc01", "sc02")) {
        assertThat(s.subcloud(s.b, name).deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
        assertThat(s.subcloud(s.b, name).errorDescription())
            .isEqualTo(
                "Rehome of subcloud " + name + " cancelled: this site lost the group's lease.");
        assertThat(s.management(s.b, name)).isEqualTo(ManagementState.UNMANAGED);
      }
      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.NONE);
      assertThat(s.group(s.b).systemLeaderId()).isEqualTo(s.a.uuid());
      assertThat(s.b.engine().leaseOf("pg1")).isEmpty();
      // The rehome answering late changes nothing.
      never.open();
      s.advance(Duration.ofMinutes(2));
      assertThat(s.subcloud(s.b, "sc01").deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(s.management(s.b, "sc01")).isEqualTo(ManagementState.UNMANAGED);
    }
  }

  @Test
  void aFencedMigrationThatRehomedMembersLeadsAgainWhenNoSiteTookTheLeaseSince() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01", "sc02")) {
      Gate never = new Gate();
      s.rehomers
          .get(s.b.uuid())
          .script("sc01", RehomeScript.succeed())
          .script("sc02", RehomeScript.succeed().awaiting(never));
      s.migrate(s.b);
      s.advance(Duration.ofSeconds(30));
      assertThat(s.management(s.b, "sc01")).isEqualTo(ManagementState.MANAGED);
      assertThat(s.subcloud(s.b, "sc02").deployStatus()).isEqualTo(DeployStatus.REHOMING);

      // B stands paused past its lease's deadline with its batch unfinished; nobody takes the
      // lease.
      s.sites.pause(s.b);
      s.advance(Duration.ofMinutes(2));
      s.sites.resume(s.b);
      s.advance(Duration.ofMinutes(1));

      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.NONE);
      assertThat(s.group(s.b).systemLeaderId()).isEqualTo(s.b.uuid());
      assertThat(s.group(s.a).systemLeaderId()).isEqualTo(s.b.uuid());
      assertThat(s.b.engine().leaseOf("pg1")).isPresent();
      assertThat(s.management(s.b, "sc01")).isEqualTo(ManagementState.MANAGED);
      assertThat(s.subcloud(s.b, "sc02").deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.UNMANAGED);
      assertThat(s.fencedAlarm(s.b)).isFalse();
    }
  }

  @Test
  void aStateListenerThatRefusesCannotKeepAFencedMemberManaged() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01")) {
      s.listenerRefuses.set(true);
      s.sites.witness().cutOff(s.a.uuid());
      s.advance(Duration.ofSeconds(45));
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.UNMANAGED);
      assertThat(s.sites.leadership(s.a).fenced("pg1"))
          .contains(new FencedGroup("pg1", 1, List.of("sc01")));
      s.advance(Duration.ofMinutes(2));
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.UNMANAGED);
    }
  }

  @Test
  void theHandOverCallIsRefusedWithoutTheLeaseAndOutsideThePeersAssociations() {
    try (WitnessScenario s =
        new WitnessScenario(3).withGroup(HeartbeatFailurePolicy.ALARM, "sc01")) {
      // B does not hold pg1's lease.
      assertThatThrownBy(() -> s.b.api().handOverPeerGroup(Caller.peerSite(s.a.uuid()), "pg1"))
          .isInstanceOf(ConflictException.class)
          .hasMessage(Messages.peerGroupNotLedHere("pg1"));
      // A group no association with C covers.
      s.a
          .api()
          .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg2").build());
      assertThatThrownBy(() -> s.a.api().handOverPeerGroup(Caller.peerSite(s.c.uuid()), "pg2"))
          .isInstanceOf(ForbiddenException.class)
          .hasMessage(Messages.PEER_REQUEST_FORBIDDEN);
      assertThat(s.a.engine().leaseOf("pg1")).isPresent();
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.MANAGED);
      // C's association covers pg1: A hands it over, fenced without an alarm, lease released.
      s.a.api().handOverPeerGroup(Caller.peerSite(s.c.uuid()), "pg1");
      assertThat(s.a.engine().leaseOf("pg1")).isEmpty();
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.UNMANAGED);
      assertThat(s.sites.leadership(s.a).fenced("pg1"))
          .contains(new FencedGroup("pg1", 1, List.of("sc01")));
      assertThat(s.fencedAlarm(s.a)).isFalse();
      assertThat(
              s.sites
                  .witness()
                  .client("observer", s.scheduler.virtualClock().ticker())
                  .holder("pg1"))
          .isEmpty();
    }
  }

  @Test
  void aSiteWithdrawsItsCandidacyWhenItsCopyIsDeleted() {
    try (WitnessScenario s = new WitnessScenario(2)) {
      s.b
          .api()
          .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg7").build());
      s.advance(Duration.ofSeconds(10));
      var observer = s.sites.witness().client("observer", s.scheduler.virtualClock().ticker());
      assertThat(observer.candidates("pg7")).extracting(c -> c.site()).containsExactly(s.b.uuid());
      s.b.api().deletePeerGroup(Caller.OPERATOR, "pg7");
      s.advance(Duration.ofSeconds(10));
      assertThat(observer.candidates("pg7")).isEmpty();
    }
  }

  @Test
  void aSiteWithoutAWitnessIgnoresTheLeaderEpoch() {
    try (SimHarness sites = SimHarness.twoSites()) {
      sites.pair(sites.a(), sites.b());
      sites.start();
      sites
          .b()
          .api()
          .createPeerGroup(
              Caller.OPERATOR,
              PeerGroupCreate.builder().peerGroupName("pg1").groupPriority(1).build());
      sites
          .b()
          .api()
          .updatePeerGroup(
              Caller.PEER_SITE.withLeaderEpoch(1),
              "pg1",
              PeerGroupUpdate.builder().maxSubcloudRehoming(7).build());
      assertThat(
              sites.b().stores().peerGroups().findByName("pg1").orElseThrow().maxSubcloudRehoming())
          .isEqualTo(7);
      assertThat(sites.a().engine().leaseOf("pg1")).isEmpty();
      assertThat(sites.a().engine().pastLeaseDeadline("pg1")).isFalse();
    }
  }
}
