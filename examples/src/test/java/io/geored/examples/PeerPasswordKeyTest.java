package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.adapters.jdbc.JdbcStores;
import io.geored.core.secret.AesGcmPasswordCipher;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.contract.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The standalone site's key for stored peer passwords")
class PeerPasswordKeyTest {

  @TempDir Path dir;

  private SiteConfig config(String... extra) {
    Properties p = new Properties();
    p.setProperty("site.uuid", "aaaaaaaa-0000-4000-8000-00000000000a");
    p.setProperty("site.name", "site-a");
    p.setProperty("database.folder", dir.resolve("db").toString());
    p.setProperty("http.port", "0");
    p.setProperty("auth.token.ops", "ops-token");
    p.setProperty("auth.roles.ops", "admin");
    for (int i = 0; i < extra.length; i += 2) {
      p.setProperty(extra[i], extra[i + 1]);
    }
    return SiteConfig.parse(p);
  }

  private Path keyFile() {
    return dir.resolve("db").toAbsolutePath().normalize().resolve(PeerPasswordKey.FILE_NAME);
  }

  private static byte[] key(Path file) throws Exception {
    return Base64.getDecoder().decode(Files.readString(file).trim());
  }

  /** Starts the site once, creates a system peer with a password over the API, stops it. */
  static void storeEncryptedPeer(SiteConfig config) {
    try (StandaloneSite site = StandaloneSite.start(config)) {
      site.api()
          .createSystemPeer(
              Caller.OPERATOR,
              SystemPeerCreate.builder()
                  .peerUuid("bbbbbbbb-0000-4000-8000-00000000000b")
                  .peerName("site-b")
                  .managerEndpoint("http://127.0.0.1:9/v1.0")
                  .managerUsername("admin")
                  .managerPassword("peer-secret")
                  .peerControllerGatewayAddress("192.168.204.1")
                  .build());
    }
  }

  private List<String> storedPasswords() {
    try (JdbcStores db = JdbcStores.embedded(dir.resolve("db"))) {
      return db.stores().systemPeers().findAll().stream()
          .map(p -> p.managerPassword().reveal())
          .toList();
    }
  }

  @Test
  @DisplayName(
      "the first start without cipher.key creates a random key file, owner-only, and stores the"
          + " password encrypted under it")
  void firstStartCreatesTheKeyFile() throws Exception {
    assertThat(keyFile()).doesNotExist();

    storeEncryptedPeer(config());

    assertThat(keyFile()).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile())))
        .isEqualTo("rw-------");
    assertThat(key(keyFile())).hasSize(32);
    assertThat(dir.resolve("db").toFile().list())
        .doesNotContain(PeerPasswordKey.FILE_NAME + ".new");
    List<String> stored = storedPasswords();
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0)).startsWith(AesGcmPasswordCipher.MARKER).doesNotContain("peer-secret");
    assertThat(new AesGcmPasswordCipher(key(keyFile())).decrypt(stored.get(0)))
        .isEqualTo("peer-secret");
  }

  @Test
  @DisplayName("a restart reuses the key file: same key, the stored password still decrypts")
  void restartReusesTheKeyFile() throws Exception {
    storeEncryptedPeer(config());
    String before = Files.readString(keyFile());
    List<String> storedBefore = storedPasswords();

    try (StandaloneSite site = StandaloneSite.start(config())) {
      assertThat(site.api().listSystemPeers(Caller.OPERATOR))
          .extracting(SystemPeer::peerName)
          .containsExactly("site-b");
    }

    assertThat(Files.readString(keyFile())).isEqualTo(before);
    assertThat(storedPasswords()).isEqualTo(storedBefore);
    assertThat(new AesGcmPasswordCipher(key(keyFile())).decrypt(storedPasswords().get(0)))
        .isEqualTo("peer-secret");
  }

  @Test
  @DisplayName("passwords stored in clear by an earlier version are encrypted on the next start")
  void clearPasswordsAreEncryptedOnStart() throws Exception {
    try (JdbcStores db = JdbcStores.embedded(dir.resolve("db"))) {
      db.stores()
          .systemPeers()
          .insert(
              Fixtures.systemPeer("site-b").toBuilder()
                  .managerPassword(Secret.of("clear-1"))
                  .build());
      db.stores()
          .systemPeers()
          .insert(Fixtures.systemPeer("site-c").toBuilder().managerPassword(Secret.NONE).build());
    }
    assertThat(storedPasswords()).containsExactly("clear-1", "");

    StandaloneSite.start(config()).close();

    List<String> stored = storedPasswords();
    assertThat(stored.get(0)).startsWith(AesGcmPasswordCipher.MARKER);
    assertThat(new AesGcmPasswordCipher(key(keyFile())).decrypt(stored.get(0)))
        .isEqualTo("clear-1");
    assertThat(stored.get(1)).isEmpty();
  }

  @Test
  @DisplayName(
      "with cipher.key, no key file is made; the unmarked form of earlier versions is marked")
  void configuredKey() throws Exception {
    byte[] key = new byte[16];
    key[0] = 7;
    String encoded = Base64.getEncoder().encodeToString(key);
    AesGcmPasswordCipher cipher = new AesGcmPasswordCipher(key);
    String unmarked = cipher.encrypt("old-form").substring(AesGcmPasswordCipher.MARKER.length());
    try (JdbcStores db = JdbcStores.embedded(dir.resolve("db"))) {
      db.stores()
          .systemPeers()
          .insert(
              Fixtures.systemPeer("site-b").toBuilder()
                  .managerPassword(Secret.of(unmarked))
                  .build());
    }

    StandaloneSite.start(config("cipher.key", encoded)).close();

    assertThat(keyFile()).doesNotExist();
    String stored = storedPasswords().get(0);
    assertThat(stored).startsWith(AesGcmPasswordCipher.MARKER);
    assertThat(cipher.decrypt(stored)).isEqualTo("old-form");
  }

  @Test
  @DisplayName("a key that decrypts no stored password refuses the start, naming the key")
  void wrongKeyRefused() throws Exception {
    storeEncryptedPeer(config());
    String other = Base64.getEncoder().encodeToString(new byte[32]);

    assertThatThrownBy(() -> StandaloneSite.start(config("cipher.key", other)))
        .isExactlyInstanceOf(SiteStartException.class)
        .hasMessage(
            "stored peer passwords cannot be decrypted with cipher.key (another key encrypted"
                + " them): restore the right key, or start once with"
                + " --forget-unreadable-peer-passwords and enter the peers' manager passwords"
                + " again");
  }

  @Test
  @DisplayName(
      "after a lost key file, the forget option starts with a new key and clears only the"
          + " unreadable passwords; they can be entered again")
  void forgetAfterLostKey() throws Exception {
    storeEncryptedPeer(config());
    Files.delete(keyFile());

    try (StandaloneSite site = StandaloneSite.start(config(), true, UnaryOperator.identity())) {
      assertThat(site.stores().systemPeers().findAll())
          .extracting(p -> p.managerPassword().reveal())
          .containsExactly("");
      site.api()
          .updateSystemPeer(
              Caller.OPERATOR,
              "site-b",
              io.geored.spi.api.SystemPeerUpdate.builder()
                  .managerPassword("entered-again")
                  .build());
    }
    assertThat(keyFile()).exists();
    assertThat(new AesGcmPasswordCipher(key(keyFile())).decrypt(storedPasswords().get(0)))
        .isEqualTo("entered-again");
  }
}
