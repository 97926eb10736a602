package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geored.adapters.http.internal.Json;
import io.geored.adapters.http.internal.Multipart;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AssociationUpdate;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("wire shape: what the client sends and what the server answers, per call")
class WireShapeTest {

  static final String ADMIN_TOKEN = "admin-token-1";
  static final String PEER_TOKEN = "peer-token-for-b";
  static final String PEER_UUID = "bbbbbbbb-0000-4000-8000-000000000002";
  static final ObjectMapper MAPPER = new ObjectMapper();

  SingleSite site;
  GeoredHttpHandler handler;
  Recorder recorder;
  SiteApi client;

  @BeforeEach
  void setUp() throws Exception {
    site = SingleSite.create();
    handler =
        new GeoredHttpHandler(
            site.site(),
            TokenAuthenticator.builder()
                .token(ADMIN_TOKEN, "admin", Role.ADMIN)
                .peerToken(PEER_TOKEN, "site-b", PEER_UUID)
                .build());
    recorder = new Recorder(handler);
    SystemPeer peer =
        SystemPeer.builder()
            .id(7)
            .peerUuid(PEER_UUID)
            .peerName("site-b")
            .managerEndpoint(recorder.base().toString())
            .build();
    client =
        HttpPeerSites.builder(TokenProvider.perPeer(Map.of(PEER_UUID, PEER_TOKEN)))
            .build()
            .clientFor(peer);
  }

  @AfterEach
  void tearDown() {
    recorder.close();
  }

  static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  static JsonNode json(byte[] body) throws Exception {
    return MAPPER.readTree(body);
  }

  SystemPeer storePeer() {
    return site.site()
        .createSystemPeer(
            Caller.OPERATOR,
            SystemPeerCreate.builder()
                .peerUuid(PEER_UUID)
                .peerName("site-b")
                .managerEndpoint("http://site-b:8119/v1.0")
                .managerUsername("admin")
                .managerPassword("pw")
                .peerControllerGatewayAddress("10.0.0.1")
                .build());
  }

  void assertCall(String method, String path, String userAgent) {
    Recorder.Seen seen = recorder.last();
    assertThat(seen.method()).isEqualTo(method);
    assertThat(seen.path()).isEqualTo("/v1.0" + path);
    assertThat(seen.header("X-Auth-Token")).isEqualTo(PEER_TOKEN);
    assertThat(seen.header("User-Agent")).isEqualTo(userAgent);
  }

  static final String PEER_UA = "dcmanager/1.0";
  static final String OPERATOR_UA = HttpSiteClient.OPERATOR_USER_AGENT;

  @Nested
  @DisplayName("the client sends")
  class ClientSends {

    @Test
    @DisplayName("identity: GET /isystems, no body")
    void identity() {
      client.identity(Caller.OPERATOR);
      assertCall("GET", "/isystems", OPERATOR_UA);
      assertThat(recorder.last().body()).isEmpty();
    }

    @Test
    @DisplayName("get system peer by uuid: GET /system-peers/{uuid}")
    void getSystemPeer() {
      storePeer();
      client.getSystemPeer(Caller.OPERATOR, PEER_UUID);
      assertCall("GET", "/system-peers/" + PEER_UUID, OPERATOR_UA);
    }

    @Test
    @DisplayName("the reads of the table: their paths, the peer agent on the subcloud read")
    void reads() {
      site.site()
          .createPeerGroup(
              Caller.OPERATOR,
              PeerGroupCreate.builder().peerGroupName("pg 1").groupPriority(0).build());
      catchThrowable(() -> client.getSubcloud(Caller.PEER_SITE, "region-1"));
      assertCall("GET", "/subclouds/region-1/detail", PEER_UA);
      client.listSubclouds(Caller.OPERATOR);
      assertCall("GET", "/subclouds", OPERATOR_UA);
      client.listPeerGroups(Caller.OPERATOR);
      assertCall("GET", "/subcloud-peer-groups", OPERATOR_UA);
      client.getPeerGroup(Caller.OPERATOR, "pg 1");
      assertCall("GET", "/subcloud-peer-groups/pg%201", OPERATOR_UA);
      client.subcloudsOfPeerGroup(Caller.OPERATOR, "1");
      assertCall("GET", "/subcloud-peer-groups/1/subclouds", OPERATOR_UA);
      client.listAssociations(Caller.OPERATOR);
      assertCall("GET", "/peer-group-associations", OPERATOR_UA);
    }

