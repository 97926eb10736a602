package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.fault.RecordingAlarms.AlarmEvent;
import io.geored.testkit.fault.RecordingAlarms.Kind;
import io.geored.testkit.sim.SimSite;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A system peer set disabled is let go by the monitor and counts as unavailable")
class PeerMonitorDisabledPeerTest {

  private static final String PEER_LOST = MonitorAlarms.PEER_HEARTBEAT_FAILED;

  private PeerMonitorScenario s;

  @AfterEach
  void tearDown() {
    if (s != null) {
      s.close();
    }
  }

  private static String entityOf(SimSite peer) {
    return "peer=" + peer.uuid();
  }

  private static SystemPeer setState(SimSite on, SimSite peer, String state) {
    return on.api()
        .updateSystemPeer(
            Caller.OPERATOR,
            peer.uuid(),
            SystemPeerUpdate.builder().administrativeState(state).build())
        .value();
  }

  @Test
  @DisplayName(
      "a disabled peer is not heartbeaten and raises no 280.004 however long it is unreachable")
  void notHeartbeaten() {
    s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
    SystemPeer disabled = setState(s.a, s.b, "disabled");
    assertThat(disabled.administrativeState()).isEqualTo(AdministrativeState.DISABLED);
    PeerGroupAssociation onA = s.onA(s.primary.id());
    PeerGroupAssociation onB = s.associationOnB();
    s.sites.network().partition(s.a.system(), s.b.system());
    s.sites.network().resetCalls();

    s.beat(10);

    assertThat(s.heartbeats(s.a, s.b)).isZero();
    assertThat(s.sites.network().calls(s.a.system(), s.b.system())).isZero();
    // The only event is the clear made when the watch ended; nothing is ever raised.
    assertThat(s.alarms(s.a).history(PEER_LOST, entityOf(s.b)))
        .extracting(AlarmEvent::kind)
        .containsExactly(Kind.CLEAR);
    assertThat(s.alarms(s.a).isRaised(PEER_LOST, entityOf(s.b))).isFalse();
    assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
    assertThat(s.onA(s.primary.id())).isEqualTo(onA);
    assertThat(s.associationOnB()).isEqualTo(onB);
    // B still watches A, which it has not disabled.
    assertThat(s.heartbeats(s.b, s.a)).isEqualTo(10);
  }

  @Test
  @DisplayName(
      "disabling a lost peer clears its raised 280.004 at once; re-enabling it beats at once and"
          + " the returned peer's associations are settled on both sites")
  void disableClearsAndEnableBeatsAtOnce() {
    s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
    s.sites.network().partition(s.a.system(), s.b.system());
    s.beat(3);
    assertThat(s.alarms(s.a).isRaised(PEER_LOST, entityOf(s.b))).isTrue();
    assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.UNKNOWN);

    setState(s.a, s.b, "disabled");

    assertThat(s.alarms(s.a).isRaised(PEER_LOST, entityOf(s.b))).isFalse();
    assertThat(s.alarms(s.a).history(PEER_LOST, entityOf(s.b)))
        .extracting(AlarmEvent::kind)
        .containsExactly(Kind.RAISE, Kind.CLEAR);
    s.sites.network().resetCalls();
    s.beat(6);
    assertThat(s.heartbeats(s.a, s.b)).isZero();
    assertThat(s.alarms(s.a).history(PEER_LOST, entityOf(s.b))).hasSize(2);

    s.sites.network().heal(s.a.system(), s.b.system());
    // B's copy says out-of-sync meanwhile; A's unknown becomes in-sync on both sites.
    PeerMonitorScenario.updateAssociation(
        s.b, s.associationOnB().id(), b -> b.syncStatus(SyncStatus.OUT_OF_SYNC));
    Instant enabled = s.sites.now();
    SystemPeer back = setState(s.a, s.b, "enabled");
    s.sites.runUntilIdle();

    assertThat(back.administrativeState()).isEqualTo(AdministrativeState.ENABLED);
    assertThat(s.sites.now()).isEqualTo(enabled);
    assertThat(s.heartbeats(s.a, s.b)).isEqualTo(1);
    assertThat(s.peerOnA().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
    assertThat(s.alarms(s.a).history(PEER_LOST, entityOf(s.b)))
        .extracting(AlarmEvent::kind)
        .containsExactly(Kind.RAISE, Kind.CLEAR, Kind.CLEAR);
    assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "updateAssociation"))
        .isEqualTo(1);

    s.beat(2);
    assertThat(s.heartbeats(s.a, s.b)).isEqualTo(3);
  }

  @Test
  @DisplayName(
      "a disabled primary counts as unavailable for the seed-fix update on the non-primary site,"
          + " although its last beats found it available")
  void disabledPrimaryCountsAsUnavailable() {
    s = new PeerMonitorScenario(10, 3).syncedGroup("sc1");
    PeerMonitorScenario.update(s.b, "sc1", b -> b.deployStatus(DeployStatus.REHOME_FAILED));
    SubcloudUpdate correction = SubcloudUpdate.builder().bootstrapAddress("10.10.10.77").build();
    assertThat(s.peerOnB().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
    List<Object> bBefore = PeerMonitorScenario.state(s.b);

    // Enabled and available: refused, nothing changed.
    assertThatThrownBy(() -> s.b.api().updateSubcloud(Caller.OPERATOR, "sc1", correction))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "Subcloud bootstrap values or address update in the non-primary site is only allowed"
                + " when rehome failed and the primary site is unavailable.");
    assertThat(PeerMonitorScenario.state(s.b)).isEqualTo(bBefore);

    setState(s.b, s.a, "disabled");
    assertThat(s.peerOnB().availabilityState()).isEqualTo(PeerAvailability.AVAILABLE);
    s.sites.network().resetCalls();

    Subcloud corrected = s.b.api().updateSubcloud(Caller.OPERATOR, "sc1", correction).value();

    assertThat(corrected.rehomeData().bootstrapAddress()).contains("10.10.10.77");
    assertThat(s.subcloud(s.b, "sc1")).isEqualTo(corrected);
    assertThat(corrected.deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
    assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
    assertThat(s.associationOnB().syncMessage()).isNull();
    assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.sites.network().calls(s.b.system(), s.a.system())).isZero();
  }
}
