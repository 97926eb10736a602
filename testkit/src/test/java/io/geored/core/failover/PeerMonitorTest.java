package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.fault.RecordingAlarms.AlarmEvent;
import io.geored.testkit.fault.RecordingAlarms.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The peer monitor heartbeats every associated peer")
class PeerMonitorTest {

  private static final String PEER_LOST = MonitorAlarms.PEER_HEARTBEAT_FAILED;
  private static final String REPAIR =
      "Check the connectivity between the current system and the reported peer site. If the peer"
          + " system is down, migrate the affected peer group(s) to the current system for"
          + " continued subcloud management.";

  private PeerMonitorScenario s;

  @AfterEach
  void tearDown() {
    if (s != null) {
      s.close();
    }
  }

  private String entityOf(io.geored.testkit.sim.SimSite peer) {
    return "peer=" + peer.uuid();
  }

  @Nested
  @DisplayName("heartbeats")
  class Heartbeats {

    @Test
    @DisplayName("a peer without associations is not heartbeated")
    void noAssociationNoBeat() {
      s = new PeerMonitorScenario(10, 3);
      s.group("pg1");

      s.beat(5);

      assertThat(s.heartbeats(s.a, s.b)).isZero();
      assertThat(s.heartbeats(s.b, s.a)).isZero();
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.CREATED);
    }

    @Test
    @DisplayName(
        "each site beats its peer at once when the association is created, then once per"
            + " heartbeat interval")
    void oneBeatPerInterval() {
      s = new PeerMonitorScenario(10, 3);
      Instant created = s.sites.now();

      s.syncedGroup("sc1");

      assertThat(s.sites.now()).isEqualTo(created);
      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(1);
      assertThat(s.heartbeats(s.b, s.a)).isEqualTo(1);

      s.sites.advance(Duration.ofSeconds(9));
      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(1);
      assertThat(s.heartbeats(s.b, s.a)).isEqualTo(1);

      s.sites.advance(Duration.ofSeconds(1));
      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(2);
      assertThat(s.heartbeats(s.b, s.a)).isEqualTo(2);

      s.beat(4);
      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(6);
      assertThat(s.heartbeats(s.b, s.a)).isEqualTo(6);
    }

    @Test
    @DisplayName(
        "the first beat, run at once, makes a created peer available on both sites, with no"
            + " alarm call and no association change")
    void firstBeatMakesAvailable() {
      s = new PeerMonitorScenario(10, 3);
      Instant created = s.sites.now();
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.CREATED);
      assertThat(s.peerOnB().availabilityState()).isEqualTo(PeerAvailability.CREATED);

      s.syncedGroup("sc1");

      assertThat(s.sites.now()).isEqualTo(created);
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      assertThat(s.peerOnB().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      assertThat(s.alarms(s.a).history()).isEmpty();
      assertThat(s.alarms(s.b).history()).isEmpty();
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.onA(s.primary.id()).syncMessage()).isNull();
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      PeerGroupAssociation onA = s.onA(s.primary.id());
      PeerGroupAssociation onB = s.associationOnB();

      s.beat(1);