    @Test
    @DisplayName("add peer group: POST JSON with the six hyphen keys")
    void addPeerGroup() throws Exception {
      // The peer token belongs to site-b: the site knows it, so its peer calls are in scope.
      storePeer();
      client.createPeerGroup(
          Caller.OPERATOR,
          PeerGroupCreate.builder()
              .peerGroupName("pg1")
              .groupPriority(3)
              .groupState("enabled")
              .systemLeaderId(PEER_UUID)
              .systemLeaderName("site-b")
              .maxSubcloudRehoming(10)
              .build());
      assertCall("POST", "/subcloud-peer-groups", OPERATOR_UA);
      assertThat(recorder.last().header("Content-Type")).isEqualTo("application/json");
      assertThat(keys(json(recorder.last().body())))
          .containsExactly(
              "peer-group-name",
              "group-priority",
              "group-state",
              "system-leader-id",
              "system-leader-name",
              "max-subcloud-rehoming");
    }

    @Test
    @DisplayName("add secondary subcloud: multipart POST with YAML files and the peer agent")
    void addSecondarySubcloud() throws Exception {
      storePeer();
      Map<String, Object> bootstrap =
          Map.of("name", "sc1", "bootstrap-address", "10.0.0.2", "number_text", "0123");
      client.createSubcloud(
          Caller.PEER_SITE,
          SubcloudCreate.builder()
              .name("sc1")
              .regionName("r1")
              .description("d")
              .location("l")
              .bootstrapValues(bootstrap)
              .bootstrapAddress("10.0.0.2")
              .installValues(Map.of("bmc_address", "10.0.0.9"))
              .release("24.09")
              .secondary(true)
              .build());
      assertCall("POST", "/subclouds", PEER_UA);
      String type = recorder.last().header("Content-Type");
      Map<String, Multipart.Part> parts =
          Multipart.read(recorder.last().body(), Multipart.boundaryOf(type));
      assertThat(parts.keySet())
          .containsExactly(
              "bootstrap_values",
              "install_values",
              "bootstrap-address",
              "region_name",
              "location",
              "description",
              "release",
              "secondary");
      assertThat(parts.get("bootstrap_values").isFile()).isTrue();
      assertThat(Json.parseYaml(parts.get("bootstrap_values").content())).isEqualTo(bootstrap);
      assertThat(parts.get("secondary").text()).isEqualTo("true");
      assertThat(parts.get("release").text()).isEqualTo("24.09");
    }

    @Test
    @DisplayName("add association: POST JSON peer_group_id and system_peer_id, no priority")
    void addAssociation() throws Exception {
      catchThrowable(
          () ->
              client.createAssociation(
                  Caller.OPERATOR,
                  AssociationCreate.builder().peerGroupId(1L).systemPeerId(2L).build()));
      assertCall("POST", "/peer-group-associations", OPERATOR_UA);
      assertThat(keys(json(recorder.last().body())))
          .containsExactly("peer_group_id", "system_peer_id");
    }

    @Test
    @DisplayName("set association sync status: PATCH JSON {\"sync_status\": s}")
    void setSyncStatus() throws Exception {
      catchThrowable(
          () ->
              client.updateAssociation(
                  Caller.OPERATOR, 5, AssociationUpdate.builder().syncStatus("in-sync").build()));
      assertCall("PATCH", "/peer-group-associations/5", OPERATOR_UA);
      assertThat(new String(recorder.last().body(), StandardCharsets.UTF_8))
          .isEqualTo("{\"sync_status\":\"in-sync\"}");
    }

