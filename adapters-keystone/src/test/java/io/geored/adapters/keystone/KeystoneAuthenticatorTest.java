package io.geored.adapters.keystone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.adapters.http.AuthenticationException;
import io.geored.adapters.http.Authenticator.Principal;
import io.geored.adapters.http.GeoredHttpHandler;
import io.geored.adapters.http.HttpMessages;
import io.geored.adapters.http.Role;
import io.geored.testkit.realservice.Keystone;
import io.geored.testkit.realservice.RealServices;
import io.geored.testkit.sim.SingleSite;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server side against real Keystones (no mock at that boundary): {@code home} is this site's
 * Keystone; {@code other} another one, whose tokens live 8 s. Both are shared by the class. Only
 * the expiry and revocation tests wait on the wall clock, polling with a bounded budget.
 */
@DisplayName("KeystoneAuthenticator validates callers' tokens against the site's Keystone")
class KeystoneAuthenticatorTest {

  @RegisterExtension static final RealServices SERVICES = new RealServices();

  static KeystoneSeed home;
  static KeystoneSeed other;

  @BeforeAll
  static void keystones() {
    home = KeystoneSeed.seed(Keystone.start(SERVICES));
    other =
        KeystoneSeed.seed(
            Keystone.start(SERVICES, Keystone.options().tokenExpiration(Duration.ofSeconds(8))));
  }

  static Principal operator(String name, Role... roles) {
    return new Principal("keystone:" + name, Set.of(roles));
  }

  @Test
  @DisplayName(
      "maps Keystone roles to geored's by name in projects admin and services, implied roles"
          + " included (admin and member imply reader)")
  void mapsRoles() {
    KeystoneAuthenticator auth = home.authenticator().build();
    assertThat(auth.authenticate(home.token("admin", "admin")))
        .contains(operator("admin", Role.ADMIN, Role.READER));
    assertThat(auth.authenticate(home.token("conf", "admin")))
        .contains(operator("conf", Role.CONFIGURATOR));
    assertThat(auth.authenticate(home.token("oper", "services")))
        .contains(operator("oper", Role.OPERATOR));
    assertThat(auth.authenticate(home.token("read", "admin")))
        .contains(operator("read", Role.READER));
    assertThat(auth.authenticate(home.token("memb", "admin")))
        .contains(operator("memb", Role.READER));
  }

