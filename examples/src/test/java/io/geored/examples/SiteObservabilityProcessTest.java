package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.adapters.http.HttpSiteClient;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SystemPeerCreate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The standalone site's /metrics, /health and /ready")
class SiteObservabilityProcessTest {

  private static final String B_UUID = "bbbbbbbb-0000-4000-8000-00000000000b";

  @TempDir Path dir;

  private Path config(String... extra) throws Exception {
    Path config = dir.resolve("site.properties");
    Files.writeString(
        config,
        String.join(
                "\n",
                "site.uuid=aaaaaaaa-0000-4000-8000-00000000000a",
                "site.name=site-a",
                "database.folder=" + dir.resolve("db").toString().replace("\\", "/"),
                "http.port=0",
                "auth.token.ops=ops-token",
                "auth.roles.ops=admin")
            + "\n"
            + String.join("\n", extra)
            + "\n");
    return config;
  }

  private static HttpResponse<String> call(URI uri, String method, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Timeout(60)
  @DisplayName(
      "on loopback without a token: /health and /ready answer UP, /metrics has the geored_ series"
          + " in Prometheus' text format, other methods are refused")
  void openOnLoopback() throws Exception {
    try (SiteProcess site = SiteProcess.start(config("http.host=127.0.0.1"), dir.resolve("err"))) {
      URI root = site.endpoint().resolve("/");
      HttpSiteClient.create(site.endpoint(), "ops-token")
          .createSystemPeer(
              Caller.OPERATOR,
              SystemPeerCreate.builder()
                  .peerUuid(B_UUID)
                  .peerName("site-b")
                  .managerEndpoint("http://127.0.0.1:9/v1.0")
                  .managerUsername("admin")
                  .managerPassword("b-admin-password")
                  .peerControllerGatewayAddress("10.0.0.2")
                  .build());

      HttpResponse<String> health = call(root.resolve("/health"), "GET");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\": \"UP\"}");
      assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");

      HttpResponse<String> ready = call(root.resolve("/ready"), "GET");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body())
          .isEqualTo(
              "{\"status\": \"UP\", \"checks\": {\"database\": \"UP\", \"engine\": \"UP\","
                  + " \"leases\": \"UP\"}}");

      HttpResponse<String> metrics = call(root.resolve("/metrics"), "GET");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(metrics.body())
          .contains("# TYPE geored_peer_available gauge")
          .contains("geored_peer_available{peer=\"site-b\"} 0.0")
          .contains(
              "geored_store_operations_seconds_count{operation=\"insert\",outcome=\"saved\","
                  + "store=\"system_peers\"} 1")
          .doesNotContain("b-admin-password", "ops-token");

      HttpResponse<String> post = call(root.resolve("/metrics"), "POST");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }
  }

  @Test
  @Timeout(60)
  @DisplayName(
      "with observability.token the three paths answer only Authorization: Bearer <token>; an"
          + " API token is not enough")
  void tokenRequired() throws Exception {
    try (SiteProcess site =
        SiteProcess.start(
            config("http.host=127.0.0.1", "observability.token=obs-token"), dir.resolve("err"))) {
      URI root = site.endpoint().resolve("/");
      for (String path : new String[] {"/metrics", "/health", "/ready"}) {
        for (String[] headers :
            new String[][] {
              {},
              {"Authorization", "Bearer wrong"},
              {"X-Auth-Token", "ops-token"},
              {"Authorization", "Bearer ops-token"}
            }) {
          HttpResponse<String> refused = call(root.resolve(path), "GET", headers);
          assertThat(refused.statusCode()).as(path).isEqualTo(401);
          assertThat(refused.headers().firstValue("WWW-Authenticate"))
              .hasValue("Bearer realm=\"geored-observability\"");
          assertThat(refused.body()).contains("Authentication required");
        }
        assertThat(
                call(root.resolve(path), "GET", "Authorization", "Bearer obs-token").statusCode())
            .as(path)
            .isEqualTo(200);
      }
      assertThat(call(root.resolve("/metrics"), "GET", "Authorization", "Bearer obs-token").body())
          .contains("geored_store_operations_seconds_count{");
    }
  }

  @Test
  @Timeout(30)
  @DisplayName("refuses to start on a non-loopback address without a token: exit 2, naming the key")
  void refusedWithoutTokenElsewhere() throws Exception {
    try (SiteProcess site = SiteProcess.launch(config("http.host=0.0.0.0"), dir.resolve("err"))) {
      assertThat(site.exitCode()).isEqualTo(2);
      assertThat(site.stderr())
          .isEqualTo(
              "cannot read configuration "
                  + dir.resolve("site.properties")
                  + ": observability.token is required when http.host (0.0.0.0) is not a loopback"
                  + " address (it guards GET /metrics, /health and /ready)\n");
    }
  }
}
