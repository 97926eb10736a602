package io.geored.core.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.witness.Epoch;
import io.geored.spi.work.FailoverDecision;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Automatic takeover under heartbeat failure policies rehome and delegate: the lease free for the
 * maintenance timeout (600 s by default), timed from when the site first saw it free.
 */
class TakeoverTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(600);

  /** A dies; its lease lapses 60 s later at the most; B sees it free from its next tick. */
  private static WitnessScenario aDies(HeartbeatFailurePolicy policy) {
    WitnessScenario s = new WitnessScenario(2).withGroup(policy, "sc01", "sc02");
    s.advance(Duration.ofSeconds(10));
    s.sites.stop(s.a);
    return s;
  }

  @Test
  void rehomeTakesTheGroupOverAfterTheMaintenanceTimeoutButNotBefore() {
    try (WitnessScenario s = aDies(HeartbeatFailurePolicy.REHOME)) {
      // The lease lapses within the TTL; B first sees it free then, and waits the timeout.
      s.advance(Duration.ofSeconds(70));
      s.advance(TIMEOUT.minusSeconds(20));
      assertThat(s.b.engine().leaseOf("pg1")).isEmpty();
      assertThat(s.subcloud(s.b, "sc01").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      s.advance(Duration.ofMinutes(5));
      assertThat(s.b.engine().leaseOf("pg1").orElseThrow().epoch())
          .isEqualTo(new Epoch(2, s.b.uuid()));
      assertThat(s.management(s.b, "sc01")).isEqualTo(ManagementState.MANAGED);
      assertThat(s.management(s.b, "sc02")).isEqualTo(ManagementState.MANAGED);
      assertThat(s.group(s.b).systemLeaderId()).isEqualTo(s.b.uuid());
      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    }
  }

  @Test
  void withoutASysadminPasswordNothingStarts() {
    try (WitnessScenario s = aDies(HeartbeatFailurePolicy.REHOME)) {
      s.passwordKnown.set(false);
      s.advance(Duration.ofMinutes(20));
      assertThat(s.b.engine().leaseOf("pg1")).isEmpty();
      assertThat(s.subcloud(s.b, "sc01").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    }
  }

  @Test
  void delegateDoesWhatTheDeciderAnswers() {
    try (WitnessScenario s = aDies(HeartbeatFailurePolicy.DELEGATE)) {
      s.decision.set(FailoverDecision.WAIT);
      s.advance(Duration.ofMinutes(20));
      assertThat(s.b.engine().leaseOf("pg1")).isEmpty();
      s.decision.set(FailoverDecision.ALARM_ONLY);
      s.advance(Duration.ofMinutes(5));
      assertThat(s.b.engine().leaseOf("pg1")).isEmpty();
      assertThat(s.subcloud(s.b, "sc01").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      s.decision.set(FailoverDecision.MIGRATE_NOW);
      s.advance(Duration.ofMinutes(5));
      assertThat(s.b.engine().leaseOf("pg1")).isPresent();
      assertThat(s.management(s.b, "sc01")).isEqualTo(ManagementState.MANAGED);
    }
  }

  @Test
  void alarmPolicyNeverTakesOver() {
    try (WitnessScenario s = aDies(HeartbeatFailurePolicy.ALARM)) {
      s.advance(Duration.ofMinutes(30));
      assertThat(s.b.engine().leaseOf("pg1")).isEmpty();
      assertThat(s.subcloud(s.b, "sc01").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    }
  }

  @Test
  void aGroupNeverLedUnderTheWitnessIsNeverTakenOver() {
    try (WitnessScenario s = new WitnessScenario(2)) {
      // B holds a copy of a group led by a site that never registers (a StarlingX site).
      SubcloudPeerGroup copy =
          s.b
              .stores()
              .peerGroups()
              .insert(
                  SubcloudPeerGroup.builder()
                      .peerGroupName("pg9")
                      .groupPriority(1)
                      .groupState(GroupState.ENABLED)
                      .maxSubcloudRehoming(5)
                      .systemLeaderId(s.a.uuid())
                      .systemLeaderName("site-a")
                      .migrationStatus(MigrationStatus.NONE)
                      .createdAt(s.sites.now())
                      .build())
              .orElseThrow(r -> new IllegalStateException(r.toString()));
      s.b
          .stores()
          .associations()
          .insert(
              io.geored.spi.model.PeerGroupAssociation.builder()
                  .peerGroupId(copy.id())
                  .systemPeerId(WitnessScenario.peerOn(s.b, s.a).id())
                  .peerGroupPriority(1)
                  .associationType(io.geored.spi.model.AssociationType.NON_PRIMARY)
                  .syncStatus(io.geored.spi.model.SyncStatus.IN_SYNC)
                  .createdAt(s.sites.now())
                  .build());
      java.util.Map<String, Object> payload = new java.util.LinkedHashMap<>();
      payload.put("name", "sc91");
      payload.put("bootstrap-address", "10.20.0.91");
      payload.put("systemcontroller_gateway_address", s.b.gatewayAddress());
      payload.put("admin_password", "TGk2OW51eCo=");
      s.b
          .stores()
          .subclouds()
          .insert(
              io.geored.spi.model.Subcloud.builder()
                  .name("sc91")
                  .regionName("region-sc91")
                  .description("edge sc91")
                  .location("rack sc91")
                  .softwareVersion("24.09")
                  .managementState(ManagementState.UNMANAGED)
                  .availabilityStatus(io.geored.spi.model.AvailabilityStatus.OFFLINE)
                  .deployStatus(DeployStatus.SECONDARY)
                  .peerGroupId(copy.id())
                  .rehomeData(io.geored.spi.model.RehomeData.ofSavedPayload(payload))
                  .createdAt(s.sites.now())
                  .build())
          .orElseThrow(r -> new IllegalStateException(r.toString()));
      s.b
          .stores()
          .systemPeers()
          .update(
              WitnessScenario.peerOn(s.b, s.a).toBuilder()
                  .heartbeatFailurePolicy(HeartbeatFailurePolicy.REHOME)
                  .build());
      s.sites.stop(s.a);
      s.advance(Duration.ofMinutes(30));
      assertThat(
              s.sites
                  .witness()
                  .client("observer", s.scheduler.virtualClock().ticker())
                  .latestEpoch("pg9"))
          .isEmpty();
      assertThat(s.b.engine().leaseOf("pg9")).isEmpty();
      assertThat(s.subcloud(s.b, "sc91").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(
              s.sites
                  .witness()
                  .client("observer", s.scheduler.virtualClock().ticker())
                  .candidates("pg9"))
          .extracting(c -> c.site())
          .containsExactly(s.b.uuid());
      assertThat(s.b.stores().peerGroups().findByName("pg9").orElseThrow().systemLeaderId())
          .isEqualTo(s.a.uuid());
    }
  }
}
