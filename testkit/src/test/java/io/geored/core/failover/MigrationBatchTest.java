package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.GeoredSettings;
import io.geored.spi.ConflictException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.testkit.work.RehomeScript;
import io.geored.testkit.work.ScriptedProbe.Answer;
import io.geored.testkit.work.ScriptedRehomer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A migration hands the group's subclouds over and rehomes them on this site")
class MigrationBatchTest {

  /** Default settings, but an availability audit that stays out of the way of the online wait. */
  static final GeoredSettings QUIET_AUDIT =
      new GeoredSettings(
          10,
          5,
          Duration.ofDays(1),
          2,
          Duration.ofSeconds(900),
          Duration.ofSeconds(20),
          Duration.ofSeconds(10));

  static final Duration D = Duration.ofMinutes(10);

  private MigrationScenario s;

  @AfterEach
  void tearDown() {
    if (s != null) {
      s.close();
    }
  }

  private MigrationScenario scenario(int maxRehoming, int members) {
    s = new MigrationScenario(QUIET_AUDIT).withGroup(maxRehoming, members);
    return s;
  }

  /** B's copy as the migration must leave it when the rehome and the online wait succeeded. */
  private void assertManagedHere(Subcloud before, Subcloud after) {
    assertThat(after)
        .usingRecursiveComparison()
        .ignoringFields("updatedAt", "version")
        .isEqualTo(
            before.toBuilder()
                .deployStatus(DeployStatus.COMPLETE)
                .managementState(ManagementState.MANAGED)
                .availabilityStatus(AvailabilityStatus.ONLINE)
                .errorDescription(MigrationTexts.NO_ERRORS)
                .rehomed(true)
                .build());
    assertThat(after.updatedAt()).isEqualTo(s.now());
  }

  private void assertLedByB(SubcloudPeerGroup before) {
    SubcloudPeerGroup after = s.group(s.b);
    assertThat(after)
        .usingRecursiveComparison()
        .ignoringFields("updatedAt", "version")
        .isEqualTo(
            before.toBuilder()
                .systemLeaderId(s.b.uuid())
                .systemLeaderName(s.b.name())
                .migrationStatus(MigrationStatus.COMPLETE)
                .build());
  }

  private Map<String, Subcloud> copiesOnB() {
    return Map.of(
        "sc01", s.subcloud(s.b, "sc01"),
        "sc02", s.subcloud(s.b, "sc02"),
        "sc03", s.subcloud(s.b, "sc03"));
  }

  @Test
  @DisplayName(
      "each secondary copy is handed over, rehomed with this site's rehome data and password,"
          + " then managed and online; B leads the group, complete, and A is asked to audit it")
  void happyPath() {
    scenario(10, 3);
    Map<String, Subcloud> before = copiesOnB();
    SubcloudPeerGroup groupBefore = s.group(s.b);
    s.sites.network().resetCalls();

    List<Subcloud> answer = s.migrate(s.b);
    s.sites.runUntilIdle();

    assertThat(answer).containsExactly(before.get("sc01"), before.get("sc02"), before.get("sc03"));
    for (String name : List.of("sc01", "sc02", "sc03")) {
      assertManagedHere(before.get(name), s.subcloud(s.b, name));
    }
    assertLedByB(groupBefore);
    ScriptedRehomer rehomer = s.rehomer(s.b);
    assertThat(rehomer.calledNames()).containsExactly("sc01", "sc02", "sc03");
    for (ScriptedRehomer.RehomeCall call : rehomer.callLog()) {
      Subcloud copy = before.get(call.subcloud().name());
      assertThat(call.subcloud().deployStatus()).isEqualTo(DeployStatus.REHOMING);
      assertThat(call.rehomeData()).isEqualTo(copy.rehomeData());
      // B's copy holds B's own gateway (what A knows B by), never A's.
      assertThat(call.rehomeData().systemControllerGatewayAddress()).contains(s.b.gatewayAddress());
      assertThat(call.sysadminPassword()).isEqualTo(MigrationFixtures.PASSWORD);
    }
    assertThat(s.calls(s.b, s.a, "getSubcloud")).isEqualTo(3);
    assertThat(s.calls(s.b, s.a, "updateSubcloud")).isEqualTo(3);
    assertThat(s.calls(s.b, s.a, "auditPeerGroup")).isEqualTo(1);
    // Before anything changes, B reads A's copy of the group once (its leader, ADR 0028).
    assertThat(s.calls(s.b, s.a, "getPeerGroup")).isEqualTo(1);
    assertThat(s.sites.network().calls(s.b.system(), s.a.system())).isEqualTo(8);
    assertThat(s.auditRequests(s.a))
        .containsExactly(
            AuditRequest.builder()
                .peerUuid(s.b.uuid())
                .peerGroupName("pg1")
                .groupPriority(2)
                .groupState("enabled")
                .systemLeaderId(s.b.uuid())
                .systemLeaderName("site-b")
                .migrationStatus("complete")
                .maxSubcloudRehoming(10)
                .build());
  }

