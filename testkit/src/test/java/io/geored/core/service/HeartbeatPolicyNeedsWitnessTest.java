package io.geored.core.service;

import static io.geored.core.service.PeerFixtures.PEER_NAME;
import static io.geored.core.service.PeerFixtures.peerRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.GeoRedundancy;
import io.geored.core.service.PeerFixtures.Snapshot;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.witness.WitnessSettings;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.witness.InMemoryLeadershipStore;
import io.geored.testkit.witness.InMemoryWitness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("heartbeat failure policies rehome and delegate need a witness")
class HeartbeatPolicyNeedsWitnessTest {

  /** A site with an in-memory witness of its own. */
  static SingleSite withWitness() {
    return SingleSite.create(witness());
  }

  static UnaryOperator<GeoRedundancy.Builder> witness() {
    return b -> {
      InMemoryWitness w =
          new InMemoryWitness(io.geored.spi.time.Ticker.system(), WitnessSettings.DEFAULTS.ttl());
      return b.witness(
              w.client(SingleSite.SITE_A.uuid(), io.geored.spi.time.Ticker.system()),
              new InMemoryLeadershipStore())
          .witnessSettings(WitnessSettings.DEFAULTS);
    };
  }

  @Nested
  @DisplayName("on a site with no witness")
  class NoWitness {

    final SingleSite site = SingleSite.create();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rehome", "delegate", "Rehome", "DELEGATE"})
    @DisplayName("creating a peer with the policy is 400 naming it as given, and stores nothing")
    void createRefused(String policy) {
      Snapshot before = Snapshot.of(site.stores());

      assertThatThrownBy(
              () ->
                  site.site()
                      .createSystemPeer(
                          Caller.OPERATOR, peerRequest().heartbeatFailurePolicy(policy).build()))
          .isExactlyInstanceOf(ValidationException.class)
          .hasMessage(
              "Heartbeat failure policy "
                  + policy
                  + " needs a witness; none is configured on this"
                  + " site.")
          .hasMessage(Messages.heartbeatPolicyNeedsWitness(policy));
      assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rehome", "delegate"})
    @DisplayName("updating a peer to the policy is 400, and the peer stays as it was")
    void updateRefused(String policy) {
      site.site().createSystemPeer(Caller.OPERATOR, peerRequest().build());
      Snapshot before = Snapshot.of(site.stores());

      assertThatThrownBy(
              () ->
                  site.site()
                      .updateSystemPeer(
                          Caller.OPERATOR,
                          PEER_NAME,
                          SystemPeerUpdate.builder()
                              .heartbeatInterval(30)
                              .heartbeatFailurePolicy(policy)
                              .build()))
          .isExactlyInstanceOf(ValidationException.class)
          .hasMessage(Messages.heartbeatPolicyNeedsWitness(policy));
      assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    }

    @Test
    @DisplayName("a bad field is named first, as upstream orders its checks")
    void fieldErrorsFirst() {
      assertThatThrownBy(
              () ->
                  site.site()
                      .createSystemPeer(
                          Caller.OPERATOR,
                          peerRequest()
                              .heartbeatFailurePolicy("rehome")
                              .heartbeatMaintenanceTimeout(5)
                              .build()))
          .hasMessage(Messages.INVALID_PEER_MAINTENANCE_TIMEOUT);
      assertThatThrownBy(
              () ->
                  site.site()
                      .createSystemPeer(
                          Caller.OPERATOR,
                          peerRequest().heartbeatFailurePolicy("failover").build()))
          .hasMessage(Messages.INVALID_PEER_FAILURE_POLICY);
    }

    @Test
    @DisplayName("alarm is accepted, and an update that leaves the policy alone is too")
    void alarmAccepted() {
      SystemPeer created =
          site.site()
              .createSystemPeer(
                  Caller.OPERATOR, peerRequest().heartbeatFailurePolicy("Alarm").build());
      SystemPeer updated =
          site.site()
              .updateSystemPeer(
                  Caller.OPERATOR,
                  PEER_NAME,
                  SystemPeerUpdate.builder()
                      .heartbeatFailurePolicy("alarm")
                      .heartbeatInterval(30)
                      .build())
              .value();

      assertThat(created.heartbeatFailurePolicy()).isEqualTo(HeartbeatFailurePolicy.ALARM);
      assertThat(updated.heartbeatFailurePolicy()).isEqualTo(HeartbeatFailurePolicy.ALARM);
      assertThat(updated.heartbeatInterval()).isEqualTo(30);
    }

    @Test
    @DisplayName(
        "a peer stored with rehome before (an upgrade) can still be updated in its other fields")
    void storedPeerStillUpdatable() {
      insertPeer(
          site, "site-b", "bbbbbbbb-0000-4000-8000-000000000002", HeartbeatFailurePolicy.REHOME);

      SystemPeer updated =
          site.site()
              .updateSystemPeer(
                  Caller.OPERATOR,
                  "site-b",
                  SystemPeerUpdate.builder().heartbeatInterval(30).build())
              .value();

      assertThat(updated.heartbeatInterval()).isEqualTo(30);
      assertThat(updated.heartbeatFailurePolicy()).isEqualTo(HeartbeatFailurePolicy.REHOME);
    }
  }

