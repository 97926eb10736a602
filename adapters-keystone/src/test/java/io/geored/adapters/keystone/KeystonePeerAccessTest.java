package io.geored.adapters.keystone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.adapters.http.PeerAccess;
import io.geored.core.secret.AesGcmPasswordCipher;
import io.geored.spi.PeerTransportException;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.realservice.Keystone;
import io.geored.testkit.realservice.KeystoneAdmin;
import io.geored.testkit.realservice.RealServices;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The peer login against a real Keystone (skipped locally without python3-keystone, failing when
 * CI=true): the stored password through the cipher and base64, the catalog, the kept token and its
 * refresh margin, and every failure as a PeerTransportException naming the peer.
 */
@DisplayName("KeystonePeerAccess: a peer's token and endpoints from its real Keystone")
class KeystonePeerAccessTest {

  /**
   * One Keystone for the class. Not registered: the extension stops its services after each test
   * even from a static field, and these tests share the one started before them all.
   */
  static final RealServices services = new RealServices();

  static final String USER = "geored-at-b";
  static final String PASSWORD = "Pe3r-Passw0rd!";
  static final String DCMANAGER = "http://127.0.0.1:18119/v1.0";
  static final String PLATFORM = "http://127.0.0.1:18119";
  static final AesGcmPasswordCipher CIPHER = new AesGcmPasswordCipher(new byte[32]);

  static Keystone keystone;
  static KeystoneAdmin admin;

  @BeforeAll
  static void keystone() {
    keystone = Keystone.start(services, ClosingKeystone.options());
    admin = keystone.admin();
    String user = admin.createUser(USER, PASSWORD);
    admin.grant(user, admin.projectId(Keystone.ADMIN_PROJECT), admin.roleId("admin"));
    admin.registerEndpoint("dcmanager", "dcmanager", "SystemController", DCMANAGER);
    admin.registerEndpoint("platform", "sysinv", Keystone.REGION_ONE, PLATFORM);
    admin.registerEndpoint(
        "dcmanager", "dcmanager-two", "RegionTwo", "http://127.0.0.1:28119/v1.0");
  }

