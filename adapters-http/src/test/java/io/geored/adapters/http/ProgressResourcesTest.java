package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geored.spi.NotFoundException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.api.WorkProgress;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("migration and sync progress over HTTP")
class ProgressResourcesTest {

  static final String ADMIN_TOKEN = "admin-token-1";
  static final String READER_TOKEN = "reader-token-1";
  static final String PEER_TOKEN = "peer-token-for-b";
  static final String PEER_UUID = "bbbbbbbb-0000-4000-8000-000000000002";
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  /** What the site answers for pg1's migration and association 1's sync, set by each test. */
  WorkProgress migration = WorkProgress.none("none");

  WorkProgress sync = WorkProgress.none("in-sync");

  SingleSite site;
  GeoredHttpHandler handler;
  Recorder recorder;
  SiteApi client;

  @BeforeEach
  void setUp() throws Exception {
    site = SingleSite.create();
    site.site()
        .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    SiteApi real = site.site();
    // The real site answers everything, but the two reads give the numbers a test sets, once the
    // real site has found the resource (so an unknown one is still a 404).
    SiteApi scripted =
        (SiteApi)
            Proxy.newProxyInstance(
                SiteApi.class.getClassLoader(),
                new Class<?>[] {SiteApi.class},
                (proxy, method, args) -> {
                  try {
                    Object answer = method.invoke(real, args);
                    return switch (method.getName()) {
                      case "migrationProgress" -> migration;
                      case "syncProgress" -> sync;
                      default -> answer;
                    };
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    handler =
        new GeoredHttpHandler(
            scripted,
            TokenAuthenticator.builder()
                .token(ADMIN_TOKEN, "admin", Role.ADMIN)
                .token(READER_TOKEN, "reader", Role.READER)
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
        HttpPeerSites.builder(TokenProvider.perPeer(Map.of(PEER_UUID, ADMIN_TOKEN)))
            .build()
            .clientFor(peer);
  }

  @AfterEach
  void tearDown() {
    recorder.close();
  }

  GeoredHttpHandler.Response get(String token, String path) {
    return handler.handle(
        new GeoredHttpHandler.Request("GET", "/v1.0" + path, Map.of("X-Auth-Token", token), null));
  }

  static JsonNode json(GeoredHttpHandler.Response r) throws Exception {
    return MAPPER.readTree(r.body());
  }

  static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  @DisplayName(
      "a running migration: underscored keys, UTC instants; a reader may read it; the client"
          + " reads back the same numbers")
  void migrationRunning() throws Exception {
    migration =
        new WorkProgress("migrating", 4, 1, 1, 2, T0, Instant.parse("2026-12-01T10:20:00Z"));

    GeoredHttpHandler.Response r =
        get(READER_TOKEN, "/subcloud-peer-groups/pg1/migration-progress");

    assertThat(r.status()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(keys(body))
        .containsExactly(
            "status", "total", "done", "failed", "in_flight", "started_at", "estimated_end");
    assertThat(body.toString())
        .isEqualTo(
            "{\"status\":\"migrating\",\"total\":4,\"done\":1,\"failed\":1,\"in_flight\":2,"
                + "\"started_at\":\"2026-12-01T10:00:00Z\","
                + "\"estimated_end\":\"2026-12-01T10:20:00Z\"}");
    assertThat(client.migrationProgress(Caller.OPERATOR, "pg1")).isEqualTo(migration);
    assertThat(recorder.last().path())
        .isEqualTo("/v1.0/subcloud-peer-groups/pg1/migration-progress");
  }

  @Test
  @DisplayName("no migration yet: status null like the group's migration_status, null instants")
  void migrationNone() throws Exception {
    GeoredHttpHandler.Response r = get(ADMIN_TOKEN, "/subcloud-peer-groups/pg1/migration-progress");

    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r).toString())
        .isEqualTo(
            "{\"status\":null,\"total\":0,\"done\":0,\"failed\":0,\"in_flight\":0,"
                + "\"started_at\":null,\"estimated_end\":null}");
    assertThat(client.migrationProgress(Caller.OPERATOR, "pg1")).isEqualTo(migration);
  }

  @Test
  @DisplayName(
      "an association's sync, by id, with hyphen keys like the association's; an unknown id is a"
          + " 404 fault")
  void syncProgress() throws Exception {
    SystemPeer peer =
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
    long group = site.site().getPeerGroup(Caller.OPERATOR, "pg1").id();
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
    sync = new WorkProgress("syncing", 3, 2, 0, 1, T0, Instant.parse("2026-12-01T10:00:03Z"));

    GeoredHttpHandler.Response r =
        get(READER_TOKEN, "/peer-group-associations/" + id + "/sync-progress");

    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r).toString())
        .isEqualTo(
            "{\"status\":\"syncing\",\"total\":3,\"done\":2,\"failed\":0,\"in-flight\":1,"
                + "\"started-at\":\"2026-12-01T10:00:00Z\","
                + "\"estimated-end\":\"2026-12-01T10:00:03Z\"}");
    assertThat(client.syncProgress(Caller.OPERATOR, id)).isEqualTo(sync);

    GeoredHttpHandler.Response missing =
        get(READER_TOKEN, "/peer-group-associations/" + (id + 100) + "/sync-progress");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(json(missing).get("faultstring").asText())
        .isEqualTo("Peer Group Association not found");
  }

  @Test
  @DisplayName("an unknown group is a 404 fault, to the client a NotFoundException")
  void unknownGroup() throws Exception {
    GeoredHttpHandler.Response r =
        get(ADMIN_TOKEN, "/subcloud-peer-groups/nope/migration-progress");

    assertThat(r.status()).isEqualTo(404);
    assertThat(json(r).get("faultstring").asText()).isEqualTo("Subcloud Peer Group not found");
    assertThatThrownBy(() -> client.migrationProgress(Caller.OPERATOR, "nope"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("Subcloud Peer Group not found");
  }

  @Test
  @DisplayName("a peer site's token may read neither (403), and a write method is a 405")
  void refusals() throws Exception {
    for (String path :
        List.of(
            "/subcloud-peer-groups/pg1/migration-progress",
            "/peer-group-associations/1/sync-progress")) {
      GeoredHttpHandler.Response r = get(PEER_TOKEN, path);
      assertThat(r.status()).as(path).isEqualTo(403);
      assertThat(json(r).get("faultstring").asText()).isEqualTo(HttpMessages.FORBIDDEN);
      GeoredHttpHandler.Response patch =
          handler.handle(
              new GeoredHttpHandler.Request(
                  "PATCH", "/v1.0" + path, Map.of("X-Auth-Token", ADMIN_TOKEN), null));
      assertThat(patch.status()).as(path).isEqualTo(405);
    }
  }
}
