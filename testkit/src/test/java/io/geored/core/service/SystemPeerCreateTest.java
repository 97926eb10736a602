package io.geored.core.service;

import static io.geored.core.service.PeerFixtures.ENDPOINT;
import static io.geored.core.service.PeerFixtures.GATEWAY;
import static io.geored.core.service.PeerFixtures.PASSWORD;
import static io.geored.core.service.PeerFixtures.PEER_NAME;
import static io.geored.core.service.PeerFixtures.PEER_UUID;
import static io.geored.core.service.PeerFixtures.peerRequest;
import static io.geored.core.service.PeerFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.service.PeerFixtures.RecordingEvents;
import io.geored.core.service.PeerFixtures.Snapshot;
import io.geored.spi.ConflictException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.secret.PasswordCipher;
import io.geored.testkit.sim.SingleSite;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Creating a system peer")
class SystemPeerCreateTest {

  /** A cipher whose output shows it ran, to tell the stored form from the clear password. */
  static final PasswordCipher TAGGING_CIPHER =
      new PasswordCipher() {
        @Override
        public String encrypt(String plain) {
          return "enc:" + plain;
        }

        @Override
        public String decrypt(String stored) {
          return stored.substring("enc:".length());
        }
      };

  private final RecordingEvents events = new RecordingEvents();
  private SingleSite site;

  @BeforeEach
  void setUp() {
    // With a witness, so that policies rehome and delegate are accepted (a site without one
    // refuses them: HeartbeatPolicyNeedsWitnessTest).
    site =
        SingleSite.create(
            b ->
                HeartbeatPolicyNeedsWitnessTest.witness()
                    .apply(b.eventListener(events).passwordCipher(TAGGING_CIPHER)));
    site.scheduler().advance(Duration.ofMinutes(5));
  }

  private SystemPeer create(SystemPeerCreate request) {
    return site.site().createSystemPeer(Caller.OPERATOR, request);
  }

  private void assertRefused(SystemPeerCreate request, String message) {
    Snapshot before = Snapshot.of(site.stores());
    assertThatThrownBy(() -> create(request))
        .isExactlyInstanceOf(ValidationException.class)
        .hasMessage(message);
    assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    assertThat(events.stateChanges()).isEmpty();
  }

  @Test
  @DisplayName("stores the peer with upstream's defaults and answers it without its password")
  void defaults() {
    SystemPeer answer = create(peerRequest().build());

    SystemPeer expected =
        SystemPeer.builder()
            .id(1)
            .peerUuid(PEER_UUID)
            .peerName(PEER_NAME)
            .managerEndpoint(ENDPOINT)
            .managerUsername("admin")
            .managerPassword(Secret.NONE)
            .peerControllerGatewayIp(GATEWAY)
            .administrativeState(AdministrativeState.ENABLED)
            .heartbeatInterval(60)
            .heartbeatFailureThreshold(3)
            .heartbeatFailurePolicy(HeartbeatFailurePolicy.ALARM)
            .heartbeatMaintenanceTimeout(600)
            .availabilityState(PeerAvailability.CREATED)
            .createdAt(site.scheduler().now())
            .updatedAt(null)
            .version(1)
            .build();
    assertThat(answer).isEqualTo(expected);
    assertThat(site.stores().systemPeers().findById(1))
        .contains(expected.toBuilder().managerPassword(Secret.of("enc:" + PASSWORD)).build());
  }

  @Test
  @DisplayName("takes every optional field as given, reading enum-like values in any case")
  void optionalFields() {
    SystemPeer answer =
        create(
            peerRequest()
                .administrativeState("DISABLED")
                .heartbeatInterval(10)
                .heartbeatFailureThreshold(30)
                .heartbeatFailurePolicy("Delegate")
                .heartbeatMaintenanceTimeout(36000)
                .build());

    assertThat(answer.administrativeState()).isEqualTo(AdministrativeState.DISABLED);
    assertThat(answer.heartbeatInterval()).isEqualTo(10);
    assertThat(answer.heartbeatFailureThreshold()).isEqualTo(30);
    assertThat(answer.heartbeatFailurePolicy()).isEqualTo(HeartbeatFailurePolicy.DELEGATE);
    assertThat(answer.heartbeatMaintenanceTimeout()).isEqualTo(36000);
    assertThat(site.stores().systemPeers().findById(answer.id()))
        .contains(answer.toBuilder().managerPassword(Secret.of("enc:" + PASSWORD)).build());
  }

