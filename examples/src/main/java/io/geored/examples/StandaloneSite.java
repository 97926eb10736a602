package io.geored.examples;

import io.geored.adapters.http.Authenticator;
import io.geored.adapters.http.GeoredHttpServer;
import io.geored.adapters.http.HttpPeerSites;
import io.geored.adapters.http.TokenAuthenticator;
import io.geored.adapters.http.TokenProvider;
import io.geored.adapters.jdbc.JdbcStores;
import io.geored.adapters.keystone.KeystoneAuthenticator;
import io.geored.adapters.keystone.KeystoneClient;
import io.geored.adapters.keystone.KeystoneException;
import io.geored.adapters.keystone.KeystonePeerAccess;
import io.geored.adapters.keystone.PasswordCredentials;
import io.geored.adapters.micrometer.GeoredMetrics;
import io.geored.core.GeoRedundancy;
import io.geored.core.GeoredSettings;
import io.geored.core.fault.InMemoryAlarms;
import io.geored.core.secret.AesGcmPasswordCipher;
import io.geored.spi.LogSafe;
import io.geored.spi.PersistenceException;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.secret.PasswordCipher;
import io.geored.spi.store.Stores;
import io.geored.spi.time.Ticker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running site assembled from a {@link SiteConfig}: JDBC stores (embedded H2 or a JDBC URL), an
 * engine, the HTTP client for peer sites and the HTTP server other sites and operators call, with
 * {@code GET /metrics}, {@code /health} and {@code /ready} beside the API (see {@link
 * SiteObservability}; the meters are those of docs/metrics.md, bound through {@link
 * GeoredMetrics}). The walk-through builds both of its sites with this class, and {@link SiteMain}
 * runs one as a process.
 */
