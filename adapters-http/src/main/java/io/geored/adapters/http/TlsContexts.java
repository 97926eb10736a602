package io.geored.adapters.http;

import io.geored.adapters.http.internal.EscapingLogger;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;

/**
 * Builds the TLS contexts of a site from PKCS#12 files, the format the JDK's {@code keytool} writes
 * by default:
 *
 * <ul>
 *   <li>{@link #trusting(Path, char[])}: the context a site calls its peers (and its Keystone)
 *       with. It trusts exactly the certificates in the trust store (typically the CA that issued
 *       the peers' certificates), not the JDK's list; give {@link HttpPeerSites.Builder#sslContext}
 *       nothing to trust the JDK's list instead. The JDK client checks that the certificate names
 *       the host of the URL it calls (hostname verification); nothing here turns that off (the
 *       JDK's system property {@code jdk.internal.httpclient.disableHostnameVerification} would,
 *       for every client of the JVM: never set it).
 *   <li>{@link #serving(Path, char[])}: the context {@link GeoredHttpServer.Builder#sslContext}
 *       serves https with: the one private key in the key store and its certificate chain.
 *   <li>{@link #readPassword(Path)}: a store's password from a file that only its owner can read,
 *       so that the password is in no configuration file, command line or environment.
 * </ul>
 *
 * Every failure is an {@link IllegalArgumentException} whose message is one line naming the file
 * and what is wrong with it; a password is never in a message or a log line. Callers should clear a
 * password array once the context is built ({@link Arrays#fill(char[], char)}).
 */
public final class TlsContexts {

  private static final Logger LOG = EscapingLogger.of(TlsContexts.class);

  /** The only store format read: PKCS#12 ({@code keytool}'s default since Java 9). */
  public static final String STORE_TYPE = "PKCS12";

  /** The longest password file read, in bytes: a password, not a document. */
  static final int MAX_PASSWORD_BYTES = 4096;

  private static final Set<PosixFilePermission> OTHERS_THAN_OWNER =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private TlsContexts() {}

  /**
   * A client context that trusts the certificates of a PKCS#12 trust store and nothing else.
   *
   * @param trustStore a PKCS#12 file holding at least one trusted certificate ({@code keytool
   *     -importcert})
   * @param password the store's password
   * @return the context, for {@link HttpPeerSites.Builder#sslContext} or another JDK client
   * @throws IllegalArgumentException when the file is missing or unreadable, the password does not
   *     open it, or it holds no trusted certificate
   */
  public static SSLContext trusting(Path trustStore, char[] password) {
    KeyStore store = load("trust store", trustStore, password);
    List<String> trusted = new ArrayList<>();
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isCertificateEntry(alias)
            && store.getCertificate(alias) instanceof X509Certificate cert) {
          trusted.add(cert.getSubjectX500Principal().getName());
        }
      }
      if (trusted.isEmpty()) {
        throw new IllegalArgumentException(
            "trust store "
                + trustStore
                + " holds no trusted certificate (add the CA's with keytool -importcert)");
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      LOG.info("tls trust store loaded file={} trusted={}", trustStore, trusted);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "trust store " + trustStore + " cannot be used: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * A server context with the private key of a PKCS#12 key store and its certificate chain.
   *
   * @param keyStore a PKCS#12 file holding exactly one private key ({@code keytool -genkeypair}),
   *     with its certificate chain; the key's password is the store's, as {@code keytool} makes it
   * @param password the store's password
   * @return the context, for {@link GeoredHttpServer.Builder#sslContext}
   * @throws IllegalArgumentException when the file is missing or unreadable, the password does not
   *     open it, or it holds no private key or more than one
   */
  public static SSLContext serving(Path keyStore, char[] password) {
    KeyStore store = load("key store", keyStore, password);
    try {
      List<String> keys = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          keys.add(alias);
        }
      }
      if (keys.size() != 1) {
        throw new IllegalArgumentException(
            "key store "
                + keyStore
                + " must hold exactly one private key (the site's, with its certificate chain),"
                + " holds "
                + keys.size());
      }
      Certificate[] chain = store.getCertificateChain(keys.get(0));
      if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
        throw new IllegalArgumentException(
            "key store " + keyStore + " has no X.509 certificate chain for its private key");
      }
      X509Certificate leaf = (X509Certificate) chain[0];
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      try {
        factory.init(store, password);
      } catch (UnrecoverableKeyException e) {
        throw new IllegalArgumentException(
            "key store "
                + keyStore
                + ": the private key has a password other than the store's (keytool gives both"
                + " the same)",
            null);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(factory.getKeyManagers(), null, null);
      LOG.info(
          "tls key store loaded file={} subject={} issuer={} not_after={}",
          keyStore,
          leaf.getSubjectX500Principal().getName(),
          leaf.getIssuerX500Principal().getName(),
          leaf.getNotAfter().toInstant());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "key store " + keyStore + " cannot be used: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads a store's password from a file: its first line, UTF-8, as {@code keytool -storepass:file}
   * reads it. On a POSIX file system the file must be readable by its owner only ({@code chmod 600}
   * or {@code 400}): a password file others can read is refused, as is an empty one.
   *
   * @param file the password file
   * @return the password; clear it once used
   * @throws IllegalArgumentException when the file is missing, unreadable, readable by others,
   *     empty, longer than 4096 bytes or not UTF-8
   */
  public static char[] readPassword(Path file) {
    Objects.requireNonNull(file, "file");
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> permissions;
      try {
        permissions = Files.getPosixFilePermissions(file);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("password file " + file + " does not exist", null);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "password file " + file + " cannot be read: " + e.getClass().getSimpleName(), null);
      }
      if (permissions.stream().anyMatch(OTHERS_THAN_OWNER::contains)) {
        throw new IllegalArgumentException(
            "password file "
                + file
                + " must be readable by its owner only (chmod 600), is "
                + PosixFilePermissions.toString(permissions));
      }
    }
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_PASSWORD_BYTES) {
        throw new IllegalArgumentException(
            "password file " + file + " is longer than " + MAX_PASSWORD_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("password file " + file + " does not exist", null);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "password file " + file + " cannot be read: " + e.getClass().getSimpleName(), null);
    }
    char[] password;
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      int length = 0;
      while (length < chars.remaining() && chars.get(length) != '\n') {
        length++;
      }
      if (length > 0 && chars.get(length - 1) == '\r') {
        length--;
      }
      password = new char[length];
      chars.get(password);
      Arrays.fill(chars.array(), '\0');
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("password file " + file + " is not UTF-8 text", null);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
    if (password.length == 0) {
      throw new IllegalArgumentException("password file " + file + " is empty");
    }
    return password;
  }

  private static KeyStore load(String what, Path file, char[] password) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    KeyStore store;
    try {
      store = KeyStore.getInstance(STORE_TYPE);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + STORE_TYPE + " key store", e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(what + " " + file + " does not exist", null);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new IllegalArgumentException(
            what + " " + file + ": the password does not open it", null);
      }
      throw new IllegalArgumentException(
          what
              + " "
              + file
              + " cannot be read as PKCS#12 (a keytool -storetype PKCS12 file): "
              + e.getClass().getSimpleName(),
          null);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          what + " " + file + " cannot be read as PKCS#12: " + e.getClass().getSimpleName(), null);
    }
    return store;
  }
}
