package io.geored.examples;

import io.geored.adapters.http.GeoredHttpHandler;
import io.geored.adapters.http.GeoredHttpServer;
import io.geored.adapters.http.HttpMessages;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone site's three paths for monitoring, beside the API: {@code GET /metrics} (the
 * engine's meters in Prometheus' text format), {@code GET /health} (liveness: 200 {@code {"status":
 * "UP"}} while the process serves) and {@code GET /ready} (readiness: 200 when every check is up,
 * 503 otherwise, each check named in the body). With an observability token they answer only a
 * request carrying {@code Authorization: Bearer <token>} (401 otherwise); without one they answer
 * anyone, which the configuration allows only on a loopback listen address.
 */
final class SiteObservability {

  private static final Logger LOG = LoggerFactory.getLogger(SiteObservability.class);

  /** Prometheus' text exposition format, as Prometheus asks for it. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  static final String JSON = "application/json";

  /** The challenge of a 401 on these paths: the token goes in {@code Authorization: Bearer}. */
  static final String CHALLENGE = "Bearer realm=\"geored-observability\"";

  private final PrometheusMeterRegistry registry;
  private final Optional<byte[]> token;
  private final Map<String, BooleanSupplier> readiness;

  /**
   * @param registry the meters to publish
   * @param token the bearer token required, or empty for none
   * @param readiness the readiness checks by name, in the order they are reported; a check that
   *     throws is down
   */
  SiteObservability(
      PrometheusMeterRegistry registry,
      Optional<String> token,
      Map<String, BooleanSupplier> readiness) {
    this.registry = registry;
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.readiness = new LinkedHashMap<>(readiness);
  }

  /** Adds the three paths to a server's builder. */
  GeoredHttpServer.Builder routes(GeoredHttpServer.Builder server) {
    return server
        .route("/metrics", guarded(r -> metrics()))
        .route("/health", guarded(r -> health()))
        .route("/ready", guarded(r -> ready()));
  }

  private Function<GeoredHttpHandler.Request, GeoredHttpHandler.Response> guarded(
      Function<GeoredHttpHandler.Request, GeoredHttpHandler.Response> answer) {
    return request -> {
      if (!authorized(request)) {
        return GeoredHttpHandler.error(
            401, HttpMessages.AUTHENTICATION_REQUIRED, Map.of("WWW-Authenticate", CHALLENGE));
      }
      if (!request.method().equals("GET")) {
        return GeoredHttpHandler.error(
            405, HttpMessages.METHOD_NOT_ALLOWED, Map.of("Allow", "GET"));
      }
      return answer.apply(request);
    };
  }

  private boolean authorized(GeoredHttpHandler.Request request) {
    if (token.isEmpty()) {
      return true;
    }
    String header = request.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.get());
  }

  private GeoredHttpHandler.Response metrics() {
    return new GeoredHttpHandler.Response(
        200, PROMETHEUS_TEXT, registry.scrape().getBytes(StandardCharsets.UTF_8));
  }

  private static GeoredHttpHandler.Response health() {
    return json(200, "{\"status\": \"UP\"}");
  }

  private GeoredHttpHandler.Response ready() {
    StringBuilder checks = new StringBuilder();
    boolean up = true;
    for (Map.Entry<String, BooleanSupplier> check : readiness.entrySet()) {
      boolean ok;
      try {
        ok = check.getValue().getAsBoolean();
      } catch (RuntimeException e) {
        LOG.warn("readiness check failed check={} error={}", check.getKey(), e.toString());
        ok = false;
      }
      up &= ok;
      checks
          .append(checks.length() == 0 ? "" : ", ")
          .append('"')
          .append(check.getKey())
          .append("\": \"")
          .append(ok ? "UP" : "DOWN")
          .append('"');
    }
    return json(
        up ? 200 : 503,
        "{\"status\": \"" + (up ? "UP" : "DOWN") + "\", \"checks\": {" + checks + "}}");
  }

  private static GeoredHttpHandler.Response json(int status, String body) {
    return new GeoredHttpHandler.Response(status, JSON, body.getBytes(StandardCharsets.UTF_8));
  }
}
