package io.geored.adapters.keystone;

import io.geored.adapters.http.PeerAccess;
import io.geored.adapters.http.PeerAccessProvider;
import io.geored.spi.LogSafe;
import io.geored.spi.PeerTransportException;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.secret.PasswordCipher;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a peer the way a StarlingX system controller does: it logs in to the peer's Keystone and
 * finds the peer's services in the token's catalog. Per system peer:
 *
 * <ul>
 *   <li>{@code POST <manager_endpoint>/auth/tokens} — the peer's {@code manager_endpoint} is its
 *       Keystone v3 URL — with the peer's {@code manager_username} and {@code manager_password}
 *       (the stored password through the {@link PasswordCipher}, then base64-decoded, as the
 *       dialect keeps it base64), user and project domain {@code Default}, project {@code admin},
 *       and {@code User-Header: distcloud};
 *   <li>the dcmanager calls go to the catalog's {@code dcmanager} endpoint in region {@code
 *       SystemController}, interface public; the identity call to the {@code platform} endpoint in
 *       region {@code RegionOne}, interface public, with sysinv's path rule ({@link
 *       PeerAccess#identityUrl()}); region names configurable;
 *   <li>the token and the endpoints are kept until a refresh margin (default 5 minutes) before the
 *       token's {@code expires_at}, then the next call logs in again; a call the peer answers 401
 *       drops them ({@link #renew}) and the call is retried once after a new login;
 *   <li>a login that fails (Keystone refuses or cannot be reached, the password is not base64, an
 *       endpoint is missing from the catalog) is a {@link PeerTransportException} naming the peer
 *       and Keystone's status: the call fails, and a heartbeat counts it as missed.
 * </ul>
 *
 * <p>A peer whose endpoint, user name or password changes logs in again at once. Never logs, shows
 * or throws the password or a token. Thread-safe; logins of one peer happen one at a time.
 */
public final class KeystonePeerAccess implements PeerAccessProvider {

  private static final Logger LOG = LoggerFactory.getLogger(KeystonePeerAccess.class);

  /** The project a StarlingX system controller's peer login is scoped to. */
  public static final String PROJECT = "admin";

  /** The service type of the dcmanager API in the catalog. */
  public static final String DCMANAGER_SERVICE = "dcmanager";

  /** The service type of the platform (sysinv) API in the catalog. */
  public static final String PLATFORM_SERVICE = "platform";

  /** The default region of the dcmanager endpoint. */
  public static final String DEFAULT_DCMANAGER_REGION = "SystemController";

  /** The default region of the platform endpoint. */
  public static final String DEFAULT_PLATFORM_REGION = "RegionOne";

  /** The interface both endpoints are taken from. */
  public static final String INTERFACE = "public";

  /** The default refresh margin: a token is renewed this long before it expires. */
  public static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofMinutes(5);

  /** What identifies a login: when any part changes, the kept token is not used. */
  private record Credentials(String endpoint, String username, Secret password) {
    @Override
    public String toString() {
      return "Credentials[" + endpoint + ", " + username + ", ****]";
    }
  }

  /** A login kept for a peer. */
  private record Session(Credentials credentials, PeerAccess access, Instant expiresAt) {}

  private final PasswordCipher cipher;
  private final HttpClient http;
  private final Duration timeout;
  private final String dcmanagerRegion;
  private final String platformRegion;
  private final Duration refreshMargin;
  private final Clock clock;
  private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
  private final Map<Long, Object> locks = new ConcurrentHashMap<>();

  private KeystonePeerAccess(Builder b) {
    this.cipher = b.cipher;
    this.http = b.http;
    this.timeout = b.timeout;
    this.dcmanagerRegion = b.dcmanagerRegion;
    this.platformRegion = b.platformRegion;
    this.refreshMargin = b.refreshMargin;
    this.clock = b.clock;
  }

  /**
   * Starts configuring it.
   *
   * @param cipher the cipher the site stores peer passwords with
   * @return the builder, with the defaults
   */
  public static Builder builder(PasswordCipher cipher) {
    return new Builder(cipher);
  }

  @Override
  public PeerAccess accessFor(SystemPeer peer) {
    Objects.requireNonNull(peer, "peer");
    Credentials credentials =
        new Credentials(peer.managerEndpoint(), peer.managerUsername(), peer.managerPassword());
    Session kept = sessions.get(peer.id());
    if (usable(kept, credentials)) {
      return kept.access();
    }
    synchronized (locks.computeIfAbsent(peer.id(), id -> new Object())) {
      kept = sessions.get(peer.id());
      if (usable(kept, credentials)) {
        return kept.access();
      }
      Session fresh = login(peer, credentials);
      sessions.put(peer.id(), fresh);
      return fresh.access();
    }
  }

  @Override
  public boolean renew(SystemPeer peer, PeerAccess rejected) {
    Session kept = sessions.get(peer.id());
    if (kept != null && kept.access() == rejected) {
      sessions.remove(peer.id(), kept);
    }
    return true;
  }

  private boolean usable(Session kept, Credentials credentials) {
    return kept != null
        && kept.credentials().equals(credentials)
        && clock.instant().isBefore(kept.expiresAt().minus(refreshMargin));
  }

  private Session login(SystemPeer peer, Credentials credentials) {
    String name = peer.peerName();
    String endpoint = credentials.endpoint() == null ? "" : credentials.endpoint().trim();
    KeystoneClient keystone;
    try {
      keystone = KeystoneClient.of(endpoint, http, timeout);
    } catch (IllegalArgumentException e) {
      throw new PeerTransportException(
          "login to the Keystone of peer "
              + name
              + " failed: its manager_endpoint is not an"
              + " http(s) URL",
          null);
    }
    String user = credentials.username();
    if (user == null || user.isBlank()) {
      throw new PeerTransportException(
          "login to the Keystone of peer " + name + " failed: it has no manager_username", null);
    }
    String password = password(name, credentials.password());
    KeystoneToken token;
    try {
      token = keystone.login(PasswordCredentials.inDefaultDomain(user, password, PROJECT));
    } catch (KeystoneException e) {
      throw new PeerTransportException(
          "login to the Keystone of peer " + name + " failed: " + e.getMessage(), e.status(), null);
    }
    URI dcmanager = endpoint(name, keystone, token, DCMANAGER_SERVICE, dcmanagerRegion);
    URI platform = endpoint(name, keystone, token, PLATFORM_SERVICE, platformRegion);
    LOG.info(
        "peer keystone login peer={} auth_url={} user={} dcmanager={} platform={} expires_at={}",
        LogSafe.of(name),
        keystone.authUrl(),
        LogSafe.of(user),
        dcmanager,
        platform,
        token.expiresAt());
    return new Session(
        credentials, new PeerAccess(token.id(), dcmanager, platform), token.expiresAt());
  }

  /** The stored password through the cipher, then base64-decoded (UTF-8). */
  private String password(String peerName, Secret stored) {
    if (stored == null || stored.isEmpty()) {
      throw new PeerTransportException(
          "login to the Keystone of peer " + peerName + " failed: it has no manager_password",
          null);
    }
    String encoded;
    try {
      encoded = cipher.decrypt(stored.reveal());
    } catch (RuntimeException e) {
      throw new PeerTransportException(
          "login to the Keystone of peer "
              + peerName
              + " failed: its stored manager_password cannot be decrypted",
          null);
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(encoded.trim());
      String plain =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      if (plain.isEmpty()) {
        throw new IllegalArgumentException("empty");
      }
      return plain;
    } catch (IllegalArgumentException | CharacterCodingException e) {
      throw new PeerTransportException(
          "login to the Keystone of peer "
              + peerName
              + " failed: its manager_password is not base64-encoded UTF-8",
          null);
    }
  }

  private static URI endpoint(
      String peerName, KeystoneClient keystone, KeystoneToken token, String type, String region) {
    String url =
        token
            .endpoint(type, region, INTERFACE)
            .orElseThrow(
                () ->
                    new PeerTransportException(
                        "the catalog of the Keystone of peer "
                            + peerName
                            + " at "
                            + keystone.authUrl()
                            + " has no "
                            + type
                            + " endpoint in region "
                            + region
                            + " (interface "
                            + INTERFACE
                            + ")",
                        null));
    try {
      URI uri = URI.create(url.trim());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // Reported below.
    }
    throw new PeerTransportException(
        "the catalog of the Keystone of peer "
            + peerName
            + " has a "
            + type
            + " endpoint that is not an http(s) URL",
        null);
  }

  @Override
  public String toString() {
    return "KeystonePeerAccess[dcmanager_region="
        + dcmanagerRegion
        + ", platform_region="
        + platformRegion
        + ", refresh_margin="
        + refreshMargin
        + "]";
  }

  /** Configures {@link KeystonePeerAccess}; not thread-safe. */
  public static final class Builder {
    private final PasswordCipher cipher;
    private HttpClient http;
    private Duration timeout = KeystoneClient.DEFAULT_TIMEOUT;
    private String dcmanagerRegion = DEFAULT_DCMANAGER_REGION;
    private String platformRegion = DEFAULT_PLATFORM_REGION;
    private Duration refreshMargin = DEFAULT_REFRESH_MARGIN;
    private Clock clock = Clock.systemUTC();

    private Builder(PasswordCipher cipher) {
      this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    /**
     * The HTTP client for the Keystone calls (e.g. with the site's trust store); default a plain
     * one with a 5 s connect timeout.
     *
     * @param value the client
     * @return this builder
     */
    public Builder httpClient(HttpClient value) {
      this.http = Objects.requireNonNull(value, "httpClient");
      return this;
    }

    /**
     * How long one Keystone call may take; default 10 s.
     *
     * @param value the timeout, positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder timeout(Duration value) {
      this.timeout = positive(value, "timeout");
      return this;
    }

    /**
     * The region of the peer's dcmanager endpoint; default {@code SystemController}.
     *
     * @param value the region id
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder dcmanagerRegion(String value) {
      this.dcmanagerRegion = text(value, "dcmanagerRegion");
      return this;
    }

    /**
     * The region of the peer's platform endpoint; default {@code RegionOne}.
     *
     * @param value the region id
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder platformRegion(String value) {
      this.platformRegion = text(value, "platformRegion");
      return this;
    }

    /**
     * How long before its {@code expires_at} a token is renewed; default 5 minutes.
     *
     * @param value the margin, zero or more
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder refreshMargin(Duration value) {
      Objects.requireNonNull(value, "refreshMargin");
      if (value.isNegative()) {
        throw new IllegalArgumentException("refreshMargin must not be negative, was " + value);
      }
      this.refreshMargin = value;
      return this;
    }

    /**
     * The clock a token's expiry is checked against; default the system's.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The provider.
     *
     * @return it
     */
    public KeystonePeerAccess build() {
      if (http == null) {
        http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
      }
      return new KeystonePeerAccess(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }

    private static String text(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value.trim();
    }
  }
}
