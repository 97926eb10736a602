package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.testkit.sim.SingleSite;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("the handler authenticates, authorizes, routes and answers errors as upstream")
class HandlerRulesTest {

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
                .token("t-conf", "conf", Role.CONFIGURATOR)
                .token("t-op", "op", Role.OPERATOR)
                .token("t-read", "reader", Role.READER)
                .peerToken("t-peer", "site-b", "bbbbbbbb-0000-4000-8000-000000000002")
                .build(),
            "/v1.0",
            1024);
  }

  GeoredHttpHandler.Response call(String token, String method, String path, String body) {
    return call(token, method, path, body, "application/json");
  }

  GeoredHttpHandler.Response call(
      String token, String method, String path, String body, String contentType) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (token != null) {
      headers.put("X-Auth-Token", token);
    }
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return handler.handle(
        new GeoredHttpHandler.Request(
            method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
  }

  record Snapshot(List<?> a, List<?> b, List<?> c, List<?> d) {}

  Snapshot snapshot() {
    return new Snapshot(
        site.stores().systemPeers().findAll(),
        site.stores().peerGroups().findAll(),
        site.stores().associations().findAll(),
        site.stores().subclouds().findAll());
  }

  void assertAnswer(GeoredHttpHandler.Response r, int status, String message) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.text())
        .isEqualTo(
            "{\"faultcode\":\""
                + (status >= 500 ? "Server" : "Client")
                + "\",\"faultstring\":\""
                + message
                + "\",\"debuginfo\":null}");
  }

  void assertRefusedUnchanged(
      String token, String method, String path, String body, int status, String message) {
    Snapshot before = snapshot();
    assertAnswer(call(token, method, path, body), status, message);
    assertThat(snapshot()).isEqualTo(before);
  }

  static final String GROUP = "{\"peer-group-name\":\"pg1\"}";

  @Nested
  @DisplayName("authentication")
  class Authentication {

    @Test
    @DisplayName("no token or a wrong token is 401 and changes nothing")
    void missingOrWrong() {
      assertRefusedUnchanged(
          null,
          "POST",
          "/v1.0/subcloud-peer-groups",
          GROUP,
          401,
          HttpMessages.AUTHENTICATION_REQUIRED);
      assertRefusedUnchanged(
          "t-admin-",
          "POST",
          "/v1.0/subcloud-peer-groups",
          GROUP,
          401,
          HttpMessages.AUTHENTICATION_REQUIRED);
      assertRefusedUnchanged(
          "", "GET", "/v1.0/subclouds", null, 401, HttpMessages.AUTHENTICATION_REQUIRED);
    }

    @Test
    @DisplayName(
        "an authenticator that cannot decide now is answered 503 with the JSON fault body, one"
            + " that refuses a known holder 403; neither changes anything")
    void unavailableAndForbidden() {
      handler =
          new GeoredHttpHandler(
              site.site(),
              token -> {
                if (token.equals("t-down")) {
                  throw AuthenticationException.unavailable("identity service down");
                }
                throw AuthenticationException.forbidden("someone", "scoped to project demo");
              },
              "/v1.0",
              1024);
      assertRefusedUnchanged(
          "t-down",
          "POST",
          "/v1.0/subcloud-peer-groups",
          GROUP,
          503,
          HttpMessages.AUTHENTICATION_UNAVAILABLE);
      GeoredHttpHandler.Response down = call("t-down", "GET", "/v1.0/subclouds", null);
      assertAnswer(down, 503, "The identity service is temporarily unavailable");
      assertThat(down.headers()).doesNotContainKey("WWW-Authenticate");
      assertRefusedUnchanged(
          "t-other", "POST", "/v1.0/subcloud-peer-groups", GROUP, 403, HttpMessages.FORBIDDEN);
      assertThat(AuthenticationException.forbidden("someone", "why").principalName())
          .isEqualTo("someone");
      assertThat(AuthenticationException.unavailable("why").isUnavailable()).isTrue();
      assertThat(AuthenticationException.unavailable("why").getStackTrace()).isEmpty();
    }

    @Test
    @DisplayName("the token authenticator never shows its tokens")
    void noTokenInToString() {
      assertThat(TokenAuthenticator.builder().token("s3cr3t", "x", Role.ADMIN).build().toString())
          .doesNotContain("s3cr3t");
    }
  }

  @Nested
  @DisplayName("authorization")
  class Authorization {

    @Test
    @DisplayName("every role reads; a peer reads what peers read but not the system peer list")
    void reads() {
      for (String token : List.of("t-admin", "t-conf", "t-op", "t-read")) {
        assertThat(call(token, "GET", "/v1.0/system-peers", null).status()).isEqualTo(200);
      }
      assertAnswer(call("t-peer", "GET", "/v1.0/system-peers", null), 403, HttpMessages.FORBIDDEN);
      assertThat(call("t-peer", "GET", "/v1.0/subcloud-peer-groups", null).status()).isEqualTo(200);
      assertThat(call("t-peer", "GET", "/v1.0/isystems", null).status()).isEqualTo(200);
    }

    @Test
    @DisplayName(
        "groups are created by admin and configurator; not operator or reader, nor a peer that is"
            + " no system peer here")
    void groupWrites() {
      assertRefusedUnchanged(
          "t-op", "POST", "/v1.0/subcloud-peer-groups", GROUP, 403, HttpMessages.FORBIDDEN);
      assertRefusedUnchanged(
          "t-read", "POST", "/v1.0/subcloud-peer-groups", GROUP, 403, HttpMessages.FORBIDDEN);
      assertRefusedUnchanged(
          "t-peer",
          "POST",
          "/v1.0/subcloud-peer-groups",
          "{\"peer-group-name\":\"pg2\",\"group-priority\":2}",
          403,
          Messages.PEER_REQUEST_FORBIDDEN);
      assertThat(call("t-conf", "POST", "/v1.0/subcloud-peer-groups", GROUP).status())
          .isEqualTo(200);
    }

    @Test
    @DisplayName("a peer may not create system peers or migrate; an operator may change subclouds")
    void peerLimits() {
      assertRefusedUnchanged(
          "t-peer",
          "POST",
          "/v1.0/system-peers",
          "{\"peer_uuid\":\"x\"}",
          403,
          HttpMessages.FORBIDDEN);
      assertRefusedUnchanged(
          "t-peer",
          "PATCH",
          "/v1.0/subcloud-peer-groups/pg1/migrate",
          "{}",
          403,
          HttpMessages.FORBIDDEN);
      assertRefusedUnchanged(
          "t-read", "DELETE", "/v1.0/subclouds/sc1", null, 403, HttpMessages.FORBIDDEN);
      assertAnswer(
          call("t-op", "DELETE", "/v1.0/subclouds/sc1", null), 404, Messages.SUBCLOUD_NOT_FOUND);
    }
  }

  @Nested
  @DisplayName("routing and bodies")
  class Routing {

    @Test
    @DisplayName("unknown resource 404, unknown verb 400 Invalid request, wrong method 405")
    void routes() {
      assertAnswer(call("t-admin", "GET", "/v1.0/nothing", null), 404, HttpMessages.NOT_FOUND);
      assertAnswer(call("t-admin", "GET", "/v2.0/subclouds", null), 404, HttpMessages.NOT_FOUND);
      assertAnswer(
          call("t-admin", "GET", "/v1.0/subcloud-peer-groups/pg1/other", null),
          400,
          Messages.INVALID_REQUEST);
      assertAnswer(
          call("t-admin", "PUT", "/v1.0/subcloud-peer-groups", GROUP),
          405,
          HttpMessages.METHOD_NOT_ALLOWED);
      assertAnswer(
          call("t-admin", "GET", "/v1.0/subclouds/..%2F..%2Fetc", null),
          404,
          HttpMessages.NOT_FOUND);
    }

    @Test
    @DisplayName(
        "{} is Body required; no body or not JSON is malformed; JSON not an object is refused")
    void bodies() {
      String path = "/v1.0/subcloud-peer-groups";
      assertRefusedUnchanged("t-admin", "POST", path, null, 400, Messages.BODY_MALFORMED);
      assertRefusedUnchanged("t-admin", "POST", path, " \n", 400, Messages.BODY_MALFORMED);
      assertRefusedUnchanged("t-admin", "POST", path, "{}", 400, Messages.BODY_REQUIRED);
      assertRefusedUnchanged("t-admin", "POST", path, "{\"a\":", 400, Messages.BODY_MALFORMED);
      assertRefusedUnchanged("t-admin", "POST", path, "[1,2]", 400, Messages.BODY_FORMAT);
    }

    @Test
    @DisplayName(
        "PATCH of an unknown group or association is 404 whatever the body: looked up first")
    void unknownBeforeBody() {
      for (String body : new String[] {null, "", "{}", "{\"a\":", "[1]"}) {
        assertRefusedUnchanged(
            "t-admin",
            "PATCH",
            "/v1.0/subcloud-peer-groups/nope",
            body,
            404,
            Messages.PEER_GROUP_NOT_FOUND);
        assertRefusedUnchanged(
            "t-admin",
            "PATCH",
            "/v1.0/peer-group-associations/99",
            body,
            404,
            Messages.ASSOCIATION_NOT_FOUND);
        assertRefusedUnchanged(
            "t-peer",
            "PATCH",
            "/v1.0/subcloud-peer-groups/nope/audit",
            body,
            404,
            Messages.PEER_GROUP_NOT_FOUND);
      }
    }

    @Test
    @DisplayName("an audit request {} names the first missing key, peer_uuid")
    void auditEmptyObject() {
      site.site()
          .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
      assertRefusedUnchanged(
          "t-peer",
          "PATCH",
          "/v1.0/subcloud-peer-groups/pg1/audit",
          "{}",
          400,
          Messages.auditMissingKey("pg1", "peer_uuid"));
      assertRefusedUnchanged(
          "t-peer",
          "PATCH",
          "/v1.0/subcloud-peer-groups/1/audit",
          "{}",
          400,
          Messages.auditMissingKey("pg1", "peer_uuid"));
    }

    @Test
    @DisplayName("a zero-length association PATCH body is malformed; {} is Body required")
    void associationEmptyBody() {
      site.site()
          .createSystemPeer(
              Caller.OPERATOR,
              SystemPeerCreate.builder()
                  .peerUuid("bbbbbbbb-0000-4000-8000-000000000002")
                  .peerName("site-b")
                  .managerEndpoint("http://site-b:8119/v1.0")
                  .managerUsername("admin")
                  .managerPassword("pw")
                  .peerControllerGatewayAddress("10.0.0.1")
                  .build());
      site.site()
          .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
      long id =
          site.site()
              .createAssociation(
                  Caller.OPERATOR,
                  AssociationCreate.builder()
                      .peerGroupId(1L)
                      .systemPeerId(1L)
                      .peerGroupPriority(1)
                      .build())
              .id();
      String path = "/v1.0/peer-group-associations/" + id;
      assertRefusedUnchanged("t-admin", "PATCH", path, "", 400, Messages.BODY_MALFORMED);
      assertRefusedUnchanged("t-admin", "PATCH", path, null, 400, Messages.BODY_MALFORMED);
      assertRefusedUnchanged("t-admin", "PATCH", path, "{}", 400, Messages.BODY_REQUIRED);
    }

    @Test
    @DisplayName("a wrong type is refused naming the field, and a number past int range too")
    void wrongTypes() {
      String path = "/v1.0/subcloud-peer-groups";
      assertRefusedUnchanged(
          "t-admin",
          "POST",
          path,
          "{\"peer-group-name\":\"pg1\",\"group-priority\":\"high\"}",
          400,
          Messages.INVALID_GROUP_PRIORITY);
      assertRefusedUnchanged(
          "t-admin",
          "POST",
          path,
          "{\"peer-group-name\":\"pg1\",\"group-priority\":99999999999999999999999}",
          400,
          Messages.INVALID_GROUP_PRIORITY);
      assertRefusedUnchanged(
          "t-admin",
          "POST",
          path,
          "{\"peer-group-name\":[\"pg1\"]}",
          400,
          Messages.INVALID_PEER_GROUP_NAME);
    }

    @Test
    @DisplayName("an underscore spelling of a hyphen key is refused to an operator, naming both")
    void underscoreNotRead() {
      call("t-admin", "POST", "/v1.0/subcloud-peer-groups", GROUP);
      Snapshot before = snapshot();
      assertAnswer(
          call("t-admin", "PATCH", "/v1.0/subcloud-peer-groups/pg1", "{\"group_priority\":4}"),
          400,
          "Unknown key group_priority; did you mean group-priority?");
      assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("an association id that is not an integer is refused with the site's text")
    void associationId() {
      assertAnswer(
          call("t-admin", "GET", "/v1.0/peer-group-associations/abc", null),
          400,
          Messages.ASSOCIATION_ID_NOT_INTEGER);
    }

    @Test
    @DisplayName("a body past the limit is 413; at the limit it is read")
    void bodyLimit() {
      String name = "p".repeat(1024 - "{\"peer-group-name\":\"\"}".length());
      String atLimit = "{\"peer-group-name\":\"" + name + "\"}";
      assertThat(atLimit).hasSize(1024);
      assertThat(call("t-admin", "POST", "/v1.0/subcloud-peer-groups", atLimit).status())
          .isEqualTo(400);
      assertRefusedUnchanged(
          "t-admin",
          "POST",
          "/v1.0/subcloud-peer-groups",
          atLimit + " ",
          413,
          HttpMessages.BODY_TOO_LARGE);
    }

    @Test
    @DisplayName(
        "a JSON resource refuses another content type; bad multipart and YAML name the field")
    void contentTypes() {
      Snapshot before = snapshot();
      assertAnswer(
          call("t-admin", "POST", "/v1.0/subcloud-peer-groups", GROUP, "text/plain"),
          415,
          HttpMessages.UNSUPPORTED_CONTENT_TYPE);
      assertAnswer(
          call("t-admin", "POST", "/v1.0/subclouds", "garbage", "multipart/form-data; boundary=xx"),
          400,
          HttpMessages.MULTIPART_MALFORMED);
      String yaml =
          "--b\r\nContent-Disposition: form-data; name=\"bootstrap_values\"; filename=\"b.yaml\"\r\n\r\n"
              + "- just\n- a list\r\n--b--\r\n";
      assertAnswer(
          call("t-admin", "POST", "/v1.0/subclouds", yaml, "multipart/form-data; boundary=b"),
          400,
          HttpMessages.invalidField("bootstrap_values"));
      assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("a refusal of the site keeps its status and exact text")
    void siteRefusal() {
      site.site()
          .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
      assertRefusedUnchanged(
          "t-admin",
          "POST",
          "/v1.0/subcloud-peer-groups",
          GROUP,
          409,
          Messages.PEER_GROUP_NAME_EXISTS);
    }
  }
}
