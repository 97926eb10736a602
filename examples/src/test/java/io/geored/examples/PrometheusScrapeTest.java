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
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two standalone sites (child JVMs) scraped by a real Prometheus (Debian's {@code prometheus},
 * started through {@link RealServices}; skipped without it, failed on CI): the values Prometheus
 * stores are the ones the story implies. Each wait is bounded; after each step the test waits for a
 * scrape newer than the step before reading a value.
 */
@DisplayName("A real Prometheus scraping two standalone sites")
class PrometheusScrapeTest {

  private static final String A_UUID = "aaaaaaaa-0000-4000-8000-00000000000a";
  private static final String B_UUID = "bbbbbbbb-0000-4000-8000-00000000000b";
  private static final Duration BUDGET = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

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
            ""));
    return config;
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
      "after a sync, and while site A is down, Prometheus holds B's failed heartbeats, misses,"
          + " availability and alarm, and A's sync counter, as exact values")
  void scrapesTheStory() throws Exception {
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