  @Nested
  @DisplayName("on a site with a witness")
  class WithWitness {

    final SingleSite site = withWitness();

    @Test
    @DisplayName("creating and updating peers with rehome and delegate is accepted")
    void accepted() {
      SystemPeer created =
          site.site()
              .createSystemPeer(
                  Caller.OPERATOR, peerRequest().heartbeatFailurePolicy("Rehome").build());
      SystemPeer updated =
          site.site()
              .updateSystemPeer(
                  Caller.OPERATOR,
                  PEER_NAME,
                  SystemPeerUpdate.builder().heartbeatFailurePolicy("delegate").build())
              .value();

      assertThat(created.heartbeatFailurePolicy()).isEqualTo(HeartbeatFailurePolicy.REHOME);
      assertThat(updated.heartbeatFailurePolicy()).isEqualTo(HeartbeatFailurePolicy.DELEGATE);
      assertThat(site.stores().systemPeers().findAll())
          .extracting(SystemPeer::heartbeatFailurePolicy)
          .containsExactly(HeartbeatFailurePolicy.DELEGATE);
    }
  }

  @Nested
  @DisplayName("at engine start")
  class AtStart {

    @Test
    @DisplayName(
        "without a witness, one WARN line names every peer stored with rehome or delegate, and"
            + " the peers are left as stored")
    void warnsOnce() {
      SingleSite site = SingleSite.create();
      insertPeer(
          site, "site-b", "bbbbbbbb-0000-4000-8000-000000000002", HeartbeatFailurePolicy.REHOME);
      insertPeer(
          site, "site-c", "cccccccc-0000-4000-8000-000000000003", HeartbeatFailurePolicy.ALARM);
      insertPeer(
          site, "site-d", "dddddddd-0000-4000-8000-000000000004", HeartbeatFailurePolicy.DELEGATE);
      List<SystemPeer> before = site.stores().systemPeers().findAll();

      String log = stderrOf(() -> site.engine().start());

      assertThat(log.lines().filter(l -> l.contains(" WARN ")).toList())
          .singleElement()
          .asString()
          .endsWith(
              " WARN io.geored.core.GeoRedundancy - no witness is configured, so system peers"
                  + " with heartbeat failure policy rehome or delegate act as alarm"
                  + " peers=[site-b (rehome), site-d (delegate)]");
      assertThat(site.stores().systemPeers().findAll()).isEqualTo(before);
      site.engine().close();
    }

    @Test
    @DisplayName("with a witness, or with only alarm peers, no such line")
    void quietOtherwise() {
      SingleSite witnessed = withWitness();
      insertPeer(
          witnessed,
          "site-b",
          "bbbbbbbb-0000-4000-8000-000000000002",
          HeartbeatFailurePolicy.REHOME);
      SingleSite alarmOnly = SingleSite.create();
      insertPeer(
          alarmOnly,
          "site-b",
          "bbbbbbbb-0000-4000-8000-000000000002",
          HeartbeatFailurePolicy.ALARM);

      String log =
          stderrOf(
              () -> {
                witnessed.engine().start();
                alarmOnly.engine().start();
              });

      assertThat(log).doesNotContain("act as alarm");
      witnessed.engine().close();
      alarmOnly.engine().close();
    }
  }

  static void insertPeer(SingleSite site, String name, String uuid, HeartbeatFailurePolicy policy) {
    site.stores()
        .systemPeers()
        .insert(
            SystemPeer.builder()
                .peerUuid(uuid)
                .peerName(name)
                .managerEndpoint("https://" + name + ":5000/v3")
                .managerUsername("admin")
                .peerControllerGatewayIp("10.10.10.1")
                .heartbeatFailurePolicy(policy)
                .availabilityState(PeerAvailability.CREATED)
                .createdAt(Instant.EPOCH)
                .build());
  }

  /** What the engine logged on stderr (the test logger's target) while running the action. */
  static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
