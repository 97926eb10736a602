package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.testkit.sim.SingleSite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The identity call where a StarlingX peer makes it: {@code GET /v1/isystems}, beside the dcmanager
 * API under {@code /v1.0}, with the same authentication, roles and answer.
 */
@DisplayName("GET /v1/isystems answers the identity call as GET /v1.0/isystems does")
class PlatformIdentityPathTest {

  static final String PEER_UUID = "bbbbbbbb-0000-4000-8000-000000000002";

  SingleSite site;
  GeoredHttpHandler handler;

  @BeforeEach
  void setUp() {
    site = SingleSite.create();
    handler =
        new GeoredHttpHandler(
            site.site(),
            TokenAuthenticator.builder()
                .token("t-admin", "admin", Role.ADMIN)
                .token("t-read", "reader", Role.READER)
                .peerToken("t-peer", "site-b", PEER_UUID)
                .build());
  }

  GeoredHttpHandler.Response call(String token, String method, String path) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (token != null) {
      headers.put("X-Auth-Token", token);
    }
    return handler.handle(new GeoredHttpHandler.Request(method, path, headers, new byte[0]));
  }

  static String fault(int status, String message) {
    return "{\"faultcode\":\""
        + (status >= 500 ? "Server" : "Client")
        + "\",\"faultstring\":\""
        + message
        + "\",\"debuginfo\":null}";
  }

  @Test
  @DisplayName("the same answer at both paths, for every role and a peer token")
  void sameAnswer() {
    String expected =
        "{\"isystems\":[{\"uuid\":\""
            + SingleSite.SITE_A.uuid()
            + "\",\"name\":\""
            + SingleSite.SITE_A.name()
            + "\"}]}";
    for (String token : new String[] {"t-admin", "t-read", "t-peer"}) {
      GeoredHttpHandler.Response platform = call(token, "GET", "/v1/isystems");
      assertThat(platform.status()).isEqualTo(200);
      assertThat(platform.text()).isEqualTo(expected);
      assertThat(call(token, "GET", "/v1.0/isystems").text()).isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("no token or a wrong one is 401 there too; other methods 405 with Allow: GET")
  void sameRules() {
    GeoredHttpHandler.Response none = call(null, "GET", "/v1/isystems");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.text()).isEqualTo(fault(401, HttpMessages.AUTHENTICATION_REQUIRED));
    assertThat(none.headers())
        .containsEntry("WWW-Authenticate", HttpMessages.AUTHENTICATE_CHALLENGE);
    assertThat(call("wrong", "GET", "/v1/isystems").status()).isEqualTo(401);
    GeoredHttpHandler.Response post = call("t-admin", "POST", "/v1/isystems");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.text()).isEqualTo(fault(405, HttpMessages.METHOD_NOT_ALLOWED));
    assertThat(post.headers()).containsEntry("Allow", "GET");
  }

  @Test
  @DisplayName("only the identity call lives under /v1: the dcmanager API stays under /v1.0")
  void nothingElseUnderV1() {
    for (String path :
        new String[] {
          "/v1",
          "/v1/",
          "/v1/system-peers",
          "/v1/subclouds",
          "/v1/isystems/x",
          "/v1/openapi.yaml",
          "/v1/../v1.0/isystems",
          "/v1//isystems"
        }) {
      GeoredHttpHandler.Response answer = call("t-admin", "GET", path);
      assertThat(answer.status()).as(path).isEqualTo(404);
      assertThat(answer.text()).as(path).isEqualTo(fault(404, HttpMessages.NOT_FOUND));
    }
  }

  @Test
  @DisplayName("a host route cannot take the platform identity path")
  void noHostRouteThere() {
    GeoredHttpServer.Builder builder =
        GeoredHttpServer.builder(
            site.site(), TokenAuthenticator.builder().token("t", "admin", Role.ADMIN).build());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> builder.route("/v1/isystems", r -> GeoredHttpHandler.error(404, "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("route path must start with / and have no route yet, was /v1/isystems");
  }

  @Test
  @DisplayName("over a real server: GET http://host:port/v1/isystems answers 200 with the identity")
  void overHttp() throws Exception {
    try (GeoredHttpServer server =
        GeoredHttpServer.builder(
                site.site(), TokenAuthenticator.builder().token("t", "admin", Role.ADMIN).build())
            .port(0)
            .stopTimeout(Duration.ofMillis(100))
            .build()
            .start()) {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/v1/isystems"))
                      .header("X-Auth-Token", "t")
                      .build(),
                  HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("\"uuid\":\"" + SingleSite.SITE_A.uuid() + "\"");
    }
  }
}