  @Test
  @DisplayName("progress goes to the event listener: started, one per subcloud, finished")
  void progressEvents() {
    scenario(10, 2);
    Instant t0 = s.now();
    s.rehomer(s.b).script("sc02", RehomeScript.fail("no route").taking(D));

    s.migrate(s.b);
    s.sites.advance(D);

    assertThat(s.progress(s.b))
        .containsExactly(
            new GeoredEvent.Progress(t0, "migrate", "pg1", 0, 2, "started"),
            new GeoredEvent.Progress(t0, "migrate", "pg1", 1, 2, "sc01 managed"),
            new GeoredEvent.Progress(t0.plus(D), "migrate", "pg1", 2, 2, "sc02 rehome-failed"),
            new GeoredEvent.Progress(t0.plus(D), "migrate", "pg1", 2, 2, "finished"));
    assertThat(s.events(s.b))
        .contains(
            new GeoredEvent.StateChanged(
                t0, "peer_group", "pg1", "migration_status", "none", "migrating"),
            new GeoredEvent.StateChanged(
                t0, "subcloud", "sc01", "deploy_status", "secondary", "pre-rehome"),
            new GeoredEvent.StateChanged(
                t0, "subcloud", "sc01", "deploy_status", "pre-rehome", "rehoming"),
            new GeoredEvent.StateChanged(
                t0, "subcloud", "sc01", "deploy_status", "rehoming", "complete"),
            new GeoredEvent.StateChanged(
                t0, "subcloud", "sc01", "availability_status", "offline", "online"),
            new GeoredEvent.StateChanged(
                t0, "subcloud", "sc01", "management_state", "unmanaged", "managed"),
            new GeoredEvent.StateChanged(
                t0.plus(D), "subcloud", "sc02", "deploy_status", "rehoming", "rehome-failed"),
            new GeoredEvent.StateChanged(
                t0.plus(D), "peer_group", "pg1", "migration_status", "migrating", "complete"),
            new GeoredEvent.StateChanged(
                t0.plus(D), "peer_group", "pg1", "system_leader_id", s.a.uuid(), s.b.uuid()));
  }

