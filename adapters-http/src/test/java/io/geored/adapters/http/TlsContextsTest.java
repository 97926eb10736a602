package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stores and password files a site's TLS is built from, and every refusal's message. */
@DisplayName("TLS contexts from PKCS#12 files")
class TlsContextsTest {

  @TempDir Path folder;

  private Path passwordFile(String content, String permissions) throws Exception {
    Path file = folder.resolve("store.pass");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  @Test
  @DisplayName("a password file's first line is the password, as keytool reads it")
  void readsPasswordFile() throws Exception {
    assertThat(TlsContexts.readPassword(passwordFile("s3cret pass\n", "rw-------")))
        .containsExactly("s3cret pass".toCharArray());
    assertThat(TlsContexts.readPassword(passwordFile("crlf\r\n", "r--------")))
        .containsExactly("crlf".toCharArray());
    assertThat(TlsContexts.readPassword(passwordFile("no-newline", "rw-------")))
        .containsExactly("no-newline".toCharArray());
    assertThat(TlsContexts.readPassword(passwordFile("first\nsecond\n", "rw-------")))
        .containsExactly("first".toCharArray());
  }

  @Test
  @DisplayName(
      "a password file others can read, an empty one or a missing one is refused, naming the file"
          + " and never the password")
  void refusesBadPasswordFiles() throws Exception {
    Path readable = passwordFile("s3cret\n", "rw-r--r--");
    assertThatThrownBy(() -> TlsContexts.readPassword(readable))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "password file "
                + readable
                + " must be readable by its owner only (chmod 600), is rw-r--r--")
        .hasMessageNotContaining("s3cret");
    Path group = passwordFile("s3cret\n", "rw-r-----");
    assertThatThrownBy(() -> TlsContexts.readPassword(group))
        .hasMessage(
            "password file "
                + group
                + " must be readable by its owner only (chmod 600), is"
                + " rw-r-----");
    Path empty = passwordFile("\n", "rw-------");
    assertThatThrownBy(() -> TlsContexts.readPassword(empty))
        .hasMessage("password file " + empty + " is empty");
    Path missing = folder.resolve("nowhere.pass");
    assertThatThrownBy(() -> TlsContexts.readPassword(missing))
        .hasMessage("password file " + missing + " does not exist");
  }

  @Test
  @DisplayName(
      "a trust store opened with the wrong password, a missing one, one that is not PKCS#12 and one"
          + " without a certificate are refused with one line naming the file")
  void refusesBadTrustStores() throws Exception {
    TestPki ca = TestPki.ca("ca");
    Path store = ca.trustStore(folder);
    assertThat(TlsContexts.trusting(store, TestPki.PASSWORD.toCharArray()).getProtocol())
        .isEqualTo("TLS");

    assertThatThrownBy(() -> TlsContexts.trusting(store, "wrong-password".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trust store " + store + ": the password does not open it");
    Path missing = folder.resolve("missing.p12");
    assertThatThrownBy(() -> TlsContexts.trusting(missing, "x".toCharArray()))
        .hasMessage("trust store " + missing + " does not exist");
    Path text = Files.writeString(folder.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    assertThatThrownBy(() -> TlsContexts.trusting(text, "x".toCharArray()))
        .hasMessageStartingWith(
            "trust store "
                + text
                + " cannot be read as PKCS#12 (a keytool -storetype PKCS12 file): ");
    Path keysOnly = ca.keyStore(folder, "server", "127.0.0.1");
    assertThatThrownBy(() -> TlsContexts.trusting(keysOnly, TestPki.PASSWORD.toCharArray()))
        .hasMessage(
            "trust store "
                + keysOnly
                + " holds no trusted certificate (add the CA's with keytool -importcert)");
  }

  @Test
  @DisplayName(
      "a key store must hold exactly one private key: a trust store or one with two keys is"
          + " refused; a wrong password is refused")
  void refusesBadKeyStores() throws Exception {
    TestPki ca = TestPki.ca("ca");
    Path store = ca.keyStore(folder, "server", "127.0.0.1");
    assertThat(TlsContexts.serving(store, TestPki.PASSWORD.toCharArray()).getProtocol())
        .isEqualTo("TLS");

    assertThatThrownBy(() -> TlsContexts.serving(store, "wrong-password".toCharArray()))
        .hasMessage("key store " + store + ": the password does not open it");
    Path trust = ca.trustStore(folder);
    assertThatThrownBy(() -> TlsContexts.serving(trust, TestPki.PASSWORD.toCharArray()))
        .hasMessage(
            "key store "
                + trust
                + " must hold exactly one private key (the site's, with its certificate chain),"
                + " holds 0");
    KeyStore two = KeyStore.getInstance("PKCS12");
    char[] password = TestPki.PASSWORD.toCharArray();
    try (var in = Files.newInputStream(store)) {
      two.load(in, password);
    }
    two.setEntry(
        "second",
        two.getEntry("server", new KeyStore.PasswordProtection(password)),
        new KeyStore.PasswordProtection(password));
    Path twoKeys = folder.resolve("two.p12");
    try (OutputStream out = Files.newOutputStream(twoKeys)) {
      two.store(out, password);
    }
    assertThatThrownBy(() -> TlsContexts.serving(twoKeys, password))
        .hasMessage(
            "key store "
                + twoKeys
                + " must hold exactly one private key (the site's, with its certificate chain),"
                + " holds 2");
  }
}
