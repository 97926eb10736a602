package io.geored.core.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ConflictException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.witness.Epoch;
import io.geored.spi.witness.FencedGroup;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessLease;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The witness rules between two sites (docs/adr/0027), in virtual time. */
class LeadershipTest {

  private static Witness observer(WitnessScenario s) {
    return s.sites.witness().client("observer", s.scheduler.virtualClock().ticker());
  }

  private static long now(WitnessScenario s) {
    return s.scheduler.virtualClock().ticker().nanos();
  }

  @Test
  void theLeaderHoldsTheLeaseAndOnlyTheLeaseHolderMayManage() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01")) {
      Optional<WitnessLease> lease = s.a.engine().leaseOf("pg1");
      assertThat(lease).isPresent();
      assertThat(lease.get().epoch()).isEqualTo(new Epoch(1, s.a.uuid()));
      assertThat(s.b.engine().leaseOf("pg1")).isEmpty();
      assertThat(s.sites.leadership(s.a).highestEpoch("pg1")).isEqualTo(1);
      // B's copy is not led there: managing it needs the lease.
      assertThatThrownBy(
              () ->
                  s.b
                      .api()
                      .updateSubcloud(
                          Caller.OPERATOR,
                          "sc01",
                          SubcloudUpdate.builder().managementState("managed").build()))
          .isInstanceOf(ConflictException.class)
          .hasMessage(Messages.peerGroupNotLedHere("pg1"));
      assertThat(s.management(s.b, "sc01")).isEqualTo(ManagementState.UNMANAGED);
      // Candidates: A (primary) 0, B its copy's priority 1, registered at the next tick.
      s.advance(Duration.ofSeconds(10));
      assertThat(observer(s).candidates("pg1"))
          .extracting(c -> c.site() + "/" + c.priority())
          .containsExactly(s.a.uuid() + "/0", s.b.uuid() + "/1");
    }
  }

  @Test
  void anOperatorMigrationAsksTheReachableLeaderToHandOverAndTheEpochGrows() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01", "sc02")) {
      s.migrate(s.b);
      s.sites.runUntilIdle();
      s.advance(Duration.ofMinutes(2));
      assertThat(s.b.engine().leaseOf("pg1").orElseThrow().epoch())
          .isEqualTo(new Epoch(2, s.b.uuid()));
      assertThat(s.a.engine().leaseOf("pg1")).isEmpty();
      assertThat(s.management(s.b, "sc01")).isEqualTo(ManagementState.MANAGED);
      assertThat(s.management(s.b, "sc02")).isEqualTo(ManagementState.MANAGED);
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.UNMANAGED);
      assertThat(s.group(s.b).systemLeaderId()).isEqualTo(s.b.uuid());
      // A saw B's epoch on B's writes; a hand-over raises no alarm.
      assertThat(s.sites.leadership(s.a).highestEpoch("pg1")).isEqualTo(2);
      assertThat(s.sites.leadership(s.b).highestEpoch("pg1")).isEqualTo(2);
      assertThat(s.fencedAlarm(s.a)).isFalse();
      assertThat(s.a.engine().pastLeaseDeadline("pg1")).isFalse();
    }
  }

  @Test
  void aMigrationIsRefusedWhenTheLeaderCannotBeAsked() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01")) {
      s.sites.network().partition(s.b.system(), s.a.system());
      assertThatThrownBy(() -> s.migrate(s.b))
          .isInstanceOf(ConflictException.class)
          .hasMessage(
              "Subcloud peer group pg1 is led by site-a (epoch 1) and cannot be handed over now.");
      WitnessScenario.setAvailability(s.b, s.a, PeerAvailability.UNAVAILABLE);
      assertThatThrownBy(() -> s.migrate(s.b))
          .isInstanceOf(ConflictException.class)
          .hasMessage(Messages.peerGroupLedElsewhere("pg1", "site-a", 1));
      assertThat(s.group(s.b).migrationStatus().wire()).isEqualTo("none");
      assertThat(s.subcloud(s.b, "sc01").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(s.a.engine().leaseOf("pg1")).isPresent();
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.MANAGED);
    }
  }

  @Test
  void aMigrationIsRefusedWhenTheWitnessCannotBeReached() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01")) {
      s.sites.witness().cutOff(s.b.uuid());
      assertThatThrownBy(() -> s.migrate(s.b))
          .isInstanceOf(ConflictException.class)
          .hasMessage(
              "The witness cannot be reached; subcloud peer group pg1 cannot be migrated now.");
      assertThat(s.group(s.b).migrationStatus().wire()).isEqualTo("none");
    }
  }

  @Test
  void aPeerWriteWithAStaleEpochIsRefusedAndChangesNothing() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01")) {
      s.sites.leadership(s.b).raiseEpoch("pg1", 5);
      Caller stale = Caller.peerSite(s.a.uuid()).withLeaderEpoch(3);
      assertThatThrownBy(
              () ->
                  s.b
                      .api()
                      .updatePeerGroup(
                          stale, "pg1", PeerGroupUpdate.builder().maxSubcloudRehoming(9).build()))
          .isInstanceOf(ConflictException.class)
          .hasMessage("Stale leader epoch 3 for subcloud peer group pg1.");
      assertThat(s.group(s.b).maxSubcloudRehoming()).isEqualTo(5);
      Caller newer = Caller.peerSite(s.a.uuid()).withLeaderEpoch(7);
      s.b
          .api()
          .updatePeerGroup(newer, "pg1", PeerGroupUpdate.builder().maxSubcloudRehoming(9).build());
      assertThat(s.group(s.b).maxSubcloudRehoming()).isEqualTo(9);
      assertThat(s.sites.leadership(s.b).highestEpoch("pg1")).isEqualTo(7);
    }
  }

  @Test
  void aLeaderCutOffFromTheWitnessFencesItselfBeforeAnotherSiteCanTakeTheLease() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01", "sc02")) {
      WitnessLease last = s.a.engine().leaseOf("pg1").orElseThrow();
      s.sites.witness().cutOff(s.a.uuid());
      long sent = last.sentNanos();
      long fenceAt = sent + Duration.ofSeconds(30).toNanos(); // deadline (T - M = 45 s) - F (15 s)
      long deadline = last.deadlineNanos(Duration.ofSeconds(15));
      long fencedAt = -1;
      while (now(s) < sent + Duration.ofSeconds(70).toNanos()) {
        s.advance(Duration.ofSeconds(1));
        if (fencedAt < 0 && s.management(s.a, "sc01") == ManagementState.UNMANAGED) {
          fencedAt = now(s);
          // Nobody else may hold the lease yet.
          assertThat(observer(s).holder("pg1")).contains(new Epoch(1, s.a.uuid()));
        }
      }
      assertThat(fencedAt).isEqualTo(fenceAt);
      assertThat(fencedAt).isLessThan(deadline);
      assertThat(s.management(s.a, "sc02")).isEqualTo(ManagementState.UNMANAGED);
      assertThat(s.sites.leadership(s.a).fenced("pg1"))
          .contains(new FencedGroup("pg1", 1, List.of("sc01", "sc02")));
      assertThat(s.fencedAlarm(s.a)).isTrue();
      assertThat(s.a.engine().pastLeaseDeadline("pg1")).isTrue();
      assertThat(s.a.engine().leaseOf("pg1")).isEmpty();
      // The lease lapses at the witness only after the TTL: free now, B could take it.
      assertThat(observer(s).holder("pg1")).isEmpty();
      // Managing a member needs the lease, even with force.
      assertThatThrownBy(
              () ->
                  s.a
                      .api()
                      .updateSubcloud(
                          Caller.OPERATOR,
                          "sc01",
                          SubcloudUpdate.builder().managementState("managed").force(true).build()))
          .isInstanceOf(ConflictException.class)
          .hasMessage("Subcloud peer group pg1 is not led by this site.");
    }
  }

  @Test
  void aFencedLeaderThatTakesTheLeaseAgainManagesWhatItFenced() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01")) {
      s.sites.witness().cutOff(s.a.uuid());
      s.advance(Duration.ofSeconds(90));
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.UNMANAGED);
      s.sites.witness().reconnect(s.a.uuid());
      s.advance(Duration.ofSeconds(10));
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.MANAGED);
      assertThat(s.a.engine().leaseOf("pg1").orElseThrow().epoch())
          .isEqualTo(new Epoch(2, s.a.uuid()));
      assertThat(s.sites.leadership(s.a).fenced("pg1")).isEmpty();
      assertThat(s.fencedAlarm(s.a)).isFalse();
    }
  }

  @Test
  void atStartASiteIsFencedUntilItHoldsTheLease() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01")) {
      s.sites.witness().cutOff(s.a.uuid());
      s.sites.restart(s.a);
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.UNMANAGED);
      assertThat(s.sites.leadership(s.a).fenced("pg1"))
          .contains(new FencedGroup("pg1", 0, List.of("sc01")));
      s.advance(Duration.ofMinutes(3));
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.UNMANAGED);
      assertThat(s.fencedAlarm(s.a)).isTrue();
      s.sites.witness().reconnect(s.a.uuid());
      s.advance(Duration.ofSeconds(10));
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.MANAGED);
      assertThat(s.fencedAlarm(s.a)).isFalse();
    }
  }
}
