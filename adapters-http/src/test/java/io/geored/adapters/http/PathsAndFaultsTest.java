package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.testkit.sim.SingleSite;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Over real HTTP (the Jetty server on a free loopback port): every name the site accepts is
 * reachable by name, and every error answer, Jetty's own refusals included, has the JSON fault
 * shape.
 */
@DisplayName("paths reach every accepted name, and every error is a JSON fault")
class PathsAndFaultsTest {

  static final String TOKEN = "paths-admin-token";

  SingleSite site;
  GeoredHttpServer server;
  HttpSiteClient client;

  @BeforeEach
  void setUp() {
    site = SingleSite.create();
    server =
        GeoredHttpServer.builder(
                site.site(), TokenAuthenticator.builder().token(TOKEN, "admin", Role.ADMIN).build())
            .port(0)
            .idleTimeout(Duration.ofSeconds(2))
            .stopTimeout(Duration.ofMillis(100))
            .build()
            .start();
    client = HttpSiteClient.create(server.baseUri(), TOKEN);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  /** One request on a fresh connection; the whole answer as text. */
  record Raw(int status, Map<String, String> headers, String body) {}

  Raw raw(String requestLine, String... extraHeaders) throws Exception {
    StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: x\r\n");
    for (String h : extraHeaders) {
      request.append(h).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String[] head = text.substring(0, end).split("\r\n");
      int status = Integer.parseInt(head[0].split(" ")[1]);
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        headers.put(
            head[i].substring(0, colon).toLowerCase(Locale.ROOT),
            head[i].substring(colon + 1).trim());
      }
      return new Raw(status, headers, text.substring(end + 4));
    }
  }

  static String fault(int status, String message) {
    return "{\"faultcode\":\""
        + (status >= 500 ? "Server" : "Client")
        + "\",\"faultstring\":\""
        + message
        + "\",\"debuginfo\":null}";
  }

