package io.geored.core.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.testkit.work.Gate;
import io.geored.testkit.work.RehomeScript;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * With a witness, what a peer's copy of a group says is weighed against the witness: a copy that
 * says it migrates or leads while the witness shows another tenure is stale, and members left
 * rehome-pending by a migration that has ended are settled (seeds 62, 98, 198 and 31 of the
 * simulation, docs/simulation.md); a migration that lost the lease writes nothing more to its peers
 * (seeds 5848, 12998, 18424).
 */
class AuditDefersToWitnessTest {

  /** B's copy of pg1 as B would send it in an audit request, with the given state. */
  private static AuditRequest fromB(
      WitnessScenario s, MigrationStatus status, String leaderId, String leaderName) {
    SubcloudPeerGroup onB = s.group(s.b);
    return AuditRequest.builder()
        .peerUuid(s.b.uuid())
        .peerGroupName(onB.peerGroupName())
        .groupPriority(onB.groupPriority())
        .groupState(onB.groupState().wire())
        .systemLeaderId(leaderId)
        .systemLeaderName(leaderName)
        .migrationStatus(status.wire())
        .maxSubcloudRehoming(onB.maxSubcloudRehoming())
        .build();
  }

  @Test
  void aPeerCopySayingMigratingIsNotHandedOverWhileThisSiteHoldsTheLease() {
    // Seed 62: site-b's migration stopped when it lost the lease (its copy still said migrating
    // while it stood paused); site-a took the lease back, and its audit then handed every member
    // over to that migration: rehome-pending on site-a for good.
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01", "sc02")) {
      s.advance(Duration.ofSeconds(10));
      assertThat(s.a.engine().leaseOf("pg1")).isPresent();

      AuditAnswer answer =
          s.a
              .api()
              .auditPeerGroup(
                  Caller.PEER_SITE,
                  "pg1",
                  fromB(s, MigrationStatus.MIGRATING, s.a.uuid(), s.a.name()));

      assertThat(answer.message()).isNull();
      for (String name : new String[] {"sc01", "sc02"}) {
        assertThat(s.subcloud(s.a, name).deployStatus()).isEqualTo(DeployStatus.COMPLETE);
        assertThat(s.management(s.a, name)).isEqualTo(ManagementState.MANAGED);
      }
      assertThat(s.a.engine().leaseOf("pg1")).isPresent();
    }
  }

  @Test
  void aPeerCopyClaimingToLeadIsNotCopiedWhenTheWitnessNewestTenureIsAnotherSites() {
    // Seeds 98 and 198: a site that had followed the newest tenure (a third site's) copied by its
    // audit a peer's older claim to lead, and named that peer for good.
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01")) {
      s.advance(Duration.ofSeconds(10));
      long epoch = s.a.engine().leaseOf("pg1").orElseThrow().epoch().counter();
      // Site-a loses the witness: it fences itself and its tenure lapses; nobody holds the lease.
      s.sites.witness().cutOff(s.a.uuid());
      s.advance(Duration.ofSeconds(90));
      assertThat(s.a.engine().leaseOf("pg1")).isEmpty();
      assertThat(s.sites.witness().client("test", () -> 0L).latestEpoch("pg1").orElseThrow())
          .satisfies(e -> assertThat(e.site()).isEqualTo(s.a.uuid()))
          .satisfies(e -> assertThat(e.counter()).isEqualTo(epoch));
      // Reachable again, not yet holding the lease (its next tick takes it): site-b's copy names
      // site-b the leader, a claim no tenure at the witness backs.
      s.sites.witness().reconnect(s.a.uuid());

      s.a
          .api()
          .auditPeerGroup(
              Caller.PEER_SITE, "pg1", fromB(s, MigrationStatus.COMPLETE, s.b.uuid(), s.b.name()));

      assertThat(s.group(s.a).systemLeaderId()).isEqualTo(s.a.uuid());
    }
  }

  @Test
  void membersLeftRehomePendingBecomeRehomeFailedOnceTheLeaderIsNotMigrating() {
    // Seed 31: site-b, leading, migrated again and handed sc01 over to site-a, lost the lease
    // while paused (its batch stopped, the migration closed without a new leader) and took the
    // same tenure again. Site-a's sc01 stayed rehome-pending: no migration was taking it over,
    // and no audit would settle it (site-b's migration never completed).
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01", "sc02")) {
      s.migrate(s.b);
      s.advance(Duration.ofMinutes(2));
      assertThat(s.b.engine().leaseOf("pg1")).isPresent();
      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.NONE);
      assertThat(s.subcloud(s.a, "sc01").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      // The state that stopped migration left on site-a.
      Subcloud pending =
          s.subcloud(s.a, "sc01").toBuilder()
              .managementState(ManagementState.UNMANAGED)
              .deployStatus(DeployStatus.REHOME_PENDING)
              .build();
      s.a.stores().subclouds().update(pending);

      s.advance(Duration.ofSeconds(20));

      Subcloud after = s.subcloud(s.a, "sc01");
      assertThat(after.deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(after.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(after.errorDescription())
          .isEqualTo(
              "Subcloud sc01 was not taken over by the migration of peer group pg1 on peer site "
                  + WitnessScenario.peerOn(s.a, s.b).peerName()
                  + "; migrate the peer group to rehome it");
      assertThat(s.subcloud(s.a, "sc02").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    }
  }

  @Test
  void membersRehomePendingAreLeftAloneWhileTheLeaderMigrates() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01")) {
      Gate never = new Gate();
      s.rehomers.get(s.b.uuid()).byDefault(RehomeScript.succeed().awaiting(never));
      s.migrate(s.b);
      s.advance(Duration.ofSeconds(40));

      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.MIGRATING);
      assertThat(s.subcloud(s.a, "sc01").deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
    }
  }

  @Test
  void aHandOverRetryAfterTheLeaseLapsedWritesNothingToThePeer() {
    // Seeds 5848, 12998 and 18424: site-b's migration could not reach site-a for sc01 and
    // scheduled a retry, then stood paused past its lease; site-a took the lease back (epoch 3).
    // When site-b resumed, the retry ran before anything fenced it and wrote sc01 rehome-pending
    // on site-a with no leader epoch (site-b held no lease, so none was sent and none could be
    // refused): rehome-pending on site-a, under site-a's own lease, for good.
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01", "sc02")) {
      s.advance(Duration.ofSeconds(10));
      s.sites.network().link(s.b.system(), s.a.system()).failCalls("getSubcloud");
      s.migrate(s.b);
      s.sites.runUntilIdle();
      long bEpoch = s.b.engine().leaseOf("pg1").orElseThrow().epoch().counter();
      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.MIGRATING);
      s.sites.pause(s.b);

      s.advance(Duration.ofMinutes(3));
      assertThat(s.a.engine().leaseOf("pg1").orElseThrow().epoch().counter()).isEqualTo(bEpoch + 1);
      s.sites.network().healAll();
      s.sites.resume(s.b);
      s.sites.runUntilIdle();
      s.advance(Duration.ofMinutes(1));

      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.NONE);
      for (String name : new String[] {"sc01", "sc02"}) {
        Subcloud onA = s.subcloud(s.a, name);
        assertThat(onA.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
        assertThat(onA.managementState()).isEqualTo(ManagementState.UNMANAGED);
        assertThat(onA.handedOverTo()).isNull();
        assertThat(s.subcloud(s.b, name).deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      }
      assertThat(s.a.engine().leaseOf("pg1")).isPresent();
    }
  }
}
