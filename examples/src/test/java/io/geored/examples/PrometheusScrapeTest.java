package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geored.adapters.http.HttpSiteClient;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.realservice.RealServices;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two standalone sites (child JVMs) scraped by a real Prometheus (Debian's {@code prometheus},
 * started through {@link RealServices}; skipped without it, failed on CI): the values Prometheus
 * stores are the ones the story implies. The sites rehome and probe through the seed story's shell
 * scripts: with A down, B migrates pg1, where subcloud1's rehome fails (wrong bootstrap address)
 * and subcloud2's succeeds. Each wait is bounded; after each step the test waits for a scrape newer
 * than the step before reading a value. With the environment variable {@code GEORED_SCRAPE_OUT}
 * set, the test writes B's {@code geored_*} lines of {@code GET /metrics} after the migration (A
 * still down) to that file.
 */
@DisplayName("A real Prometheus scraping two standalone sites")
class PrometheusScrapeTest {

  private static final String A_UUID = "aaaaaaaa-0000-4000-8000-00000000000a";
  private static final String B_UUID = "bbbbbbbb-0000-4000-8000-00000000000b";
  private static final Duration BUDGET = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WRONG = "10.10.10.2";
  private static final String GOOD = "10.10.10.12";

  @RegisterExtension final RealServices services = new RealServices();

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private Path siteConfig(String name, String uuid, String peerUuid, String send, String accept)
      throws Exception {
    Path config = dir.resolve(name + ".properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "site.uuid=" + uuid,
            "site.name=" + name,
            "database.folder=" + dir.resolve(name).toString().replace("\\", "/"),
            "http.host=127.0.0.1",
            "http.port=0",
            "auth.token.ops=ops-token",
            "auth.roles.ops=admin",
            "peer.token." + peerUuid + "=" + send,
            "auth.peer." + peerUuid + "=" + accept,
            "rehome.command=sh " + dir.resolve("rehome.sh") + " {name}",
            "rehome.timeout=30s",
            "probe.command=sh " + dir.resolve("probe.sh") + " {name}",
            "probe.interval=1s",
            ""));
    return config;
  }

  /**
   * The seed story's scripts: the rehomer succeeds only for a subcloud whose bootstrap address is
   * {@link #GOOD}; the probe finds every subcloud online.
   */
  private void scripts() throws Exception {
    script(
        "rehome.sh",
        "address=$(grep -o '\"bootstrap-address\":\"[^\"]*\"' \"$GEORED_REHOME_FILE\""
            + " | cut -d'\"' -f4)\n"
            + "echo \"rehoming $1 at $address\"\n"
            + "if [ \"$address\" = \""
            + GOOD
            + "\" ]; then echo rehomed; exit 0; fi\n"
            + "echo \"fatal: subcloud unreachable at $address\" >&2\n"
            + "exit 2\n");
    script("probe.sh", "exit 0\n");
  }

  private void script(String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
  }

  /** Creates a managed, online subcloud on the site in group pg1 (bootstrap values as upload). */
  private void subcloudInPg1(URI site, String name, String address) throws Exception {
    Map<String, String> create = new LinkedHashMap<>();
    create.put("name", name);
    create.put("region_name", "region-" + name);
    create.put("release", "24.09");
    create.put("bootstrap-address", address);
    multipart(
        "POST",
        site,
        "/subclouds",
        create,
        "name: "
            + name
            + "\nsystem_mode: simplex\nmanagement_subnet: 192.168.101.0/24\n"
            + "systemcontroller_gateway_address: 192.168.204.1\n");
    awaitTrue(
        name + " online on " + site,
        () -> field(site, "/subclouds/" + name, "availability-status").equals("online"));
    multipart("PATCH", site, "/subclouds/" + name, Map.of("management-state", "managed"), null);
    multipart("PATCH", site, "/subclouds/" + name, Map.of("peer_group", "pg1"), null);
  }

  private void multipart(
      String method, URI site, String path, Map<String, String> fields, String bootstrapValues)
      throws Exception {
    send(
        MultipartForm.request(
            method, URI.create(site + path), "ops-token", fields, bootstrapValues));
  }

  private void migrate(URI site) throws Exception {
    send(
        HttpRequest.newBuilder(URI.create(site + "/subcloud-peer-groups/pg1/migrate"))
            .header("X-Auth-Token", "ops-token")
            .header("Content-Type", "application/json")
            .method(
                "PATCH",
                HttpRequest.BodyPublishers.ofString(
                    "{\"sysadmin_password\":\""
                        + Base64.getEncoder()
                            .encodeToString("St8rlingX*".getBytes(StandardCharsets.UTF_8))
                        + "\"}"))
            .build());
  }

  private String send(HttpRequest request) throws Exception {
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode())
        .as("%s %s answered %s", request.method(), request.uri(), answer.body())
        .isEqualTo(200);
    return answer.body();
  }

  /** One text field of a resource read with the operator token; "" when absent or null. */
  private String field(URI site, String path, String key) {
    try {
      JsonNode value =
          JSON.readTree(
                  send(
                      HttpRequest.newBuilder(URI.create(site + path))
                          .header("X-Auth-Token", "ops-token")
                          .GET()
                          .build()))
              .get(key);
      return value == null || value.isNull() ? "" : value.asText();
    } catch (Exception e) {
      throw new AssertionError("GET " + path, e);
    }
  }

  private static SystemPeerCreate peer(String name, String uuid, URI endpoint) {
    return SystemPeerCreate.builder()
        .peerUuid(uuid)
        .peerName(name)
        .managerEndpoint(endpoint.toString())
        .managerUsername("admin")
        .managerPassword(name + "-admin-password")
        .peerControllerGatewayAddress("10.0.0.1")
        // The shortest interval the API takes; two misses make the peer unavailable.
        .heartbeatInterval(10)
        .heartbeatFailureThreshold(2)
        .build();
  }

  @Test
  @Timeout(120)
  @DisplayName(
      "after a sync, while site A is down, and after B's migration with one failed rehome,"
          + " Prometheus holds A's sync counter, B's failed heartbeats, misses, availability and"
          + " alarm, and B's rehome outcomes, migration count and subclouds by status, as exact"
          + " values")
  void scrapesTheStory() throws Exception {
    scripts();
    try (SiteProcess a =
            SiteProcess.start(
                siteConfig("site-a", A_UUID, B_UUID, "a-to-b", "b-to-a"), dir.resolve("a.err"));
        SiteProcess b =
            SiteProcess.start(
                siteConfig("site-b", B_UUID, A_UUID, "b-to-a", "a-to-b"), dir.resolve("b.err"))) {
      int portA = a.endpoint().getPort();
      int portB = b.endpoint().getPort();
      RealServices.Running prometheus =
          services.start(
              RealServices.service("prometheus")
                  .pathVariable("GEORED_PROMETHEUS")
                  .ports(1)
                  .file(
                      "prometheus.yml",
                      s ->
                          String.join(
                              "\n",
                              "global:",
                              "  scrape_interval: 1s",
                              "  scrape_timeout: 1s",
                              "scrape_configs:",
                              "  - job_name: geored",
                              "    static_configs:",
                              "      - targets: ['127.0.0.1:" + portA + "']",
                              "        labels: {site: a}",
                              "      - targets: ['127.0.0.1:" + portB + "']",
                              "        labels: {site: b}",
                              ""))
                  .args(
                      s ->
                          List.of(
                              "--config.file=" + s.dir().resolve("prometheus.yml"),
                              "--storage.tsdb.path=" + s.dir().resolve("data"),
                              "--web.listen-address=127.0.0.1:" + s.port(0)))
                  .readyWhen(
                      s -> status(URI.create("http://127.0.0.1:" + s.port(0) + "/-/ready")) == 200)
                  .budget(BUDGET));
      URI api = URI.create("http://127.0.0.1:" + prometheus.port(0) + "/api/v1/query");

      // Step 1: peers both ways, pg1 on A associated with B, synced.
      SiteApi opA = HttpSiteClient.create(a.endpoint(), "ops-token");
      SiteApi opB = HttpSiteClient.create(b.endpoint(), "ops-token");
      SystemPeer bOnA = opA.createSystemPeer(Caller.OPERATOR, peer("site-b", B_UUID, b.endpoint()));
      opB.createSystemPeer(Caller.OPERATOR, peer("site-a", A_UUID, a.endpoint()));
      long group =
          opA.createPeerGroup(
                  Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build())
              .id();
      // Two subclouds in pg1: subcloud1 with a wrong bootstrap address, subcloud2 a good one.
      subcloudInPg1(a.endpoint(), "subcloud1", WRONG);
      subcloudInPg1(a.endpoint(), "subcloud2", GOOD);
      PeerGroupAssociation association =
          opA.createAssociation(
              Caller.OPERATOR,
              AssociationCreate.builder()
                  .peerGroupId(group)
                  .systemPeerId(bOnA.id())
                  .peerGroupPriority(2)
                  .build());
      awaitTrue(
          "A's association in-sync",
          () ->
              opA.getAssociation(Caller.OPERATOR, association.id()).syncStatus()
                  == SyncStatus.IN_SYNC);
      for (String name : List.of("subcloud1", "subcloud2")) {
        awaitTrue(
            "B's secondary copy of " + name,
            () -> field(b.endpoint(), "/subclouds/" + name, "deploy-status").equals("secondary"));
      }
      awaitTrue(
          "B's copy of the association, and B finding A available",
          () ->
              opB.getSystemPeer(Caller.OPERATOR, "site-a").availabilityState()
                  == PeerAvailability.AVAILABLE);
      double synced = epochSeconds();
      awaitScrape(api, "a", synced);
      awaitScrape(api, "b", synced);
      String id = String.valueOf(association.id());
      assertThat(
              value(
                  api,
                  "geored_association_syncs_total{site=\"a\",association=\""
                      + id
                      + "\",outcome=\"success\"}"))
          .hasValue(1.0);
      assertThat(
              value(
                  api,
                  "geored_association_sync_status{site=\"a\",association=\""
                      + id
                      + "\",status=\"in-sync\"}"))
          .hasValue(1.0);
      assertThat(value(api, "geored_peer_available{site=\"b\",peer=\"site-a\"}")).hasValue(1.0);
      assertThat(value(api, "geored_peer_heartbeat_misses{site=\"b\",peer=\"site-a\"}"))
          .hasValue(0.0);
      assertThat(
              value(
                  api,
                  "geored_peer_heartbeats_total{site=\"b\",peer=\"site-a\",outcome=\"failure\"}"))
          .hasValue(0.0);

      // Step 2: A stops; B misses two heartbeats and marks it unavailable.
      a.close();
      awaitTrue(
          "B marking A unavailable",
          () ->
              opB.getSystemPeer(Caller.OPERATOR, "site-a").availabilityState()
                  == PeerAvailability.UNAVAILABLE);
      double lost = epochSeconds();
      awaitScrape(api, "b", lost);
      assertThat(
              value(
                  api,
                  "geored_peer_heartbeats_total{site=\"b\",peer=\"site-a\",outcome=\"failure\"}"))
          .hasValue(2.0);
      assertThat(value(api, "geored_peer_heartbeat_misses{site=\"b\",peer=\"site-a\"}"))
          .hasValue(2.0);
      assertThat(value(api, "geored_peer_available{site=\"b\",peer=\"site-a\"}")).hasValue(0.0);
      assertThat(value(api, "geored_alarms_raised{site=\"b\",alarm=\"280.004\"}")).hasValue(1.0);
      assertThat(value(api, "up{site=\"a\"}")).hasValue(0.0);
      assertThat(value(api, "up{site=\"b\"}")).hasValue(1.0);

      // Step 3: with A down, B migrates pg1: subcloud1's rehome fails, subcloud2's succeeds.
      migrate(b.endpoint());
      awaitTrue(
          "subcloud1 rehome-failed on B",
          () ->
              field(b.endpoint(), "/subclouds/subcloud1", "deploy-status").equals("rehome-failed"));
      awaitTrue(
          "subcloud2 complete on B",
          () -> field(b.endpoint(), "/subclouds/subcloud2", "deploy-status").equals("complete"));
      awaitTrue(
          "pg1's migration over on B",
          () ->
              field(b.endpoint(), "/subcloud-peer-groups/pg1", "migration_status")
                  .equals("complete"));
      double migrated = epochSeconds();
      awaitScrape(api, "b", migrated);
      String onB = "site=\"b\",group=\"pg1\"";
      assertThat(value(api, "geored_group_rehomes_total{" + onB + ",outcome=\"success\"}"))
          .hasValue(1.0);
      assertThat(value(api, "geored_group_rehomes_total{" + onB + ",outcome=\"failure\"}"))
          .hasValue(1.0);
      assertThat(value(api, "geored_group_migration_duration_seconds_count{" + onB + "}"))
          .hasValue(1.0);
      assertThat(value(api, "geored_group_subclouds{" + onB + ",status=\"rehome-failed\"}"))
          .hasValue(1.0);
      assertThat(value(api, "geored_group_subclouds{" + onB + ",status=\"complete\"}"))
          .hasValue(1.0);
      assertThat(value(api, "geored_group_migration_status{" + onB + ",status=\"complete\"}"))
          .hasValue(1.0);
      assertThat(value(api, "geored_group_migration_status{" + onB + ",status=\"migrating\"}"))
          .hasValue(0.0);
      assertThat(value(api, "up{site=\"a\"}")).hasValue(0.0);
      String out = System.getenv("GEORED_SCRAPE_OUT");
      if (out != null && !out.isBlank()) {
        String metrics =
            send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portB + "/metrics"))
                    .GET()
                    .build());
        Files.writeString(
            Path.of(out),
            metrics
                .lines()
                .filter(
                    line ->
                        line.startsWith("geored_")
                            || line.startsWith("# HELP geored_")
                            || line.startsWith("# TYPE geored_"))
                .collect(Collectors.joining("\n", "", "\n")));
      }
    }
  }

  private int status(URI uri) {
    try {
      return http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static double epochSeconds() {
    return System.currentTimeMillis() / 1000.0;
  }

  /** One instant query: the value of its single series, or empty when there is none. */
  private OptionalDouble value(URI api, String query) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(api + "?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode result = JSON.readTree(answer.body()).path("data").path("result");
    assertThat(result.size()).as("series of %s: %s", query, result).isLessThanOrEqualTo(1);
    return result.isEmpty()
        ? OptionalDouble.empty()
        : OptionalDouble.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
  }

  /** Waits (bounded) until Prometheus holds a scrape of the site taken after {@code after}. */
  private void awaitScrape(URI api, String site, double after) throws Exception {
    awaitTrue(
        "a scrape of site " + site + " after " + after,
        () -> {
          try {
            OptionalDouble at = value(api, "timestamp(up{site=\"" + site + "\"})");
            return at.isPresent() && at.getAsDouble() > after;
          } catch (Exception e) {
            return false;
          }
        });
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + BUDGET.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s within %s", what, BUDGET).isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
