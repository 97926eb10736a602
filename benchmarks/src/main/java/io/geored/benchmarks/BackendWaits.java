package io.geored.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * What PostgreSQL's backends of this database are doing while several writers run, sampled from
 * {@code pg_stat_activity} on a connection of its own: how many are busy in the database at each
 * sample (not idle waiting for their client's next statement) and on what they wait. Writers
 * serialized behind a lock of the client would leave at most one backend busy at a time; commits
 * grouped by the database show as several backends waiting on the WAL together.
 */
final class BackendWaits implements AutoCloseable {

  /** Between two samples, long enough that sampling costs the database little. */
  private static final long INTERVAL_MILLIS = 20;

  private static final String QUERY =
      "SELECT COALESCE(wait_event_type || ':' || wait_event, 'CPU')"
          + " FROM pg_stat_activity WHERE datname = current_database()"
          + " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
          + " AND state = 'active'";

  private final Connection connection;
  private final Thread thread;
  private final AtomicBoolean sampling = new AtomicBoolean();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<String, Long> waits = new TreeMap<>();
  private long samples;
  private long busy;

  /**
   * Opens the sampler's connection; sampling starts with {@link #start()}.
   *
   * @param dataSource the database's connections
   * @throws SQLException when no connection can be had
   */
  BackendWaits(DataSource dataSource) throws SQLException {
    this.connection = dataSource.getConnection();
    this.thread = new Thread(this::loop, "backend-waits");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Starts counting (the writers' warm-up is over). */
  void start() {
    sampling.set(true);
  }

  /** Stops counting; the figures hold from here on. */
  void stopSampling() {
    sampling.set(false);
  }

  private void loop() {
    try (PreparedStatement ps = connection.prepareStatement(QUERY)) {
      while (!stop.get()) {
        if (sampling.get()) {
          int active = 0;
          Map<String, Long> seen = new LinkedHashMap<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              active++;
              seen.merge(rs.getString(1), 1L, Long::sum);
            }
          }
          synchronized (this) {
            samples++;
            busy += active;
            seen.forEach((k, v) -> waits.merge(k, v, Long::sum));
          }
        }
        Thread.sleep(INTERVAL_MILLIS);
      }
    } catch (SQLException e) {
      System.err.println("backend waits: sampling stopped: sql_state=" + e.getSQLState());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Backends busy in the database per sample, on average.
   *
   * @return the mean, 0 without samples
   */
  synchronized double meanBusy() {
    return samples == 0 ? 0 : busy / (double) samples;
  }

  /**
   * The samples taken.
   *
   * @return how many
   */
  synchronized long samples() {
    return samples;
  }

  /**
   * The busy backends' waits, the most frequent first, each as its share of all busy samples.
   *
   * @param top how many to name
   * @return e.g. {@code LWLock:WALWrite 71%, IO:WALSync 14%, CPU 9%} (CPU: running, no wait)
   */
  synchronized String topWaits(int top) {
    long all = waits.values().stream().mapToLong(Long::longValue).sum();
    if (all == 0) {
      return "none";
    }
    List<Map.Entry<String, Long>> sorted =
        waits.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(top)
            .collect(Collectors.toList());
    return sorted.stream()
        .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / all))
        .collect(Collectors.joining(", "));
  }

  @Override
  public void close() throws InterruptedException, SQLException {
    stop.set(true);
    thread.join(5_000);
    connection.close();
  }
}
