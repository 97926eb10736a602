package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.GeoredSettings;
import io.geored.core.internal.SiteContext;
import io.geored.core.secret.PlainTextPasswordCipher;
import io.geored.spi.GeoredException;
import io.geored.spi.NotFoundException;
import io.geored.spi.OperationFailedException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.event.GeoredEventListener;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.store.PeerGroupStore;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.spi.work.SubcloudStateListener;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimNetwork;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("A peer's request to audit a group is answered as docs/messages.md says")
class AuditRequestTest {

  private static final String KEYS =
      "peer_uuid, peer_group_name, group_priority, group_state, system_leader_id,"
          + " system_leader_name, migration_status";
  private static final String UNKNOWN_UUID = "dddddddd-0000-4000-8000-000000000004";

  private PeerMonitorScenario s;
  private List<Object> aBefore;
  private List<Object> bBefore;

  @BeforeEach
  void setUp() {
    s = new PeerMonitorScenario(60, 3).syncedGroup("sc1");
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  private void remember() {
    aBefore = PeerMonitorScenario.state(s.a);
    bBefore = PeerMonitorScenario.state(s.b);
  }

  private void assertNothingChanged() {
    assertThat(PeerMonitorScenario.state(s.a)).isEqualTo(aBefore);
    assertThat(PeerMonitorScenario.state(s.b)).isEqualTo(bBefore);
  }

  private AuditAnswer ask(String ref, AuditRequest request) {
    return s.a.api().auditPeerGroup(Caller.PEER_SITE, ref, request);
  }

  /** The request with the keys from {@code from} on (in upstream's order) left out. */
  private static AuditRequest withoutKeysFrom(AuditRequest full, int from) {
    AuditRequest.Builder b = full.toBuilder();
    List<UnaryOperator<AuditRequest.Builder>> drops =
        List.of(
            x -> x.peerUuid(null),
            x -> x.peerGroupName(null),
            x -> x.groupPriority(null),
            x -> x.groupState(null),
            x -> x.systemLeaderId(null),
            x -> x.systemLeaderName(null),
            x -> x.migrationStatus(null));
    for (int i = from; i < drops.size(); i++) {
      b = drops.get(i).apply(b);
    }
    return b.build();
  }

  private static AuditRequest withoutKey(AuditRequest full, String key) {
    AuditRequest.Builder b = full.toBuilder();
    return switch (key) {
      case "peer_uuid" -> b.peerUuid(null).build();
      case "peer_group_name" -> b.peerGroupName(null).build();
      case "group_priority" -> b.groupPriority(null).build();
      case "group_state" -> b.groupState(null).build();
      case "system_leader_id" -> b.systemLeaderId(null).build();
      case "system_leader_name" -> b.systemLeaderName(null).build();
      default -> b.migrationStatus(null).build();
    };
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "0, peer_uuid",
    "1, peer_group_name",
    "2, group_priority",
    "3, group_state",
    "4, system_leader_id",
    "5, system_leader_name",
    "6, migration_status"
  })
  @DisplayName(
      "a missing key is refused with 400 naming the first one missing, in upstream's order, and"
          + " nothing changes")
  void missingKeys(int index, String key) {
    remember();
    AuditRequest full = s.auditRequestFromB();
    String expected = "Unable to audit peer group pg1, missing " + key;
    assertThat(KEYS.split(", ")[index]).isEqualTo(key);

    for (AuditRequest request : List.of(withoutKeysFrom(full, index), withoutKey(full, key))) {
      assertThatThrownBy(() -> ask("pg1", request))
          .isInstanceOf(ValidationException.class)
          .hasMessage(expected)
          .hasMessage(Messages.auditMissingKey("pg1", key))
          .satisfies(e -> assertThat(((GeoredException) e).kind().httpStatus()).isEqualTo(400));
    }
    assertNothingChanged();
  }

