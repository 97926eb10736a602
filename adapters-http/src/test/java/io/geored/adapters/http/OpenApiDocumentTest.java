package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.geored.testkit.sim.SingleSite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml is a valid OpenAPI 3.1 document, is what the server answers at {@code GET
 * /v1.0/openapi.yaml} without a token, and lists exactly the routes the handler serves.
 */
@DisplayName("docs/openapi.yaml: valid, served, and naming exactly the routes served")
class OpenApiDocumentTest {

  static final String TOKEN = "openapi-admin-token";
  static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

  @Test
  @DisplayName("swagger-parser reads it as OpenAPI 3.1 with no complaint")
  void valid() {
    OpenApi api = OpenApi.get();
    assertThat(api.parsed.getMessages()).isEmpty();
    assertThat(api.parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    assertThat(api.parsed.getOpenAPI().getPaths()).hasSize(api.paths().size());
  }

  @Test
  @DisplayName("GET /v1.0/openapi.yaml answers docs/openapi.yaml as application/yaml, no token")
  void served() throws Exception {
    SingleSite site = SingleSite.create();
    try (GeoredHttpServer server =
        GeoredHttpServer.builder(
                site.site(), TokenAuthenticator.builder().token(TOKEN, "admin", Role.ADMIN).build())
            .port(0)
            .stopTimeout(Duration.ofMillis(100))
            .build()
            .start()) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<byte[]> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(server.baseUri() + "/openapi.yaml")).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/yaml");
      // The copy on the classpath is the file in docs/, byte for byte.
      assertThat(answer.body()).isEqualTo(Files.readAllBytes(Path.of("../docs/openapi.yaml")));

      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(URI.create(server.baseUri() + "/openapi.yaml"))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).hasValue("GET");
      assertThat(OpenApi.get().checkFault(post.body())).isEmpty();
    }
  }

  @Test
  @DisplayName("the checks bite: a wrong spelling, a missing key, an undescribed call are reported")
  void checksBite() {
    OpenApi api = OpenApi.get();
    byte[] group =
        ("{\"id\":1,\"peer-group-name\":\"pg1\",\"group_priority\":0,\"group_state\":\"enabled\","
                + "\"max_subcloud_rehoming\":10,\"system_leader_id\":null,\"system_leader_name\":null,"
                + "\"migration_status\":null,\"created-at\":null,\"updated-at\":null}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(
            api.check(
                "GET",
                "/v1.0/subcloud-peer-groups/pg1",
                null,
                new byte[0],
                200,
                "application/json",
                group))
        .isNotEmpty();
    byte[] request =
        "{\"peer_group_name\":\"pg1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] fault =
        PathsAndFaultsTest.fault(400, "x").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(
            api.check(
                "POST",
                "/v1.0/subcloud-peer-groups",
                "application/json",
                request,
                200,
                "application/json",
                group))
        .anySatisfy(p -> assertThat(p).contains("request"));
    assertThat(
            api.check(
                "POST",
                "/v1.0/subcloud-peer-groups",
                "application/json",
                request,
                400,
                "application/json",
                fault))
        .isEmpty();
    assertThat(
            api.check("PUT", "/v1.0/subclouds", null, new byte[0], 200, "application/json", fault))
        .containsExactly("PUT /v1.0/subclouds -> 200: /subclouds has no PUT");
    assertThat(api.checkFault("{\"faultcode\":\"Client\",\"faultstring\":\"x\"}")).isNotEmpty();
    assertThat(api.checkFault("{\"faultcode\":\"Oops\",\"faultstring\":\"x\",\"debuginfo\":null}"))
        .isNotEmpty();
  }

  /**
   * A route is served unless the handler answers it as unknown: 405, or the 404 and 400 answers of
   * routing (not those of a missing object, which carry the object's own text).
   */
  static boolean served(GeoredHttpHandler.Response answer) throws Exception {
    if (answer.status() == 405) {
      return false;
    }
    if (!answer.contentType().equals("application/json")) {
      return true;
    }
    JsonNode fault = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
    String message =
        fault != null && fault.has("faultstring") ? fault.get("faultstring").asText() : "";
    return !(answer.status() == 404 && message.equals(HttpMessages.NOT_FOUND))
        && !(answer.status() == 400 && message.equals(io.geored.spi.api.Messages.INVALID_REQUEST))
        // A non-numeric association id is refused before the method is looked at: the path is
        // outside the {id} pattern the document gives.
        && !(answer.status() == 400
            && message.equals(io.geored.spi.api.Messages.ASSOCIATION_ID_NOT_INTEGER));
  }

  static String filled(String template) {
    return template.replace("{id}", "424242").replace("{ref}", "no-such-object");
  }

  @Test
  @DisplayName("every route of the document is served, every other method and verb is not")
  void routes() throws Exception {
    OpenApi api = OpenApi.get();
    GeoredHttpHandler handler =
        new GeoredHttpHandler(
            SingleSite.create().site(),
            TokenAuthenticator.builder().token(TOKEN, "admin", Role.ADMIN).build());
    // Candidate paths: the document's, and each of them with one more segment of any word the
    // document or a likely extension uses, so a route served but not described is found.
    Set<String> words =
        new TreeSet<>(
            List.of(
                "detail",
                "status",
                "sync",
                "migrate",
                "audit",
                "hand-over",
                "subclouds",
                "progress",
                "migration-progress",
                "sync-progress",
                "openapi.yaml",
                "subcloud-peer-groups",
                "system-peers",
                "peer-group-associations",
                "isystems",
                "health",
                "metrics",
                "version",
                "{id}",
                "{ref}"));
    for (String template : api.paths()) {
      for (String part : template.substring(1).split("/")) {
        words.add(part);
      }
    }
    Set<String> candidates = new LinkedHashSet<>();
    for (String word : words) {
      candidates.add("/" + word);
    }
    for (String template : api.paths()) {
      candidates.add(template);
      for (String word : words) {
        candidates.add(template + "/" + word);
      }
    }
    List<String> wrong = new ArrayList<>();
    for (String candidate : candidates) {
      String path = filled(candidate);
      String template = api.template(OpenApi.BASE + path);
      List<String> described = template == null ? List.of() : api.methods(template);
      for (String method : METHODS) {
        GeoredHttpHandler.Response answer =
            handler.handle(
                new GeoredHttpHandler.Request(
                    method, OpenApi.BASE + path, Map.of("X-Auth-Token", TOKEN), new byte[0]));
        boolean isDescribed = described.contains(method);
        if (served(answer) != isDescribed) {
          wrong.add(
              method
                  + " "
                  + path
                  + (isDescribed ? " described, not served: " : " served, not described: ")
                  + answer.status()
                  + " "
                  + answer.text());
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  @DisplayName(
      "outside the base only what an operation's own servers name is served: GET /v1/isystems")
  void routesOutsideTheBase() throws Exception {
    OpenApi api = OpenApi.get();
    Map<String, List<String>> outside = api.outsideBase();
    assertThat(outside).isEqualTo(Map.of(GeoredHttpHandler.PLATFORM_IDENTITY_PATH, List.of("GET")));
    GeoredHttpHandler handler =
        new GeoredHttpHandler(
            SingleSite.create().site(),
            TokenAuthenticator.builder().token(TOKEN, "admin", Role.ADMIN).build());
    // Every path of the document (and one more segment) under each outside base, and the bases.
    Set<String> candidates = new LinkedHashSet<>();
    for (String raw : outside.keySet()) {
      String base = raw.substring(0, raw.indexOf('/', 1));
      candidates.add(base);
      candidates.add(base + "/");
      for (String template : api.paths()) {
        candidates.add(base + filled(template));
        candidates.add(base + filled(template) + "/x");
      }
    }
    List<String> wrong = new ArrayList<>();
    for (String path : candidates) {
      List<String> described = outside.getOrDefault(path, List.of());
      for (String method : METHODS) {
        GeoredHttpHandler.Response answer =
            handler.handle(
                new GeoredHttpHandler.Request(
                    method, path, Map.of("X-Auth-Token", TOKEN), new byte[0]));
        boolean isDescribed = described.contains(method);
        if (served(answer) != isDescribed) {
          wrong.add(
              method
                  + " "
                  + path
                  + (isDescribed ? " described, not served: " : " served, not described: ")
                  + answer.status()
                  + " "
                  + answer.text());
        }
      }
    }
    assertThat(wrong).isEmpty();
  }
}
