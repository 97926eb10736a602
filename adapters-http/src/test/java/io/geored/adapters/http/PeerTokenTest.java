package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.testkit.sim.SingleSite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("a peer token does peer work only, over real HTTP")
class PeerTokenTest {

  static final String PEER_UA = GeoredHttpHandler.PEER_USER_AGENT;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  record Answer(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (java.io.IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  static Answer send(URI base, String token, String userAgent, String method, String path) {
    return send(base, token, userAgent, method, path, null);
  }

  static Answer send(
      URI base, String token, String userAgent, String method, String path, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("X-Auth-Token", token);
    if (userAgent != null) {
      b.header("User-Agent", userAgent);
    }
    if (json != null) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Everything in a site's four stores, to show that a refusal changed nothing. */
  record Snapshot(List<?> peers, List<?> groups, List<?> associations, List<?> subclouds) {
    static Snapshot of(Stores s) {
      return new Snapshot(
          s.systemPeers().findAll(),
          s.peerGroups().findAll(),
          s.associations().findAll(),
          s.subclouds().findAll());
    }
  }

  static void assertFault(Answer a, int status, String message) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    JsonNode body = a.json();
    assertThat(body.path("faultcode").asText()).isEqualTo(status >= 500 ? "Server" : "Client");
    assertThat(body.path("faultstring").asText()).isEqualTo(message);
  }

  /** Captures what the server logs (slf4j-simple writes to the current System.err). */
  static final class Log implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Log() {
      System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    String text() {
      return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      System.setErr(original);
    }
  }

  // ------------------------------------------------------------------ two sites

  @Nested
  @DisplayName("between two sites synced over HTTP")
  class TwoSites {

    HttpSeedSites s;
    URI aBase;

    @BeforeEach
    void setUp() {
      s = new HttpSeedSites().prepare("sc1");
      aBase = s.a.server.baseUri();
      // A subcloud of A's own, outside every peer group, and a third system peer C.
      s.a
          .api()
          .createSubcloud(
              Caller.OPERATOR,
              SubcloudCreate.builder()
                  .name("sc-local")
                  .regionName("region-sc-local")
                  .bootstrapValues(HttpSeedSites.bootstrapValues("sc-local"))
                  .bootstrapAddress(HttpSeedSites.GOOD_ADDRESS)
                  .build());
      s.a
          .api()
          .createSystemPeer(
              Caller.OPERATOR,
              SystemPeerCreate.builder()
                  .peerUuid("cccccccc-0000-4000-8000-000000000003")
                  .peerName("site-c")
                  .managerEndpoint("http://127.0.0.1:1/v1.0")
                  .managerUsername("admin")
                  .managerPassword("Http-Peer-Passw0rd")
                  .peerControllerGatewayAddress("10.10.3.1")
                  .build());
    }

    @AfterEach
    void tearDown() {
      s.close();
    }

    /** B's call to A, on the token A grants B. */
    Answer fromB(String userAgent, String method, String path, String json) {
      return send(aBase, s.a.peerToken, userAgent, method, path, json);
    }

    void refusedUnchanged(String userAgent, String method, String path, String json) {
      Snapshot before = Snapshot.of(s.a.stores);
      assertFault(fromB(userAgent, method, path, json), 403, Messages.PEER_REQUEST_FORBIDDEN);
      assertThat(Snapshot.of(s.a.stores)).isEqualTo(before);
    }

    @ParameterizedTest(name = "User-Agent {0}")
    @ValueSource(strings = {PEER_UA, "geored/1.0", "curl/8.0"})
    @DisplayName("today's abuses are 403 with the JSON fault, nothing changed, whatever the agent")
    void abuses(String userAgent) {
      long pg1 = s.group(s.a).id();
      refusedUnchanged(userAgent, "PATCH", "/subcloud-peer-groups/pg1", "{\"group-priority\":5}");
      refusedUnchanged(userAgent, "DELETE", "/subcloud-peer-groups/pg1", null);
      refusedUnchanged(userAgent, "DELETE", "/subcloud-peer-groups/" + pg1, null);
      refusedUnchanged(
          userAgent,
          "POST",
          "/subcloud-peer-groups",
          "{\"peer-group-name\":\"evil\",\"group-priority\":0}");
      refusedUnchanged(
          userAgent, "POST", "/subcloud-peer-groups", "{\"peer-group-name\":\"evil\"}");
      refusedUnchanged(userAgent, "PATCH", "/subclouds/sc-local", "{\"description\":\"mine\"}");
      refusedUnchanged(
          userAgent, "PATCH", "/subclouds/region-sc-local", "{\"description\":\"mine\"}");
      refusedUnchanged(userAgent, "DELETE", "/subclouds/sc-local", null);
      refusedUnchanged(userAgent, "DELETE", "/subclouds/region-sc-local", null);
      // sc1 is a member of A's primary group: B may only unmanage it for a migration.
      refusedUnchanged(userAgent, "PATCH", "/subclouds/region-sc1", "{\"description\":\"x\"}");
      refusedUnchanged(userAgent, "DELETE", "/subclouds/region-sc1", null);
      long c = s.a.api().getSystemPeer(Caller.OPERATOR, "site-c").id();
      refusedUnchanged(
          userAgent,
          "POST",
          "/peer-group-associations",
          "{\"peer_group_id\":" + pg1 + ",\"system_peer_id\":" + c + "}");
      refusedUnchanged(
          userAgent, "DELETE", "/peer-group-associations/" + s.association(s.a).id(), null);
      refusedUnchanged(
          userAgent, "GET", "/system-peers/cccccccc-0000-4000-8000-000000000003", null);
    }

    @Test
    @DisplayName("an association to another system peer is refused; to B's own it goes through")
    void associationOnlyWithItself() {
      Answer created =
          fromB(
              PEER_UA,
              "POST",
              "/subcloud-peer-groups",
              "{\"peer-group-name\":\"pg-b2\",\"group-priority\":2}");
      assertThat(created.status()).as(created.body()).isEqualTo(200);
      long group = created.json().path("id").asLong();
      long c = s.a.api().getSystemPeer(Caller.OPERATOR, "site-c").id();
      long b = s.a.api().getSystemPeer(Caller.OPERATOR, s.b.uuid()).id();
      refusedUnchanged(
          null,
          "POST",
          "/peer-group-associations",
          "{\"peer_group_id\":" + group + ",\"system_peer_id\":" + c + "}");
      Answer own =
          fromB(
              null,
              "POST",
              "/peer-group-associations",
              "{\"peer_group_id\":" + group + ",\"system_peer_id\":" + b + "}");
      assertThat(own.status()).as(own.body()).isEqualTo(200);
      assertThat(own.json().path("association-type").asText()).isEqualTo("non-primary");
    }

    @Test
    @DisplayName("B reads the identity, its own system peer and the lists; not the peer list")
    void reads() {
      assertThat(fromB(PEER_UA, "GET", "/isystems", null).status()).isEqualTo(200);
      Answer own = fromB(PEER_UA, "GET", "/system-peers/" + s.b.uuid(), null);
      assertThat(own.json().path("peer-uuid").asText()).isEqualTo(s.b.uuid());
      assertThat(fromB(PEER_UA, "GET", "/subclouds", null).status()).isEqualTo(200);
      assertThat(fromB(PEER_UA, "GET", "/subcloud-peer-groups", null).status()).isEqualTo(200);
      assertThat(fromB(PEER_UA, "GET", "/peer-group-associations", null).status()).isEqualTo(200);
      assertThat(fromB(PEER_UA, "GET", "/subclouds/region-sc1/detail", null).status())
          .isEqualTo(200);
      assertFault(fromB(PEER_UA, "GET", "/system-peers", null), 403, HttpMessages.FORBIDDEN);
    }

    @Test
    @DisplayName("a refusal is logged with the token's principal, never the token")
    void logged() {
      String logged;
      try (Log log = new Log()) {
        fromB(PEER_UA, "DELETE", "/subcloud-peer-groups/pg1", null);
        fromB(PEER_UA, "GET", "/system-peers", null);
        logged = log.text();
      }
      assertThat(logged)
          .contains(
              "request forbidden principal=site-a-peer system_peer_uuid="
                  + s.b.uuid()
                  + " method=DELETE path=/v1.0/subcloud-peer-groups/pg1 message="
                  + Messages.PEER_REQUEST_FORBIDDEN)
          .contains(
              "request forbidden principal=site-a-peer system_peer_uuid="
                  + s.b.uuid()
                  + " method=GET path=/v1.0/system-peers message="
                  + HttpMessages.FORBIDDEN)
          .doesNotContain(s.a.peerToken);
    }

    @Test
    @DisplayName("with confined tokens: migration, unmanage of A's member, audit, status reset")
    void migrate() {
      assertThat(s.migrateOn(s.b)).extracting(Subcloud::name).containsExactly("sc1");
      s.settle();
      // The rehome failed (wrong address) on B; A's copy followed; both record B as leader and the
      // audit A ran at B's request reset B's migration status.
      assertThat(s.b.api().getSubcloud(Caller.OPERATOR, "sc1").deployStatus())
          .isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(s.a.api().getSubcloud(Caller.OPERATOR, "sc1").deployStatus())
          .isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(s.group(s.a).systemLeaderId()).isEqualTo(s.b.uuid());
      assertThat(s.group(s.b).systemLeaderId()).isEqualTo(s.b.uuid());
      assertThat(s.group(s.b).migrationStatus().wire()).isEqualTo("none");
    }

    @Test
    @DisplayName("with confined tokens: deleting A's association removes B's copies, B's side")
    void deleteAssociation() {
      assertThat(s.b.stores.subclouds().findByName("sc1")).isPresent();

      s.a.api().deleteAssociation(Caller.OPERATOR, s.association(s.a).id());

      assertThat(s.a.stores.associations().findAll()).isEmpty();
      assertThat(s.b.stores.associations().findAll()).isEmpty();
      assertThat(s.b.stores.peerGroups().findByName("pg1")).isEmpty();
      assertThat(s.b.stores.subclouds().findByName("sc1")).isEmpty();
    }
  }

  // ------------------------------------------------------------------ one site, every role

  @Nested
  @DisplayName("one site, a token per role and a peer token")
  class OneSite {

    static final String B_UUID = "bbbbbbbb-0000-4000-8000-000000000002";
    static final String C_UUID = "cccccccc-0000-4000-8000-000000000003";

    SingleSite site;
    GeoredHttpServer server;
    URI base;
    Subcloud copyOfB;
    Subcloud copyOfC;

    @BeforeEach
    void setUp() {
      site = SingleSite.create();
      server =
          GeoredHttpServer.builder(
                  site.site(),
                  TokenAuthenticator.builder()
                      .token("t-admin", "admin", Role.ADMIN)
                      .token("t-conf", "conf", Role.CONFIGURATOR)
                      .token("t-op", "op", Role.OPERATOR)
                      .token("t-read", "reader", Role.READER)
                      .peerToken("t-peer", "site-b", B_UUID)
                      .build())
              .port(0)
              .stopTimeout(Duration.ofMillis(50))
              .build()
              .start();
      base = server.baseUri();
      SystemPeer b = peer(B_UUID, "site-b");
      SystemPeer c = peer(C_UUID, "site-c");
      SubcloudPeerGroup groupOfB = group("pg-b", B_UUID);
      SubcloudPeerGroup groupOfC = group("pg-c", C_UUID);
      associate(groupOfB, b);
      associate(groupOfC, c);
      copyOfB = secondary("sc-b", groupOfB.id());
      copyOfC = secondary("sc-c", groupOfC.id());
    }

    @AfterEach
    void tearDown() {
      server.close();
    }

    <T> T saved(StoreResult<T> r) {
      return r.orElseThrow(other -> new IllegalStateException(other.toString()));
    }

    SystemPeer peer(String uuid, String name) {
      return saved(
          site.stores()
              .systemPeers()
              .insert(
                  SystemPeer.builder()
                      .peerUuid(uuid)
                      .peerName(name)
                      .managerEndpoint("https://" + name + ":8119/v1.0")
                      .managerUsername("admin")
                      .peerControllerGatewayIp("192.168.204.9")
                      .administrativeState(AdministrativeState.ENABLED)
                      .heartbeatInterval(60)
                      .heartbeatFailureThreshold(3)
                      .heartbeatFailurePolicy(HeartbeatFailurePolicy.ALARM)
                      .heartbeatMaintenanceTimeout(600)
                      .availabilityState(PeerAvailability.AVAILABLE)
                      .createdAt(site.scheduler().now())
                      .build()));
    }

    SubcloudPeerGroup group(String name, String leader) {
      return saved(
          site.stores()
              .peerGroups()
              .insert(
                  SubcloudPeerGroup.builder()
                      .peerGroupName(name)
                      .groupPriority(2)
                      .groupState(GroupState.ENABLED)
                      .maxSubcloudRehoming(10)
                      .systemLeaderId(leader)
                      .systemLeaderName("leader")
                      .createdAt(site.scheduler().now())
                      .build()));
    }

    void associate(SubcloudPeerGroup group, SystemPeer peer) {
      saved(
          site.stores()
              .associations()
              .insert(
                  PeerGroupAssociation.builder()
                      .peerGroupId(group.id())
                      .systemPeerId(peer.id())
                      .associationType(AssociationType.NON_PRIMARY)
                      .syncStatus(SyncStatus.IN_SYNC)
                      .createdAt(site.scheduler().now())
                      .build()));
    }

    Subcloud secondary(String name, Long groupId) {
      return saved(
          site.stores()
              .subclouds()
              .insert(
                  Subcloud.builder()
                      .name(name)
                      .regionName("region-" + name)
                      .managementState(ManagementState.UNMANAGED)
                      .availabilityStatus(AvailabilityStatus.OFFLINE)
                      .deployStatus(DeployStatus.SECONDARY)
                      .peerGroupId(groupId)
                      .installValues(
                          Map.of(
                              "bmc_address", "10.0.0.9",
                              "bmc_password", "QmFkLVBhc3N3MHJk",
                              "bmc_username", "root"))
                      .createdAt(site.scheduler().now())
                      .build()));
    }

    @Test
    @DisplayName("a configurator sending the peer agent is an operator: no peer privilege")
    void operatorTokenWithPeerAgent() {
      Snapshot before = Snapshot.of(site.stores());
      assertFault(
          send(base, "t-conf", PEER_UA, "DELETE", "/subclouds/sc-b"),
          400,
          Messages.SUBCLOUD_DELETE_IN_GROUP);
      assertFault(
          send(
              base,
              "t-conf",
              PEER_UA,
              "PATCH",
              "/subcloud-peer-groups/pg-b",
              "{\"max-subcloud-rehoming\":20}"),
          400,
          Messages.PEER_GROUP_UPDATE_NON_PRIMARY);
      assertFault(
          send(base, "t-op", PEER_UA, "PATCH", "/subclouds/sc-b", "{\"description\":\"x\"}"),
          400,
          Messages.SUBCLOUD_UPDATE_NON_PRIMARY);
      assertFault(
          send(base, "t-read", PEER_UA, "DELETE", "/subclouds/sc-b"), 403, HttpMessages.FORBIDDEN);
      assertFault(
          send(
              base,
              "t-read",
              PEER_UA,
              "POST",
              "/subcloud-peer-groups",
              "{\"peer-group-name\":\"x\",\"group-priority\":2}"),
          403,
          HttpMessages.FORBIDDEN);
      assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    }

    @Test
    @DisplayName("the peer token does B's work without the peer agent, and only B's")
    void peerTokenWithoutAgent() {
      Snapshot before = Snapshot.of(site.stores());
      assertFault(
          send(base, "t-peer", null, "DELETE", "/subclouds/sc-c"),
          403,
          Messages.PEER_REQUEST_FORBIDDEN);
      assertThat(Snapshot.of(site.stores())).isEqualTo(before);
      Answer done = send(base, "t-peer", null, "DELETE", "/subclouds/sc-b");
      assertThat(done.status()).as(done.body()).isEqualTo(200);
      assertThat(site.stores().subclouds().findById(copyOfB.id())).isEmpty();
    }

    @Test
    @DisplayName("an admin sending the peer agent is a peer site that is not confined")
    void adminWithPeerAgent() {
      Answer done = send(base, "t-admin", PEER_UA, "DELETE", "/subclouds/sc-c");
      assertThat(done.status()).as(done.body()).isEqualTo(200);
      assertThat(site.stores().subclouds().findById(copyOfC.id())).isEmpty();
    }

    JsonNode dataInstall(String token, String path) {
      Answer a = send(base, token, null, "GET", path);
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      JsonNode subcloud = a.json().has("subclouds") ? a.json().path("subclouds").get(0) : a.json();
      try {
        return JSON.readTree(subcloud.path("data_install").asText());
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"t-admin", "t-peer"})
    @DisplayName("admin and peer see data_install's bmc_password")
    void bmcPasswordShown(String token) {
      for (String path :
          List.of(
              "/subclouds/sc-b",
              "/subclouds/sc-b/detail",
              "/subclouds",
              "/subcloud-peer-groups/pg-b/subclouds")) {
        JsonNode install = dataInstall(token, path);
        assertThat(install.path("bmc_password").asText()).as(path).isEqualTo("QmFkLVBhc3N3MHJk");
        assertThat(install.path("bmc_address").asText()).isEqualTo("10.0.0.9");
      }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"t-conf", "t-op", "t-read"})
    @DisplayName("configurator, operator and reader see bmc_password as ****")
    void bmcPasswordMasked(String token) {
      for (String path :
          List.of(
              "/subclouds/sc-b",
              "/subclouds/sc-b/detail",
              "/subclouds",
              "/subcloud-peer-groups/pg-b/subclouds")) {
        JsonNode install = dataInstall(token, path);
        assertThat(install.path("bmc_password").asText()).as(path).isEqualTo("****");
        assertThat(install.path("bmc_address").asText()).isEqualTo("10.0.0.9");
        assertThat(install.path("bmc_username").asText()).isEqualTo("root");
        assertThat(install.toString()).doesNotContain("QmFkLVBhc3N3MHJk");
      }
      // The store keeps it: only the answer is masked.
      assertThat(site.stores().subclouds().findById(copyOfB.id()).orElseThrow().installValues())
          .containsEntry("bmc_password", "QmFkLVBhc3N3MHJk");
    }

    @Test
    @DisplayName("an operator's subcloud update answer masks bmc_password as well")
    void updateAnswerMasked() {
      Subcloud local =
          saved(
              site.stores()
                  .subclouds()
                  .insert(
                      copyOfB.toBuilder()
                          .id(0)
                          .version(0)
                          .name("sc-l")
                          .regionName("region-sc-l")
                          .peerGroupId(null)
                          .deployStatus(DeployStatus.COMPLETE)
                          .build()));
      Answer a = send(base, "t-op", null, "PATCH", "/subclouds/sc-l", "{\"description\":\"d\"}");
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      assertThat(a.body()).doesNotContain("QmFkLVBhc3N3MHJk").contains("****");
      assertThat(local.name()).isEqualTo("sc-l");
    }
  }

  @Test
  @DisplayName("a principal is an operator with roles or a peer site with a uuid, never both")
  void principalKinds() {
    Authenticator.Principal peer = Authenticator.Principal.peer("site-b", "bbbb");
    assertThat(peer.isPeer()).isTrue();
    assertThat(peer.roles()).isEmpty();
    assertThat(new Authenticator.Principal("ops", java.util.Set.of(Role.ADMIN)).isPeer()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new Authenticator.Principal(
                    "x", java.util.Set.of(Role.ADMIN), java.util.Optional.of("bbbb")))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Authenticator.Principal("x", java.util.Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            TokenAuthenticator.builder()
                .peerToken("secret-b", "site-b", "bbbb")
                .build()
                .authenticate("secret-b"))
        .contains(peer);
  }
}
