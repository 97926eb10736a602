package io.geored.adapters.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority made in the test (EC P-256 keys, valid for a day), and the
 * PKCS#12 files a site is configured with: a trust store holding the CA's certificate and key
 * stores holding a server key with its certificate chain. Nothing is checked in; the files go to
 * the test's temporary folder, owner-only, each with its password file beside it.
 */
final class TestPki {

  /** The password of every store this class writes (the password files hold it too). */
  static final String PASSWORD = "test-store-pass";

  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final String name;
  private final KeyPair key;
  private final X509Certificate certificate;

  private TestPki(String name, KeyPair key, X509Certificate certificate) {
    this.name = name;
    this.key = key;
    this.certificate = certificate;
  }

  /**
   * A new self-signed CA.
   *
   * @param name the CA's common name
   * @return the CA
   */
  static TestPki ca(String name) {
    KeyPair key = newKey();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            subject,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(1))),
            subject,
            key.getPublic());
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TestPki(name, key, sign(b, key));
  }

  /** The CA's certificate. */
  X509Certificate certificate() {
    return certificate;
  }

  /**
   * Writes a PKCS#12 trust store holding this CA's certificate, and its password file.
   *
   * @param folder where to write {@code <ca name>-trust.p12} and {@code .pass}
   * @return the trust store
   */
  Path trustStore(Path folder) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry(name, certificate);
      return write(store, folder.resolve(name + "-trust.p12"));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Issues a server certificate and writes a PKCS#12 key store with its key and chain, and its
   * password file.
   *
   * @param folder where to write {@code <common name>.p12} and {@code .pass}
   * @param commonName the subject's common name, also the file name
   * @param hosts the subject alternative names: IP literals become IP entries, others DNS names
   * @return the key store
   */
  Path keyStore(Path folder, String commonName, String... hosts) {
    KeyPair leafKey = newKey();
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            certificate,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(1))),
            new X500Name("CN=" + commonName),
            leafKey.getPublic());
    try {
      List<GeneralName> names = new ArrayList<>();
      for (String host : hosts) {
        names.add(
            host.matches("[0-9.]+|.*:.*")
                ? new GeneralName(
                    GeneralName.iPAddress, InetAddress.getByName(host).getHostAddress())
                : new GeneralName(GeneralName.dNSName, host));
      }
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(new GeneralName[0])));
      X509Certificate leaf = sign(b, key);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          commonName,
          leafKey.getPrivate(),
          PASSWORD.toCharArray(),
          new Certificate[] {leaf, certificate});
      return write(store, folder.resolve(commonName + ".p12"));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A client context trusting this CA only, built as a site builds it (from the files).
   *
   * @param folder where the trust store is written
   * @return the context
   */
  SSLContext clientContext(Path folder) {
    Path store = trustStore(folder);
    return TlsContexts.trusting(store, TlsContexts.readPassword(passwordFile(store)));
  }

  /**
   * A server context with a new certificate of this CA, built as a site builds it.
   *
   * @param folder where the key store is written
   * @param commonName the subject's common name
   * @param hosts the subject alternative names
   * @return the context
   */
  SSLContext serverContext(Path folder, String commonName, String... hosts) {
    Path store = keyStore(folder, commonName, hosts);
    return TlsContexts.serving(store, TlsContexts.readPassword(passwordFile(store)));
  }

  /** The password file written beside a store. */
  static Path passwordFile(Path store) {
    return store.resolveSibling(store.getFileName() + ".pass");
  }

  private static Path write(KeyStore store, Path file)
      throws IOException, GeneralSecurityException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD.toCharArray());
    }
    Path pass = passwordFile(file);
    Files.writeString(pass, PASSWORD + "\n");
    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static KeyPair newKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(256);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