    @Test
    @DisplayName("update peer group: PATCH hyphen keys and underscore migration_status, peer agent")
    void updatePeerGroup() throws Exception {
      catchThrowable(
          () ->
              client.updatePeerGroup(
                  Caller.PEER_SITE,
                  "pg1",
                  PeerGroupUpdate.builder()
                      .peerGroupName("pg1")
                      .groupPriority(1)
                      .groupState("enabled")
                      .systemLeaderId(PEER_UUID)
                      .systemLeaderName("site-b")
                      .maxSubcloudRehoming(5)
                      .migrationStatus("complete")
                      .build()));
      assertCall("PATCH", "/subcloud-peer-groups/pg1", PEER_UA);
      assertThat(keys(json(recorder.last().body())))
          .containsExactly(
              "peer-group-name",
              "group-priority",
              "group-state",
              "system-leader-id",
              "system-leader-name",
              "max-subcloud-rehoming",
              "migration_status");
    }

    @Test
    @DisplayName("ask for an audit: PATCH .../audit with underscore keys, no timestamps, peer_uuid")
    void audit() throws Exception {
      catchThrowable(
          () ->
              client.auditPeerGroup(
                  Caller.PEER_SITE,
                  "pg1",
                  AuditRequest.builder()
                      .peerUuid(PEER_UUID)
                      .peerGroupName("pg1")
                      .groupPriority(0)
                      .groupState("enabled")
                      .systemLeaderId(PEER_UUID)
                      .systemLeaderName("site-b")
                      .migrationStatus("none")
                      .maxSubcloudRehoming(10)
                      .build()));
      assertCall("PATCH", "/subcloud-peer-groups/pg1/audit", PEER_UA);
      JsonNode body = json(recorder.last().body());
      assertThat(keys(body))
          .containsExactly(
              "peer_group_name",
              "group_priority",
              "group_state",
              "max_subcloud_rehoming",
              "system_leader_id",
              "system_leader_name",
              "migration_status",
              "peer_uuid");
      assertThat(body.get("migration_status").isNull()).isTrue();
    }

    @Test
    @DisplayName(
        "update subcloud: multipart PATCH by region name, bootstrap_address as the server reads it")
    void updateSubcloud() throws Exception {
      catchThrowable(
          () ->
              client.updateSubcloud(
                  Caller.PEER_SITE,
                  "region-1",
                  SubcloudUpdate.builder()
                      .bootstrapValues(Map.of("name", "sc1"))
                      .bootstrapAddress("10.0.0.7")
                      .deployStatus("rehome-pending")
                      .managementState("unmanaged")
                      .build()));
      assertCall("PATCH", "/subclouds/region-1", PEER_UA);
      Map<String, Multipart.Part> parts =
          Multipart.read(
              recorder.last().body(), Multipart.boundaryOf(recorder.last().header("Content-Type")));
      assertThat(parts.keySet())
          .containsExactly(
              "management-state", "bootstrap_values", "bootstrap_address", "deploy_status");
    }

    @Test
    @DisplayName("deletes: DELETE association, peer group, and subcloud with the peer agent")
    void deletes() {
      catchThrowable(() -> client.deleteAssociation(Caller.OPERATOR, 3));
      assertCall("DELETE", "/peer-group-associations/3", OPERATOR_UA);
      catchThrowable(() -> client.deletePeerGroup(Caller.OPERATOR, "pg1"));
      assertCall("DELETE", "/subcloud-peer-groups/pg1", OPERATOR_UA);
      catchThrowable(() -> client.deleteSubcloud(Caller.PEER_SITE, "region-1"));
      assertCall("DELETE", "/subclouds/region-1", PEER_UA);
      assertThat(recorder.all()).allSatisfy(seen -> assertThat(seen.body()).isEmpty());
    }
  }

  @Nested
  @DisplayName("the server answers")
  class ServerAnswers {