  @Test
  @DisplayName("stores the password only through the cipher and never shows it")
  void passwordNeverShown() {
    SystemPeer answer = create(peerRequest().build());

    SystemPeer stored = site.stores().systemPeers().findById(answer.id()).orElseThrow();
    assertThat(stored.managerPassword().reveal()).isEqualTo("enc:" + PASSWORD);
    assertThat(answer.managerPassword()).isEqualTo(Secret.NONE);
    assertThat(stored.toString()).doesNotContain(PASSWORD);
    assertThat(answer.toString()).doesNotContain(PASSWORD);
    assertThat(site.site().getSystemPeer(Caller.OPERATOR, PEER_NAME).managerPassword())
        .isEqualTo(Secret.NONE);
    assertThat(site.site().listSystemPeers(Caller.OPERATOR))
        .extracting(SystemPeer::managerPassword)
        .containsExactly(Secret.NONE);
  }

  @Test
  @DisplayName("tells the event listener the peer was created")
  void event() {
    create(peerRequest().build());

    assertThat(events.stateChanges()).containsExactly("system_peer site-b exists null->created");
  }

  @Test
  @DisplayName("a peer site may create one as an operator does")
  void peerSiteCaller() {
    SystemPeer answer = site.site().createSystemPeer(Caller.PEER_SITE, peerRequest().build());

    assertThat(answer.peerName()).isEqualTo(PEER_NAME);
  }

  @Test
  @DisplayName("refuses a missing body")
  void missingBody() {
    assertRefused(null, Messages.BODY_REQUIRED);
  }

  @Nested
  @DisplayName("uniqueness")
  class Uniqueness {

    @BeforeEach
    void existing() {
      create(peerRequest().build());
      events.clear();
    }

    @Test
    @DisplayName("refuses a second peer with the same uuid (409)")
    void sameUuid() {
      Snapshot before = Snapshot.of(site.stores());

      assertThatThrownBy(() -> create(peerRequest(PEER_UUID, "another").build()))
          .isExactlyInstanceOf(ConflictException.class)
          .hasMessage(Messages.SYSTEM_PEER_UUID_EXISTS);
      assertThat(Snapshot.of(site.stores())).isEqualTo(before);
      assertThat(events.stateChanges()).isEmpty();
    }

    @Test
    @DisplayName("refuses a second peer with the same name (409)")
    void sameName() {
      Snapshot before = Snapshot.of(site.stores());

      assertThatThrownBy(() -> create(peerRequest(PeerFixtures.OTHER_UUID, PEER_NAME).build()))
          .isExactlyInstanceOf(ConflictException.class)
          .hasMessage(Messages.SYSTEM_PEER_NAME_EXISTS);
      assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    }
  }

