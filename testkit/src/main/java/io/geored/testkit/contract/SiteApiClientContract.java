package io.geored.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AssociationUpdate;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Secret;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.Stores;
import io.geored.testkit.sim.SingleSite;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link SiteApi} client: whatever carries the calls (the in-process network, the
 * HTTP adapter against its server on a loopback port, ...), a client of a site answers what the
 * site itself answers, and its refusals are the site's, with the same exception type and message
 * and nothing changed.
 *
 * <p>Each test gets a fresh real site ({@link SingleSite}, in memory and virtual time) and a client
 * of it from {@link #connect(SingleSite)}. Answers are compared with the site's stores field by
 * field, except what no transport carries: the store {@code version}, a subcloud's {@code rehomed}
 * flag, and (never answered) passwords.
 */
public abstract class SiteApiClientContract {

  /** The uuid of the system peer the tests create. */
  protected static final String PEER_UUID = "bbbbbbbb-0000-4000-8000-000000000002";

  /** The site under the client. */
  protected SingleSite target;

  /** The client under test. */
  protected SiteApi client;

  /**
   * A client reaching the site through the transport under test.
   *
   * @param site the real site to reach
   * @return the client
   */
  protected abstract SiteApi connect(SingleSite site);

  /** Releases what {@link #connect} opened (servers, networks). Default: nothing. */
  protected void disconnect() {}

  @BeforeEach
  void openClient() {
    target = SingleSite.create();
    target.scheduler().advance(Duration.ofMinutes(1));
    client = connect(target);
  }

  @AfterEach
  void closeClient() {
    disconnect();
  }

  // ------------------------------------------------------------------ fixtures

  private static SystemPeerCreate.Builder peerRequest(String uuid, String name) {
    return SystemPeerCreate.builder()
        .peerUuid(uuid)
        .peerName(name)
        .managerEndpoint("https://" + name + ".example:8119/v1.0")
        .managerUsername("admin")
        .managerPassword("Pa55w0rd!")
        .peerControllerGatewayAddress("fd00:10::1");
  }

  private static Map<String, Object> bootstrap(String name) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("name", name);
    values.put("bootstrap-address", "10.10.10.2");
    values.put("systemcontroller_gateway_address", "192.168.204.101");
    values.put("sysadmin_password", "never-stored");
    values.put("external_oam_floating_address", "10.10.10.3");
    values.put("management_subnet", "192.168.101.0/24");
    values.put("admin_password", "YWRtaW4=");
    values.put("nested", Map.of("list", List.of(1, "two", true), "yes", "yes"));
    return values;
  }

  private Subcloud registerSubcloud(String name) {
    return client.createSubcloud(
        Caller.OPERATOR,
        SubcloudCreate.builder()
            .name(name)
            .regionName("region-" + name)
            .description("edge " + name)
            .location("Zürich – 東京")
            .bootstrapValues(bootstrap(name))
            .bootstrapAddress("10.10.10.2")
            .build());
  }

  private SubcloudPeerGroup createGroup(String name, int priority) {
    return client.createPeerGroup(
        Caller.OPERATOR,
        PeerGroupCreate.builder()
            .peerGroupName(name)
            .groupPriority(priority)
            .maxSubcloudRehoming(10)
            .build());
  }

  private Stores stores() {
    return target.stores();
  }

  private SystemPeer storedPeer(long id) {
    return stores().systemPeers().findById(id).orElseThrow();
  }

  private record Snapshot(List<?> peers, List<?> groups, List<?> associations, List<?> subclouds) {}

  private Snapshot snapshot() {
    return new Snapshot(
        stores().systemPeers().findAll(),
        stores().peerGroups().findAll(),
        stores().associations().findAll(),
        stores().subclouds().findAll());
  }

  /**
   * Asserts a call is refused with an exception type and exact message, and changes nothing.
   *
   * @param call the call
   * @param type the expected exception type
   * @param message the exact message
   */
  protected void assertRefused(Runnable call, Class<? extends Throwable> type, String message) {
    Snapshot before = snapshot();
    assertThatThrownBy(call::run).isInstanceOf(type).hasMessage(message);
    assertThat(snapshot()).isEqualTo(before);
  }

  private static void assertSamePeer(SystemPeer answered, SystemPeer stored) {
    assertThat(answered)
        .usingRecursiveComparison()
        .ignoringFields("version", "managerPassword")
        .isEqualTo(stored);
    assertThat(answered.managerPassword()).isEqualTo(Secret.NONE);
  }

  private static void assertSameSubcloud(Subcloud answered, Subcloud stored) {
    assertThat(answered)
        .usingRecursiveComparison()
        .ignoringFields("version", "rehomed")
        .isEqualTo(stored);
  }

  private static <T> void assertSameRecord(T answered, T stored) {
    assertThat(answered).usingRecursiveComparison().ignoringFields("version").isEqualTo(stored);
  }

  /** Runs the same call on the client and on the site: both answer alike or are refused alike. */
  private <T> void assertSameOutcome(Supplier<T> viaClient, Supplier<T> direct) {
    Throwable clientFailure = null;
    T clientAnswer = null;
    try {
      clientAnswer = viaClient.get();
    } catch (RuntimeException e) {
      clientFailure = e;
    }
    Throwable directFailure = catchThrowable(direct::get);
    if (directFailure == null) {
      assertThat(clientFailure).as("client failure").isNull();
      assertThat(clientAnswer).usingRecursiveComparison().isEqualTo(direct.get());
    } else if (directFailure instanceof io.geored.spi.GeoredException) {
      assertThat(clientFailure)
          .as("client failure")
          .isInstanceOf(directFailure.getClass())
          .hasMessage(directFailure.getMessage());
    } else {
      // A failure the site did not mean (a bug, a missing part) reaches a remote caller as an
      // internal error of the peer: a transport failure, whatever the transport.
      assertThat(clientFailure)
          .as("client failure")
          .isInstanceOf(io.geored.spi.PeerTransportException.class);
    }
  }

  // ------------------------------------------------------------------ identity

  @Test
  @DisplayName("identity answers the site's uuid and name")
  void identity() {
    assertThat(client.identity(Caller.PEER_SITE)).isEqualTo(SingleSite.SITE_A);
    assertThat(client.identity(Caller.OPERATOR)).isEqualTo(SingleSite.SITE_A);
  }

  // ------------------------------------------------------------------ system peers

  @Test
  @DisplayName("a created system peer is answered as stored, every field but the password")
  void createSystemPeer() {
    SystemPeer created =
        client.createSystemPeer(
            Caller.OPERATOR,
            peerRequest(PEER_UUID, "site-b")
                .heartbeatInterval(10)
                .heartbeatFailureThreshold(30)
                .heartbeatMaintenanceTimeout(36000)
                .heartbeatFailurePolicy("alarm")
                .administrativeState("enabled")
                .build());

    SystemPeer stored = storedPeer(created.id());
    assertSamePeer(created, stored);
    assertThat(stored.peerControllerGatewayIp()).isEqualTo("fd00:10::1");
    assertThat(stored.heartbeatInterval()).isEqualTo(10);
    assertThat(stored.managerPassword().isEmpty()).isFalse();
  }

  @Test
  @DisplayName("a system peer is read by id, uuid and name, and listed")
  void readSystemPeer() {
    SystemPeer created =
        client.createSystemPeer(Caller.OPERATOR, peerRequest(PEER_UUID, "site-b").build());
    SystemPeer stored = storedPeer(created.id());

    assertSamePeer(client.getSystemPeer(Caller.OPERATOR, String.valueOf(created.id())), stored);
    assertSamePeer(client.getSystemPeer(Caller.PEER_SITE, PEER_UUID), stored);
    assertSamePeer(client.getSystemPeer(Caller.OPERATOR, "site-b"), stored);
    List<SystemPeer> listed = client.listSystemPeers(Caller.OPERATOR);
    assertThat(listed).hasSize(1);
    assertSamePeer(listed.get(0), stored);
  }

  @Test
  @DisplayName("an unknown system peer is not found, with the site's text")
  void unknownSystemPeer() {
    assertRefused(
        () -> client.getSystemPeer(Caller.PEER_SITE, "cccccccc-0000-4000-8000-000000000003"),
        NotFoundException.class,
        Messages.SYSTEM_PEER_NOT_FOUND);
  }

  @Test
  @DisplayName("a second peer with the same uuid is a conflict and changes nothing")
  void duplicateSystemPeer() {
    client.createSystemPeer(Caller.OPERATOR, peerRequest(PEER_UUID, "site-b").build());
    assertRefused(
        () -> client.createSystemPeer(Caller.OPERATOR, peerRequest(PEER_UUID, "site-x").build()),
        ConflictException.class,
        Messages.SYSTEM_PEER_UUID_EXISTS);
  }

  @Test
  @DisplayName("heartbeat_interval is accepted at 600 and refused at 601 with the site's text")
  void heartbeatIntervalLimit() {
    SystemPeer atLimit =
        client.createSystemPeer(
            Caller.OPERATOR, peerRequest(PEER_UUID, "site-b").heartbeatInterval(600).build());
    assertThat(storedPeer(atLimit.id()).heartbeatInterval()).isEqualTo(600);
    assertRefused(
        () ->
            client.createSystemPeer(
                Caller.OPERATOR,
                peerRequest("cccccccc-0000-4000-8000-000000000003", "site-c")
                    .heartbeatInterval(601)
                    .build()),
        ValidationException.class,
        Messages.INVALID_PEER_HEARTBEAT_INTERVAL);
  }

  @Test
  @DisplayName("an updated system peer is answered as stored")
  void updateSystemPeer() {
    SystemPeer created =
        client.createSystemPeer(Caller.OPERATOR, peerRequest(PEER_UUID, "site-b").build());
    WithInfo<SystemPeer> updated =
        client.updateSystemPeer(
            Caller.OPERATOR,
            "site-b",
            SystemPeerUpdate.builder().heartbeatInterval(120).peerName("site-b2").build());

    assertSamePeer(updated.value(), storedPeer(created.id()));
    assertThat(updated.value().heartbeatInterval()).isEqualTo(120);
    assertThat(updated.value().peerName()).isEqualTo("site-b2");
    assertThat(updated.infoMessage()).isNull();
  }

  @Test
  @DisplayName("a deleted system peer is gone; deleting it again is not found")
  void deleteSystemPeer() {
    client.createSystemPeer(Caller.OPERATOR, peerRequest(PEER_UUID, "site-b").build());
    client.deleteSystemPeer(Caller.OPERATOR, PEER_UUID);
    assertThat(stores().systemPeers().findAll()).isEmpty();
    assertRefused(
        () -> client.deleteSystemPeer(Caller.OPERATOR, PEER_UUID),
        NotFoundException.class,
        Messages.SYSTEM_PEER_NOT_FOUND);
  }

  // ------------------------------------------------------------------ peer groups

  @Test
  @DisplayName("a created peer group is answered as stored, read by name and id, and listed")
  void peerGroupRoundTrip() {
    SubcloudPeerGroup created = createGroup("pg1", 0);
    SubcloudPeerGroup stored = stores().peerGroups().findById(created.id()).orElseThrow();

    assertSameRecord(created, stored);
    assertThat(stored.systemLeaderId()).isEqualTo(SingleSite.SITE_A.uuid());
    assertSameRecord(client.getPeerGroup(Caller.OPERATOR, "pg1"), stored);
    assertSameRecord(client.getPeerGroup(Caller.PEER_SITE, String.valueOf(created.id())), stored);
    assertThat(client.listPeerGroups(Caller.PEER_SITE)).hasSize(1);
    assertSameRecord(client.listPeerGroups(Caller.PEER_SITE).get(0), stored);
  }

  @Test
  @DisplayName("a peer group update is answered as stored; a migration status set and cleared")
  void updatePeerGroup() {
    SubcloudPeerGroup created = createGroup("pg1", 0);
    SubcloudPeerGroup updated =
        client.updatePeerGroup(
            Caller.OPERATOR, "pg1", PeerGroupUpdate.builder().maxSubcloudRehoming(250).build());
    assertSameRecord(updated, stores().peerGroups().findById(created.id()).orElseThrow());
    assertThat(updated.maxSubcloudRehoming()).isEqualTo(250);
  }

  @Test
  @DisplayName("max-subcloud-rehoming is refused at 251 with the site's text")
  void maxRehomingLimit() {
    createGroup("pg1", 0);
    assertRefused(
        () ->
            client.updatePeerGroup(
                Caller.OPERATOR, "pg1", PeerGroupUpdate.builder().maxSubcloudRehoming(251).build()),
        ValidationException.class,
        Messages.INVALID_MAX_SUBCLOUD_REHOMING);
  }

  @Test
  @DisplayName("a group's status and members are answered as the site counts them")
  void statusAndMembers() {
    SubcloudPeerGroup group = createGroup("pg1", 0);
    assertSameOutcome(
        () -> client.peerGroupStatus(Caller.OPERATOR, "pg1"),
        () -> target.site().peerGroupStatus(Caller.OPERATOR, "pg1"));
    assertThat(client.peerGroupStatus(Caller.OPERATOR, "pg1").peerGroupId()).isEqualTo(group.id());
    assertThat(client.subcloudsOfPeerGroup(Caller.PEER_SITE, "pg1")).isEmpty();
  }

  @Test
  @DisplayName("an unknown peer group is not found; a deleted one is gone")
  void deletePeerGroup() {
    createGroup("pg1", 0);
    client.deletePeerGroup(Caller.OPERATOR, "pg1");
    assertThat(stores().peerGroups().findAll()).isEmpty();
    assertRefused(
        () -> client.getPeerGroup(Caller.PEER_SITE, "pg1"),
        NotFoundException.class,
        Messages.PEER_GROUP_NOT_FOUND);
  }

  @Test
  @DisplayName("audit and migrate requests meet the same outcome through the client")
  void auditAndMigrate() {
    createGroup("pg1", 0);
    AuditRequest audit =
        AuditRequest.builder()
            .peerUuid(PEER_UUID)
            .peerGroupName("pg1")
            .groupPriority(0)
            .groupState("enabled")
            .systemLeaderId(PEER_UUID)
            .systemLeaderName("site-b")
            .migrationStatus("none")
            .maxSubcloudRehoming(10)
            .build();
    assertSameOutcome(
        () -> client.auditPeerGroup(Caller.PEER_SITE, "pg1", audit),
        () -> target.site().auditPeerGroup(Caller.PEER_SITE, "pg1", audit));
    AuditRequest missing = audit.toBuilder().peerUuid(null).build();
    assertSameOutcome(
        () -> client.auditPeerGroup(Caller.PEER_SITE, "pg1", missing),
        () -> target.site().auditPeerGroup(Caller.PEER_SITE, "pg1", missing));
    assertSameOutcome(
        () -> client.migratePeerGroup(Caller.OPERATOR, "pg1", new MigrateRequest(null)),
        () -> target.site().migratePeerGroup(Caller.OPERATOR, "pg1", new MigrateRequest(null)));
  }

  // ------------------------------------------------------------------ associations

  @Test
  @DisplayName("a peer site's association is non-primary; its status is set, read and deleted")
  void nonPrimaryAssociation() {
    SystemPeer peer =
        client.createSystemPeer(Caller.OPERATOR, peerRequest(PEER_UUID, "site-b").build());
    SubcloudPeerGroup group =
        client.createPeerGroup(
            Caller.PEER_SITE,
            PeerGroupCreate.builder()
                .peerGroupName("pg1")
                .groupPriority(2)
                .systemLeaderId(PEER_UUID)
                .systemLeaderName("site-b")
                .maxSubcloudRehoming(10)
                .build());
    PeerGroupAssociation created =
        client.createAssociation(
            Caller.PEER_SITE,
            AssociationCreate.builder().peerGroupId(group.id()).systemPeerId(peer.id()).build());
    assertThat(created.associationType()).isEqualTo(AssociationType.NON_PRIMARY);
    assertSameRecord(created, stores().associations().findById(created.id()).orElseThrow());

    PeerGroupAssociation updated =
        client.updateAssociation(
            Caller.PEER_SITE,
            created.id(),
            AssociationUpdate.builder().syncStatus("in-sync").build());
    assertThat(updated.syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    PeerGroupAssociation stored = stores().associations().findById(created.id()).orElseThrow();
    assertSameRecord(updated, stored);
    assertSameRecord(client.getAssociation(Caller.OPERATOR, created.id()), stored);
    assertThat(client.listAssociations(Caller.PEER_SITE))
        .singleElement()
        .usingRecursiveComparison()
        .ignoringFields("version", "syncMessage")
        .isEqualTo(stored);

    client.deleteAssociation(Caller.PEER_SITE, created.id());
    assertThat(stores().associations().findAll()).isEmpty();
  }

  @Test
  @DisplayName(
      "a bad sync status is refused with the site's text; an unknown association is not found")
  void associationRefusals() {
    SystemPeer peer =
        client.createSystemPeer(Caller.OPERATOR, peerRequest(PEER_UUID, "site-b").build());
    SubcloudPeerGroup group = createGroup("pg1", 0);
    assertRefused(
        () ->
            client.createAssociation(
                Caller.OPERATOR,
                AssociationCreate.builder()
                    .peerGroupId(group.id())
                    .systemPeerId(peer.id())
                    .peerGroupPriority(65537)
                    .build()),
        ValidationException.class,
        Messages.INVALID_PEER_GROUP_PRIORITY);
    assertRefused(
        () -> client.getAssociation(Caller.OPERATOR, 4242),
        NotFoundException.class,
        Messages.ASSOCIATION_NOT_FOUND);
  }

  @Test
  @DisplayName("a primary association answers syncing and is stored as answered")
  void primaryAssociation() {
    SystemPeer peer =
        client.createSystemPeer(Caller.OPERATOR, peerRequest(PEER_UUID, "site-b").build());
    SubcloudPeerGroup group = createGroup("pg1", 0);
    PeerGroupAssociation created =
        client.createAssociation(
            Caller.OPERATOR,
            AssociationCreate.builder()
                .peerGroupId(group.id())
                .systemPeerId(peer.id())
                .peerGroupPriority(65536)
                .build());
    assertThat(created.associationType()).isEqualTo(AssociationType.PRIMARY);
    assertThat(created.syncStatus()).isEqualTo(SyncStatus.SYNCING);
    assertThat(created.peerGroupPriority()).isEqualTo(65536);
    assertSameRecord(created, stores().associations().findById(created.id()).orElseThrow());
  }

  // ------------------------------------------------------------------ subclouds

  @Test
  @DisplayName("a registered subcloud is answered as stored, rehome data and all")
  void registerSubcloud() {
    Subcloud created = registerSubcloud("sc1");
    Subcloud stored = stores().subclouds().findById(created.id()).orElseThrow();

    assertSameSubcloud(created, stored);
    assertThat(stored.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    assertThat(stored.managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(stored.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
    assertThat(stored.location()).isEqualTo("Zürich – 東京");
    assertThat(stored.rehomeData()).isNotNull();
  }

  @Test
  @DisplayName("a subcloud is read by name and id, by region name from a peer, and listed")
  void readSubcloud() {
    Subcloud created = registerSubcloud("sc1");
    Subcloud stored = stores().subclouds().findById(created.id()).orElseThrow();

    assertSameSubcloud(client.getSubcloud(Caller.OPERATOR, "sc1"), stored);
    assertSameSubcloud(client.getSubcloud(Caller.OPERATOR, String.valueOf(created.id())), stored);
    assertSameSubcloud(client.getSubcloud(Caller.PEER_SITE, "region-sc1"), stored);
    assertThat(client.listSubclouds(Caller.PEER_SITE)).hasSize(1);
    assertSameSubcloud(client.listSubclouds(Caller.PEER_SITE).get(0), stored);
  }

  @Test
  @DisplayName("a peer site's secondary copy is stored secondary, unmanaged and offline")
  void secondarySubcloud() {
    Subcloud created =
        client.createSubcloud(
            Caller.PEER_SITE,
            SubcloudCreate.builder()
                .name("sc9")
                .regionName("2ec93dfb654846909efe61d1b39dd2ce")
                .bootstrapValues(bootstrap("sc9"))
                .bootstrapAddress("10.10.10.9")
                .installValues(Map.of("bmc_address", "10.0.0.9", "boot_device", "/dev/sda"))
                .secondary(true)
                .build());
    Subcloud stored = stores().subclouds().findById(created.id()).orElseThrow();
    assertSameSubcloud(created, stored);
    assertThat(stored.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    assertThat(stored.regionName()).isEqualTo("2ec93dfb654846909efe61d1b39dd2ce");
  }

  @Test
  @DisplayName("a subcloud update is answered as stored")
  void updateSubcloud() {
    Subcloud created = registerSubcloud("sc1");
    WithInfo<Subcloud> updated =
        client.updateSubcloud(
            Caller.OPERATOR,
            "sc1",
            SubcloudUpdate.builder().description("moved").location("Ottawa").build());
    Subcloud stored = stores().subclouds().findById(created.id()).orElseThrow();
    assertSameSubcloud(updated.value(), stored);
    assertThat(stored.description()).isEqualTo("moved");
    assertThat(updated.infoMessage()).isNull();
  }

  @Test
  @DisplayName("managing an offline subcloud is refused with the site's text and changes nothing")
  void manageOffline() {
    registerSubcloud("sc1");
    assertRefused(
        () ->
            client.updateSubcloud(
                Caller.OPERATOR,
                "sc1",
                SubcloudUpdate.builder().managementState("managed").build()),
        ValidationException.class,
        Messages.SUBCLOUD_NOT_ONLINE);
  }

  @Test
  @DisplayName("a second subcloud of the same name is a conflict")
  void duplicateSubcloud() {
    registerSubcloud("sc1");
    assertRefused(
        () -> registerSubcloud("sc1"), ConflictException.class, Messages.subcloudNameExists("sc1"));
  }

  @Test
  @DisplayName("a deleted subcloud is gone; an unknown one is not found")
  void deleteSubcloud() {
    registerSubcloud("sc1");
    client.deleteSubcloud(Caller.PEER_SITE, "region-sc1");
    assertThat(stores().subclouds().findAll()).isEmpty();
    assertRefused(
        () -> client.getSubcloud(Caller.OPERATOR, "sc1"),
        NotFoundException.class,
        Messages.SUBCLOUD_NOT_FOUND);
  }
}