    static final String[] SUBCLOUD_KEYS = {
      "id",
      "name",
      "description",
      "location",
      "software-version",
      "management-state",
      "availability-status",
      "deploy-status",
      "backup-status",
      "backup-datetime",
      "error-description",
      "region-name",
      "management-subnet",
      "management-start-ip",
      "management-end-ip",
      "management-gateway-ip",
      "openstack-installed",
      "prestage-status",
      "prestage-versions",
      "systemcontroller-gateway-ip",
      "data_install",
      "data_upgrade",
      "created-at",
      "updated-at",
      "group_id",
      "peer_group_id",
      "rehome_data"
    };

    GeoredHttpHandler.Response call(String method, String path) {
      return handler.handle(
          new GeoredHttpHandler.Request(
              method, "/v1.0" + path, Map.of("X-Auth-Token", ADMIN_TOKEN), null));
    }

    @Test
    @DisplayName("a system peer with hyphen keys, never a password")
    void systemPeer() throws Exception {
      storePeer();
      GeoredHttpHandler.Response r = call("GET", "/system-peers/" + PEER_UUID);
      assertThat(r.status()).isEqualTo(200);
      assertThat(keys(json(r.body())))
          .containsExactly(
              "id",
              "peer-uuid",
              "peer-name",
              "manager-endpoint",
              "manager-username",
              "peer-controller-gateway-address",
              "administrative-state",
              "heartbeat-interval",
              "heartbeat-failure-threshold",
              "heartbeat-failure-policy",
              "heartbeat-maintenance-timeout",
              "availability-state",
              "created-at",
              "updated-at");
      assertThat(r.text()).doesNotContain("\"pw\"").doesNotContain("password");
      assertThat(keys(json(call("GET", "/system-peers").body()))).containsExactly("system_peers");
    }

    @Test
    @DisplayName("a peer group with underscore keys; migration_status null when none")
    void peerGroup() throws Exception {
      site.site()
          .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
      JsonNode body = json(call("GET", "/subcloud-peer-groups/pg1").body());
      assertThat(keys(body))
          .containsExactly(
              "id",
              "peer_group_name",
              "group_priority",
              "group_state",
              "max_subcloud_rehoming",
              "system_leader_id",
              "system_leader_name",
              "migration_status",
              "created-at",
              "updated-at");
      assertThat(body.get("migration_status").isNull()).isTrue();
      assertThat(keys(json(call("GET", "/subcloud-peer-groups/pg1/status").body())))
          .containsExactly(
              "peer_group_id",
              "peer_group_name",
              "total_subclouds",
              "complete",
              "waiting_for_migrate",
              "rehoming",
              "rehome_failed",
              "managed",
              "unmanaged");
      assertThat(keys(json(call("GET", "/subcloud-peer-groups").body())))
          .containsExactly("subcloud_peer_groups");
    }

    @Test
    @DisplayName("an association with hyphen keys; list entries leave sync-message out")
    void association() throws Exception {
      SystemPeer peer = storePeer();
      long group =
          site.site()
              .createPeerGroup(
                  Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build())
              .id();
      long id =
          site.site()
              .createAssociation(
                  Caller.OPERATOR,
                  AssociationCreate.builder()
                      .peerGroupId(group)
                      .systemPeerId(peer.id())
                      .peerGroupPriority(2)
                      .build())
              .id();
      JsonNode one = json(call("GET", "/peer-group-associations/" + id).body());
      assertThat(keys(one))
          .containsExactly(
              "id",
              "peer-group-id",
              "system-peer-id",
              "peer-group-priority",
              "association-type",
              "sync-status",
              "sync-message",
              "created-at",
              "updated-at");
      JsonNode list = json(call("GET", "/peer-group-associations").body());
      assertThat(keys(list)).containsExactly("peer_group_associations");
      assertThat(keys(list.get("peer_group_associations").get(0))).doesNotContain("sync-message");
    }