      assertThat(s.onA(s.primary.id())).isEqualTo(onA);
      assertThat(s.associationOnB()).isEqualTo(onB);
      assertThat(s.alarms(s.a).history()).isEmpty();
      assertThat(s.alarms(s.b).history()).isEmpty();
    }

    @Test
    @DisplayName(
        "after a restart the first beat runs at once: a peer left unavailable is available again"
            + " and its alarm cleared at the same instant, not one interval later")
    void restartBeatsAtOnce() {
      s = new PeerMonitorScenario(60, 3).syncedGroup("sc1");
      s.sites.network().partition(s.a.system(), s.b.system());
      s.beat(3);
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.UNAVAILABLE);
      assertThat(s.alarms(s.a).isRaised(PEER_LOST, entityOf(s.b))).isTrue();
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.UNKNOWN);
      s.sites.network().heal(s.a.system(), s.b.system());
      s.sites.network().resetCalls();
      Instant restarted = s.sites.now();

      s.sites.restart(s.a);
      s.sites.runUntilIdle();

      assertThat(s.sites.now()).isEqualTo(restarted);
      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(1);
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      assertThat(s.alarms(s.a).isRaised(PEER_LOST, entityOf(s.b))).isFalse();
      assertThat(s.alarms(s.a).history(PEER_LOST, entityOf(s.b)))
          .extracting(AlarmEvent::kind)
          .containsExactly(Kind.RAISE, Kind.CLEAR);
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);

      s.sites.advance(Duration.ofSeconds(59));
      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(1);
      s.sites.advance(Duration.ofSeconds(1));
      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(2);
    }

    @Test
    @DisplayName(
        "a created peer's first success leaves an unknown association alone: only a peer that was"
            + " unavailable gets the recovery transitions")
    void createdPeerGetsNoRecoveryTransitions() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      // The association was created before the peer ever answered (its first beat made it
      // available): put both back as they were then.
      s.a
          .stores()
          .systemPeers()
          .update(s.peerOnA().toBuilder().availabilityState(PeerAvailability.CREATED).build());
      PeerGroupAssociation unknown =
          PeerMonitorScenario.updateAssociation(
              s.a, s.primary.id(), b -> b.syncStatus(SyncStatus.UNKNOWN).syncMessage("left"));

      s.beat(1);

      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      assertThat(s.onA(s.primary.id())).isEqualTo(unknown);
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    }

    @Test
    @DisplayName("a stopped site beats no more; its peer keeps beating it and loses it")
    void stoppedSiteStopsBeating() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.beat(1);
      s.sites.stop(s.a);
      s.sites.network().resetCalls();

      s.beat(3);

      assertThat(s.heartbeats(s.a, s.b)).isZero();
      assertThat(s.heartbeats(s.b, s.a)).isEqualTo(3);
      assertThat(s.peerOnB().availabilityState()).isEqualTo(PeerAvailability.UNAVAILABLE);
    }
  }

  @Nested
  @DisplayName("losing a peer")
  class LosingAPeer {

    @ParameterizedTest(name = "threshold {0}")
    @ValueSource(ints = {1, 3, 30})
    @DisplayName(
        "the peer becomes unavailable exactly at the threshold-th failed beat in a row, not"
            + " before")
    void exactlyAtThreshold(int threshold) {
      s = new PeerMonitorScenario(10, threshold).syncedGroup("sc1");
      s.beat(1);
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      s.sites.network().partition(s.a.system(), s.b.system());

      s.beat(threshold - 1);
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      assertThat(s.alarms(s.a).history()).isEmpty();
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);

      s.beat(1);
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.UNAVAILABLE);
      assertThat(s.alarms(s.a).isRaised(PEER_LOST, entityOf(s.b))).isTrue();
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.UNKNOWN);
    }

    @Test
    @DisplayName("a successful beat in between starts the count again")
    void successResetsTheCount() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.sites.network().partition(s.a.system(), s.b.system());
      s.beat(2);
      s.sites.network().heal(s.a.system(), s.b.system());
      s.beat(1);
      s.sites.network().partition(s.a.system(), s.b.system());

      s.beat(2);
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      s.beat(1);
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.UNAVAILABLE);
    }

    @Test
    @DisplayName(
        "alarm 280.004 is major with the connections text when the peer leads no local group")
    void majorAlarm() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.sites.network().partition(s.a.system(), s.b.system());

      s.beat(3);

      Alarm alarm = s.alarms(s.a).current(PEER_LOST, entityOf(s.b)).orElseThrow();
      assertThat(alarm)
          .isEqualTo(
              new Alarm(
                  "280.004",
                  "system_peer",
                  "peer=bbbbbbbb-0000-4000-8000-000000000002",
                  AlarmSeverity.MAJOR,
                  "Peer site-b (peer_uuid=bbbbbbbb-0000-4000-8000-000000000002) connections in"
                      + " disconnected state.",
                  REPAIR,
                  false,
                  s.sites.now()));
      assertThat(s.alarms(s.a).raised()).containsExactly(alarm);
    }

    @Test
    @DisplayName(
        "alarm 280.004 is critical and names the groups the lost peer leads here, joined by"
            + " \", \"")
    void criticalAlarm() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      SubcloudPeerGroup second = s.group("pg2");
      s.associate(second, 3);
      s.sites.runUntilIdle();
      s.sites.network().partition(s.b.system(), s.a.system());

      s.beat(3);

      Alarm alarm = s.alarms(s.b).current(PEER_LOST, entityOf(s.a)).orElseThrow();
      assertThat(alarm)
          .isEqualTo(
              new Alarm(
                  "280.004",
                  "system_peer",
                  "peer=aaaaaaaa-0000-4000-8000-000000000001",
                  AlarmSeverity.CRITICAL,
                  "Peer site-a (peer_uuid=aaaaaaaa-0000-4000-8000-000000000001) is in"
                      + " disconnected state. The following subcloud peer groups are impacted:"
                      + " pg1, pg2.",
                  REPAIR,
                  false,
                  s.sites.now()));
      assertThat(s.alarms(s.a).history()).isEmpty();
    }

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource({
      "IN_SYNC, UNKNOWN",
      "UNKNOWN, UNKNOWN",
      "OUT_OF_SYNC, FAILED",
      "SYNCING, FAILED",
      "FAILED, FAILED"
    })
    @DisplayName(
        "a primary association changes on this site only, with the unreachable message; the"
            + " peer's stays as it was")
    void primaryAssociationTransitions(SyncStatus from, SyncStatus to) {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      PeerGroupAssociation before =
          PeerMonitorScenario.updateAssociation(
              s.a, s.primary.id(), b -> b.syncStatus(from).syncMessage("earlier"));
      s.sites.network().partition(s.a.system(), s.b.system());
      List<Object> bBefore = PeerMonitorScenario.records(s.b);

      s.beat(3);

      PeerGroupAssociation after = s.onA(s.primary.id());
      assertThat(after.syncStatus()).isEqualTo(to);
      assertThat(after.syncMessage()).isEqualTo("Peer site (site-b) is unreachable.");
      assertThat(after.syncMessage()).isEqualTo(Messages.peerSiteUnreachable("site-b"));
      assertThat(after)
          .usingRecursiveComparison()
          .ignoringFields("syncStatus", "syncMessage", "updatedAt", "version")
          .isEqualTo(before);
      // B, still beating A successfully, changed nothing but A's availability on its side.
      assertThat(PeerMonitorScenario.records(s.b)).isEqualTo(bBefore);
    }

    @Test
    @DisplayName("a non-primary association is untouched when its primary site is lost")
    void nonPrimaryUntouched() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.beat(1);
      PeerGroupAssociation onB = s.associationOnB();
      s.sites.network().partition(s.b.system(), s.a.system());

      s.beat(3);

      assertThat(s.peerOnB().availabilityState()).isEqualTo(PeerAvailability.UNAVAILABLE);
      assertThat(s.associationOnB()).isEqualTo(onB);
      assertThat(s.alarms(s.b).isRaised(PEER_LOST, entityOf(s.a))).isTrue();
    }

    @Test
    @DisplayName(
        "each further run of threshold failures raises the alarm again; the peer stays"
            + " unavailable")
    void furtherRunsRefreshTheAlarm() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.sites.network().partition(s.a.system(), s.b.system());

      s.beat(5);
      assertThat(s.alarms(s.a).history(PEER_LOST, entityOf(s.b))).hasSize(1);
      s.beat(1);

      assertThat(s.alarms(s.a).history(PEER_LOST, entityOf(s.b)))
          .extracting(AlarmEvent::kind)
          .containsExactly(Kind.RAISE, Kind.RAISE);
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.UNAVAILABLE);
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.UNKNOWN);
    }

    @Test
    @DisplayName("a fault manager that throws does not stop the peer from being marked lost")
    void throwingAlarmSink() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      RecordingAlarms alarms = s.alarms(s.a);
      alarms.failEveryCall(true);
      s.sites.network().partition(s.a.system(), s.b.system());

      s.beat(3);

      assertThat(alarms.failedCalls()).isEqualTo(1);
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.UNAVAILABLE);
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.UNKNOWN);

      s.sites.network().heal(s.a.system(), s.b.system());
      s.beat(1);

      assertThat(alarms.failedCalls()).isEqualTo(2);
      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    }
  }

  @Nested
  @DisplayName("a lost peer coming back")
  class Recovery {

    @Test
    @DisplayName("available again, alarm cleared, and an unknown association in-sync on both sites")
    void unknownBecomesInSyncOnBothSites() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.sites.network().partition(s.a.system(), s.b.system());
      s.beat(3);
      // What B holds meanwhile differs, so the peer must be told.
      PeerMonitorScenario.updateAssociation(
          s.b, s.associationOnB().id(), b -> b.syncStatus(SyncStatus.OUT_OF_SYNC));
      s.sites.network().heal(s.a.system(), s.b.system());
      s.sites.network().resetCalls();

      s.beat(1);

      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      assertThat(s.alarms(s.a).isRaised(PEER_LOST, entityOf(s.b))).isFalse();
      assertThat(s.alarms(s.a).history(PEER_LOST, entityOf(s.b)))
          .extracting(AlarmEvent::kind)
          .containsExactly(Kind.RAISE, Kind.CLEAR);
      PeerGroupAssociation onA = s.onA(s.primary.id());
      assertThat(onA.syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(onA.syncMessage()).isNull();
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.associationOnB().syncMessage()).isNull();
      assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "updateAssociation"))
          .isEqualTo(1);
    }

    @Test
    @DisplayName("a failed association becomes out-of-sync on both sites")
    void failedBecomesOutOfSyncOnBothSites() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      PeerMonitorScenario.updateAssociation(
          s.a, s.primary.id(), b -> b.syncStatus(SyncStatus.OUT_OF_SYNC));
      s.sites.network().partition(s.a.system(), s.b.system());
      s.beat(3);
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.FAILED);
      s.sites.network().heal(s.a.system(), s.b.system());

      s.beat(1);

      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
      assertThat(s.onA(s.primary.id()).syncMessage()).isNull();
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
      assertThat(s.alarms(s.a).isRaised(PEER_LOST, entityOf(s.b))).isFalse();
    }

    @Test
    @DisplayName("a peer that cannot be told leaves the association failed with the reason")
    void peerThatCannotBeTold() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.sites.network().partition(s.a.system(), s.b.system());
      s.beat(3);
      s.sites.network().heal(s.a.system(), s.b.system());
      s.sites.network().link(s.a.system(), s.b.system()).failCalls("listAssociations");

      s.beat(1);

      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      PeerGroupAssociation onA = s.onA(s.primary.id());
      assertThat(onA.syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(onA.syncMessage())
          .isEqualTo(Messages.failedToUpdatePeerSyncStatus(s.b.uuid(), "in-sync"));
    }

    @ParameterizedTest(name = "{0} kept, peer's copy {1} becomes {0}")
    @CsvSource({
      "IN_SYNC, OUT_OF_SYNC",
      "SYNCING, IN_SYNC",
      "OUT_OF_SYNC, IN_SYNC",
      "OUT_OF_SYNC, FAILED"
    })
    @DisplayName(
        "in-sync, syncing and out-of-sync are kept here and written to the peer's copy, with one"
            + " read of the peer's associations and one update")
    void keptStatusesReachThePeer(SyncStatus kept, SyncStatus onPeer) {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.sites.network().partition(s.a.system(), s.b.system());
      s.beat(3);
      PeerGroupAssociation onA =
          PeerMonitorScenario.updateAssociation(
              s.a, s.primary.id(), b -> b.syncStatus(kept).syncMessage(null));
      PeerMonitorScenario.updateAssociation(
          s.b, s.associationOnB().id(), b -> b.syncStatus(onPeer).syncMessage(null));
      s.sites.network().heal(s.a.system(), s.b.system());
      s.sites.network().resetCalls();

      s.beat(1);

      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      assertThat(s.onA(s.primary.id())).isEqualTo(onA);
      assertThat(s.associationOnB().syncStatus()).isEqualTo(kept);
      assertThat(s.associationOnB().syncMessage()).isNull();
      assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "listAssociations"))
          .isEqualTo(1);
      assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "updateAssociation"))
          .isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"IN_SYNC", "SYNCING", "OUT_OF_SYNC"})
    @DisplayName("a peer's copy that already holds the kept status is read, not written")
    void peerCopyEqualNotWritten(SyncStatus kept) {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.sites.network().partition(s.a.system(), s.b.system());
      s.beat(3);
      PeerGroupAssociation onA =
          PeerMonitorScenario.updateAssociation(
              s.a, s.primary.id(), b -> b.syncStatus(kept).syncMessage(null));
      PeerGroupAssociation onB =
          PeerMonitorScenario.updateAssociation(
              s.b, s.associationOnB().id(), b -> b.syncStatus(kept).syncMessage(null));
      s.sites.network().heal(s.a.system(), s.b.system());
      s.sites.network().resetCalls();

      s.beat(1);

      assertThat(s.onA(s.primary.id())).isEqualTo(onA);
      assertThat(s.associationOnB()).isEqualTo(onB);
      assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "listAssociations"))
          .isEqualTo(1);
      assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "updateAssociation")).isZero();
    }

    @Test
    @DisplayName(
        "with two associations the peer's list is read once; only the copy that differs is"
            + " written")
    void peerReadOnceForAllAssociations() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      PeerGroupAssociation second = s.associate(s.group("pg2"), 3);
      s.sites.runUntilIdle();
      long secondOnB =
          s.b
              .stores()
              .associations()
              .findByGroupAndPeer(
                  s.b.stores().peerGroups().findByName("pg2").orElseThrow().id(), s.aOnB.id())
              .orElseThrow()
              .id();
      s.sites.network().partition(s.a.system(), s.b.system());
      s.beat(3);
      // pg1's association was in-sync (now unknown); pg2's copy on B already says in-sync.
      PeerMonitorScenario.updateAssociation(
          s.b, s.associationOnB().id(), b -> b.syncStatus(SyncStatus.OUT_OF_SYNC));
      s.sites.network().heal(s.a.system(), s.b.system());
      s.sites.network().resetCalls();

      s.beat(1);

      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.onA(second.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.b.stores().associations().findById(secondOnB).orElseThrow().syncStatus())
          .isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.sites.network().callsByKind(s.a.system(), s.b.system()))
          .isEqualTo(
              Map.of(
                  "listPeerGroups", 1L,
                  "getSystemPeer", 1L,
                  "listAssociations", 1L,
                  "updateAssociation", 1L));
    }

    @Test
    @DisplayName(
        "a non-primary association is never touched by the monitor when its primary site comes"
            + " back, and the primary site is not called about it")
    void nonPrimaryUntouchedOnReturn() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.sites.network().partition(s.b.system(), s.a.system());
      s.beat(3);
      assertThat(s.peerOnB().availabilityState()).isEqualTo(PeerAvailability.UNAVAILABLE);
      PeerGroupAssociation onB =
          PeerMonitorScenario.updateAssociation(
              s.b, s.associationOnB().id(), b -> b.syncStatus(SyncStatus.FAILED).syncMessage("x"));
      PeerGroupAssociation onA = s.onA(s.primary.id());
      s.sites.network().heal(s.b.system(), s.a.system());
      s.sites.network().resetCalls();

      s.beat(1);

      assertThat(s.peerOnB().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      assertThat(s.associationOnB()).isEqualTo(onB);
      assertThat(s.onA(s.primary.id())).isEqualTo(onA);
      assertThat(s.sites.network().callsByKind(s.b.system(), s.a.system()))
          .isEqualTo(Map.of("listPeerGroups", 1L));
    }
  }

  @Nested
  @DisplayName("re-planning")
  class Replanning {

    @Test
    @DisplayName("creating an association starts the heartbeats of its peer on both sites")
    void createStarts() {
      s = new PeerMonitorScenario(10, 3);
      SubcloudPeerGroup group = s.group("pg1");
      s.beat(3);
      assertThat(s.heartbeats(s.a, s.b)).isZero();

      s.associate(group, 2);
      s.sites.runUntilIdle();

      // The first beat of each site runs at once, then one per interval.
      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(1);
      assertThat(s.heartbeats(s.b, s.a)).isEqualTo(1);
      s.beat(2);

      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(3);
      assertThat(s.heartbeats(s.b, s.a)).isEqualTo(3);
    }

    @Test
    @DisplayName("a second association with the same peer adds no second heartbeat")
    void oneTaskPerPeer() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.associate(s.group("pg2"), 3);
      s.sites.runUntilIdle();
      s.sites.network().resetCalls();

      s.beat(3);

      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(3);
      assertThat(s.heartbeats(s.b, s.a)).isEqualTo(3);
    }

    @Test
    @DisplayName(
        "deleting the last association stops the heartbeats on both sites and clears the lost"
            + " peer's alarm")
    void deleteStopsAndClears() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.sites.network().partition(s.b.system(), s.a.system());
      s.beat(3);
      assertThat(s.alarms(s.b).isRaised(PEER_LOST, entityOf(s.a))).isTrue();

      s.a.api().deleteAssociation(Caller.OPERATOR, s.primary.id());
      s.sites.runUntilIdle();
      assertThat(s.b.stores().associations().findAll()).isEmpty();
      s.sites.network().resetCalls();
      s.beat(5);

      assertThat(s.heartbeats(s.a, s.b)).isZero();
      assertThat(s.heartbeats(s.b, s.a)).isZero();
      assertThat(s.alarms(s.b).isRaised(PEER_LOST, entityOf(s.a))).isFalse();
      assertThat(s.alarms(s.b).history(PEER_LOST, entityOf(s.a)))
          .extracting(AlarmEvent::kind)
          .containsExactly(Kind.RAISE, Kind.CLEAR);
    }

    @Test
    @DisplayName("a new heartbeat interval reschedules the peer's heartbeat")
    void intervalChange() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.beat(1);
      s.sites.network().resetCalls();

      SystemPeer updated =
          s.a
              .api()
              .updateSystemPeer(
                  Caller.OPERATOR,
                  s.b.uuid(),
                  SystemPeerUpdate.builder().heartbeatInterval(45).build())
              .value();
      assertThat(updated.heartbeatInterval()).isEqualTo(45);

      s.sites.advance(Duration.ofSeconds(44));
      assertThat(s.heartbeats(s.a, s.b)).isZero();
      s.sites.advance(Duration.ofSeconds(1));
      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(1);
      s.sites.advance(Duration.ofSeconds(90));
      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(3);
      // B's interval for A did not change.
      assertThat(s.heartbeats(s.b, s.a)).isEqualTo(13);
    }

    @Test
    @DisplayName("a corrected peer uuid moves the lost peer's alarm to the new uuid")
    void uuidChange() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.sites.network().partition(s.a.system(), s.b.system());
      s.beat(3);
      String corrected = "eeeeeeee-0000-4000-8000-000000000005";

      s.a
          .api()
          .updateSystemPeer(
              Caller.OPERATOR, s.b.uuid(), SystemPeerUpdate.builder().peerUuid(corrected).build());

      assertThat(s.alarms(s.a).isRaised(PEER_LOST, entityOf(s.b))).isFalse();
      s.beat(3);
      assertThat(s.alarms(s.a).current(PEER_LOST, "peer=" + corrected))
          .map(Alarm::reason)
          .contains(
              "Peer site-b (peer_uuid=eeeeeeee-0000-4000-8000-000000000005) connections in"
                  + " disconnected state.");
    }

    @Test
    @DisplayName("a new failure threshold applies from the next beat")
    void thresholdChange() {
      s = new PeerMonitorScenario(10, 5).syncedGroup("sc1");
      s.sites.network().partition(s.a.system(), s.b.system());
      s.beat(1);

      s.a
          .api()
          .updateSystemPeer(
              Caller.OPERATOR,
              s.b.uuid(),
              SystemPeerUpdate.builder().heartbeatFailureThreshold(2).build());
      s.beat(1);

      assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.UNAVAILABLE);
    }

    @Test
    @DisplayName(
        "associations created before the engine starts are watched once it starts, the first"
            + " beat at once")
    void watchedFromStart() {
      s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
      s.sites.network().resetCalls();
      s.sites.restart(s.a);
      s.sites.runUntilIdle();
      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(1);

      s.beat(2);

      assertThat(s.heartbeats(s.a, s.b)).isEqualTo(3);
    }

    @Test
    @DisplayName("a site asked by its peer to create an association starts watching that peer")
    void nonPrimaryWatchesToo() {
      s = new PeerMonitorScenario(10, 3);
      SubcloudPeerGroup group = s.group("pg1");
      s.a
          .api()
          .createAssociation(
              Caller.OPERATOR,
              AssociationCreate.builder()
                  .peerGroupId(group.id())
                  .systemPeerId(s.bOnA.id())
                  .peerGroupPriority(2)
                  .build());
      s.sites.runUntilIdle();

      assertThat(s.heartbeats(s.b, s.a)).isEqualTo(1);
      assertThat(s.peerOnB().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
      s.beat(1);

      assertThat(s.heartbeats(s.b, s.a)).isEqualTo(2);
    }
  }
}
