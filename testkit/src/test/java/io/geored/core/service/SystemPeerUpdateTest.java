package io.geored.core.service;

import static io.geored.core.service.PeerFixtures.OTHER_NAME;
import static io.geored.core.service.PeerFixtures.OTHER_UUID;
import static io.geored.core.service.PeerFixtures.PASSWORD;
import static io.geored.core.service.PeerFixtures.PEER_NAME;
import static io.geored.core.service.PeerFixtures.PEER_UUID;
import static io.geored.core.service.PeerFixtures.insertAssociation;
import static io.geored.core.service.PeerFixtures.insertGroup;
import static io.geored.core.service.PeerFixtures.peerRequest;
import static io.geored.core.service.PeerFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.service.PeerFixtures.RecordingEvents;
import io.geored.core.service.PeerFixtures.Snapshot;
import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

@DisplayName("Updating a system peer")
class SystemPeerUpdateTest {

  private final RecordingEvents events = new RecordingEvents();
  private SingleSite site;
  private SystemPeer peer;
  private Instant createdAt;

  @BeforeEach
  void setUp() {
    // With a witness, so that policies rehome and delegate are accepted (a site without one
    // refuses them: HeartbeatPolicyNeedsWitnessTest).
    site =
        SingleSite.create(
            b ->
                HeartbeatPolicyNeedsWitnessTest.witness()
                    .apply(
                        b.eventListener(events)
                            .passwordCipher(SystemPeerCreateTest.TAGGING_CIPHER)));
    createdAt = site.scheduler().now();
    peer = site.site().createSystemPeer(Caller.OPERATOR, peerRequest().build());
    site.scheduler().advance(Duration.ofSeconds(90));
    events.clear();
  }

  private WithInfo<SystemPeer> update(String ref, SystemPeerUpdate request) {
    return site.site().updateSystemPeer(Caller.OPERATOR, ref, request);
  }

  private void assertRefused(
      String ref, SystemPeerUpdate request, Class<? extends Exception> type, String message) {
    Snapshot before = Snapshot.of(site.stores());
    assertThatThrownBy(() -> update(ref, request)).isExactlyInstanceOf(type).hasMessage(message);
    assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    assertThat(events.stateChanges()).isEmpty();
  }

  private SystemPeer stored() {
    return site.stores().systemPeers().findById(peer.id()).orElseThrow();
  }

  @Test
  @DisplayName("changes every field given, stamps updatedAt and answers without the password")
  void changesEveryField() {
    WithInfo<SystemPeer> answer =
        update(
            PEER_NAME,
            SystemPeerUpdate.builder()
                .peerUuid(OTHER_UUID)
                .peerName(OTHER_NAME)
                .managerEndpoint("http://peer-c:5000")
                .managerUsername("operator")
                .managerPassword("new-password")
                .peerControllerGatewayAddress("fd00::1")
                .administrativeState("Disabled")
                .heartbeatInterval(600)
                .heartbeatFailureThreshold(30)
                .heartbeatFailurePolicy("rehome")
                .heartbeatMaintenanceTimeout(36000)
                .build());

    SystemPeer expected =
        SystemPeer.builder()
            .id(peer.id())
            .peerUuid(OTHER_UUID)
            .peerName(OTHER_NAME)
            .managerEndpoint("http://peer-c:5000")
            .managerUsername("operator")
            .managerPassword(Secret.NONE)
            .peerControllerGatewayIp("fd00::1")
            .administrativeState(AdministrativeState.DISABLED)
            .heartbeatInterval(600)
            .heartbeatFailureThreshold(30)
            .heartbeatFailurePolicy(HeartbeatFailurePolicy.REHOME)
            .heartbeatMaintenanceTimeout(36000)
            .availabilityState(PeerAvailability.CREATED)
            .createdAt(createdAt)
            .updatedAt(site.scheduler().now())
            .version(2)
            .build();
    assertThat(answer.value()).isEqualTo(expected);
    assertThat(answer.infoMessage()).isNull();
    assertThat(stored())
        .isEqualTo(expected.toBuilder().managerPassword(Secret.of("enc:new-password")).build());
  }

  @Test
  @DisplayName("leaves the fields it does not name as they are")
  void partialUpdate() {
    SystemPeer before = stored();

    SystemPeer answer =
        update(PEER_NAME, SystemPeerUpdate.builder().heartbeatInterval(30).build()).value();

    assertThat(stored())
        .isEqualTo(
            before.toBuilder()
                .heartbeatInterval(30)
                .updatedAt(site.scheduler().now())
                .version(2)
                .build());
    assertThat(answer.managerPassword()).isEqualTo(Secret.NONE);
  }

