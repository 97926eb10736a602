package io.geored.testkit.realservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Keystone fixture against a real Keystone (skipped locally without python3-keystone, failing
 * when CI=true). Waits on the wall clock only for the child processes, bounded.
 */
@DisplayName("Keystone, the real-Keystone test fixture")
class KeystoneTest {

  @RegisterExtension final RealServices services = new RealServices();

  @Test
  @DisplayName(
      "serves v3 on a loopback port; its admin creates a project, a user, a role and an"
          + " assignment, registers endpoints in the catalog and revokes tokens; a token of one"
          + " Keystone is unknown to another")
  void adminApi() {
    Keystone a = Keystone.start(services);
    Keystone b = Keystone.start(services);
    assertThat(a.authUrl()).isEqualTo("http://127.0.0.1:" + a.port() + "/v3");
    KeystoneAdmin admin = a.admin();

    String services = admin.createProject("services");
    String user = admin.createUser("geored", "geored-secret");
    String role = admin.createRole("service");
    admin.grant(user, services, role);
    admin.registerEndpoint(
        "dcmanager", "dcmanager", "SystemController", "http://127.0.0.1:8119/v1.0");
    admin.registerEndpoint("platform", "sysinv", Keystone.REGION_ONE, "http://127.0.0.1:8119");

    KeystoneAdmin.Token token = admin.login("geored", "geored-secret", "services");
    assertThat(token.userId()).isEqualTo(user).isEqualTo(admin.userId("geored"));
    assertThat(token.projectId()).isEqualTo(services).isEqualTo(admin.projectId("services"));
    assertThat(token.roles()).isEqualTo(Set.of("service"));
    assertThat(token.toString()).doesNotContain(token.id());
    assertThat(admin.roleId("service")).isEqualTo(role);

    assertThat(admin.validate(token.id())).isEqualTo(200);
    assertThat(b.admin().validate(token.id())).isEqualTo(404);
    admin.revoke(token.id());
    assertThat(admin.validate(token.id())).isEqualTo(404);

    assertThatThrownBy(() -> admin.login("geored", "wrong", "services"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Keystone answered POST /auth/tokens with 401");
  }

  @Test
  @DisplayName("a short token expiration: the token expires at issue time plus that expiration")
  void tokenExpiration() {
    Keystone keystone =
        Keystone.start(services, Keystone.options().tokenExpiration(Duration.ofSeconds(7)));
    Instant before = Instant.now().minusSeconds(1);
    KeystoneAdmin.Token token =
        keystone
            .admin()
            .login(Keystone.ADMIN_USER, keystone.adminPassword(), Keystone.ADMIN_PROJECT);
    assertThat(token.expiresAt()).isBetween(before.plusSeconds(7), Instant.now().plusSeconds(8));
    assertThat(token.roles()).contains("admin", "member", "reader");
  }
}
