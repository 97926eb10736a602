package io.geored.examples;

import io.geored.adapters.http.TlsContexts;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;

/**
 * The standalone site's TLS contexts, built once at start from {@link SiteConfig.Tls}: the server's
 * from {@code tls.key-store}, the client's from {@code tls.trust-store}. The client context is the
 * one every outgoing call of the site uses: its peers' dcmanager APIs and, when configured, the
 * Keystone it logs in to or validates tokens with. A file that is missing, a password that does not
 * open its store or a password file others can read stops the start with one line naming the key
 * and the file ({@link SiteStartException}); passwords are cleared from memory once the contexts
 * are built and never logged. See docs/adr/0024-tls-choices.md.
 */
public final class SiteTls {

  private final Optional<SSLContext> server;
  private final Optional<SSLContext> trusting;

  private SiteTls(Optional<SSLContext> server, Optional<SSLContext> trusting) {
    this.server = server;
    this.trusting = trusting;
  }

  /**
   * Reads the configured stores.
   *
   * @param tls the configuration's TLS part
   * @return the contexts
   * @throws SiteStartException when a store or a password file cannot be used
   */
  public static SiteTls load(SiteConfig.Tls tls) {
    Objects.requireNonNull(tls, "tls");
    return new SiteTls(
        tls.keyStore().map(s -> context("tls.key-store", s, TlsContexts::serving)),
        tls.trustStore().map(s -> context("tls.trust-store", s, TlsContexts::trusting)));
  }

  /**
   * What the server serves https with.
   *
   * @return the key store's context, or empty to serve plain http
   */
  public Optional<SSLContext> server() {
    return server;
  }

  /**
   * What the site trusts when it calls out, when a trust store is configured.
   *
   * @return the trust store's context, or empty for the JDK's default
   */
  public Optional<SSLContext> trusting() {
    return trusting;
  }

  /**
   * The context for every outgoing https call (peers, Keystone): the trust store's, or the JDK's
   * default context (the JDK's list of public CAs) without one. Hostname verification is the
   * client's and stays on.
   *
   * @return the context, never null
   */
  public SSLContext client() {
    if (trusting.isPresent()) {
      return trusting.get();
    }
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no default TLS context", e);
    }
  }

  private static SSLContext context(
      String key, SiteConfig.Store store, BiFunction<Path, char[], SSLContext> build) {
    char[] password;
    try {
      password = TlsContexts.readPassword(store.passwordFile());
    } catch (IllegalArgumentException e) {
      throw new SiteStartException(key + ".password-file: " + e.getMessage(), null);
    }
    try {
      return build.apply(store.file(), password);
    } catch (IllegalArgumentException e) {
      throw new SiteStartException(key + ": " + e.getMessage(), null);
    } finally {
      Arrays.fill(password, '\0');
    }
  }
}
