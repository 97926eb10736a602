package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.adapters.keystone.KeystonePeerAccess;
import io.geored.core.secret.AesGcmPasswordCipher;
import io.geored.spi.PeerTransportException;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.realservice.Keystone;
import io.geored.testkit.realservice.KeystoneAdmin;
import io.geored.testkit.realservice.KeystoneHttps;
import io.geored.testkit.realservice.RealServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer login of {@link KeystonePeerAccess} against real Keystones served over https (skipped
 * locally without python3-keystone, failing when CI=true): through a client that trusts one CA, the
 * Keystone whose certificate that CA issued gets the login and gives the peer's endpoints; the
 * Keystone of another CA gets no request, so never the password, and the login fails naming the
 * peer.
 */
@DisplayName("KeystonePeerAccess over https: only a trusted Keystone gets the peer's password")
class KeystonePeerLoginHttpsTest {

  private static final String USER = "geored-at-b";
  private static final String PASSWORD = "Pe3r-Passw0rd-over-https!";
  private static final String DCMANAGER = "https://127.0.0.1:18119/v1.0";
  private static final String PLATFORM = "https://127.0.0.1:18119";
  private static final String LOGIN_PATH = "POST /v3/auth/tokens";
  private static final AesGcmPasswordCipher CIPHER = new AesGcmPasswordCipher(new byte[32]);

  @RegisterExtension final RealServices services = new RealServices();

  @TempDir Path folder;

  /**
   * A Keystone over https with a certificate the CA issued for 127.0.0.1, the peer's user in it.
   */
  private Keystone keystone(TestPki ca, String name) {
    Path store = ca.keyStore(folder, name, "127.0.0.1");
    Keystone keystone =
        Keystone.start(
            services,
            KeystoneHttps.options(
                services,
                store,
                TestPki.passwordFile(store),
                ca.clientContext(folder.resolve(name + "-admin"))));
    KeystoneAdmin admin = keystone.admin();
    String user = admin.createUser(USER, PASSWORD);
    admin.grant(user, admin.projectId(Keystone.ADMIN_PROJECT), admin.roleId("admin"));
    admin.registerEndpoint("dcmanager", "dcmanager", "SystemController", DCMANAGER);
    admin.registerEndpoint("platform", "sysinv", Keystone.REGION_ONE, PLATFORM);
    return keystone;
  }

  private static SystemPeer peer(String keystoneUrl) {
    return SystemPeer.builder()
        .id(3)
        .peerUuid("bbbbbbbb-0000-4000-8000-000000000002")
        .peerName("site-b")
        .managerEndpoint(keystoneUrl)
        .managerUsername(USER)
        .managerPassword(
            Secret.of(
                CIPHER.encrypt(
                    Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)))))
        .build();
  }

  private static long logins(Keystone keystone) {
    return keystone.process().outputTail().lines().filter(l -> l.contains(LOGIN_PATH)).count();
  }

  @Test
  @DisplayName(
      "the trusted CA's Keystone takes the login and gives the endpoints; another CA's Keystone"
          + " sees no login and the call fails naming the peer")
  void passwordOnlyToTheTrustedKeystone() {
    TestPki trusted = TestPki.ca("trusted-ca");
    TestPki other = TestPki.ca("other-ca");
    SSLContext siteTrust = trusted.clientContext(folder.resolve("site"));
    Keystone good = keystone(trusted, "keystone-good");
    Keystone bad = keystone(other, "keystone-bad");
    KeystonePeerAccess access =
        KeystonePeerAccess.builder(CIPHER)
            .httpClient(
                HttpClient.newBuilder()
                    .sslContext(siteTrust)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build())
            .build();

    PeerAccess granted = access.accessFor(peer(good.authUrl()));

    assertThat(granted.dcmanagerUrl()).isEqualTo(URI.create(DCMANAGER));
    assertThat(granted.identityUrl()).isEqualTo(URI.create(PLATFORM + "/v1/isystems"));
    assertThat(good.admin().validate(granted.token())).isEqualTo(200);
    long before = logins(bad);
    assertThatThrownBy(() -> access.accessFor(peer(bad.authUrl())))
        .isInstanceOf(PeerTransportException.class)
        .hasMessageContaining("site-b")
        .hasMessageNotContaining(PASSWORD);
    assertThat(logins(bad)).isEqualTo(before);
  }
}