public final class StandaloneSite implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StandaloneSite.class);

  /** The lease the readiness check reads: the availability audit's, which every site has. */
  private static final String READINESS_LEASE = "availability";

  /** H2's error code for a database file another process holds open. */
  private static final int H2_IN_USE = 90020;

  private final SiteConfig config;
  private final SiteTls tls;
  private final JdbcStores database;
  private final GeoRedundancy engine;
  private final GeoredHttpServer server;
  private final List<AutoCloseable> commands;
  private boolean closed;

  /** How long a destroyed rehome or probe command has to end before it is killed. */
  static final Duration COMMAND_GRACE = Duration.ofSeconds(10);

  private StandaloneSite(
      SiteConfig config,
      SiteTls tls,
      JdbcStores database,
      GeoRedundancy engine,
      GeoredHttpServer server,
      List<AutoCloseable> commands) {
    this.config = config;
    this.tls = tls;
    this.database = database;
    this.engine = engine;
    this.server = server;
    this.commands = commands;
  }

  /**
   * How the site calls its peers: the static token of each peer ({@code peer.token.<uuid>}), or a
   * login to each peer's Keystone as its system peer's user with {@code peer.login=keystone}.
   */
  static HttpPeerSites peerSites(SiteConfig config, PasswordCipher cipher) {
    return peerSites(config, cipher, Optional.empty());
  }

  /**
   * How the site calls its peers, trusting only the certificates of {@code tls.trust-store} when it
   * is given, for the peers and their Keystones alike.
   */
  static HttpPeerSites peerSites(
      SiteConfig config, PasswordCipher cipher, Optional<SSLContext> trust) {
    SiteConfig.PeerLogin login = config.peerLogin();
    if (!login.keystone()) {
      return HttpPeerSites.builder(TokenProvider.perPeer(config.peerTokens()))
          .sslContext(trust.orElse(null))
          .build();
    }
    KeystonePeerAccess.Builder access =
        KeystonePeerAccess.builder(cipher)
            .dcmanagerRegion(login.dcmanagerRegion())
            .platformRegion(login.platformRegion())
            .refreshMargin(login.refreshMargin());
    trust.ifPresent(context -> access.httpClient(keystoneHttp(context)));
    return HttpPeerSites.builder(access.build()).sslContext(trust.orElse(null)).build();
  }

  /** An HTTP client for Keystone calls trusting one context; the same connect timeout as peers'. */
  private static HttpClient keystoneHttp(SSLContext trust) {
    return HttpClient.newBuilder()
        .connectTimeout(HttpPeerSites.DEFAULT_CONNECT_TIMEOUT)
        .sslContext(trust)
        .build();
  }

  /**
   * Starts a site with the engine's defaults (its own threads, in-memory alarms) and the
   * configuration's rehome and probe commands, when it has them.
   *
   * @param config what to run
   * @return the running site
   */
  public static StandaloneSite start(SiteConfig config) {
    return start(config, UnaryOperator.identity());
  }

  /**
   * Starts a site: opens (and migrates) the database, builds the engine, binds the server, then
   * starts the engine so its restart recovery runs before the first periodic work. Anything opened
   * is closed again when a later step fails.
   *
   * <p>With {@code rehome.command} the engine rehomes through a {@link CommandRehomer}, with {@code
   * probe.command} it probes through a {@link CommandProbe} every {@code probe.interval}; {@code
   * customize} runs after, so it may replace either. Both are stopped when the site closes.
   *
   * <p>Stored peer passwords are always encrypted: under {@code cipher.key} when configured,
   * otherwise under the key file {@code peer-password.key} in the database folder, created on the
   * first start; passwords found in clear are encrypted before the engine is built.
   *
   * <p>With {@code tls.key-store} the server serves https (the API, {@code /metrics}, {@code
   * /health} and {@code /ready} alike); with {@code tls.trust-store} peers are called trusting its
   * certificates only ({@link SiteTls}).
   *
   * @param config what to run
   * @param customize changes to the engine builder (scheduler, rehomer, probe, listeners ...)
   * @return the running site
   * @throws SiteStartException when the database or the port is in use, the key is missing or
   *     wrong, or a TLS store or its password file cannot be used
   */
  public static StandaloneSite start(
      SiteConfig config, UnaryOperator<GeoRedundancy.Builder> customize) {
    return start(config, false, customize);
  }

  /**
   * Starts a site, as {@link #start(SiteConfig, UnaryOperator)}, after making every stored peer
   * password encrypted under the site's key (see {@link PeerPasswordKey}).
   *
   * @param config what to run
   * @param forgetUnreadablePasswords clear stored peer passwords no key can decrypt (the recovery
   *     after a lost key) instead of refusing to start
   * @param customize changes to the engine builder
   * @return the running site
   * @throws SiteStartException when the database or the port is in use, or the key is missing or
   *     wrong
   */
  static StandaloneSite start(
      SiteConfig config,
      boolean forgetUnreadablePasswords,
      UnaryOperator<GeoRedundancy.Builder> customize) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(customize, "customize");
    LOG.info("site starting config={}", LogSafe.of(config));
    // Before the database: a store or password file that cannot be used stops the start at once.
    SiteTls tls = SiteTls.load(config.tls());
    Optional<String> sysadminPassword =
        config
            .failover()
            .sysadminPasswordFile()
            .map(f -> PasswordFile.read("failover.sysadmin-password-file", f));
    JdbcStores database = open(config);
    GeoRedundancy engine = null;
    GeoredHttpServer server = null;
    List<AutoCloseable> commands = new ArrayList<>();
    try {
      AesGcmPasswordCipher cipher =
          PeerPasswordKey.prepare(
              config, database.stores().systemPeers(), forgetUnreadablePasswords);
      HttpPeerSites peers = peerSites(config, cipher, tls.trusting());
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      GeoredMetrics metrics = GeoredMetrics.builder(registry, database.stores()).build();
      GeoRedundancy.Builder builder =
          GeoRedundancy.builder(
              metrics.stores(),
              LocalSystemIdentity.of(new LocalSystem(config.uuid(), config.name())),
              metrics.peerSites(peers));
      builder.passwordCipher(cipher);
      // Before the host's changes: a customizer that sets its own alarms or listener replaces these
      // (and their meters), as the walk-through's virtual-time sites do.
      builder.alarms(metrics.alarms(new InMemoryAlarms()));
      builder.eventListener(metrics.eventListener());
      commands(config, builder, metrics, commands);
      witness(config, builder, database, sysadminPassword, commands);
      engine = customize.apply(builder).build();
      Authenticator authenticator =
          config.keystone().isPresent()
              ? keystoneAuthenticator(config.keystone().get(), tls.trusting())
              : staticTokens(config);
      GeoRedundancy started = engine;
      Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();
      readiness.put("database", () -> reachable(database));
      readiness.put("engine", started::isRunning);
      // One engine per database holds all its work; the lease table being readable is what tells
      // who runs the once-only work (the same check as with engines sharing a database).
      readiness.put(
          "leases",
          () -> {
            database.leases().find(READINESS_LEASE);
            return true;
          });
      SiteObservability observability =
          new SiteObservability(registry, config.observabilityToken(), readiness);
      server = listen(config, tls, engine, authenticator, observability);
      engine.start();
      LOG.info(
          "site started site_uuid={} site_name={} endpoint={}",
          LogSafe.of(config.uuid()),
          LogSafe.of(config.name()),
          server.baseUri());
      return new StandaloneSite(config, tls, database, engine, server, List.copyOf(commands));
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      if (engine != null) {
        engine.close();
      }
      closeAll(commands);
      database.close();
      throw e;
    }
  }

  /**
   * With {@code witness=jdbc} or {@code witness=etcd}: the engine's witness (opened here, closed
   * with the site), its leadership store in the site's own database, the witness timing and the
   * sysadmin password of {@code failover.sysadmin-password-file} for every automatic migration.
   */
  private static void witness(
      SiteConfig config,
      GeoRedundancy.Builder builder,
      JdbcStores database,
      Optional<String> sysadminPassword,
      List<AutoCloseable> opened) {
    Optional<SiteWitness> witness =
        SiteWitness.open(config.failover(), config.uuid(), Ticker.system());
    if (witness.isEmpty()) {
      return;
    }
    opened.add(witness.get());
    builder
        .witness(witness.get().witness(), database.leadership())
        .witnessSettings(config.failover().settings());
    sysadminPassword.ifPresent(
        password -> builder.sysadminPasswords(group -> Optional.of(password)));
  }

  /** The operators' and peers' static tokens of {@code auth.token.*} and {@code auth.peer.*}. */
  private static Authenticator staticTokens(SiteConfig config) {
    TokenAuthenticator.Builder auth = TokenAuthenticator.builder();
    for (Map.Entry<String, SiteConfig.Token> t : config.tokens().entrySet()) {
      SiteConfig.Token token = t.getValue();
      var roles = token.roles().toArray(new io.geored.adapters.http.Role[0]);
      auth.token(
          token.value(),
          t.getKey(),
          roles[0],
          java.util.Arrays.copyOfRange(roles, 1, roles.length));
    }
    for (Map.Entry<String, String> peer : config.peerAuth().entrySet()) {
      auth.peerToken(peer.getValue(), "peer:" + peer.getKey(), peer.getKey());
    }
    return auth.build();
  }

  /**
   * Callers' tokens validated by the site's Keystone. The service user's password is read from its
   * file (owner-only); the peer-user mapping is checked against Keystone now when it answers (a
   * mapping naming the service or the admin user, or a service login Keystone refuses, stops the
   * start); when Keystone cannot be reached the site starts anyway and answers 503 until it can.
   */
  private static Authenticator keystoneAuthenticator(
      SiteConfig.KeystoneServer k, Optional<SSLContext> trust) {
    String password = KeystonePasswordFile.read(k.passwordFile());
    KeystoneClient client;
    try {
      client =
          trust.isPresent()
              ? KeystoneClient.of(
                  k.authUrl(), keystoneHttp(trust.get()), KeystoneClient.DEFAULT_TIMEOUT)
              : KeystoneClient.of(k.authUrl());
    } catch (IllegalArgumentException e) {
      throw new SiteStartException("keystone.auth-url: " + e.getMessage(), null);
    }
    KeystoneAuthenticator.Builder builder =
        KeystoneAuthenticator.builder(
                client, PasswordCredentials.inDefaultDomain(k.user(), password, k.project()))
            .projects(k.projects())
            .cacheTtl(k.cacheTtl());
    k.peerUsers().forEach(builder::peerUser);
    KeystoneAuthenticator authenticator = builder.build();
    try {
      authenticator.checkMappings();
    } catch (IllegalStateException e) {
      throw new SiteStartException(e.getMessage(), null);
    } catch (KeystoneException e) {
      if (!e.unavailable()) {
        throw new SiteStartException(e.getMessage(), null);
      }
      LOG.warn(
          "keystone unreachable at start: requests are answered 503 until it answers reason={}",
          LogSafe.of(e.getMessage()));
    }
    return authenticator;
  }

  /**
   * Plugs in the operator's rehome and probe commands, when configured, and the probe interval.
   * What is opened is added to {@code opened}, to be closed with the site.
   */
  private static void commands(
      SiteConfig config,
      GeoRedundancy.Builder builder,
      GeoredMetrics metrics,
      List<AutoCloseable> opened) {
    SiteConfig.Commands c = config.commands();
    if (c.rehome().isPresent()) {
      CommandRehomer rehomer =
          new CommandRehomer(
              c.rehome().get(),
              c.rehomeTimeout(),
              COMMAND_GRACE,
              c.rehomeMaxConcurrent(),
              config.databaseFolder(),
              Clock.systemUTC());
      opened.add(rehomer);
      builder.rehomer(metrics.rehomer(rehomer));
    }
    if (c.probe().isPresent()) {
      CommandProbe probe =
          new CommandProbe(
              c.probe().get(), c.probeTimeout(), COMMAND_GRACE, c.probeMaxConcurrent());
      opened.add(probe);
      builder.probe(probe);
      GeoredSettings d = GeoredSettings.DEFAULTS;
      builder.settings(
          new GeoredSettings(
              d.syncConcurrency(),
              d.casRetries(),
              c.probeInterval(),
              d.offlineAfterFailedProbes(),
              d.onlineWaitTimeout(),
              c.probeInterval(),
              d.shutdownTimeout()));
    }
  }

  private static void closeAll(List<AutoCloseable> opened) {
    for (AutoCloseable c : opened) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.error("close failed resource={}", c, e);
      }
    }
  }

  private static JdbcStores open(SiteConfig config) {
    if (config.databaseUrl().isPresent()) {
      return JdbcStores.connect(
          config.databaseUrl().get(), config.databaseUser(), config.databasePassword());
    }
    try {
      return JdbcStores.embedded(config.databaseFolder());
    } catch (PersistenceException e) {
      if (causedBy(e, t -> t instanceof SQLException sql && sql.getErrorCode() == H2_IN_USE)) {
        throw new SiteStartException(
            "the database in "
                + config.databaseFolder().toAbsolutePath().normalize()
                + " is in use by another process (another site on the same database.folder?)",
            e);
      }
      throw e;
    }
  }

  private static boolean reachable(JdbcStores database) {
    try (Connection c = database.dataSource().getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      LOG.warn("readiness: database unreachable error={}", LogSafe.of(e.getMessage()));
      return false;
    }
  }

  private static GeoredHttpServer listen(
      SiteConfig config,
      SiteTls tls,
      GeoRedundancy engine,
      Authenticator auth,
      SiteObservability observability) {
    try {
      return observability
          .routes(GeoredHttpServer.builder(engine.site(), auth))
          .host(config.host())
          .port(config.port())
          .sslContext(tls.server().orElse(null))
          .build()
          .start();
    } catch (RuntimeException e) {
      if (causedBy(e, t -> t instanceof BindException)) {
        throw new SiteStartException(
            "http.port "
                + config.port()
                + " on "
                + config.host()
                + " is in use by another process (or the address is not this host's)",
            e);
      }
      throw e;
    }
  }

  private static boolean causedBy(Throwable thrown, Predicate<Throwable> test) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (test.test(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where peers and operators reach this site, e.g. {@code http://127.0.0.1:8119/v1.0}.
   *
   * @return the base URI of the API
   */
  public URI endpoint() {
    return server.baseUri();
  }

  /**
   * The site's TLS: what it serves https with, and the context it calls peers (and a Keystone)
   * with.
   *
   * @return the contexts built from {@code tls.key-store} and {@code tls.trust-store}
   */
  public SiteTls tls() {
    return tls;
  }

  /**
   * The port the server is bound to (the free one chosen when the configuration says 0).
   *
   * @return the port
   */
  public int port() {
    return server.port();
  }

  /**
   * This site's API, in process.
   *
   * @return the engine's site
   */
  public SiteApi api() {
    return engine.site();
  }

  /**
   * The site's stores, to observe its state.
   *
   * @return the JDBC stores
   */
  public Stores stores() {
    return database.stores();
  }

  /**
   * What the site was started with.
   *
   * @return the configuration
   */
  public SiteConfig config() {
    return config;
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once closed
   */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** Stops taking calls, then stops the engine, then closes the database; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } finally {
      try {
        engine.close();
      } finally {
        try {
          closeAll(commands);
        } finally {
          database.close();
        }
      }
    }
    LOG.info(
        "site stopped site_uuid={} site_name={}",
        LogSafe.of(config.uuid()),
        LogSafe.of(config.name()));
  }
}