    @Test
    @DisplayName(
        "a subcloud with every key upstream answers, empty fields as JSON null, rehome_data a"
            + " string")
    void subcloud() throws Exception {
      Map<String, Object> bootstrap = new java.util.LinkedHashMap<>();
      bootstrap.put("name", "sc1");
      bootstrap.put("bootstrap-address", "fd00::2");
      bootstrap.put("management_subnet", "192.168.101.0/24");
      bootstrap.put("management_start_address", "192.168.101.2");
      bootstrap.put("management_end_address", "192.168.101.50");
      bootstrap.put("management_gateway_address", "192.168.101.1");
      bootstrap.put("systemcontroller_gateway_address", "192.168.204.101");
      site.site()
          .createSubcloud(
              Caller.OPERATOR,
              SubcloudCreate.builder()
                  .name("sc1")
                  .regionName("region-1")
                  .bootstrapValues(bootstrap)
                  .bootstrapAddress("fd00::2")
                  .build());
      JsonNode body = json(call("GET", "/subclouds/sc1/detail").body());
      assertThat(keys(body)).containsExactly(SUBCLOUD_KEYS);
      assertThat(body.get("management-subnet").asText()).isEqualTo("192.168.101.0/24");
      assertThat(body.get("management-start-ip").asText()).isEqualTo("192.168.101.2");
      assertThat(body.get("management-end-ip").asText()).isEqualTo("192.168.101.50");
      assertThat(body.get("management-gateway-ip").asText()).isEqualTo("192.168.101.1");
      assertThat(body.get("systemcontroller-gateway-ip").asText()).isEqualTo("192.168.204.101");
      assertThat(body.get("openstack-installed").isBoolean()).isTrue();
      assertThat(body.get("openstack-installed").booleanValue()).isFalse();
      for (String key :
          List.of(
              "backup-status",
              "backup-datetime",
              "prestage-status",
              "prestage-versions",
              "data_upgrade",
              "error-description",
              "description",
              "location",
              "group_id",
              "peer_group_id")) {
        assertThat(body.get(key).isNull()).as(key).isTrue();
      }
      assertThat(body.get("rehome_data").isTextual()).isTrue();
      assertThat(json(body.get("rehome_data").asText().getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(json(Json.write(Map.of("saved_payload", bootstrap))));
      JsonNode list = json(call("GET", "/subclouds").body());
      assertThat(keys(list)).containsExactly("subclouds");
      assertThat(keys(list.get("subclouds").get(0))).containsExactly(SUBCLOUD_KEYS);
    }

    @Test
    @DisplayName("a subcloud whose bootstrap values lack the addresses answers them as JSON null")
    void subcloudWithoutAddresses() throws Exception {
      site.site()
          .createSubcloud(
              Caller.OPERATOR,
              SubcloudCreate.builder()
                  .name("sc1")
                  .regionName("region-1")
                  .bootstrapValues(Map.of("name", "sc1", "bootstrap-address", "10.0.0.2"))
                  .bootstrapAddress("10.0.0.2")
                  .build());
      JsonNode body = json(call("GET", "/subclouds/sc1").body());
      assertThat(keys(body)).containsExactly(SUBCLOUD_KEYS);
      for (String key :
          List.of(
              "management-subnet",
              "management-start-ip",
              "management-end-ip",
              "management-gateway-ip",
              "systemcontroller-gateway-ip")) {
        assertThat(body.get(key).isNull()).as(key).isTrue();
      }
    }

    @Test
    @DisplayName("isystems as sysinv answers it; a delete answers JSON null")
    void identityAndDelete() throws Exception {
      JsonNode isystems = json(call("GET", "/isystems").body());
      assertThat(isystems.toString())
          .isEqualTo(
              "{\"isystems\":[{\"uuid\":\""
                  + SingleSite.SITE_A.uuid()
                  + "\",\"name\":\"site-a\"}]}");
      site.site()
          .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
      GeoredHttpHandler.Response deleted = call("DELETE", "/subcloud-peer-groups/pg1");
      assertThat(deleted.status()).isEqualTo(200);
      assertThat(deleted.text()).isEqualTo("null");
    }
  }
}
