package io.geored.adapters.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.geored.spi.PersistenceException;
import io.geored.spi.lease.LeaseKeeper;
import io.geored.spi.lease.LeaseSettings;
import io.geored.spi.lease.LeaseStore;
import io.geored.spi.store.Stores;
import io.geored.spi.time.Ticker;
import io.geored.spi.witness.LeadershipStore;
import io.geored.spi.witness.Witness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * geored's stores and leases on a JDBC database: H2 embedded by default, PostgreSQL when several
 * instances of the host application share one database. Creating it creates or upgrades the schema
 * (Flyway, history in {@code geored_schema_history}; the tables are prefixed {@code geored_}, so a
 * database may hold the host's own tables too). Thread-safe; {@link #close()} closes the pool it
 * made.
 *
 * <pre>{@code
 * try (JdbcStores db = JdbcStores.connect("jdbc:postgresql://db:5432/geored", "geored", password)) {
 *   GeoRedundancy engine = GeoRedundancy.builder(db.stores(), identity, peerSites).build();
 *   ...
 * }
 * }</pre>
 */
public final class JdbcStores implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcStores.class);

  /** The file name of the embedded database in its folder (H2 adds {@code .mv.db}). */
  static final String EMBEDDED_NAME = "geored";

  /** H2's setting for how long a commit may wait in memory before it is written, in ms. */
  private static final String WRITE_DELAY = "WRITE_DELAY";

  /** H2's setting: how many parsed statements each connection keeps (H2's default: 8). */
  static final String QUERY_CACHE_SIZE = "QUERY_CACHE_SIZE";

  /**
   * The embedded database's {@link #QUERY_CACHE_SIZE}: more than the distinct statements the stores
   * run, so a connection parses each statement once, not on every use (the stores run a few dozen
   * statements, which thrashed H2's default cache of 8).
   */
  static final int EMBEDDED_QUERY_CACHE = 128;

  /** An H2 URL whose database part starts with a scheme other than a file path's. */
  private static final Pattern H2_NOT_A_FILE =
      Pattern.compile("(?i)jdbc:h2:(?!file:)[a-z][a-z0-9]+:.*");

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final Dialect dialect;
  private final Stores stores;
  private final LeaseStore leases;
  private final LeadershipStore leadership;

  private JdbcStores(DataSource dataSource, HikariDataSource ownedPool) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    try {
      this.dialect = detect(dataSource);
      migrate(dataSource, dialect);
    } catch (RuntimeException e) {
      if (ownedPool != null) {
        ownedPool.close();
      }
      throw e;
    }
    Database db = new Database(dataSource, dialect);
    this.stores =
        new Stores(
            new JdbcSystemPeerStore(db),
            new JdbcPeerGroupStore(db),
            new JdbcAssociationStore(db),
            new JdbcSubcloudStore(db),
            db);
    this.leases = new JdbcLeaseStore(dataSource);
    this.leadership = new JdbcLeadershipStore(db);
  }

  /**
   * The embedded default: an H2 database file in a folder, pooled with HikariCP. The folder is
   * created when missing; the same folder gives the same data after a restart. One process at a
   * time may open it.
   *
   * <p>Every commit is written to the file before it returns ({@code WRITE_DELAY=0}), so a write
   * the caller was told succeeded survives a crash of the process (a kill included). H2 does not
   * force the file to the disk on each commit: a power loss or an operating-system crash may still
   * lose the last writes. Where that matters, use PostgreSQL with {@code fsync} on.
   *
   * @param folder where the database file lives
   * @return the stores, schema up to date
   * @throws PersistenceException when the database cannot be opened or migrated
   */
  public static JdbcStores embedded(Path folder) {
    Objects.requireNonNull(folder, "folder");
    Path absolute = folder.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
    } catch (java.io.IOException e) {
      throw new PersistenceException("create database folder " + absolute, e);
    }
    String url =
        "jdbc:h2:file:"
            + absolute.resolve(EMBEDDED_NAME)
            + ";LOCK_TIMEOUT=10000;"
            + WRITE_DELAY
            + "=0;"
            + QUERY_CACHE_SIZE
            + "="
            + EMBEDDED_QUERY_CACHE;
    return connect(url, "sa", "");
  }

  /**
   * A database reached by JDBC URL (H2 or PostgreSQL), pooled with HikariCP.
   *
   * <p>An H2 file URL ({@code jdbc:h2:file:...}, or {@code jdbc:h2:} followed by a path) that does
   * not set {@code WRITE_DELAY} gets {@code WRITE_DELAY=0}, as {@link #embedded(Path)} does: H2's
   * own default keeps commits in memory for up to half a second, and a crash of the process loses
   * them although every caller was told they succeeded. A URL that sets {@code WRITE_DELAY} itself
   * keeps its value (the operator chose to trade that window for speed). Other URLs are used as
   * given.
   *
   * @param jdbcUrl e.g. {@code jdbc:postgresql://db.example.net:5432/geored}
   * @param user the database user
   * @param password the user's password; never logged nor put in a message
   * @return the stores, schema up to date
   * @throws PersistenceException when the database cannot be reached or migrated
   */
  public static JdbcStores connect(String jdbcUrl, String user, String password) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    jdbcUrl = durable(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setPoolName("geored");
    config.setMaximumPoolSize(10);
    // Fail at once when the database is down at start-up rather than handing out a dead pool.
    config.setInitializationFailTimeout(1);
    config.setConnectionTimeout(10_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      // Hikari wraps the driver's SQLException; the URL is named, the password never.
      throw new PersistenceException("connect to " + safeUrl(jdbcUrl) + " as " + user, e);
    }
    LOG.info("database pool open url={} user={}", safeUrl(jdbcUrl), user);
    return new JdbcStores(pool, pool);
  }

  /**
   * Stores on a data source the host manages (its own pool); {@link #close()} leaves it open.
   *
   * @param dataSource an H2 or PostgreSQL data source
   * @return the stores, schema up to date
   * @throws PersistenceException when the database cannot be reached or migrated
   */
  public static JdbcStores onDataSource(DataSource dataSource) {
    return new JdbcStores(Objects.requireNonNull(dataSource, "dataSource"), null);
  }

  /**
   * The four stores and their transactions, for the engine's builder.
   *
   * @return the stores
   */
  public Stores stores() {
    return stores;
  }

  /**
   * The lease rows shared by every instance on this database.
   *
   * @return the lease store
   */
  public LeaseStore leases() {
    return leases;
  }

  /**
   * What this site remembers about leading peer groups under a witness (docs/adr/0027): the newest
   * leader epoch seen per group and the groups it fenced, in this database beside the stores. A
   * call made inside a {@link Stores#transactions() store transaction} on the same thread joins it;
   * any other commits before it answers.
   *
   * @return the leadership store, for {@code GeoRedundancy.Builder#witness}
   */
  public LeadershipStore leadership() {
    return leadership;
  }

  /**
   * One instance's keeper of the leases, with the default 30 s period renewed every 10 s.
   *
   * @param owner this instance's name, unique among the instances
   * @param clock this instance's clock
   * @return the keeper
   */
  public LeaseKeeper leaseKeeper(String owner, Clock clock) {
    return new LeaseKeeper(leases, owner, clock, LeaseSettings.DEFAULTS);
  }

  /**
   * One site's client of a witness kept in this database (docs/adr/0027): the database must be
   * reached by every site, live in a failure domain of its own, and keep its committed writes
   * through its own failover. Expiry is judged by the database's {@code CURRENT_TIMESTAMP}; a site
   * taking over an expired tenure waits one TTL before acting.
   *
   * @param site the site's uuid, 1 to 255 characters
   * @param ttl how long a lease or the site's liveness lasts after each renewal, at least 1 ms
   *     (default {@link io.geored.spi.witness.WitnessSettings#DEFAULT_TTL})
   * @param ticker the site's monotonic clock, for the send times of its requests
   * @return the client
   * @throws IllegalArgumentException when the site or the TTL is out of range
   */
  public Witness witness(String site, Duration ttl, Ticker ticker) {
    return new JdbcWitness(dataSource, dialect, site, ttl, ticker);
  }

  /**
   * The data source the stores use.
   *
   * @return the pool this made, or the host's data source
   */
  public DataSource dataSource() {
    return dataSource;
  }

  Dialect dialect() {
    return dialect;
  }

  /**
   * Empties every geored table, keeping the schema: what tests of a shared database do between
   * cases.
   */
  void deleteEverything() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM geored_association");
      s.executeUpdate("DELETE FROM geored_subcloud");
      s.executeUpdate("DELETE FROM geored_peer_group");
      s.executeUpdate("DELETE FROM geored_system_peer");
      s.executeUpdate("DELETE FROM geored_lease");
      s.executeUpdate("DELETE FROM geored_witness_candidate");
      s.executeUpdate("DELETE FROM geored_witness_site");
      s.executeUpdate("DELETE FROM geored_witness_lease");
      s.executeUpdate("DELETE FROM geored_fenced_member");
      s.executeUpdate("DELETE FROM geored_fenced_group");
      s.executeUpdate("DELETE FROM geored_leader_epoch");
    } catch (SQLException e) {
      throw Database.failed("delete every geored row", e);
    }
  }

  /** Closes the pool this made; a host's data source stays open. Idempotent. */
  @Override
  public void close() {
    if (ownedPool != null && !ownedPool.isClosed()) {
      ownedPool.close();
      LOG.info("database pool closed");
    }
  }

  private static Dialect detect(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return Dialect.of(c);
    } catch (SQLException e) {
      throw Database.failed("detect database", e);
    }
  }

  private static void migrate(DataSource dataSource, Dialect dialect) {
    try {
      var result =
          Flyway.configure(JdbcStores.class.getClassLoader())
              .dataSource(dataSource)
              .locations("classpath:db/migration")
              .table("geored_schema_history")
              .placeholders(dialect.placeholders())
              // A database that already holds the host's tables is fine: geored's start at 1.
              .baselineOnMigrate(true)
              .baselineVersion("0")
              .load()
              .migrate();
      LOG.info(
          "schema migrated dialect={} applied={} version={}",
          dialect,
          result.migrationsExecuted,
          result.targetSchemaVersion);
    } catch (FlywayException e) {
      throw new PersistenceException("migrate geored schema", e);
    }
  }

  /**
   * The URL with {@code WRITE_DELAY=0} appended when it names an H2 file database and does not set
   * the delay itself (see {@link #connect(String, String, String)}).
   */
  static String durable(String jdbcUrl) {
    String lower = jdbcUrl.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("jdbc:h2:") || H2_NOT_A_FILE.matcher(jdbcUrl).matches()) {
      return jdbcUrl; // not H2, or H2 in memory, over TCP/SSL, in a zip ...
    }
    for (String part : jdbcUrl.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(WRITE_DELAY)) {
        return jdbcUrl;
      }
    }
    return jdbcUrl + (jdbcUrl.endsWith(";") ? "" : ";") + WRITE_DELAY + "=0";
  }

  /** The URL without its parameters, where a driver may take a password. */
  private static String safeUrl(String jdbcUrl) {
    int cut = jdbcUrl.length();
    for (char c : new char[] {'?', ';'}) {
      int at = jdbcUrl.indexOf(c);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return jdbcUrl.substring(0, cut);
  }
}
