package io.geored.adapters.jdbc;

import io.geored.spi.time.Ticker;
import io.geored.spi.witness.Candidate;
import io.geored.spi.witness.Epoch;
import io.geored.spi.witness.LeaseOutcome;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessLease;
import io.geored.spi.witness.WitnessUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A witness in a database every site reaches, in a failure domain of its own, whose committed
 * writes survive its own failover (docs/adr/0027). Tables {@code geored_witness_lease}, {@code
 * geored_witness_site} and {@code geored_witness_candidate}.
 *
 * <p>Expiry is judged only by the database: each deciding statement compares {@code expires_at}
 * with its {@code CURRENT_TIMESTAMP}, and a grant or renewal stores {@code CURRENT_TIMESTAMP +
 * TTL}. That is the database host's wall clock, which may step or differ after a failover, so a
 * site taking over a tenure that <em>expired</em> waits one TTL on its own monotonic clock before
 * acting ({@link #takeOverWait()}, applied in {@link WitnessLease#usableFromNanos()}). Each call
 * uses a connection of its own; an acquire decides in one transaction with the group's row locked
 * ({@code SELECT ... FOR UPDATE}). Thread-safe.
 */
final class JdbcWitness implements Witness {

  /** SQLSTATE of a unique or primary key violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  private static final String LIVE =
      "CASE WHEN released = FALSE AND expires_at > CURRENT_TIMESTAMP THEN 1 ELSE 0 END AS live";

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String site;
  private final Duration ttl;
  private final Ticker ticker;

  JdbcWitness(DataSource dataSource, Dialect dialect, String site, Duration ttl, Ticker ticker) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.site = Objects.requireNonNull(site, "site");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    if (site.isBlank() || site.length() > 255) {
      throw new IllegalArgumentException("witness site must be 1 to 255 characters");
    }
    if (ttl.toMillis() <= 0) {
      throw new IllegalArgumentException("witness TTL must be at least 1 ms, was " + ttl);
    }
  }

  @Override
  public String site() {
    return site;
  }

  @Override
  public Duration ttl() {
    return ttl;
  }

  @Override
  public Duration takeOverWait() {
    return ttl;
  }

  /** The latest tenure of a group as a locked or plain read sees it. */
  private record Row(Epoch epoch, boolean released, boolean live) {}

  @Override
  public LeaseOutcome acquire(String group) {
    checkGroup(group);
    long sent = ticker.nanos();
    for (int attempt = 0; ; attempt++) {
      try (Connection c = open("acquire " + group)) {
        c.setAutoCommit(false);
        try {
          Row row = read(c, group, true);
          LeaseOutcome outcome;
          boolean tookOverExpired = false;
          if (row == null) {
            insertLease(c, group);
            outcome = granted(group, new Epoch(1, site), sent);
          } else if (row.live() && !row.epoch().site().equals(site)) {
            outcome = new LeaseOutcome.HeldBy(row.epoch());
          } else if (row.live()) {
            update(
                c,
                "UPDATE geored_witness_lease SET expires_at = "
                    + expiry()
                    + " WHERE group_name = ?",
                group);
            outcome = granted(group, row.epoch(), sent);
          } else {
            Epoch next = new Epoch(row.epoch().counter() + 1, site);
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE geored_witness_lease SET holder = ?, epoch = ?, released = FALSE,"
                        + " expires_at = "
                        + expiry()
                        + " WHERE group_name = ?")) {
              ps.setString(1, site);
              ps.setLong(2, next.counter());
              ps.setString(3, group);
              ps.executeUpdate();
            }
            outcome = granted(group, next, sent);
            tookOverExpired = !row.released();
          }
          c.commit();
          if (tookOverExpired) {
            // The answer arrived after the take-over committed: the wait runs from here.
            long received = ticker.nanos();
            WitnessLease lease = ((LeaseOutcome.Granted) outcome).lease();
            outcome =
                new LeaseOutcome.Granted(
                    new WitnessLease(
                        group, lease.epoch(), ttl, sent, received + takeOverWait().toNanos()));
          }
          return outcome;
        } catch (SQLException e) {
          rollbackQuietly(c, e);
          if (attempt == 0 && UNIQUE_VIOLATION.equals(e.getSQLState())) {
            continue; // another site inserted the group's first row: read it again
          }
          throw failed("acquire " + group, e);
        }
      } catch (SQLException e) {
        throw failed("acquire " + group, e);
      }
    }
  }

  @Override
  public LeaseOutcome renew(WitnessLease lease) {
    own(lease);
    long sent = ticker.nanos();
    return call(
        "renew " + lease.group(),
        c -> {
          int changed;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE geored_witness_lease SET expires_at = "
                      + expiry()
                      + " WHERE group_name = ? AND holder = ? AND epoch = ? AND released = FALSE"
                      + " AND expires_at > CURRENT_TIMESTAMP")) {
            ps.setString(1, lease.group());
            ps.setString(2, site);
            ps.setLong(3, lease.epoch().counter());
            changed = ps.executeUpdate();
          }
          if (changed == 1) {
            return new LeaseOutcome.Granted(lease.renewedAt(sent));
          }
          Row row = read(c, lease.group(), false);
          if (row != null && row.live()) {
            return new LeaseOutcome.HeldBy(row.epoch());
          }
          return new LeaseOutcome.Ended(lease.epoch());
        });
  }

  @Override
  public void release(WitnessLease lease) {
    own(lease);
    call(
        "release " + lease.group(),
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE geored_witness_lease SET released = TRUE, expires_at = CURRENT_TIMESTAMP"
                      + " WHERE group_name = ? AND holder = ? AND epoch = ? AND released = FALSE")) {
            ps.setString(1, lease.group());
            ps.setString(2, site);
            ps.setLong(3, lease.epoch().counter());
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<Epoch> holder(String group) {
    checkGroup(group);
    return call(
        "read holder of " + group,
        c -> {
          Row row = read(c, group, false);
          return row != null && row.live() ? Optional.of(row.epoch()) : Optional.<Epoch>empty();
        });
  }

  @Override
  public Optional<Epoch> latestEpoch(String group) {
    checkGroup(group);
    return call(
        "read latest epoch of " + group,
        c -> Optional.ofNullable(read(c, group, false)).map(Row::epoch));
  }

  @Override
  public void keepAlive() {
    upsert(
        "keep site alive",
        "UPDATE geored_witness_site SET expires_at = " + expiry() + " WHERE site = ?",
        new Object[] {site},
        "INSERT INTO geored_witness_site (site, expires_at) VALUES (?, " + expiry() + ")",
        new Object[] {site});
  }

  @Override
  public void register(String group, int priority) {
    checkGroup(group);
    Candidate checked = new Candidate(site, priority);
    upsert(
        "register for " + group,
        "UPDATE geored_witness_candidate SET priority = ? WHERE group_name = ? AND site = ?",
        new Object[] {checked.priority(), group, site},
        "INSERT INTO geored_witness_candidate (group_name, site, priority) VALUES (?, ?, ?)",
        new Object[] {group, site, checked.priority()});
  }

  @Override
  public void withdraw(String group) {
    checkGroup(group);
    call(
        "withdraw from " + group,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM geored_witness_candidate WHERE group_name = ? AND site = ?")) {
            ps.setString(1, group);
            ps.setString(2, site);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public List<Candidate> candidates(String group) {
    checkGroup(group);
    return call(
        "list candidates of " + group,
        c -> {
          List<Candidate> live = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT c.site, c.priority FROM geored_witness_candidate c"
                      + " JOIN geored_witness_site s ON s.site = c.site"
                      + " WHERE c.group_name = ? AND s.expires_at > CURRENT_TIMESTAMP")) {
            ps.setString(1, group);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                live.add(new Candidate(rs.getString("site"), rs.getInt("priority")));
              }
            }
          }
          // Sorted here, not by the database: its collation may not order text as Java does.
          live.sort(Candidate.BEST_FIRST);
          return List.copyOf(live);
        });
  }

  @Override
  public String toString() {
    return "JdbcWitness[" + site + " ttl=" + ttl + "]";
  }

  private String expiry() {
    return dialect.nowPlusMillis(ttl.toMillis());
  }

  private LeaseOutcome granted(String group, Epoch epoch, long sent) {
    return new LeaseOutcome.Granted(new WitnessLease(group, epoch, ttl, sent, sent));
  }

  private static Row read(Connection c, String group, boolean lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT holder, epoch, released, "
                + LIVE
                + " FROM geored_witness_lease WHERE group_name = ?"
                + (lock ? " FOR UPDATE" : ""))) {
      ps.setString(1, group);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Row(
            new Epoch(rs.getLong("epoch"), rs.getString("holder")),
            rs.getBoolean("released"),
            rs.getInt("live") == 1);
      }
    }
  }

  private void insertLease(Connection c, String group) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO geored_witness_lease (group_name, holder, epoch, expires_at, released)"
                + " VALUES (?, ?, 1, "
                + expiry()
                + ", FALSE)")) {
      ps.setString(1, group);
      ps.setString(2, site);
      ps.executeUpdate();
    }
  }

  private static int update(Connection c, String sql, String group) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, group);
      return ps.executeUpdate();
    }
  }

  /** An update, else an insert; a concurrent insert of the same key makes the update run again. */
  private void upsert(
      String operation, String update, Object[] updateArgs, String insert, Object[] insertArgs) {
    call(
        operation,
        c -> {
          for (int attempt = 0; ; attempt++) {
            if (execute(c, update, updateArgs) == 1) {
              return null;
            }
            try {
              execute(c, insert, insertArgs);
              return null;
            } catch (SQLException e) {
              if (attempt > 0 || !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
              }
            }
          }
        });
  }

  private static int execute(Connection c, String sql, Object[] args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    }
  }

  /** Runs statements on a connection of their own, in auto-commit: each commits at once. */
  private <T> T call(String operation, SqlWork<T> work) {
    try (Connection c = open(operation)) {
      return work.apply(c);
    } catch (SQLException e) {
      throw failed(operation, e);
    }
  }

  private Connection open(String operation) {
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw failed(operation + " (no connection)", e);
    }
  }

  private void own(WitnessLease lease) {
    Objects.requireNonNull(lease, "lease");
    if (!lease.epoch().site().equals(site)) {
      throw new IllegalArgumentException(
          "site " + site + " cannot use the lease of " + lease.epoch());
    }
  }

  private static void checkGroup(String group) {
    Objects.requireNonNull(group, "group");
    if (group.isEmpty() || group.length() > 255) {
      throw new IllegalArgumentException(
          "witness group name must be 1 to 255 characters, was " + group.length());
    }
  }

  /** The failure, naming the operation and the SQLSTATE only, never values or credentials. */
  private static WitnessUnavailableException failed(String operation, SQLException e) {
    return new WitnessUnavailableException(
        "witness "
            + operation
            + " failed: sql_state="
            + e.getSQLState()
            + " error_code="
            + e.getErrorCode(),
        e);
  }

  private static void rollbackQuietly(Connection c, SQLException reason) {
    try {
      c.rollback();
    } catch (SQLException e) {
      reason.addSuppressed(e);
    }
  }
}