  @Test
  @DisplayName("the state listener hears the availability and management changes it made")
  void stateListenerTold() {
    scenario(10, 1);
    Subcloud before = s.subcloud(s.b, "sc01");

    s.migrate(s.b);
    s.sites.runUntilIdle();

    List<MigrationScenario.Heard> heard = s.heard(s.b);
    assertThat(heard)
        .extracting(MigrationScenario.Heard::kind)
        .containsExactly("availability", "management");
    assertThat(heard.get(0).before().availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
    assertThat(heard.get(0).after().availabilityStatus()).isEqualTo(AvailabilityStatus.ONLINE);
    assertThat(heard.get(1).before().managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(heard.get(1).after()).isEqualTo(s.subcloud(s.b, "sc01"));
    assertManagedHere(before, s.subcloud(s.b, "sc01"));
  }

  @Test
  @DisplayName("a state listener that fails does not undo the engine's manage")
  void listenerFailureKeepsManaged() {
    scenario(10, 1);
    Subcloud before = s.subcloud(s.b, "sc01");
    s.listenerFails(s.b, true);

    s.migrate(s.b);
    s.sites.runUntilIdle();

    assertManagedHere(before, s.subcloud(s.b, "sc01"));
    assertThat(s.progress(s.b)).extracting(GeoredEvent.Progress::detail).contains("sc01 managed");
  }

  @Nested
  @DisplayName("hand-over on the peer")
  class Handover {

    @Test
    @DisplayName(
        "while B rehomes, A's copies are unmanaged and rehome-pending, and A's host heard it")
    void peerCopiesLetGo() {
      scenario(10, 2);
      s.rehomer(s.b).byDefault(RehomeScript.succeed().taking(D));
      Subcloud sc01OnA = s.subcloud(s.a, "sc01");
      s.sites.network().resetCalls();

      s.migrate(s.b);
      s.sites.runUntilIdle();

      for (String name : List.of("sc01", "sc02")) {
        Subcloud onA = s.subcloud(s.a, name);
        assertThat(onA.managementState()).isEqualTo(ManagementState.UNMANAGED);
        assertThat(onA.deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
        assertThat(s.subcloud(s.b, name).deployStatus()).isEqualTo(DeployStatus.REHOMING);
      }
      assertThat(s.subcloud(s.a, "sc01"))
          .usingRecursiveComparison()
          .ignoringFields("updatedAt", "version")
          .isEqualTo(
              sc01OnA.toBuilder()
                  .managementState(ManagementState.UNMANAGED)
                  .deployStatus(DeployStatus.REHOME_PENDING)
                  .handedOverTo(s.b.uuid())
                  .build());
      assertThat(s.heard(s.a))
          .extracting(h -> h.kind() + " " + h.after().name() + " " + h.after().managementState())
          .containsExactly("management sc01 UNMANAGED", "management sc02 UNMANAGED");
      assertThat(s.calls(s.b, s.a, "getSubcloud")).isEqualTo(2);
      assertThat(s.calls(s.b, s.a, "updateSubcloud")).isEqualTo(2);
      assertThat(s.calls(s.b, s.a, "auditPeerGroup")).isZero();
    }

    @Test
    @DisplayName(
        "a copy already unmanaged and rehome-pending is asked again (and records this migration"
            + " as its taker), an unmanaged one only set rehome-pending, and a peer without a copy"
            + " is skipped")
    void copiesInOtherStates() {
      scenario(10, 4);
      s.rehomer(s.b).byDefault(RehomeScript.succeed().taking(D));
      Subcloud gone = s.subcloud(s.a, "sc01");
      s.a.stores().subclouds().delete(gone.id());
      Subcloud pending = s.subcloud(s.a, "sc02");
      pending =
          MigrationFixtures.saved(
              s.a
                  .stores()
                  .subclouds()
                  .update(
                      pending.toBuilder()
                          .managementState(ManagementState.UNMANAGED)
                          .deployStatus(DeployStatus.REHOME_PENDING)
                          .build()));
      Subcloud failed = s.subcloud(s.a, "sc03");
      s.a
          .stores()
          .subclouds()
          .update(
              failed.toBuilder()
                  .managementState(ManagementState.UNMANAGED)
                  .availabilityStatus(AvailabilityStatus.OFFLINE)
                  .deployStatus(DeployStatus.REHOME_FAILED)
                  .build());
      s.sites.network().resetCalls();

      s.migrate(s.b);
      s.sites.runUntilIdle();

      assertThat(s.calls(s.b, s.a, "getSubcloud")).isEqualTo(4);
      assertThat(s.calls(s.b, s.a, "updateSubcloud")).isEqualTo(3);
      assertThat(s.a.stores().subclouds().findByName("sc01")).isEmpty();
      assertThat(s.subcloud(s.a, "sc02"))
          .usingRecursiveComparison()
          .ignoringFields("updatedAt", "version")
          .isEqualTo(pending.toBuilder().handedOverTo(s.b.uuid()).build());
      for (String name : List.of("sc03", "sc04")) {
        assertThat(s.subcloud(s.a, name).managementState()).isEqualTo(ManagementState.UNMANAGED);
        assertThat(s.subcloud(s.a, name).deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
      }
      for (String name : List.of("sc01", "sc02", "sc03", "sc04")) {
        assertThat(s.subcloud(s.b, name).deployStatus()).isEqualTo(DeployStatus.REHOMING);
      }
    }

    @Test
    @DisplayName(
        "a peer marked unavailable that cannot be reached is tried once and skipped; the subcloud"
            + " is rehomed anyway")
    void unavailablePeerSkipped() {
      scenario(10, 1);
      MigrationScenario.setAvailability(s.b, s.a, PeerAvailability.UNAVAILABLE);
      s.sites.network().down(s.a.system());
      Subcloud before = s.subcloud(s.b, "sc01");
      SubcloudPeerGroup groupBefore = s.group(s.b);
      s.sites.network().resetCalls();

      s.migrate(s.b);
      s.sites.runUntilIdle();

      assertThat(s.sites.network().callsByKind(s.b.system(), s.a.system()))
          .isEqualTo(java.util.Map.of("getPeerGroup", 1L, "getSubcloud", 1L));
      assertManagedHere(before, s.subcloud(s.b, "sc01"));
      assertLedByB(groupBefore);
    }

    @Test
    @DisplayName(
        "a peer marked unavailable that answers (a healed partition not yet seen) lets its copy go"
            + " first")
    void unavailablePeerThatAnswersAsked() {
      scenario(10, 1);
      MigrationScenario.setAvailability(s.b, s.a, PeerAvailability.UNAVAILABLE);

      s.migrate(s.b);
      s.sites.runUntilIdle();

      Subcloud onA = s.subcloud(s.a, "sc01");
      assertThat(onA.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(onA.deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
      assertThat(s.subcloud(s.b, "sc01").managementState()).isEqualTo(ManagementState.MANAGED);
    }

    @Test
    @DisplayName(
        "a peer available when the batch started is asked for every member even once marked"
            + " unavailable: unreachable, the member is not rehomed")
    void peerLostMidBatchStillAsked() {
      scenario(1, 2);
      s.rehomer(s.b).byDefault(RehomeScript.succeed().taking(Duration.ofSeconds(30)));

      s.migrate(s.b);
      s.sites.advance(Duration.ofSeconds(5));
      s.sites.network().partitionBothWays(s.a.system(), s.b.system());
      MigrationScenario.setAvailability(s.b, s.a, PeerAvailability.UNAVAILABLE);
      s.sites.advance(Duration.ofMinutes(2));

      assertThat(s.subcloud(s.a, "sc02").managementState()).isEqualTo(ManagementState.MANAGED);
      Subcloud second = s.subcloud(s.b, "sc02");
      assertThat(second.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(second.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    }

    @Test
    @DisplayName("failed calls are tried again a second later, 3 tries in all")
    void retries() {
      scenario(10, 1);
      Instant t0 = s.now();
      Subcloud before = s.subcloud(s.b, "sc01");
      s.sites.network().resetCalls();
      // The first failure meets the request's read of A's copy of the group (ADR 0028), which
      // tells nothing when it fails; the next two meet the hand-over.
      s.sites.network().link(s.b.system(), s.a.system()).failNext(3);

      s.migrate(s.b);
      s.sites.advance(Duration.ofSeconds(1));
      assertThat(s.subcloud(s.b, "sc01").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      s.sites.advance(Duration.ofSeconds(1));

      assertThat(s.calls(s.b, s.a, "getSubcloud")).isEqualTo(3);
      assertThat(s.calls(s.b, s.a, "updateSubcloud")).isEqualTo(1);
      assertThat(s.rehomer(s.b).callLog())
          .singleElement()
          .extracting(ScriptedRehomer.RehomeCall::calledAt)
          .isEqualTo(t0.plusSeconds(2));
      assertManagedHere(before, s.subcloud(s.b, "sc01"));
      assertThat(s.subcloud(s.a, "sc01").deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
    }

    @Test
    @DisplayName(
        "a peer that cannot be reached 3 times (at 0, 1 and 2 s) stops the subcloud: it stays"
            + " secondary, saying why, not rehomed, still managed on the peer; the group still ends"
            + " led by B")
    void unreachableStops() {
      scenario(10, 1);
      Instant t0 = s.now();
      SubcloudPeerGroup groupBefore = s.group(s.b);
      Subcloud onA = s.subcloud(s.a, "sc01");
      Subcloud before = s.subcloud(s.b, "sc01");
      s.sites.network().partition(s.b.system(), s.a.system());
      s.sites.network().resetCalls();

      s.migrate(s.b);
      s.sites.advance(Duration.ofSeconds(10));

      String reason =
          "getSubcloud to http://site-a.sim/v1.0: site-a is unreachable (link site-b -> site-a"
              + " partitioned)";
      assertThat(s.subcloud(s.b, "sc01"))
          .usingRecursiveComparison()
          .ignoringFields("updatedAt", "version")
          .isEqualTo(
              before.toBuilder()
                  .deployStatus(DeployStatus.SECONDARY)
                  .errorDescription(
                      "Unable to hand over subcloud sc01 from peer site site-a after 3 attempts: "
                          + reason)
                  .build());
      assertThat(s.subcloud(s.b, "sc01").updatedAt()).isEqualTo(t0.plusSeconds(2));
      assertThat(s.rehomer(s.b).totalCalls()).isZero();
      assertThat(s.subcloud(s.a, "sc01")).isEqualTo(onA);
      assertThat(s.calls(s.b, s.a, "getSubcloud")).isEqualTo(3);
      assertThat(s.calls(s.b, s.a, "auditPeerGroup")).isEqualTo(1);
      assertLedByB(groupBefore);
      assertThat(s.progress(s.b))
          .extracting(GeoredEvent.Progress::detail)
          .containsExactly("started", "sc01 not handed over, left secondary", "finished");
    }

    @Test
    @DisplayName(
        "a peer that refuses stops the subcloud at the first answer, with the peer's words")
    void refusalStops() {
      scenario(10, 2);
      s.answerInstead(
          s.a,
          "updateSubcloud",
          args -> {
            if (args[1].equals("region-sc01")) {
              throw new ValidationException("Subcloud sc01 is busy");
            }
            return s.a
                .engine()
                .site()
                .updateSubcloud((Caller) args[0], (String) args[1], (SubcloudUpdate) args[2]);
          });
      s.sites.network().resetCalls();

      s.migrate(s.b);
      s.sites.runUntilIdle();

      Subcloud sc01 = s.subcloud(s.b, "sc01");
      assertThat(sc01.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(sc01.errorDescription())
          .isEqualTo(
              "Unable to hand over subcloud sc01 from peer site site-a: Subcloud sc01 is busy");
      assertThat(sc01.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(s.rehomer(s.b).calledNames()).containsExactly("sc02");
      assertThat(s.subcloud(s.b, "sc02").managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(s.calls(s.b, s.a, "getSubcloud")).isEqualTo(2);
      assertThat(s.calls(s.b, s.a, "updateSubcloud")).isEqualTo(2);
      assertThat(s.subcloud(s.a, "sc01").managementState()).isEqualTo(ManagementState.MANAGED);
    }
  }

  @Test
  @DisplayName(
      "a rehome-failed member the peer refuses to hand over stays rehome-failed, saying why,"
          + " and counts as not handed over")
  void refusedRehomeFailedMemberKeepsItsStatus() {
    scenario(10, 1);
    Subcloud before =
        s.b
            .stores()
            .subclouds()
            .update(
                s.subcloud(s.b, "sc01").toBuilder()
                    .deployStatus(DeployStatus.REHOME_FAILED)
                    .errorDescription("bootstrap address unreachable")
                    .build())
            .orElseThrow(r -> new IllegalStateException("not stored: " + r));
    s.answerInstead(
        s.a,
        "updateSubcloud",
        args -> {
          throw new ValidationException("Subcloud sc01 is busy");
        });

    s.migrate(s.b);
    s.sites.runUntilIdle();

    assertThat(s.subcloud(s.b, "sc01"))
        .usingRecursiveComparison()
        .ignoringFields("updatedAt", "version")
        .isEqualTo(
            before.toBuilder()
                .errorDescription(
                    "Unable to hand over subcloud sc01 from peer site site-a: Subcloud sc01 is"
                        + " busy")
                .build());
    assertThat(s.rehomer(s.b).totalCalls()).isZero();
    assertThat(s.progress(s.b))
        .extracting(GeoredEvent.Progress::detail)
        .containsExactly("started", "sc01 not handed over, left rehome-failed", "finished");
  }

  @Nested
  @DisplayName("faults during the batch")
  class Faults {

    @Test
    @DisplayName(
        "a peer whose host refuses to unmanage its copy (undone there, 500) is tried 3 times, then"
            + " the subcloud stops: it stays managed on the peer only")
    void peerHostRefuses() {
      scenario(10, 1);
      Subcloud onA = s.subcloud(s.a, "sc01");
      s.listenerFails(s.a, true);
      s.sites.network().resetCalls();

      s.migrate(s.b);
      s.sites.advance(Duration.ofSeconds(10));

      Subcloud sc01 = s.subcloud(s.b, "sc01");
      assertThat(sc01.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(sc01.errorDescription())
          .isEqualTo(
              "Unable to hand over subcloud sc01 from peer site site-a after 3 attempts: "
                  + Messages.managementStateReverted("sc01"));
      assertThat(sc01.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(s.subcloud(s.a, "sc01").managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(s.subcloud(s.a, "sc01").deployStatus()).isEqualTo(onA.deployStatus());
      assertThat(s.calls(s.b, s.a, "updateSubcloud")).isEqualTo(3);
      assertThat(s.rehomer(s.b).totalCalls()).isZero();
    }

    @Test
    @DisplayName(
        "a partition after the hand-over: the subcloud is rehomed and managed here, the group ends"
            + " led here, and no audit request goes to the peer the monitor has found lost")
    void partitionAfterHandover() {
      scenario(10, 1);
      SubcloudPeerGroup groupBefore = s.group(s.b);
      Subcloud before = s.subcloud(s.b, "sc01");
      s.rehomer(s.b).byDefault(RehomeScript.succeed().taking(D));
      s.sites.network().resetCalls();

      s.migrate(s.b);
      s.sites.runUntilIdle();
      assertThat(s.subcloud(s.a, "sc01").deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
      s.sites.network().partitionBothWays(s.a.system(), s.b.system());
      s.sites.advance(D);

      assertManagedHere(before, s.subcloud(s.b, "sc01"));
      assertLedByB(groupBefore);
      assertThat(
              s.b.stores().systemPeers().findByUuid(s.a.uuid()).orElseThrow().availabilityState())
          .isEqualTo(io.geored.spi.model.PeerAvailability.UNAVAILABLE);
      assertThat(s.calls(s.b, s.a, "auditPeerGroup")).isZero();
      assertThat(s.auditRequests(s.a)).isEmpty();
      // Managed here only: the peer's copy was let go before the partition.
      assertThat(s.subcloud(s.a, "sc01").managementState()).isEqualTo(ManagementState.UNMANAGED);
    }

    @Test
    @DisplayName(
        "the peer stopped in the middle of the batch: the rest are stopped, none managed twice")
    void peerStopsMidway() {
      scenario(1, 3);
      s.rehomer(s.b).byDefault(RehomeScript.succeed().taking(D));

      s.migrate(s.b);
      // Stopped a second before sc01's rehome ends: too soon for a monitor to call it unavailable.
      s.sites.advance(D.minusSeconds(1));
      s.sites.stop(s.a);
      s.sites.advance(Duration.ofSeconds(10));

      assertThat(s.subcloud(s.b, "sc01").managementState()).isEqualTo(ManagementState.MANAGED);
      for (String name : List.of("sc02", "sc03")) {
        Subcloud sc = s.subcloud(s.b, name);
        assertThat(sc.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
        assertThat(sc.errorDescription())
            .startsWith(
                "Unable to hand over subcloud "
                    + name
                    + " from peer site site-a after 3 attempts: ");
        assertThat(s.subcloud(s.a, name).managementState()).isEqualTo(ManagementState.MANAGED);
      }
      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
      assertThat(s.group(s.b).systemLeaderId()).isEqualTo(s.b.uuid());
      assertThat(s.b.stores().subclouds().findAll())
          .allSatisfy(sc -> assertThat(sc.deployStatus().isTransitory()).isFalse());
    }
  }

  @Nested
  @DisplayName("each rehome outcome")
  class Outcomes {

    private Subcloud before;

    private Subcloud migrateOne(RehomeScript script) {
      scenario(10, 1);
      before = s.subcloud(s.b, "sc01");
      s.rehomer(s.b).script("sc01", script);
      s.migrate(s.b);
      s.sites.runUntilIdle();
      return s.subcloud(s.b, "sc01");
    }

    private void assertEnded(Subcloud after, DeployStatus status, String errorDescription) {
      assertThat(after)
          .usingRecursiveComparison()
          .ignoringFields("updatedAt", "version")
          .isEqualTo(
              before.toBuilder().deployStatus(status).errorDescription(errorDescription).build());
      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
      assertThat(s.group(s.b).systemLeaderId()).isEqualTo(s.b.uuid());
      assertThat(s.calls(s.b, s.a, "auditPeerGroup")).isEqualTo(1);
    }

    @Test
    @DisplayName("a failure the rehomer reports: rehome-failed with its text")
    void reportedFailure() {
      Subcloud after = migrateOne(RehomeScript.fail("bootstrap-address 10.20.0.4 unreachable"));
      assertEnded(after, DeployStatus.REHOME_FAILED, "bootstrap-address 10.20.0.4 unreachable");
    }

    @Test
    @DisplayName("a failure without a text: rehome-failed, saying so")
    void reportedFailureWithoutText() {
      Subcloud after = migrateOne(RehomeScript.fail(" "));
      assertEnded(after, DeployStatus.REHOME_FAILED, "Rehoming of subcloud sc01 failed");
    }

    @Test
    @DisplayName("a stage that completes exceptionally: rehome-prep-failed with its message")
    void stageFails() {
      Subcloud after =
          migrateOne(RehomeScript.completeExceptionally(new IllegalStateException("no ansible")));
      assertEnded(after, DeployStatus.REHOME_PREP_FAILED, "no ansible");
    }

    @Test
    @DisplayName("a rehomer that throws: rehome-prep-failed with its message")
    void rehomerThrows() {
      Subcloud after =
          migrateOne(RehomeScript.throwOnCall(new IllegalArgumentException("bad payload")));
      assertEnded(after, DeployStatus.REHOME_PREP_FAILED, "bad payload");
    }

    @Test
    @DisplayName("an exception without a message: rehome-prep-failed naming its type")
    void exceptionWithoutMessage() {
      Subcloud after = migrateOne(RehomeScript.completeExceptionally(new RuntimeException()));
      assertEnded(
          after,
          DeployStatus.REHOME_PREP_FAILED,
          "Rehoming of subcloud sc01 could not start (java.lang.RuntimeException)");
    }

    @Test
    @DisplayName("success: complete, rehomed, managed and online")
    void success() {
      Subcloud after = migrateOne(RehomeScript.succeed().taking(D));
      assertThat(after.deployStatus()).isEqualTo(DeployStatus.REHOMING);
      s.sites.advance(D);
      assertManagedHere(before, s.subcloud(s.b, "sc01"));
    }
  }

  @Nested
  @DisplayName("the online wait after a rehome")
  class OnlineWait {

    @Test
    @DisplayName("probed at once and every 20 s: managed at the first online answer")
    void managedWhenOnline() {
      scenario(10, 1);
      Instant t0 = s.now();
      Subcloud before = s.subcloud(s.b, "sc01");
      s.probe(s.b).script("sc01", Answer.OFFLINE, Answer.FAIL, Answer.ONLINE);

      s.migrate(s.b);
      s.sites.advance(Duration.ofSeconds(39));
      Subcloud waiting = s.subcloud(s.b, "sc01");
      assertThat(waiting.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
      assertThat(waiting.rehomed()).isTrue();
      assertThat(waiting.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(waiting.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.MIGRATING);
      s.sites.advance(Duration.ofSeconds(1));

      assertManagedHere(before, s.subcloud(s.b, "sc01"));
      assertThat(s.subcloud(s.b, "sc01").updatedAt()).isEqualTo(t0.plusSeconds(40));
      assertThat(s.probe(s.b).calls("sc01")).isEqualTo(3);
      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    }

    @Test
    @DisplayName(
        "still offline after 900 s: left complete and unmanaged, counted as failed, and its place"
            + " goes to the next subcloud")
    void givesUpAfterTimeout() {
      scenario(1, 2);
      Instant t0 = s.now();
      s.probe(s.b).script("sc01", Answer.OFFLINE);

      s.migrate(s.b);
      s.sites.advance(Duration.ofSeconds(899));
      assertThat(s.rehomer(s.b).calledNames()).containsExactly("sc01");
      s.sites.advance(Duration.ofSeconds(1));

      Subcloud sc01 = s.subcloud(s.b, "sc01");
      assertThat(sc01.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
      assertThat(sc01.rehomed()).isTrue();
      assertThat(sc01.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(sc01.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
      assertThat(sc01.errorDescription()).isEqualTo(MigrationTexts.NO_ERRORS);
      // At 0, 20, ..., 900 s.
      assertThat(s.probe(s.b).calls("sc01")).isEqualTo(46);
      assertThat(s.rehomer(s.b).callLog())
          .extracting(ScriptedRehomer.RehomeCall::calledAt)
          .containsExactly(t0, t0.plusSeconds(900));
      assertThat(s.subcloud(s.b, "sc02").managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(s.progress(s.b))
          .extracting(GeoredEvent.Progress::detail)
          .containsExactly(
              "started",
              "sc01 rehomed but still offline, left unmanaged",
              "sc02 managed",
              "finished");
      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    }

    @Test
    @DisplayName("the last probe falls on the timeout when the poll does not divide it")
    void lastProbeOnTimeout() {
      s =
          new MigrationScenario(
                  new GeoredSettings(
                      10,
                      5,
                      Duration.ofDays(1),
                      2,
                      Duration.ofSeconds(60),
                      Duration.ofSeconds(25),
                      Duration.ofSeconds(10)))
              .withGroup(10, 1);
      s.probe(s.b).script("sc01", Answer.OFFLINE, Answer.OFFLINE, Answer.OFFLINE, Answer.ONLINE);

      s.migrate(s.b);
      s.sites.advance(Duration.ofSeconds(59));
      assertThat(s.probe(s.b).calls("sc01")).isEqualTo(3);
      s.sites.advance(Duration.ofSeconds(1));

      // At 0, 25, 50 and 60 s; the fourth answers online, on time.
      assertThat(s.probe(s.b).calls("sc01")).isEqualTo(4);
      assertThat(s.subcloud(s.b, "sc01").managementState()).isEqualTo(ManagementState.MANAGED);
    }
  }

  @Nested
  @DisplayName("places and outcomes of the batch")
  class Batch {

    @Test
    @DisplayName("at most max_subcloud_rehoming rehomes run at once (3 of 7)")
    void maxInFlight() {
      scenario(3, 7);
      Instant t0 = s.now();
      s.rehomer(s.b).byDefault(RehomeScript.succeed().taking(D));

      s.migrate(s.b);
      s.sites.runUntilIdle();
      assertThat(s.rehomer(s.b).inFlight()).isEqualTo(3);
      s.sites.advance(Duration.ofHours(1));

      assertThat(s.rehomer(s.b).maxInFlight()).isEqualTo(3);
      assertThat(s.rehomer(s.b).totalCalls()).isEqualTo(7);
      assertThat(s.rehomer(s.b).callLog())
          .extracting(ScriptedRehomer.RehomeCall::calledAt)
          .containsExactly(
              t0, t0, t0, t0.plus(D), t0.plus(D), t0.plus(D), t0.plus(D.multipliedBy(2)));
      assertThat(s.progress(s.b).get(s.progress(s.b).size() - 1).at())
          .isEqualTo(t0.plus(D.multipliedBy(3)));
    }

    @Test
    @DisplayName("max_subcloud_rehoming 1 (its lowest) rehomes one at a time")
    void oneAtATime() {
      scenario(1, 3);
      s.rehomer(s.b).byDefault(RehomeScript.succeed().taking(D));

      s.migrate(s.b);
      s.sites.advance(Duration.ofHours(1));

      assertThat(s.rehomer(s.b).maxInFlight()).isEqualTo(1);
      assertThat(s.rehomer(s.b).totalCalls()).isEqualTo(3);
    }

    @Test
    @DisplayName(
        "when every rehome fails, B still leads the group, complete, and A is asked to audit")
    void allFail() {
      scenario(10, 3);
      SubcloudPeerGroup groupBefore = s.group(s.b);
      s.rehomer(s.b).byDefault(RehomeScript.fail("unreachable"));
      s.sites.network().resetCalls();

      s.migrate(s.b);
      s.sites.runUntilIdle();

      for (String name : List.of("sc01", "sc02", "sc03")) {
        assertThat(s.subcloud(s.b, name).deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
        assertThat(s.subcloud(s.b, name).errorDescription()).isEqualTo("unreachable");
      }
      assertLedByB(groupBefore);
      assertThat(s.calls(s.b, s.a, "auditPeerGroup")).isEqualTo(1);
    }

    @Test
    @DisplayName(
        "a member whose rehome data is gone by its turn becomes rehome-prep-failed, unasked on the"
            + " peer and not rehomed")
    void rehomeDataGoneByItsTurn() {
      scenario(1, 2);
      s.rehomer(s.b).byDefault(RehomeScript.succeed().taking(D));
      s.sites.network().resetCalls();

      s.migrate(s.b);
      s.sites.advance(Duration.ofMinutes(5));
      Subcloud sc02 = s.subcloud(s.b, "sc02");
      s.b.stores().subclouds().update(sc02.toBuilder().rehomeData(null).build());
      s.sites.advance(Duration.ofMinutes(5));

      Subcloud after = s.subcloud(s.b, "sc02");
      assertThat(after.deployStatus()).isEqualTo(DeployStatus.REHOME_PREP_FAILED);
      assertThat(after.errorDescription()).isEqualTo(Messages.migrateRehomeDataMissing("sc02"));
      assertThat(s.rehomer(s.b).calledNames()).containsExactly("sc01");
      assertThat(s.calls(s.b, s.a, "getSubcloud")).isEqualTo(1);
      assertThat(s.subcloud(s.a, "sc02").managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    }

    @Test
    @DisplayName("a second request while the batch runs is 409 and changes nothing")
    void conflictWhileRunning() {
      scenario(10, 2);
      s.rehomer(s.b).byDefault(RehomeScript.succeed().taking(D));
      s.migrate(s.b);
      s.sites.runUntilIdle();
      List<Subcloud> subclouds = s.b.stores().subclouds().findAll();
      List<SubcloudPeerGroup> groups = s.b.stores().peerGroups().findAll();

      assertThatThrownBy(() -> s.migrate(s.b))
          .isExactlyInstanceOf(ConflictException.class)
          .hasMessage("Subcloud peer group pg1 is already being migrated");

      s.sites.runUntilIdle();
      assertThat(s.b.stores().subclouds().findAll()).isEqualTo(subclouds);
      assertThat(s.b.stores().peerGroups().findAll()).isEqualTo(groups);
    }
  }
}