  @AfterAll
  static void stopKeystone() {
    services.afterAll(null);
  }

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    volatile Instant now = Instant.now();

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static String stored(String plain) {
    return CIPHER.encrypt(
        Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8)));
  }

  static SystemPeer peer(String endpoint, String user, String storedPassword) {
    return SystemPeer.builder()
        .id(3)
        .peerUuid("bbbbbbbb-0000-4000-8000-000000000002")
        .peerName("site-b")
        .managerEndpoint(endpoint)
        .managerUsername(user)
        .managerPassword(Secret.of(storedPassword))
        .build();
  }

  /** The password as the site stores it: encrypted once (each encryption has its own nonce). */
  static final String STORED = stored(PASSWORD);

  static SystemPeer peer() {
    return peer(keystone.authUrl(), USER, STORED);
  }

  @Test
  @DisplayName(
      "logs in as the peer's user in project admin, takes dcmanager/SystemController and"
          + " platform/RegionOne from the catalog, and keeps the token")
  void resolves() {
    KeystonePeerAccess provider = KeystonePeerAccess.builder(CIPHER).build();
    PeerAccess access = provider.accessFor(peer());

    assertThat(access.dcmanagerUrl()).isEqualTo(URI.create(DCMANAGER));
    assertThat(access.platformUrl()).contains(URI.create(PLATFORM));
    assertThat(access.identityUrl()).isEqualTo(URI.create(PLATFORM + "/v1/isystems"));
    assertThat(admin.validate(access.token())).isEqualTo(200);
    assertThat(access.toString()).doesNotContain(access.token());
    // Kept: the same access, no second login.
    assertThat(provider.accessFor(peer())).isSameAs(access);
  }

  @Test
  @DisplayName("region names are configurable: dcmanager taken from RegionTwo when told so")
  void regions() {
    PeerAccess access =
        KeystonePeerAccess.builder(CIPHER).dcmanagerRegion("RegionTwo").build().accessFor(peer());
    assertThat(access.dcmanagerUrl()).isEqualTo(URI.create("http://127.0.0.1:28119/v1.0"));

    assertThatThrownBy(
            () ->
                KeystonePeerAccess.builder(CIPHER)
                    .platformRegion("Nowhere")
                    .build()
                    .accessFor(peer()))
        .isInstanceOf(PeerTransportException.class)
        .hasMessage(
            "the catalog of the Keystone of peer site-b at "
                + keystone.authUrl()
                + " has no platform endpoint in region Nowhere (interface public)");
  }

  @Test
  @DisplayName(
      "the token is renewed from the refresh margin before expires_at on, and after a 401 (renew)")
  void refreshMarginAndRenew() {
    MovableClock clock = new MovableClock();
    Duration margin = Duration.ofMinutes(5);
    KeystonePeerAccess provider =
        KeystonePeerAccess.builder(CIPHER).refreshMargin(margin).clock(clock).build();
    PeerAccess first = provider.accessFor(peer());
    Instant expiresAt =
        keystone.admin().validate(first.token()) == 200 ? expiresAtOf(first) : Instant.MIN;

    clock.now = expiresAt.minus(margin).minusSeconds(1);
    assertThat(provider.accessFor(peer())).isSameAs(first);
    clock.now = expiresAt.minus(margin);
    PeerAccess second = provider.accessFor(peer());
    assertThat(second.token()).isNotEqualTo(first.token());
    assertThat(admin.validate(second.token())).isEqualTo(200);

    clock.now = Instant.now();
    assertThat(provider.renew(peer(), second)).isTrue();
    PeerAccess third = provider.accessFor(peer());
    assertThat(third.token()).isNotEqualTo(second.token());
    // A renewal for an access already replaced does not drop the newer one.
    assertThat(provider.renew(peer(), second)).isTrue();
    assertThat(provider.accessFor(peer())).isSameAs(third);
  }

  /** The expiry Keystone gives a token, read through a login of the same shape. */
  static Instant expiresAtOf(PeerAccess access) {
    KeystoneToken token =
        KeystoneClient.of(keystone.authUrl()).validate(admin.token(), access.token()).orElseThrow();
    return token.expiresAt();
  }

  @Test
  @DisplayName("a changed password or user logs in again at once")
  void newCredentials() {
    KeystonePeerAccess provider = KeystonePeerAccess.builder(CIPHER).build();
    PeerAccess first = provider.accessFor(peer());
    // The same password stored again (a new nonce): another stored form, so a new login.
    PeerAccess second = provider.accessFor(peer(keystone.authUrl(), USER, stored(PASSWORD)));
    assertThat(second.token()).isNotEqualTo(first.token());
    assertThatThrownBy(
            () -> provider.accessFor(peer(keystone.authUrl(), USER, stored("not-the-password"))))
        .isInstanceOf(PeerTransportException.class);
  }

  @Test
  @DisplayName("a wrong password: PeerTransportException naming the peer and Keystone's 401")
  void wrongPassword() {
    String wrong = "Wr0ng-Passw0rd!";
    KeystonePeerAccess provider = KeystonePeerAccess.builder(CIPHER).build();
    assertThatThrownBy(() -> provider.accessFor(peer(keystone.authUrl(), USER, stored(wrong))))
        .isInstanceOf(PeerTransportException.class)
        .hasMessage(
            "login to the Keystone of peer site-b failed: Keystone at "
                + keystone.authUrl()
                + " refused the login of user "
                + USER
                + " with status 401")
        .satisfies(e -> assertThat(((PeerTransportException) e).status()).isEqualTo(401))
        .satisfies(e -> assertThat(e.toString()).doesNotContain(wrong));
  }

  @Test
  @DisplayName("a stored password that is not base64: the login fails naming the peer, no call")
  void notBase64() {
    KeystonePeerAccess provider = KeystonePeerAccess.builder(CIPHER).build();
    // No Keystone listens there: the password is refused before any call.
    for (String notBase64 : new String[] {"not base64!", "%%%%", ""}) {
      SystemPeer p = peer("http://127.0.0.1:9/v3", USER, CIPHER.encrypt(notBase64));
      assertThatThrownBy(() -> provider.accessFor(p))
          .isInstanceOf(PeerTransportException.class)
          .hasMessage(
              "login to the Keystone of peer site-b failed: its manager_password is not"
                  + " base64-encoded UTF-8");
    }
  }

  @Test
  @DisplayName("a password the cipher cannot decrypt, no user, a bad endpoint: named failures")
  void otherFailures() {
    KeystonePeerAccess provider = KeystonePeerAccess.builder(CIPHER).build();
    assertThatThrownBy(
            () ->
                provider.accessFor(
                    peer(
                        keystone.authUrl(),
                        USER,
                        new AesGcmPasswordCipher(new byte[16]).encrypt("eA=="))))
        .isInstanceOf(PeerTransportException.class)
        .hasMessage(
            "login to the Keystone of peer site-b failed: its stored manager_password cannot be"
                + " decrypted");
    assertThatThrownBy(() -> provider.accessFor(peer(keystone.authUrl(), " ", stored(PASSWORD))))
        .isInstanceOf(PeerTransportException.class)
        .hasMessage("login to the Keystone of peer site-b failed: it has no manager_username");
    assertThatThrownBy(() -> provider.accessFor(peer("ftp://x/v3", USER, stored(PASSWORD))))
        .isInstanceOf(PeerTransportException.class)
        .hasMessage(
            "login to the Keystone of peer site-b failed: its manager_endpoint is not an http(s)"
                + " URL");
  }

  @Test
  @DisplayName("a Keystone that cannot be reached: status 0, the peer named")
  void unreachable() {
    KeystonePeerAccess provider =
        KeystonePeerAccess.builder(CIPHER).timeout(Duration.ofSeconds(2)).build();
    assertThatThrownBy(
            () -> provider.accessFor(peer("http://127.0.0.1:9/v3", USER, stored(PASSWORD))))
        .isInstanceOf(PeerTransportException.class)
        .hasMessageStartingWith(
            "login to the Keystone of peer site-b failed: Keystone at http://127.0.0.1:9/v3 cannot"
                + " be reached for the login of user "
                + USER)
        .satisfies(e -> assertThat(((PeerTransportException) e).status()).isEqualTo(0));
  }
}