  @Test
  @DisplayName("answers the peer unchanged when every value equals the current one")
  void sameValues() {
    SystemPeer before = stored();

    WithInfo<SystemPeer> answer =
        update(
            PEER_NAME,
            SystemPeerUpdate.builder()
                .peerName(PEER_NAME)
                .managerPassword(PASSWORD)
                .peerControllerGatewayAddress(PeerFixtures.GATEWAY)
                .administrativeState("ENABLED")
                .heartbeatInterval(60)
                .build());

    assertThat(stored()).isEqualTo(before);
    assertThat(answer.value()).isEqualTo(SystemPeerService.withoutPassword(before));
    assertThat(answer.infoMessage()).isNull();
    assertThat(events.stateChanges()).isEmpty();
  }

  @Test
  @DisplayName("stores a new password through the cipher")
  void newPassword() {
    update(PEER_NAME, SystemPeerUpdate.builder().managerPassword("other").build());

    assertThat(stored().managerPassword()).isEqualTo(Secret.of("enc:other"));
    assertThat(stored().version()).isEqualTo(2);
  }

  @Test
  @DisplayName("never takes the availability from anyone but the monitor")
  void availabilityKept() {
    SystemPeer unavailable =
        site.stores()
            .systemPeers()
            .update(stored().toBuilder().availabilityState(PeerAvailability.UNAVAILABLE).build())
            .orElseThrow(r -> new IllegalStateException(String.valueOf(r)));

    SystemPeer answer =
        update(PEER_NAME, SystemPeerUpdate.builder().heartbeatInterval(20).build()).value();

    assertThat(answer.availabilityState()).isEqualTo(PeerAvailability.UNAVAILABLE);
    assertThat(stored().availabilityState()).isEqualTo(PeerAvailability.UNAVAILABLE);
    assertThat(stored().version()).isEqualTo(unavailable.version() + 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", PEER_UUID, PEER_NAME})
  @DisplayName("finds the peer by id, uuid or name")
  void refs(String ref) {
    SystemPeer answer =
        update(ref, SystemPeerUpdate.builder().heartbeatInterval(11).build()).value();

    assertThat(answer.heartbeatInterval()).isEqualTo(11);
  }

  @Test
  @DisplayName("refuses an unknown peer (404)")
  void unknown() {
    assertRefused(
        "nobody",
        SystemPeerUpdate.builder().heartbeatInterval(11).build(),
        NotFoundException.class,
        Messages.SYSTEM_PEER_NOT_FOUND);
  }

  @Test
  @DisplayName("refuses a missing body")
  void missingBody() {
    assertRefused(PEER_NAME, null, ValidationException.class, Messages.BODY_REQUIRED);
  }

  @Test
  @DisplayName("refuses an update that names no field")
  void nothing() {
    assertRefused(
        PEER_NAME,
        SystemPeerUpdate.builder().build(),
        ValidationException.class,
        Messages.NOTHING_TO_UPDATE);
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("name of 255 characters", u(b -> b.peerName(text('n', 255)))),
        Arguments.of(
            "endpoint of 254 characters",
            u(b -> b.managerEndpoint("https://" + text('e', 254 - 8)))),
        Arguments.of("username of 254 characters", u(b -> b.managerUsername(text('u', 254)))),
        Arguments.of("password of 254 characters", u(b -> b.managerPassword(text('p', 254)))),
        Arguments.of("IPv6 gateway", u(b -> b.peerControllerGatewayAddress("FD00:8:58::2"))),
        Arguments.of("heartbeat interval 10", u(b -> b.heartbeatInterval(10))),
        Arguments.of("heartbeat interval 600", u(b -> b.heartbeatInterval(600))),
        Arguments.of("failure threshold 1", u(b -> b.heartbeatFailureThreshold(1))),
        Arguments.of("failure threshold 30", u(b -> b.heartbeatFailureThreshold(30))),
        Arguments.of("policy delegate", u(b -> b.heartbeatFailurePolicy("DELEGATE"))),
        Arguments.of("maintenance timeout 300", u(b -> b.heartbeatMaintenanceTimeout(300))),
        Arguments.of("maintenance timeout 36000", u(b -> b.heartbeatMaintenanceTimeout(36000))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  @DisplayName("accepts a value at its limit")
  void acceptsAtLimit(String label, UnaryOperator<SystemPeerUpdate.Builder> change) {
    SystemPeerUpdate request = change.apply(SystemPeerUpdate.builder()).build();

    update(PEER_NAME, request);

    SystemPeer after = stored();
    assertThat(after.version()).isEqualTo(2);
    if (request.peerName() != null) {
      assertThat(after.peerName()).isEqualTo(request.peerName());
    }
    if (request.peerControllerGatewayAddress() != null) {
      assertThat(after.peerControllerGatewayIp()).isEqualTo(request.peerControllerGatewayAddress());
    }
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(u(b -> b.peerUuid("not-a-uuid")), Messages.INVALID_PEER_UUID),
        Arguments.of(u(b -> b.peerUuid("")), Messages.INVALID_PEER_UUID),
        Arguments.of(u(b -> b.peerName("")), Messages.INVALID_PEER_NAME),
        Arguments.of(u(b -> b.peerName("4242")), Messages.INVALID_PEER_NAME),
        Arguments.of(u(b -> b.peerName("None")), Messages.INVALID_PEER_NAME),
        Arguments.of(u(b -> b.peerName("a^b")), Messages.INVALID_PEER_NAME),
        Arguments.of(u(b -> b.peerName(text('n', 256))), Messages.INVALID_PEER_NAME),
        Arguments.of(u(b -> b.managerEndpoint("peer:5000")), Messages.INVALID_PEER_ENDPOINT),
        Arguments.of(
            u(b -> b.managerEndpoint("https://" + text('e', 255 - 8))),
            Messages.INVALID_PEER_ENDPOINT),
        Arguments.of(u(b -> b.managerUsername("")), Messages.INVALID_PEER_USERNAME),
        Arguments.of(u(b -> b.managerUsername(text('u', 255))), Messages.INVALID_PEER_USERNAME),
        Arguments.of(u(b -> b.managerPassword("")), Messages.INVALID_PEER_PASSWORD),
        Arguments.of(u(b -> b.managerPassword(text('p', 255))), Messages.INVALID_PEER_PASSWORD),
        Arguments.of(
            u(b -> b.peerControllerGatewayAddress("gateway")), Messages.INVALID_PEER_GATEWAY),
        Arguments.of(u(b -> b.administrativeState("off")), Messages.INVALID_PEER_ADMIN_STATE),
        Arguments.of(u(b -> b.heartbeatInterval(9)), Messages.INVALID_PEER_HEARTBEAT_INTERVAL),
        Arguments.of(u(b -> b.heartbeatInterval(601)), Messages.INVALID_PEER_HEARTBEAT_INTERVAL),
        Arguments.of(
            u(b -> b.heartbeatFailureThreshold(0)), Messages.INVALID_PEER_FAILURE_THRESHOLD),
        Arguments.of(
            u(b -> b.heartbeatFailureThreshold(31)), Messages.INVALID_PEER_FAILURE_THRESHOLD),
        Arguments.of(
            u(b -> b.heartbeatFailurePolicy("page")), Messages.INVALID_PEER_FAILURE_POLICY),
        Arguments.of(
            u(b -> b.heartbeatMaintenanceTimeout(299)), Messages.INVALID_PEER_MAINTENANCE_TIMEOUT),
        Arguments.of(
            u(b -> b.heartbeatMaintenanceTimeout(36001)),
            Messages.INVALID_PEER_MAINTENANCE_TIMEOUT));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("refused")
  @DisplayName("refuses a bad value with its field's message and changes nothing")
  void refusesPastLimit(UnaryOperator<SystemPeerUpdate.Builder> change, String message) {
    assertRefused(
        PEER_NAME,
        change.apply(SystemPeerUpdate.builder()).build(),
        ValidationException.class,
        message);
  }

  @Test
  @DisplayName("names the first bad field in upstream's order")
  void validationOrder() {
    SystemPeerUpdate.Builder request =
        SystemPeerUpdate.builder()
            .peerUuid("bad")
            .peerName("none")
            .managerEndpoint("x")
            .managerUsername("")
            .managerPassword("")
            .peerControllerGatewayAddress("x")
            .administrativeState("x")
            .heartbeatInterval(0)
            .heartbeatFailureThreshold(0)
            .heartbeatFailurePolicy("x")
            .heartbeatMaintenanceTimeout(0);

    String[] expected = {
      Messages.INVALID_PEER_UUID,
      Messages.INVALID_PEER_NAME,
      Messages.INVALID_PEER_ENDPOINT,
      Messages.INVALID_PEER_USERNAME,
      Messages.INVALID_PEER_PASSWORD,
      Messages.INVALID_PEER_GATEWAY,
      Messages.INVALID_PEER_ADMIN_STATE,
      Messages.INVALID_PEER_HEARTBEAT_INTERVAL,
      Messages.INVALID_PEER_FAILURE_THRESHOLD,
      Messages.INVALID_PEER_FAILURE_POLICY,
      Messages.INVALID_PEER_MAINTENANCE_TIMEOUT
    };
    List<UnaryOperator<SystemPeerUpdate.Builder>> fixes =
        List.of(
            b -> b.peerUuid(null),
            b -> b.peerName(null),
            b -> b.managerEndpoint(null),
            b -> b.managerUsername(null),
            b -> b.managerPassword(null),
            b -> b.peerControllerGatewayAddress(null),
            b -> b.administrativeState(null),
            b -> b.heartbeatInterval(null),
            b -> b.heartbeatFailureThreshold(null),
            b -> b.heartbeatFailurePolicy(null));
    for (int i = 0; i < expected.length; i++) {
      assertRefused(PEER_NAME, request.build(), ValidationException.class, expected[i]);
      if (i < fixes.size()) {
        fixes.get(i).apply(request);
      }
    }
  }

  @Nested
  @DisplayName("uniqueness")
  class Uniqueness {

    @BeforeEach
    void secondPeer() {
      site.site().createSystemPeer(Caller.OPERATOR, peerRequest(OTHER_UUID, OTHER_NAME).build());
      events.clear();
    }

    @Test
    @DisplayName("refuses the uuid of another peer (409)")
    void uuidTaken() {
      assertRefused(
          PEER_NAME,
          SystemPeerUpdate.builder().peerUuid(OTHER_UUID).build(),
          ConflictException.class,
          Messages.SYSTEM_PEER_UUID_EXISTS);
    }

    @Test
    @DisplayName("refuses the name of another peer (409)")
    void nameTaken() {
      assertRefused(
          PEER_NAME,
          SystemPeerUpdate.builder().peerName(OTHER_NAME).build(),
          ConflictException.class,
          Messages.SYSTEM_PEER_NAME_EXISTS);
    }
  }

  @Nested
  @DisplayName("a new gateway address")
  class Gateway {

    private PeerGroupAssociation primaryInSync;
    private PeerGroupAssociation primaryFailed;
    private PeerGroupAssociation nonPrimary;
    private PeerGroupAssociation otherPeers;

    @BeforeEach
    void associations() {
      long g1 = insertGroup(site.stores(), "pg1", 0).id();
      long g2 = insertGroup(site.stores(), "pg2", 0).id();
      long g3 = insertGroup(site.stores(), "pg3", 2).id();
      SystemPeer other =
          site.site()
              .createSystemPeer(Caller.OPERATOR, peerRequest(OTHER_UUID, OTHER_NAME).build());
      primaryInSync =
          insertAssociation(
              site.stores(), g1, peer.id(), AssociationType.PRIMARY, SyncStatus.IN_SYNC);
      primaryFailed =
          insertAssociation(
              site.stores(), g2, peer.id(), AssociationType.PRIMARY, SyncStatus.FAILED);
      nonPrimary =
          insertAssociation(
              site.stores(), g3, peer.id(), AssociationType.NON_PRIMARY, SyncStatus.IN_SYNC);
      otherPeers =
          insertAssociation(
              site.stores(), g1, other.id(), AssociationType.PRIMARY, SyncStatus.IN_SYNC);
      events.clear();
    }

    @Test
    @DisplayName(
        "puts this peer's associations out of sync, fails the primary ones whose peer cannot be"
            + " told, and says which to sync")
    void outOfSync() {
      WithInfo<SystemPeer> answer =
          update(
              PEER_NAME,
              SystemPeerUpdate.builder().peerControllerGatewayAddress("10.9.9.9").build());

      Instant now = site.scheduler().now();
      assertThat(site.stores().associations().findAll())
          .containsExactly(
              primaryInSync.toBuilder()
                  .syncStatus(SyncStatus.FAILED)
                  .syncMessage(Messages.failedToUpdatePeerSyncStatus(PEER_UUID, "out-of-sync"))
                  .updatedAt(now)
                  .version(3)
                  .build(),
              primaryFailed.toBuilder()
                  .syncStatus(SyncStatus.FAILED)
                  .syncMessage(Messages.failedToUpdatePeerSyncStatus(PEER_UUID, "out-of-sync"))
                  .updatedAt(now)
                  .version(3)
                  .build(),
              nonPrimary.toBuilder()
                  .syncStatus(SyncStatus.OUT_OF_SYNC)
                  .syncMessage(null)
                  .updatedAt(now)
                  .version(nonPrimary.version() + 1)
                  .build(),
              otherPeers);
      assertThat(answer.value().peerControllerGatewayIp()).isEqualTo("10.9.9.9");
      assertThat(answer.infoMessage())
          .isEqualTo(Messages.outOfSyncInfo(List.of(primaryInSync.id(), primaryFailed.id())))
          .isEqualTo(
              "The operation has caused the SPG to be out-of-sync. Please run"
                  + " peer-group-association sync command to push the subcloud peer group"
                  + " changes to the peer site:\n"
                  + "$ dcmanager peer-group-association sync 1\n"
                  + "$ dcmanager peer-group-association sync 2\n");
      assertThat(events.stateChanges())
          .containsExactly(
              "association 1 sync_status in-sync->out-of-sync",
              "association 1 sync_status out-of-sync->failed",
              "association 2 sync_status failed->out-of-sync",
              "association 2 sync_status out-of-sync->failed",
              "association 3 sync_status in-sync->out-of-sync");
    }

    @Test
    @DisplayName("leaves the associations alone when the address is the current one")
    void sameAddress() {
      WithInfo<SystemPeer> answer =
          update(
              PEER_NAME,
              SystemPeerUpdate.builder()
                  .peerControllerGatewayAddress(PeerFixtures.GATEWAY)
                  .heartbeatInterval(45)
                  .build());

      assertThat(answer.infoMessage()).isNull();
      assertThat(site.stores().associations().findAll())
          .containsExactly(primaryInSync, primaryFailed, nonPrimary, otherPeers);
    }

    @Test
    @DisplayName("changes nothing when the associations keep changing concurrently")
    void associationConflict() {
      SingleSite stale = siteWhoseUpdatesAlwaysLose(PeerGroupAssociation.class);
      SystemPeer p = stale.site().createSystemPeer(Caller.OPERATOR, peerRequest().build());
      long g = insertGroup(stale.stores(), "pg1", 0).id();
      insertAssociation(stale.stores(), g, p.id(), AssociationType.PRIMARY, SyncStatus.IN_SYNC);
      Snapshot before = Snapshot.of(stale.stores());

      assertThatThrownBy(
              () ->
                  stale
                      .site()
                      .updateSystemPeer(
                          Caller.OPERATOR,
                          PEER_NAME,
                          SystemPeerUpdate.builder()
                              .peerControllerGatewayAddress("10.9.9.9")
                              .build()))
          .isExactlyInstanceOf(ConflictException.class)
          .hasMessage(Messages.changedConcurrently("association", "1"));
      // The peer's own write is rolled back with the transaction.
      assertThat(Snapshot.of(stale.stores())).isEqualTo(before);
    }
  }

  @Test
  @DisplayName("gives up with 409 when the peer keeps changing concurrently, changing nothing")
  void concurrentChange() {
    SingleSite stale = siteWhoseUpdatesAlwaysLose(SystemPeer.class);
    stale.site().createSystemPeer(Caller.OPERATOR, peerRequest().build());
    Snapshot before = Snapshot.of(stale.stores());

    assertThatThrownBy(
            () ->
                stale
                    .site()
                    .updateSystemPeer(
                        Caller.OPERATOR,
                        PEER_NAME,
                        SystemPeerUpdate.builder().heartbeatInterval(20).build()))
        .isExactlyInstanceOf(ConflictException.class)
        .hasMessage(Messages.changedConcurrently("system peer", PEER_NAME))
        .hasMessage("Conflict: system peer site-b was changed concurrently; retry");
    assertThat(Snapshot.of(stale.stores())).isEqualTo(before);
  }

  static SingleSite siteWhoseUpdatesAlwaysLose(Class<?> kind) {
    return SingleSite.create(
        PeerFixtures.alwaysStale(InMemoryStores.create(), kind), new VirtualScheduler(), b -> b);
  }

  private static UnaryOperator<SystemPeerUpdate.Builder> u(
      UnaryOperator<SystemPeerUpdate.Builder> change) {
    return change;
  }
}
