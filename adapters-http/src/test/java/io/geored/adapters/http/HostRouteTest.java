package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.testkit.sim.SingleSite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A host's own paths beside the API (a metrics or health endpoint of the standalone site). */
@DisplayName("host routes on the server")
class HostRouteTest {

  private static final Authenticator TOKENS =
      TokenAuthenticator.builder().token("t", "admin", Role.ADMIN).build();

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(uri).header("X-Trace", "x1").GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName(
      "an exact host path answers with the host's handler, unauthenticated unless the handler says"
          + " so; the API and other paths are unchanged; a throwing handler is a 500 fault")
  void servesHostPaths() throws Exception {
    SingleSite site = SingleSite.create();
    try (GeoredHttpServer server =
        GeoredHttpServer.builder(site.site(), TOKENS)
            .port(0)
            .route(
                "/hello",
                r ->
                    new GeoredHttpHandler.Response(
                        200,
                        "text/plain; charset=utf-8",
                        (r.method() + " " + r.path() + " " + r.header("x-trace"))
                            .getBytes(StandardCharsets.UTF_8)))
            .route(
                "/broken",
                r -> {
                  throw new IllegalStateException("boom");
                })
            .build()
            .start()) {
      URI root = URI.create("http://127.0.0.1:" + server.port());

      HttpResponse<String> hello = get(root.resolve("/hello"));
      assertThat(hello.statusCode()).isEqualTo(200);
      assertThat(hello.body()).isEqualTo("GET /hello x1");
      assertThat(hello.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");

      HttpResponse<String> broken = get(root.resolve("/broken"));
      assertThat(broken.statusCode()).isEqualTo(500);
      assertThat(broken.body())
          .isEqualTo(GeoredHttpHandler.error(500, HttpMessages.INTERNAL_ERROR).text());

      assertThat(get(root.resolve("/hello/more")).statusCode()).isEqualTo(404);
      assertThat(get(root.resolve("/v1.0/subclouds")).statusCode()).isEqualTo(401);
    }
  }

  @Test
  @DisplayName("a route under the API's base path, a relative one or a second one is refused")
  void refusesOverlappingRoutes() {
    SingleSite site = SingleSite.create();
    assertThatThrownBy(
            () ->
                GeoredHttpServer.builder(site.site(), TOKENS)
                    .route("/v1.0/metrics", r -> null)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("route path must be outside the API's /v1.0, was /v1.0/metrics");
    assertThatThrownBy(
            () -> GeoredHttpServer.builder(site.site(), TOKENS).route("metrics", r -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("route path must start with / and have no route yet, was metrics");
    assertThatThrownBy(
            () ->
                GeoredHttpServer.builder(site.site(), TOKENS)
                    .route("/m", r -> null)
                    .route("/m", r -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("route path must start with / and have no route yet, was /m");
  }
}