  static void assertFault(Raw answer, int status, String message) {
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.headers()).containsEntry("content-type", "application/json");
    assertThat(answer.body()).isEqualTo(fault(status, message));
    // docs/openapi.yaml's Fault schema describes it too.
    assertThat(OpenApi.get().checkFault(answer.body())).isEmpty();
  }

  static String encoded(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Nested
  @DisplayName("names")
  class Names {

    @ParameterizedTest(name = "peer group \"{0}\"")
    @ValueSource(
        strings = {
          "pg%1",
          "100%",
          "pg%25x",
          "pg 1",
          " pg1 ",
          "pg#1",
          "p\u00e9-\u4e2d-\ud83d\ude80",
          "pg;1",
          "a&b=c,d",
          "pg'\"<>@!~`:"
        })
    @DisplayName("a peer group with any name the rule accepts is reached by name")
    void peerGroupByName(String name) throws Exception {
      SubcloudPeerGroup created =
          client.createPeerGroup(
              Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName(name).build());
      assertThat(created.peerGroupName()).isEqualTo(name);

      assertThat(client.getPeerGroup(Caller.OPERATOR, name).id()).isEqualTo(created.id());
      assertThat(client.subcloudsOfPeerGroup(Caller.OPERATOR, name)).isEmpty();
      assertThat(client.peerGroupStatus(Caller.OPERATOR, name).peerGroupName()).isEqualTo(name);
      assertThat(
              client
                  .updatePeerGroup(
                      Caller.OPERATOR, name, PeerGroupUpdate.builder().groupPriority(0).build())
                  .maxSubcloudRehoming())
          .isEqualTo(created.maxSubcloudRehoming());
      Raw get =
          raw(
              "GET /v1.0/subcloud-peer-groups/" + encoded(name) + " HTTP/1.1",
              "X-Auth-Token: " + TOKEN);
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.body()).contains("\"id\":" + created.id() + ",");

      client.deletePeerGroup(Caller.OPERATOR, name);
      assertThat(site.stores().peerGroups().findAll()).isEmpty();
    }

    @ParameterizedTest(name = "subcloud \"{0}\"")
    @ValueSource(strings = {"sc%1", "sc 1", "sc#1", "sc\u00e9\u4e2d", "sc.1", "sc;1&x=y", "sc+1"})
    @DisplayName("a subcloud with any name the rule accepts is reached by name")
    void subcloudByName(String name) {
      Subcloud created =
          client.createSubcloud(
              Caller.OPERATOR,
              SubcloudCreate.builder()
                  .name(name)
                  .regionName("region-1")
                  .bootstrapValues(Map.of("name", name, "bootstrap-address", "10.0.0.2"))
                  .bootstrapAddress("10.0.0.2")
                  .build());
      assertThat(created.name()).isEqualTo(name);

      assertThat(client.getSubcloud(Caller.OPERATOR, name).id()).isEqualTo(created.id());
      assertThat(
              client
                  .updateSubcloud(
                      Caller.OPERATOR, name, SubcloudUpdate.builder().description("d").build())
                  .value()
                  .description())
          .isEqualTo("d");
      client.deleteSubcloud(Caller.OPERATOR, name);
      assertThat(site.stores().subclouds().findAll()).isEmpty();
    }

    @Test
    @DisplayName("a %-name is decoded once: %2525 names the group called %25, not %")
    void decodedOnce() throws Exception {
      site.site()
          .createPeerGroup(
              Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("a%25").build());
      Raw once = raw("GET /v1.0/subcloud-peer-groups/a%2525 HTTP/1.1", "X-Auth-Token: " + TOKEN);
      assertThat(once.status()).isEqualTo(200);
      assertThat(once.body()).contains("\"peer_group_name\":\"a%25\"");
      assertFault(
          raw("GET /v1.0/subcloud-peer-groups/a%25 HTTP/1.1", "X-Auth-Token: " + TOKEN),
          404,
          io.geored.spi.api.Messages.PEER_GROUP_NOT_FOUND);
    }
  }

  @Nested
  @DisplayName("Jetty's own refusals are JSON faults")
  class Faults {

    @Test
    @DisplayName("traversal and bad encodings: 400 or 404 with the JSON fault, nothing changed")
    void traversal() throws Exception {
      site.site()
          .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
      List<?> before = site.stores().peerGroups().findAll();
      String auth = "X-Auth-Token: " + TOKEN;
      assertFault(
          raw("GET /v1.0/subcloud-peer-groups/pg%2F1 HTTP/1.1", auth),
          400,
          "Ambiguous URI path separator");
      assertFault(
          raw("DELETE /v1.0/subcloud-peer-groups/%2e%2e/pg1 HTTP/1.1", auth),
          400,
          "Ambiguous URI path segment");
      assertFault(raw("GET /v1.0/subclouds/%00 HTTP/1.1", auth), 400, "Bad Request");
      assertFault(
          raw("GET /v1.0//subcloud-peer-groups HTTP/1.1", auth),
          400,
          "Ambiguous URI empty segment");
      assertFault(raw("GET /v1.0/subclouds/%ZZ HTTP/1.1", auth), 400, "Bad Request");
      assertFault(raw("GET /v1.0/subclouds/%C3 HTTP/1.1", auth), 400, "Bad UTF-8 encoding");
      assertFault(raw("GET /v1.0/subclouds/%5C HTTP/1.1", auth), 400, "Suspicious Path Character");
      assertFault(
          raw("GET /v1.0/subclouds/a\u0001b HTTP/1.1", auth), 400, "Illegal character CNTL=0x1");
      assertFault(raw("GET v1.0/subclouds HTTP/1.1", auth), 400, "Bad Request");
      assertFault(
          raw("DELETE /v1.0/subcloud-peer-groups/pg1/.. HTTP/1.1", auth),
          404,
          HttpMessages.NOT_FOUND);
      assertFault(raw("GET /v1.0/subclouds HTTP/9.9", auth), 505, "Unknown Version");
      assertThat(site.stores().peerGroups().findAll()).isEqualTo(before);
    }

    @Test
    @DisplayName("CONNECT and unknown methods: 405 with Allow")
    void methods() throws Exception {
      String auth = "X-Auth-Token: " + TOKEN;
      Raw connect = raw("CONNECT x:80 HTTP/1.1", auth);
      assertFault(connect, 405, HttpMessages.METHOD_NOT_ALLOWED);
      assertThat(connect.headers()).containsEntry("allow", "GET, POST, PATCH, DELETE");
      assertFault(raw("CONNECT /v1.0/subclouds HTTP/1.1", auth), 400, "Bad Request");
      assertFault(raw("CONNECT 127.0.0.1:80 HTTP/1.1", auth), 400, "Authority!=Host");

      Raw unknown = raw("FOO /v1.0/subclouds HTTP/1.1", auth);
      assertFault(unknown, 405, HttpMessages.METHOD_NOT_ALLOWED);
      assertThat(unknown.headers()).containsEntry("allow", "GET, POST");
      Raw put = raw("PUT /v1.0/subcloud-peer-groups/pg1 HTTP/1.1", auth);
      assertFault(put, 405, HttpMessages.METHOD_NOT_ALLOWED);
      assertThat(put.headers()).containsEntry("allow", "GET, PATCH, DELETE");
      Raw audit = raw("GET /v1.0/subcloud-peer-groups/pg1/audit HTTP/1.1", auth);
      assertFault(audit, 405, HttpMessages.METHOD_NOT_ALLOWED);
      assertThat(audit.headers()).containsEntry("allow", "PATCH");
    }

    @Test
    @DisplayName("401 carries WWW-Authenticate naming the token header")
    void unauthenticated() throws Exception {
      Raw none = raw("GET /v1.0/subclouds HTTP/1.1");
      assertFault(none, 401, HttpMessages.AUTHENTICATION_REQUIRED);
      assertThat(none.headers()).containsEntry("www-authenticate", "X-Auth-Token realm=\"geored\"");
      Raw wrong = raw("GET /v1.0/subclouds HTTP/1.1", "X-Auth-Token: wrong");
      assertFault(wrong, 401, HttpMessages.AUTHENTICATION_REQUIRED);
      assertThat(wrong.headers())
          .containsEntry("www-authenticate", "X-Auth-Token realm=\"geored\"");
    }
  }
}
