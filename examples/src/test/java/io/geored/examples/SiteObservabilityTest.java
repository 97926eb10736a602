package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.adapters.http.GeoredHttpServer;
import io.geored.adapters.http.Role;
import io.geored.adapters.http.TokenAuthenticator;
import io.geored.testkit.sim.SingleSite;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The site's readiness answer")
class SiteObservabilityTest {

  @Test
  @DisplayName(
      "503 DOWN when a check is down or throws, naming each check; /health stays 200 meanwhile")
  void notReady() throws Exception {
    Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    checks.put("database", () -> true);
    checks.put("engine", () -> false);
    checks.put(
        "leases",
        () -> {
          throw new IllegalStateException("lease table unreadable");
        });
    SiteObservability observability =
        new SiteObservability(
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Optional.empty(), checks);
    try (GeoredHttpServer server =
        observability
            .routes(
                GeoredHttpServer.builder(
                    SingleSite.create().site(),
                    TokenAuthenticator.builder().token("t", "ops", Role.ADMIN).build()))
            .port(0)
            .build()
            .start()) {
      URI root = URI.create("http://127.0.0.1:" + server.port());
      HttpClient http = HttpClient.newHttpClient();

      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(root.resolve("/ready")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body())
          .isEqualTo(
              "{\"status\": \"DOWN\", \"checks\": {\"database\": \"UP\", \"engine\": \"DOWN\","
                  + " \"leases\": \"DOWN\"}}");

      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(root.resolve("/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\": \"UP\"}");
    }
  }
}