  @Test
  @DisplayName(
      "a valid token scoped to another project, or holding no geored role, is a known caller that"
          + " may do nothing: 403")
  void otherProjectsAndNoRoleAreForbidden() {
    KeystoneAuthenticator auth = home.authenticator().build();
    String demo = home.token("demo-admin", "demo");
    assertThatThrownBy(() -> auth.authenticate(demo))
        .isInstanceOfSatisfying(
            AuthenticationException.class,
            e -> {
              assertThat(e.isUnavailable()).isFalse();
              assertThat(e.principalName()).isEqualTo("keystone:demo-admin");
            })
        .hasMessage("the token is scoped to project demo, not one this site serves");
    String service = home.token(KeystoneSeed.SERVICE_USER, "services");
    assertThatThrownBy(() -> auth.authenticate(service))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("the token holds none of the roles admin, configurator, operator, reader");

    KeystoneAuthenticator adminOnly = home.authenticator().projects(Set.of("admin")).build();
    assertThatThrownBy(() -> adminOnly.authenticate(home.token("oper", "services")))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("the token is scoped to project services, not one this site serves");

    GeoredHttpHandler.Response answer = call(auth, demo, "GET", "/v1.0/system-peers");
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.text())
        .isEqualTo(
            "{\"faultcode\":\"Client\",\"faultstring\":\""
                + HttpMessages.FORBIDDEN
                + "\",\"debuginfo\":null}");
  }

  @Test
  @DisplayName(
      "a user mapped to a system peer is that peer site whatever its roles, and the site confines"
          + " it to peer work")
  void peerUserIsConfined() {
    KeystoneAuthenticator auth = home.authenticator().build();
    String peer = home.token("peer-b", "admin");
    assertThat(auth.authenticate(peer))
        .contains(Principal.peer("keystone:peer-b", KeystoneSeed.PEER_B_UUID));
    assertThat(call(auth, peer, "GET", "/v1.0/subcloud-peer-groups").status()).isEqualTo(200);
    GeoredHttpHandler.Response create =
        call(
            auth,
            peer,
            "POST",
            "/v1.0/subcloud-peer-groups",
            "{\"peer-group-name\":\"pg1\"}",
            "dcmanager/1.0");
    assertThat(create.status()).isEqualTo(403);
    assertThat(create.text()).contains("Forbidden");
  }

  @Test
  @DisplayName(
      "a token Keystone does not know — garbage, or issued by another Keystone — is unknown: 401")
  void unknownTokens() {
    KeystoneAuthenticator auth = home.authenticator().build();
    assertThat(auth.authenticate("not-a-token")).isEmpty();
    assertThat(auth.authenticate(null)).isEmpty();
    assertThat(auth.authenticate("")).isEmpty();
    String foreign = other.token("admin", "admin");
    assertThat(auth.authenticate(foreign)).isEmpty();
    GeoredHttpHandler.Response answer = call(auth, foreign, "GET", "/v1.0/system-peers");
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.headers())
        .containsEntry("WWW-Authenticate", HttpMessages.AUTHENTICATE_CHALLENGE);
  }

  @Test
  @DisplayName(
      "an expired token is unknown: a cached validation never outlives the token's expires_at,"
          + " even with a long cache TTL; the service user's own short tokens are renewed")
  void expiredToken() {
    KeystoneAuthenticator auth =
        KeystoneAuthenticator.builder(other.client(), other.serviceUser())
            .cacheTtl(Duration.ofHours(1))
            .build();
    String token = other.token("conf", "admin");
    assertThat(auth.authenticate(token)).contains(operator("conf", Role.CONFIGURATOR));
    assertThat(pollUntilUnknown(auth, token, Duration.ofSeconds(30))).isTrue();
    // Past 8 s the service user's first token expired too: validating a fresh one needs a new one.
    assertThat(auth.authenticate(other.token("read", "admin")))
        .contains(operator("read", Role.READER));
  }

  @Test
  @DisplayName(
      "a revoked token stops working within the cache TTL; until then the cached validation"
          + " answers")
  void revokedToken() {
    KeystoneAuthenticator longCache = home.authenticator().cacheTtl(Duration.ofHours(1)).build();
    KeystoneAuthenticator shortCache =
        home.authenticator().cacheTtl(Duration.ofMillis(500)).build();
    String token = home.token("oper", "services");
    assertThat(longCache.authenticate(token)).contains(operator("oper", Role.OPERATOR));
    assertThat(shortCache.authenticate(token)).contains(operator("oper", Role.OPERATOR));
    home.keystone.admin().revoke(token);
    assertThat(pollUntilUnknown(shortCache, token, Duration.ofSeconds(10))).isTrue();
    assertThat(longCache.authenticate(token)).contains(operator("oper", Role.OPERATOR));
    assertThat(home.authenticator().build().authenticate(token)).isEmpty();
  }

  @Test
  @DisplayName(
      "mapping the service user to a peer is refused at start; the admin user too when the"
          + " service user may list users, and at each call otherwise")
  void serviceAndAdminUsersNeverPeers() {
    String serviceId = home.userIds.get(KeystoneSeed.SERVICE_USER);
    KeystoneAuthenticator service =
        KeystoneAuthenticator.builder(home.client(), home.serviceUser())
            .peerUser(serviceId, KeystoneSeed.PEER_B_UUID)
            .build();
    assertThatThrownBy(service::checkMappings)
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage(
            "keystone peer user "
                + serviceId
                + " is the service user geored; map a user of the peer's own");

    String adminId = home.userIds.get("admin");
    KeystoneAuthenticator listing =
        KeystoneAuthenticator.builder(
                home.client(),
                PasswordCredentials.inDefaultDomain("geored-admin", "pw-geored-admin", "services"))
            .peerUser(adminId, KeystoneSeed.PEER_B_UUID)
            .build();
    assertThatThrownBy(listing::checkMappings)
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage(
            "keystone peer user " + adminId + " is the admin user; map a user of the peer's own");

    KeystoneAuthenticator notListing =
        KeystoneAuthenticator.builder(home.client(), home.serviceUser())
            .peerUser(adminId, KeystoneSeed.PEER_B_UUID)
            .build();
    notListing.checkMappings();
    assertThatThrownBy(() -> notListing.authenticate(home.token("admin", "admin")))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("a peer user must not be the service user or the admin user");

    home.authenticator().build().checkMappings();
  }

  @Test
  @DisplayName(
      "a wrong service password: the site answers 503, never 500, and tells why in its log")
  void wrongServicePassword() {
    KeystoneAuthenticator auth =
        KeystoneAuthenticator.builder(
                home.client(),
                PasswordCredentials.inDefaultDomain(KeystoneSeed.SERVICE_USER, "wrong", "services"))
            .build();
    String token = home.token("admin", "admin");
    assertThatThrownBy(() -> auth.authenticate(token))
        .isInstanceOfSatisfying(
            AuthenticationException.class, e -> assertThat(e.isUnavailable()).isTrue())
        .hasMessage(
            "Keystone at "
                + home.keystone.authUrl()
                + " refused the login of user geored with status 401");
    assertThat(call(auth, token, "GET", "/v1.0/system-peers").status()).isEqualTo(503);
  }

  /** Polls until the token is unknown (at most {@code budget}); true when it became unknown. */
  static boolean pollUntilUnknown(KeystoneAuthenticator auth, String token, Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    while (System.nanoTime() < deadline) {
      if (auth.authenticate(token).isEmpty()) {
        return true;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  static GeoredHttpHandler.Response call(
      KeystoneAuthenticator auth, String token, String method, String path) {
    return call(auth, token, method, path, null, null);
  }

  static GeoredHttpHandler.Response call(
      KeystoneAuthenticator auth,
      String token,
      String method,
      String path,
      String body,
      String userAgent) {
    GeoredHttpHandler handler = new GeoredHttpHandler(SingleSite.create().site(), auth);
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("X-Auth-Token", token);
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    if (userAgent != null) {
      headers.put("User-Agent", userAgent);
    }
    return handler.handle(
        new GeoredHttpHandler.Request(
            method,
            path,
            headers,
            body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
  }
}
