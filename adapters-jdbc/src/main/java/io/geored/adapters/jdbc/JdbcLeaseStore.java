package io.geored.adapters.jdbc;

import io.geored.spi.lease.Lease;
import io.geored.spi.lease.LeaseStore;
import io.geored.spi.store.StoreResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Leases in {@code geored_lease}, one row per name, written by compare-and-set on the version. Each
 * call uses a connection of its own in auto-commit mode, outside any store transaction of the
 * calling thread: the other instances must see a lease at once.
 */
final class JdbcLeaseStore implements LeaseStore {

  private static final Map<String, String> UNIQUE_KEYS = Map.of("pk_geored_lease", UNIQUE_NAME);

  /** A database of its own over the same data source, so no thread-bound transaction is joined. */
  private final Database db;

  JdbcLeaseStore(DataSource dataSource) {
    this.db = new Database(dataSource);
  }

  @Override
  public Optional<Lease> find(String name) {
    Objects.requireNonNull(name, "name");
    return db.call(
        "find lease name=" + name,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT name, owner, expires_at, version FROM geored_lease WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new Lease(
                      rs.getString("name"),
                      rs.getString("owner"),
                      Columns.instant(rs, "expires_at"),
                      rs.getLong("version")));
            }
          }
        });
  }

  @Override
  public StoreResult<Lease> insert(Lease lease) {
    return db.write(
        "insert lease name=" + lease.name(),
        UNIQUE_KEYS,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO geored_lease (name, owner, expires_at, version) VALUES (?, ?, ?, 1)")) {
            ps.setString(1, lease.name());
            ps.setString(2, lease.owner());
            Columns.instant(ps, 3, lease.expiresAt());
            ps.executeUpdate();
          }
          return new StoreResult.Saved<>(stored(lease, 1));
        });
  }

  @Override
  public StoreResult<Lease> update(Lease lease) {
    return db.write(
        "update lease name=" + lease.name(),
        UNIQUE_KEYS,
        c -> {
          int changed;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE geored_lease SET owner = ?, expires_at = ?, version = version + 1"
                      + " WHERE name = ? AND version = ?")) {
            ps.setString(1, lease.owner());
            Columns.instant(ps, 2, lease.expiresAt());
            ps.setString(3, lease.name());
            ps.setLong(4, lease.version());
            changed = ps.executeUpdate();
          }
          if (changed == 1) {
            return new StoreResult.Saved<>(stored(lease, lease.version() + 1));
          }
          return exists(c, lease.name()) ? new StoreResult.Stale<>() : new StoreResult.Missing<>();
        });
  }

  /** The lease as the database holds it: expiry to the microsecond. */
  private static Lease stored(Lease lease, long version) {
    return new Lease(lease.name(), lease.owner(), Columns.micros(lease.expiresAt()), version);
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM geored_lease WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