  @Test
  @DisplayName("no request at all counts as missing peer_uuid; the message names the local group")
  void noRequest() {
    remember();

    assertThatThrownBy(() -> ask(String.valueOf(s.groupOnA.id()), null))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Unable to audit peer group pg1, missing peer_uuid");
    assertNothingChanged();
  }

  @Test
  @DisplayName("an unknown group is 404 before any key is looked at")
  void unknownGroup() {
    remember();

    assertThatThrownBy(() -> ask("nope", AuditRequest.builder().build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("Subcloud Peer Group not found")
        .hasMessage(Messages.PEER_GROUP_NOT_FOUND);
    assertNothingChanged();
  }

  @Test
  @DisplayName("an unknown system peer is answered, not refused")
  void unknownSystemPeer() {
    remember();

    AuditAnswer answer =
        ask("pg1", s.auditRequestFromB().toBuilder().peerUuid(UNKNOWN_UUID).build());

    assertThat(answer.message())
        .isEqualTo("System Peer with peer_uuid dddddddd-0000-4000-8000-000000000004 doesn't exist.")
        .isEqualTo(Messages.auditSystemPeerMissing(UNKNOWN_UUID));
    assertNothingChanged();
  }

  @Test
  @DisplayName("a known system peer this site does not monitor is answered so")
  void peerNotMonitored() {
    s.a
        .api()
        .createSystemPeer(
            Caller.OPERATOR,
            SystemPeerCreate.builder()
                .peerUuid(UNKNOWN_UUID)
                .peerName("site-d")
                .managerEndpoint("http://site-d.sim/v1.0")
                .managerUsername("admin")
                .managerPassword("Sim-Peer-Passw0rd")
                .peerControllerGatewayAddress("10.10.4.1")
                .build());
    remember();

    AuditAnswer answer =
        ask("pg1", s.auditRequestFromB().toBuilder().peerUuid(UNKNOWN_UUID).build());

    assertThat(answer.message())
        .isEqualTo(
            "System peer with UUID=dddddddd-0000-4000-8000-000000000004 is not under monitoring."
                + " Skipping audit for peer group pg1")
        .isEqualTo(Messages.auditPeerNotMonitored(UNKNOWN_UUID, "pg1"));
    assertNothingChanged();
  }

  @Test
  @DisplayName("a peer is not monitored by a site whose engine is stopped or not started")
  void notStarted() {
    try (SimHarness fresh = SimHarness.twoSites()) {
      fresh.pair(fresh.a(), fresh.b());
      SubcloudPeerGroup group =
          fresh
              .a()
              .api()
              .createPeerGroup(
                  Caller.OPERATOR,
                  io.geored.spi.api.PeerGroupCreate.builder().peerGroupName("pg1").build());

      AuditAnswer answer =
          fresh
              .a()
              .api()
              .auditPeerGroup(
                  Caller.PEER_SITE, "pg1", PeerMonitorScenario.auditRequestOf(fresh.b(), group));

      assertThat(answer.message())
          .isEqualTo(Messages.auditPeerNotMonitored(fresh.b().uuid(), "pg1"));
    }
  }

  @Test
  @DisplayName("a group the monitored peer has no association with is answered so")
  void groupNotAssociated() {
    SubcloudPeerGroup other = s.group("pg2");
    remember();

    AuditAnswer answer = ask("pg2", PeerMonitorScenario.auditRequestOf(s.b, other));

    assertThat(answer.message())
        .isEqualTo("No peer group id pg2 found")
        .isEqualTo(Messages.auditGroupNotMonitored("pg2"));
    assertNothingChanged();
  }

  @Test
  @DisplayName("a group gone by the time the audit looks it up by name is answered so")
  void groupGone() {
    Stores real = s.a.stores();
    PeerGroupStore groups = real.peerGroups();
    PeerGroupStore vanishing =
        new PeerGroupStore() {
          @Override
          public StoreResult<SubcloudPeerGroup> insert(SubcloudPeerGroup group) {
            return groups.insert(group);
          }

          @Override
          public StoreResult<SubcloudPeerGroup> update(SubcloudPeerGroup group) {
            return groups.update(group);
          }

          @Override
          public boolean delete(long id) {
            return groups.delete(id);
          }

          @Override
          public Optional<SubcloudPeerGroup> findById(long id) {
            return groups.findById(id);
          }

          @Override
          public Optional<SubcloudPeerGroup> findByName(String name) {
            // Deleted by someone else between the lookup by id and the one by name.
            return Optional.empty();
          }

          @Override
          public List<SubcloudPeerGroup> findAll() {
            return groups.findAll();
          }
        };
    Stores racing =
        new Stores(
            real.systemPeers(),
            vanishing,
            real.associations(),
            real.subclouds(),
            real.transactions());
    SiteContext context =
        new SiteContext(
            racing,
            LocalSystemIdentity.of(SimHarness.SITE_A),
            s.sites.network().peerSitesFor(SimHarness.SITE_A),
            s.scheduler,
            s.a.alarms(),
            new PlainTextPasswordCipher(),
            SubcloudStateListener.NONE,
            GeoredEventListener.NONE,
            (subcloud, data, password) -> new CompletableFuture<>(),
            subcloud -> CompletableFuture.completedFuture(subcloud.availabilityStatus()),
            GeoredSettings.DEFAULTS);
    PeerMonitor monitor = new PeerMonitor(context, new PeerGroupAudit(context));
    remember();

    AuditAnswer answer =
        monitor.onAuditRequest(
            Caller.PEER_SITE, String.valueOf(s.groupOnA.id()), s.auditRequestFromB());

    assertThat(answer.message())
        .isEqualTo("Subcloud Peer Group with name pg1 doesn't exist.")
        .isEqualTo(Messages.auditGroupMissing("pg1"));
    assertNothingChanged();
  }

  @Test
  @DisplayName("an audit that ran is answered with a null message")
  void ran() {
    PeerMonitorScenario.updateGroup(
        s.b,
        "pg1",
        g ->
            g.migrationStatus(MigrationStatus.COMPLETE)
                .systemLeaderId(s.b.uuid())
                .systemLeaderName(s.b.name()));
    PeerMonitorScenario.update(
        s.b,
        "sc1",
        b ->
            b.managementState(ManagementState.MANAGED)
                .availabilityStatus(AvailabilityStatus.ONLINE)
                .deployStatus(DeployStatus.COMPLETE));

    AuditAnswer answer = ask("pg1", s.auditRequestFromB());

    assertThat(answer).isEqualTo(new AuditAnswer(null));
    assertThat(answer.reason()).isEmpty();
    assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
  }

  @Test
  @DisplayName(
      "an audit that fails is a 500 naming the group, changes nothing, and runs again on the"
          + " next beat")
  void failedAudit() {
    PeerMonitorScenario.updateGroup(
        s.b,
        "pg1",
        g ->
            g.migrationStatus(MigrationStatus.COMPLETE)
                .systemLeaderId(s.b.uuid())
                .systemLeaderName(s.b.name()));
    PeerMonitorScenario.update(
        s.b,
        "sc1",
        b -> b.managementState(ManagementState.MANAGED).deployStatus(DeployStatus.COMPLETE));
    SimNetwork.Faults link = s.sites.network().link(s.a.system(), s.b.system());
    link.failCalls("subcloudsOfPeerGroup");
    remember();

    assertThatThrownBy(() -> ask("pg1", s.auditRequestFromB()))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("Unable to audit peer group pg1")
        .hasMessage(Messages.auditFailed("pg1"))
        .satisfies(e -> assertThat(((GeoredException) e).kind().httpStatus()).isEqualTo(500));
    assertNothingChanged();

    link.clear();
    s.beat(1);

    assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.NONE);
  }

  @Test
  @DisplayName("a status the request does not name counts as none: nothing to do")
  void unnamedStatus() {
    remember();

    AuditAnswer answer =
        ask("pg1", s.auditRequestFromB().toBuilder().migrationStatus("fake status").build());

    assertThat(answer.message()).isNull();
    assertNothingChanged();
  }
}
