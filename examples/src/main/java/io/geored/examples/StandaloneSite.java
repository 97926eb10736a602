package io.geored.examples;

import io.geored.adapters.http.GeoredHttpServer;
import io.geored.adapters.http.HttpPeerSites;
import io.geored.adapters.http.TokenAuthenticator;
import io.geored.adapters.http.TokenProvider;
import io.geored.adapters.jdbc.JdbcStores;
import io.geored.core.GeoRedundancy;
import io.geored.core.secret.AesGcmPasswordCipher;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.store.Stores;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running site assembled from a {@link SiteConfig}: JDBC stores (embedded H2 or a JDBC URL), an
 * engine, the HTTP client for peer sites and the HTTP server other sites and operators call. The
 * walk-through builds both of its sites with this class, and {@link SiteMain} runs one as a
 * process.
 */
public final class StandaloneSite implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StandaloneSite.class);

  private final SiteConfig config;
  private final JdbcStores database;
  private final GeoRedundancy engine;
  private final GeoredHttpServer server;
  private boolean closed;

  private StandaloneSite(
      SiteConfig config, JdbcStores database, GeoRedundancy engine, GeoredHttpServer server) {
    this.config = config;
    this.database = database;
    this.engine = engine;
    this.server = server;
  }

  /**
   * Starts a site with the engine's defaults (its own threads, no rehomer, stored availability).
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
   * @param config what to run
   * @param customize changes to the engine builder (scheduler, rehomer, probe, listeners ...)
   * @return the running site
   */
  public static StandaloneSite start(
      SiteConfig config, UnaryOperator<GeoRedundancy.Builder> customize) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(customize, "customize");
    LOG.info("site starting config={}", config);
    JdbcStores database =
        config
            .databaseUrl()
            .map(url -> JdbcStores.connect(url, config.databaseUser(), config.databasePassword()))
            .orElseGet(() -> JdbcStores.embedded(config.databaseFolder()));
    GeoRedundancy engine = null;
    GeoredHttpServer server = null;
    try {
      HttpPeerSites peers =
          HttpPeerSites.builder(TokenProvider.perPeer(config.peerTokens())).build();
      GeoRedundancy.Builder builder =
          GeoRedundancy.builder(
              database.stores(),
              LocalSystemIdentity.of(new LocalSystem(config.uuid(), config.name())),
              peers);
      config.cipherKey().ifPresent(key -> builder.passwordCipher(new AesGcmPasswordCipher(key)));
      engine = customize.apply(builder).build();
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
      server =
          GeoredHttpServer.builder(engine.site(), auth.build())
              .host(config.host())
              .port(config.port())
              .build()
              .start();
      engine.start();
      LOG.info(
          "site started site_uuid={} site_name={} endpoint={}",
          config.uuid(),
          config.name(),
          server.baseUri());
      return new StandaloneSite(config, database, engine, server);
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      if (engine != null) {
        engine.close();
      }
      database.close();
      throw e;
    }
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
        database.close();
      }
    }
    LOG.info("site stopped site_uuid={} site_name={}", config.uuid(), config.name());
  }
}