  /** Requests at a limit, each accepted. */
  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("uuid in upper case", u(b -> b.peerUuid(PEER_UUID.toUpperCase()))),
        Arguments.of("name of 255 characters", u(b -> b.peerName(text('n', 255)))),
        Arguments.of("name with digits and letters", u(b -> b.peerName("123a"))),
        Arguments.of("name containing none", u(b -> b.peerName("none-2"))),
        Arguments.of(
            "endpoint of 254 characters",
            u(b -> b.managerEndpoint("https://" + text('e', 254 - 8)))),
        Arguments.of("http endpoint", u(b -> b.managerEndpoint("http://peer:5000"))),
        Arguments.of("username of 254 characters", u(b -> b.managerUsername(text('u', 254)))),
        Arguments.of("password of 254 characters", u(b -> b.managerPassword(text('p', 254)))),
        Arguments.of("IPv6 gateway", u(b -> b.peerControllerGatewayAddress("fd00:8:58::1"))),
        Arguments.of("administrative state disabled", u(b -> b.administrativeState("disabled"))),
        Arguments.of("heartbeat interval 10", u(b -> b.heartbeatInterval(10))),
        Arguments.of("heartbeat interval 600", u(b -> b.heartbeatInterval(600))),
        Arguments.of("failure threshold 1", u(b -> b.heartbeatFailureThreshold(1))),
        Arguments.of("failure threshold 30", u(b -> b.heartbeatFailureThreshold(30))),
        Arguments.of("policy rehome", u(b -> b.heartbeatFailurePolicy("rehome"))),
        Arguments.of("policy ALARM", u(b -> b.heartbeatFailurePolicy("ALARM"))),
        Arguments.of("maintenance timeout 300", u(b -> b.heartbeatMaintenanceTimeout(300))),
        Arguments.of("maintenance timeout 36000", u(b -> b.heartbeatMaintenanceTimeout(36000))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  @DisplayName("accepts a value at its limit")
  void acceptsAtLimit(String label, UnaryOperator<SystemPeerCreate.Builder> change) {
    SystemPeerCreate request = change.apply(peerRequest()).build();

    SystemPeer answer = create(request);

    assertThat(answer.peerUuid()).isEqualTo(request.peerUuid());
    assertThat(answer.peerName()).isEqualTo(request.peerName());
    assertThat(answer.managerEndpoint()).isEqualTo(request.managerEndpoint());
    assertThat(answer.managerUsername()).isEqualTo(request.managerUsername());
    assertThat(answer.peerControllerGatewayIp()).isEqualTo(request.peerControllerGatewayAddress());
    assertThat(site.stores().systemPeers().findAll()).hasSize(1);
  }

  /** Requests one step past a limit, each refused with its message. */
  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(u(b -> b.peerUuid(null)), Messages.INVALID_PEER_UUID),
        Arguments.of(u(b -> b.peerUuid("not-a-uuid")), Messages.INVALID_PEER_UUID),
        Arguments.of(
            u(b -> b.peerUuid("bbbbbbbb000040008000000000000002")), Messages.INVALID_PEER_UUID),
        Arguments.of(u(b -> b.peerName(null)), Messages.INVALID_PEER_NAME),
        Arguments.of(u(b -> b.peerName("")), Messages.INVALID_PEER_NAME),
        Arguments.of(u(b -> b.peerName("12345")), Messages.INVALID_PEER_NAME),
        Arguments.of(u(b -> b.peerName("none")), Messages.INVALID_PEER_NAME),
        Arguments.of(u(b -> b.peerName("NoNe")), Messages.INVALID_PEER_NAME),
        Arguments.of(u(b -> b.peerName(text('n', 256))), Messages.INVALID_PEER_NAME),
        Arguments.of(u(b -> b.managerEndpoint(null)), Messages.INVALID_PEER_ENDPOINT),
        Arguments.of(u(b -> b.managerEndpoint("")), Messages.INVALID_PEER_ENDPOINT),
        Arguments.of(u(b -> b.managerEndpoint("ftp://peer")), Messages.INVALID_PEER_ENDPOINT),
        Arguments.of(u(b -> b.managerEndpoint("httpx://peer")), Messages.INVALID_PEER_ENDPOINT),
        Arguments.of(
            u(b -> b.managerEndpoint("https://" + text('e', 255 - 8))),
            Messages.INVALID_PEER_ENDPOINT),
        Arguments.of(u(b -> b.managerUsername(null)), Messages.INVALID_PEER_USERNAME),
        Arguments.of(u(b -> b.managerUsername("")), Messages.INVALID_PEER_USERNAME),
        Arguments.of(u(b -> b.managerUsername(text('u', 255))), Messages.INVALID_PEER_USERNAME),
        Arguments.of(u(b -> b.managerPassword(null)), Messages.INVALID_PEER_PASSWORD),
        Arguments.of(u(b -> b.managerPassword("")), Messages.INVALID_PEER_PASSWORD),
        Arguments.of(u(b -> b.managerPassword(text('p', 255))), Messages.INVALID_PEER_PASSWORD),
        Arguments.of(u(b -> b.peerControllerGatewayAddress(null)), Messages.INVALID_PEER_GATEWAY),
        Arguments.of(u(b -> b.peerControllerGatewayAddress("")), Messages.INVALID_PEER_GATEWAY),
        Arguments.of(
            u(b -> b.peerControllerGatewayAddress("gw.example.com")),
            Messages.INVALID_PEER_GATEWAY),
        Arguments.of(
            u(b -> b.peerControllerGatewayAddress("256.1.1.1")), Messages.INVALID_PEER_GATEWAY),
        Arguments.of(
            u(b -> b.peerControllerGatewayAddress("10.10.10")), Messages.INVALID_PEER_GATEWAY),
        Arguments.of(u(b -> b.administrativeState("")), Messages.INVALID_PEER_ADMIN_STATE),
        Arguments.of(u(b -> b.administrativeState("on")), Messages.INVALID_PEER_ADMIN_STATE),
        Arguments.of(u(b -> b.heartbeatInterval(9)), Messages.INVALID_PEER_HEARTBEAT_INTERVAL),
        Arguments.of(u(b -> b.heartbeatInterval(601)), Messages.INVALID_PEER_HEARTBEAT_INTERVAL),
        Arguments.of(
            u(b -> b.heartbeatFailureThreshold(0)), Messages.INVALID_PEER_FAILURE_THRESHOLD),
        Arguments.of(
            u(b -> b.heartbeatFailureThreshold(31)), Messages.INVALID_PEER_FAILURE_THRESHOLD),
        Arguments.of(
            u(b -> b.heartbeatFailurePolicy("none")), Messages.INVALID_PEER_FAILURE_POLICY),
        Arguments.of(u(b -> b.heartbeatFailurePolicy("")), Messages.INVALID_PEER_FAILURE_POLICY),
        Arguments.of(
            u(b -> b.heartbeatMaintenanceTimeout(299)), Messages.INVALID_PEER_MAINTENANCE_TIMEOUT),
        Arguments.of(
            u(b -> b.heartbeatMaintenanceTimeout(36001)),
            Messages.INVALID_PEER_MAINTENANCE_TIMEOUT));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("refused")
  @DisplayName("refuses a bad value with its field's message and stores nothing")
  void refusesPastLimit(UnaryOperator<SystemPeerCreate.Builder> change, String message) {
    assertRefused(change.apply(peerRequest()).build(), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "*", "+", "?", "|", "(", ")", "[", "]", "{", "}", "^", "$"})
  @DisplayName("refuses a name holding a regular-expression character")
  void refusesRegexCharacters(String character) {
    assertRefused(
        peerRequest().peerName("peer" + character + "b").build(), Messages.INVALID_PEER_NAME);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "peer/b",
        "peer\\b",
        "peer\nb",
        "peer\rb",
        "peer\u0000",
        "peer\u007f",
        "peer\u009b",
        " ",
        "\t"
      })
  @DisplayName("refuses a name holding /, \\ or a control character, or blank when trimmed")
  void refusesUnsafeNames(String name) {
    assertRefused(peerRequest().peerName(name).build(), Messages.INVALID_PEER_NAME);
  }

  @Test
  @DisplayName("names the first bad field in upstream's order")
  void validationOrder() {
    SystemPeerCreate.Builder request =
        SystemPeerCreate.builder()
            .peerUuid("bad")
            .peerName("none")
            .managerEndpoint("ftp://x")
            .managerUsername("")
            .managerPassword("")
            .peerControllerGatewayAddress("x")
            .administrativeState("x")
            .heartbeatInterval(0)
            .heartbeatFailureThreshold(0)
            .heartbeatFailurePolicy("x")
            .heartbeatMaintenanceTimeout(0);

    assertRefused(request.build(), Messages.INVALID_PEER_UUID);
    assertRefused(request.peerUuid(PEER_UUID).build(), Messages.INVALID_PEER_NAME);
    assertRefused(request.peerName(PEER_NAME).build(), Messages.INVALID_PEER_ENDPOINT);
    assertRefused(request.managerEndpoint(ENDPOINT).build(), Messages.INVALID_PEER_USERNAME);
    assertRefused(request.managerUsername("admin").build(), Messages.INVALID_PEER_PASSWORD);
    assertRefused(request.managerPassword(PASSWORD).build(), Messages.INVALID_PEER_GATEWAY);
    assertRefused(
        request.peerControllerGatewayAddress(GATEWAY).build(), Messages.INVALID_PEER_ADMIN_STATE);
    assertRefused(
        request.administrativeState("enabled").build(), Messages.INVALID_PEER_HEARTBEAT_INTERVAL);
    assertRefused(request.heartbeatInterval(60).build(), Messages.INVALID_PEER_FAILURE_THRESHOLD);
    assertRefused(
        request.heartbeatFailureThreshold(3).build(), Messages.INVALID_PEER_FAILURE_POLICY);
    assertRefused(
        request.heartbeatFailurePolicy("alarm").build(), Messages.INVALID_PEER_MAINTENANCE_TIMEOUT);
    assertThat(create(request.heartbeatMaintenanceTimeout(600).build()).id()).isEqualTo(1);
  }

  private static UnaryOperator<SystemPeerCreate.Builder> u(
      UnaryOperator<SystemPeerCreate.Builder> change) {
    return change;
  }
}
