package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.testkit.realservice.Keystone;
import io.geored.testkit.realservice.KeystoneAdmin;
import io.geored.testkit.realservice.RealServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone site with {@code keystone.*} keys, against a real Keystone shared by the class
 * (skipped locally without python3-keystone, failing when CI=true).
 */
@DisplayName("The standalone site validates callers' tokens with its Keystone")
class StandaloneKeystoneTest {

  @RegisterExtension static final RealServices SERVICES = new RealServices();

  static final String PEER_UUID = "bbbbbbbb-0000-4000-8000-000000000002";

  static Keystone keystone;
  static String serviceUserId;
  static String peerUserId;

  @TempDir Path dir;

  @BeforeAll
  static void keystone() {
    keystone = Keystone.start(SERVICES);
    KeystoneAdmin a = keystone.admin();
    String services = a.createProject("services");
    serviceUserId = a.createUser("geored", "pw-geored");
    a.grant(serviceUserId, services, a.createRole("service"));
    peerUserId = a.createUser("peer-b", "pw-peer-b");
    a.grant(peerUserId, a.projectId("admin"), a.roleId("member"));
  }

  private Path passwordFile(String permissions) throws Exception {
    Path file = dir.resolve("keystone-password");
    Files.writeString(file, "pw-geored\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  private SiteConfig config(Path passwordFile, String... extra) {
    Properties p = new Properties();
    p.setProperty("site.uuid", "aaaaaaaa-0000-4000-8000-00000000000a");
    p.setProperty("site.name", "site-a");
    p.setProperty("database.folder", dir.resolve("db").toString());
    p.setProperty("http.port", "0");
    p.setProperty("keystone.auth-url", keystone.authUrl());
    p.setProperty("keystone.user", "geored");
    p.setProperty("keystone.password-file", passwordFile.toString());
    p.setProperty("keystone.peer-user." + peerUserId, PEER_UUID);
    for (int i = 0; i < extra.length; i += 2) {
      p.setProperty(extra[i], extra[i + 1]);
    }
    return SiteConfig.parse(p);
  }

  static int status(StandaloneSite site, String token, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(site.endpoint() + path))
                .header("X-Auth-Token", token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  @DisplayName(
      "an admin's Keystone token is served, a peer user's is the peer site (confined), an unknown"
          + " one 401")
  void servesKeystoneTokens() throws Exception {
    String admin = keystone.admin().login("admin", keystone.adminPassword(), "admin").id();
    String peer = keystone.admin().login("peer-b", "pw-peer-b", "admin").id();
    try (StandaloneSite site = StandaloneSite.start(config(passwordFile("rw-------")))) {
      assertThat(status(site, admin, "/system-peers")).isEqualTo(200);
      assertThat(status(site, peer, "/subcloud-peer-groups")).isEqualTo(200);
      assertThat(status(site, peer, "/system-peers")).isEqualTo(403);
      assertThat(status(site, "not-a-token", "/system-peers")).isEqualTo(401);
      assertThat(site.config().toString()).doesNotContain("pw-geored");
    }
  }

  @Test
  @DisplayName(
      "Keystone stopped: 503 with the fault body for a token not validated yet, while the site"
          + " stays ready (its engine keeps running)")
  void keystoneStopped() throws Exception {
    Keystone own = Keystone.start(SERVICES);
    KeystoneAdmin a = own.admin();
    String user = a.createUser("geored", "pw-geored");
    a.grant(user, a.createProject("services"), a.createRole("service"));
    String admin = a.login("admin", own.adminPassword(), "admin").id();
    String later = a.login("admin", own.adminPassword(), "admin").id();
    Properties p = new Properties();
    p.setProperty("site.uuid", "aaaaaaaa-0000-4000-8000-00000000000a");
    p.setProperty("site.name", "site-a");
    p.setProperty("database.folder", dir.resolve("db").toString());
    p.setProperty("http.port", "0");
    p.setProperty("keystone.auth-url", own.authUrl());
    p.setProperty("keystone.user", "geored");
    p.setProperty("keystone.password-file", passwordFile("rw-------").toString());
    try (StandaloneSite site = StandaloneSite.start(SiteConfig.parse(p))) {
      assertThat(status(site, admin, "/system-peers")).isEqualTo(200);
      own.stop();
      HttpResponse<String> down =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(site.endpoint() + "/system-peers"))
                      .header("X-Auth-Token", later)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body())
          .isEqualTo(
              "{\"faultcode\":\"Server\",\"faultstring\":\"The identity service is temporarily"
                  + " unavailable\",\"debuginfo\":null}");
      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(site.endpoint().resolve("/ready")).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(status(site, admin, "/system-peers")).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("a password file others may read stops the start with one line naming it")
  void passwordFileOwnerOnly() throws Exception {
    Path file = passwordFile("rw-r--r--");
    assertThatThrownBy(() -> StandaloneSite.start(config(file)))
        .isExactlyInstanceOf(SiteStartException.class)
        .hasMessage(
            "keystone.password-file "
                + file.toAbsolutePath().normalize()
                + " may be read by others (permissions rw-r--r--): make it readable by its owner"
                + " only (chmod 600)");
  }

  @Test
  @DisplayName(
      "mapping the service user to a peer, or a service password Keystone refuses, stops the"
          + " start")
  void wrongMappingOrPassword() throws Exception {
    Path file = passwordFile("rw-------");
    assertThatThrownBy(
            () ->
                StandaloneSite.start(
                    config(file, "keystone.peer-user." + serviceUserId, PEER_UUID)))
        .isExactlyInstanceOf(SiteStartException.class)
        .hasMessage(
            "keystone peer user "
                + serviceUserId
                + " is the service user geored; map a user of the peer's own");
    Files.writeString(file, "wrong\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> StandaloneSite.start(config(file)))
        .isExactlyInstanceOf(SiteStartException.class)
        .hasMessage(
            "Keystone at "
                + keystone.authUrl()
                + " refused the login of user geored with status 401");
  }
}
