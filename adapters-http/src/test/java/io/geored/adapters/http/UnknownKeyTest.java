package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.testkit.sim.SingleSite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An operator's JSON body with a key the resource does not read is refused, naming the key (a typo
 * or the answer's spelling would otherwise change nothing without a word); a peer site's request
 * keeps dcmanager's tolerance and is answered as if the key were not there.
 */
@DisplayName("unknown keys: refused to an operator with the key named, ignored for a peer site")
class UnknownKeyTest {

  static final String TOKEN = "unknown-key-admin-token";
  static final String PEER_UUID = "bbbbbbbb-0000-4000-8000-000000000002";

  SingleSite site;
  GeoredHttpServer server;
  HttpClient http;
  long associationId;

  @BeforeEach
  void setUp() {
    site = SingleSite.create();
    site.site()
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
    site.site()
        .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    associationId =
        site.site()
            .createAssociation(
                Caller.OPERATOR,
                AssociationCreate.builder()
                    .peerGroupId(site.site().getPeerGroup(Caller.OPERATOR, "pg1").id())
                    .systemPeerId(site.site().getSystemPeer(Caller.OPERATOR, PEER_UUID).id())
                    .peerGroupPriority(2)
                    .build())
            .id();
    site.site()
        .createSubcloud(
            Caller.OPERATOR,
            SubcloudCreate.builder()
                .name("sc1")
                .regionName("region-1")
                .bootstrapValues(Map.of("name", "sc1", "bootstrap-address", "10.0.0.2"))
                .bootstrapAddress("10.0.0.2")
                .build());
    server =
        GeoredHttpServer.builder(
                site.site(), TokenAuthenticator.builder().token(TOKEN, "admin", Role.ADMIN).build())
            .port(0)
            .stopTimeout(Duration.ofMillis(100))
            .build()
            .start();
    http = HttpClient.newHttpClient();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  record Snapshot(List<?> peers, List<?> groups, List<?> associations, List<?> subclouds) {}

  Snapshot snapshot() {
    return new Snapshot(
        site.stores().systemPeers().findAll(),
        site.stores().peerGroups().findAll(),
        site.stores().associations().findAll(),
        site.stores().subclouds().findAll());
  }

  HttpResponse<String> send(String method, String path, String body, boolean peer)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUri() + path))
            .header("X-Auth-Token", TOKEN)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (peer) {
      b.header("User-Agent", GeoredHttpHandler.PEER_USER_AGENT);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  void assertRefused(String method, String path, String body, String message) throws Exception {
    Snapshot before = snapshot();
    HttpResponse<String> answer = send(method, path, body, false);
    assertThat(answer.statusCode()).as(method + " " + path).isEqualTo(400);
    assertThat(answer.body())
        .isEqualTo(
            "{\"faultcode\":\"Client\",\"faultstring\":\"" + message + "\",\"debuginfo\":null}");
    assertThat(snapshot()).isEqualTo(before);
  }

  static final String PEER_BODY =
      "{\"peer_uuid\":\"cccccccc-0000-4000-8000-000000000003\",\"peer_name\":\"site-c\","
          + "\"manager_endpoint\":\"http://site-c:8119/v1.0\",\"manager_username\":\"admin\","
          + "\"manager_password\":\"pw\",\"peer_controller_gateway_address\":\"10.0.0.3\"";

  @Test
  @DisplayName("system peer create: the answer's hyphen spelling is refused, a peer's is ignored")
  void systemPeerCreate() throws Exception {
    assertRefused(
        "POST",
        "/system-peers",
        PEER_BODY + ",\"heartbeat-interval\":20}",
        "Unknown key heartbeat-interval; did you mean heartbeat_interval?");

    HttpResponse<String> peer =
        send("POST", "/system-peers", PEER_BODY + ",\"future_field\":\"x\"}", true);
    assertThat(peer.statusCode()).as(peer.body()).isEqualTo(200);
    assertThat(site.site().getSystemPeer(Caller.OPERATOR, "site-c").peerName()).isEqualTo("site-c");
  }

  @Test
  @DisplayName("system peer update: a typo is refused, a peer's unknown key is ignored")
  void systemPeerUpdate() throws Exception {
    assertRefused(
        "PATCH",
        "/system-peers/" + PEER_UUID,
        "{\"peer_name\":\"site-b2\",\"heartbeat_intervall\":20}",
        "Unknown key heartbeat_intervall; did you mean heartbeat_interval?");

    HttpResponse<String> peer =
        send(
            "PATCH",
            "/system-peers/" + PEER_UUID,
            "{\"heartbeat_interval\":20,\"future_field\":1}",
            true);
    assertThat(peer.statusCode()).as(peer.body()).isEqualTo(200);
    assertThat(site.site().getSystemPeer(Caller.OPERATOR, PEER_UUID).heartbeatInterval())
        .isEqualTo(20);
  }

  @Test
  @DisplayName("peer group create: the answer's underscore spelling is refused")
  void peerGroupCreate() throws Exception {
    assertRefused(
        "POST",
        "/subcloud-peer-groups",
        "{\"peer_group_name\":\"pg2\"}",
        "Unknown key peer_group_name; did you mean peer-group-name?");

    HttpResponse<String> peer =
        send(
            "POST",
            "/subcloud-peer-groups",
            "{\"peer-group-name\":\"pg2\",\"peer_group_name\":\"ignored\"}",
            true);
    assertThat(peer.statusCode()).as(peer.body()).isEqualTo(200);
    assertThat(site.site().getPeerGroup(Caller.OPERATOR, "pg2").peerGroupName()).isEqualTo("pg2");
  }

  @Test
  @DisplayName("peer group update: an unknown key is refused, whatever else the body holds")
  void peerGroupUpdate() throws Exception {
    assertRefused(
        "PATCH",
        "/subcloud-peer-groups/pg1",
        "{\"group-priority\":3,\"Group_State\":\"disabled\"}",
        "Unknown key Group_State; did you mean group-state?");

    HttpResponse<String> peer =
        send(
            "PATCH",
            "/subcloud-peer-groups/pg1",
            "{\"group-priority\":3,\"future-field\":true}",
            true);
    assertThat(peer.statusCode()).as(peer.body()).isEqualTo(200);
    assertThat(site.site().getPeerGroup(Caller.OPERATOR, "pg1").groupPriority()).isEqualTo(3);
  }

  @Test
  @DisplayName("association create and update: unknown keys refused, with or without a guess")
  void association() throws Exception {
    long group = site.site().getPeerGroup(Caller.OPERATOR, "pg1").id();
    long peer = site.site().getSystemPeer(Caller.OPERATOR, PEER_UUID).id();
    assertRefused(
        "POST",
        "/peer-group-associations",
        "{\"peer_group_id\":"
            + group
            + ",\"system_peer_id\":"
            + peer
            + ",\"peer-group-priority\":3}",
        "Unknown key peer-group-priority; did you mean peer_group_priority?");
    assertRefused(
        "PATCH",
        "/peer-group-associations/" + associationId,
        "{\"peer_group_priority\":3,\"priority\":4}",
        "Unknown key priority");

    HttpResponse<String> tolerated =
        send(
            "PATCH",
            "/peer-group-associations/" + associationId,
            "{\"peer_group_priority\":3,\"priority\":4}",
            true);
    assertThat(tolerated.statusCode()).as(tolerated.body()).isEqualTo(200);
    assertThat(site.site().getAssociation(Caller.OPERATOR, associationId).peerGroupPriority())
        .isEqualTo(3);
    // The same peer group and system peer again: the site's own refusal, not the unknown key's.
    HttpResponse<String> create =
        send(
            "POST",
            "/peer-group-associations",
            "{\"peer_group_id\":"
                + group
                + ",\"system_peer_id\":"
                + peer
                + ",\"peer_group_priority\":3,\"association_kind\":\"x\"}",
            true);
    HttpResponse<String> plain =
        send(
            "POST",
            "/peer-group-associations",
            "{\"peer_group_id\":"
                + group
                + ",\"system_peer_id\":"
                + peer
                + ",\"peer_group_priority\":3}",
            true);
    assertThat(create.statusCode()).isEqualTo(plain.statusCode());
    assertThat(create.body()).isEqualTo(plain.body()).doesNotContain("Unknown key");
  }

  @Test
  @DisplayName("migrate and audit: unknown keys refused to an operator, ignored for a peer")
  void migrateAndAudit() throws Exception {
    assertRefused(
        "PATCH",
        "/subcloud-peer-groups/pg1/migrate",
        "{\"sysadmin-password\":\"U3Q4cmxpbmdYKg==\"}",
        "Unknown key sysadmin-password; did you mean sysadmin_password?");
    assertRefused(
        "PATCH",
        "/subcloud-peer-groups/pg1/audit",
        "{\"peer_uuid\":\"" + PEER_UUID + "\",\"peer-group-name\":\"pg1\"}",
        "Unknown key peer-group-name; did you mean peer_group_name?");

    for (String[] call :
        new String[][] {
          {"/subcloud-peer-groups/pg1/migrate", "{\"sysadmin_password\":\"U3Q4cmxpbmdYKg==\""},
          {
            "/subcloud-peer-groups/pg1/audit",
            "{\"peer_uuid\":\"" + PEER_UUID + "\",\"peer_group_name\":\"pg1\""
          },
        }) {
      HttpResponse<String> tolerated =
          send("PATCH", call[0], call[1] + ",\"future_field\":[1]}", true);
      HttpResponse<String> plain = send("PATCH", call[0], call[1] + "}", true);
      assertThat(tolerated.statusCode()).as(call[0]).isEqualTo(plain.statusCode());
      assertThat(tolerated.body()).isEqualTo(plain.body()).doesNotContain("Unknown key");
    }
  }

  @Test
  @DisplayName(
      "subcloud update as JSON: an unknown key is refused to an operator, ignored for a peer")
  void subcloudUpdate() throws Exception {
    assertRefused(
        "PATCH",
        "/subclouds/sc1",
        "{\"description\":\"rack 2\",\"bootstrap-address\":\"10.0.0.12\"}",
        "Unknown key bootstrap-address; did you mean bootstrap_address?");
    assertRefused(
        "PATCH",
        "/subclouds/sc1",
        "{\"description\":\"rack 2\",\"colour\":\"blue\"}",
        "Unknown key colour");

    HttpResponse<String> operator =
        send("PATCH", "/subclouds/sc1", "{\"description\":\"rack 2\"}", false);
    assertThat(operator.statusCode()).as(operator.body()).isEqualTo(200);
    HttpResponse<String> peer =
        send("PATCH", "/subclouds/sc1", "{\"description\":\"rack 3\",\"future_field\":[1]}", true);
    assertThat(peer.statusCode()).as(peer.body()).isEqualTo(200);
    assertThat(site.site().getSubcloud(Caller.OPERATOR, "sc1").description()).isEqualTo("rack 3");
  }
}
