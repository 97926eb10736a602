package io.geored.adapters.http;

import io.geored.adapters.keystone.ClosingKeystone;
import io.geored.adapters.keystone.KeystoneAuthenticator;
import io.geored.adapters.keystone.KeystoneClient;
import io.geored.adapters.keystone.KeystonePeerAccess;
import io.geored.adapters.keystone.PasswordCredentials;
import io.geored.core.secret.PlainTextPasswordCipher;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.peer.PeerSites;
import io.geored.testkit.realservice.Keystone;
import io.geored.testkit.realservice.KeystoneAdmin;
import io.geored.testkit.realservice.RealServices;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * The two sites of {@link HttpSeedSites}, each behind a real Keystone of its own, peering as a
 * StarlingX system controller peers: each system peer's {@code manager_endpoint} is the other
 * site's Keystone, its user and password a user created for it in that Keystone (in project {@code
 * admin}), and each Keystone's catalog has the {@code dcmanager}/{@code SystemController} and
 * {@code platform}/{@code RegionOne} endpoints of its own site's server. A site calls its peer
 * through {@link KeystonePeerAccess}.
 *
 * <p>Being called: a site validates a token it receives with the server side's {@link
 * KeystoneAuthenticator} against its own Keystone (validating as that Keystone's admin), which maps
 * its peer's user to the system peer of the other site, so both directions are Keystone's.
 */
final class KeystoneSites implements HttpSeedSites.Wiring {

  static final String PEER_PASSWORD = "K3ystone-Peer-Passw0rd!";

  final Keystone keystoneA;
  final Keystone keystoneB;
  private final Map<String, Keystone> keystoneOf = new ConcurrentHashMap<>();
  private final Map<String, String> peerUserIdOf = new ConcurrentHashMap<>();
  private final Map<String, Boolean> registered = new ConcurrentHashMap<>();
  private final Map<String, KeystoneAuthenticator> authenticators = new ConcurrentHashMap<>();
  private final UnaryOperator<KeystonePeerAccess.Builder> access;
  private final SSLContext trust;

  /** The passwords each site's system peer gives, by site name (default the right one). */
  final Map<String, String> passwordOf = new ConcurrentHashMap<>();

  /** The tokens each site's server took from its peer, by site name. */
  final Map<String, Set<String>> peerTokensSeen = new ConcurrentHashMap<>();

  KeystoneSites(RealServices services, UnaryOperator<KeystonePeerAccess.Builder> access) {
    this(services, access, name -> ClosingKeystone.options(), null);
  }

  /**
   * Two Keystones started with the options given for each ({@code "a"}, {@code "b"}); with a trust
   * context, both Keystones and both sites are called over https trusting it only.
   */
  KeystoneSites(
      RealServices services,
      UnaryOperator<KeystonePeerAccess.Builder> access,
      Function<String, Keystone.Options> options,
      SSLContext trust) {
    this.access = access;
    this.trust = trust;
    keystoneA = Keystone.start(services, options.apply("a"));
    keystoneB = Keystone.start(services, options.apply("b"));
  }

  /** A Keystone client trusting the sites' context when there is one. */
  private KeystoneClient keystoneClient(Keystone keystone) {
    return trust == null
        ? KeystoneClient.of(keystone.authUrl())
        : KeystoneClient.of(keystone.authUrl(), http(), KeystoneClient.DEFAULT_TIMEOUT);
  }

  private HttpClient http() {
    return HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** The user a site logs in as at its peer's Keystone. */
  static String userOf(HttpSeedSites.Site site) {
    return "geored-" + site.name();
  }

  /** Binds the Keystones to the sites and creates each site's peer user in the other's Keystone. */
  void bind(HttpSeedSites sites) {
    keystoneOf.put(sites.a.name(), keystoneA);
    keystoneOf.put(sites.b.name(), keystoneB);
    createPeerUser(keystoneA, sites.a, sites.b);
    createPeerUser(keystoneB, sites.b, sites.a);
    registerEndpoints(sites.a);
    registerEndpoints(sites.b);
  }

  /** In {@code at}'s Keystone, the user {@code peer} logs in as, admin in project admin. */
  private void createPeerUser(Keystone keystone, HttpSeedSites.Site at, HttpSeedSites.Site peer) {
    KeystoneAdmin admin = keystone.admin();
    String user = admin.createUser(userOf(peer), PEER_PASSWORD);
    admin.grant(user, admin.projectId(Keystone.ADMIN_PROJECT), admin.roleId("admin"));
    peerUserIdOf.put(at.name(), user);
  }

  private void registerEndpoints(HttpSeedSites.Site site) {
    Keystone keystone = keystoneOf.get(site.name());
    if (keystone == null || registered.putIfAbsent(site.name(), true) != null) {
      return;
    }
    KeystoneAdmin admin = keystone.admin();
    admin.registerEndpoint("dcmanager", "dcmanager", "SystemController", site.endpoint());
    // The platform endpoint as StarlingX registers sysinv's: host and port, no /v1.0.
    admin.registerEndpoint(
        "platform",
        "sysinv",
        Keystone.REGION_ONE,
        (trust == null ? "http" : "https") + "://127.0.0.1:" + site.port);
  }

  @Override
  public PeerSites peerSites(HttpSeedSites.Site site) {
    return HttpPeerSites.builder(
            access
                .apply(
                    trust == null
                        ? KeystonePeerAccess.builder(new PlainTextPasswordCipher())
                        : KeystonePeerAccess.builder(new PlainTextPasswordCipher())
                            .httpClient(http()))
                .build())
        .sslContext(site.tls.peers())
        .build();
  }

  @Override
  public Optional<Authenticator.Principal> peer(HttpSeedSites.Site site, String token) {
    Keystone keystone = keystoneOf.get(site.name());
    String peerUser = peerUserIdOf.get(site.name());
    if (keystone == null || peerUser == null) {
      return Optional.empty();
    }
    KeystoneAuthenticator authenticator =
        authenticators.computeIfAbsent(
            site.name(),
            k ->
                KeystoneAuthenticator.builder(
                        keystoneClient(keystone),
                        PasswordCredentials.inDefaultDomain(
                            Keystone.ADMIN_USER, keystone.adminPassword(), Keystone.ADMIN_PROJECT))
                    .peerUser(peerUser, site.peerUuid)
                    .build());
    Optional<Authenticator.Principal> who = authenticator.authenticate(token);
    if (who.isEmpty() || !who.get().isPeer()) {
      return Optional.empty();
    }
    peerTokensSeen.computeIfAbsent(site.name(), k -> ConcurrentHashMap.newKeySet()).add(token);
    return who;
  }

  @Override
  public SystemPeerCreate.Builder systemPeer(HttpSeedSites.Site site, HttpSeedSites.Site peer) {
    String password = passwordOf.getOrDefault(site.name(), PEER_PASSWORD);
    return SystemPeerCreate.builder()
        .managerEndpoint(keystoneOf.get(peer.name()).authUrl())
        .managerUsername(userOf(site))
        .managerPassword(
            Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void started(HttpSeedSites.Site site) {
    registerEndpoints(site);
  }
}
