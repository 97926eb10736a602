package io.geored.benchmarks;

import io.geored.adapters.jdbc.JdbcStores;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.SubcloudStore;
import io.geored.testkit.contract.Fixtures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JDBC stores: compare-and-set updates per second (each update carrying the version the
 * previous one answered), by one writer and by several at once, and the time to load a group of N
 * subclouds.
 *
 * <p>The updates are timed as {@link CasBenchmark} times them under JMH, so the two figures can be
 * read side by side: the same update of the same record, on a database holding only that record and
 * its group (the groups to load are added after), {@link #WARM_UP} of updates first so the JIT has
 * compiled the path, then {@link #ITERATIONS} iterations of {@link #ITERATION}, the mean rate.
 */
public final class JdbcFigure {

  /**
   * One writer's rate.
   *
   * @param perSecond the mean of the iterations' rates, updates per second
   * @param iterations each iteration's rate
   * @param cpuMicros CPU time of the writer's thread per update over the iterations, in µs (the
   *     client's share only: a database server's own CPU is not in it)
   * @param fileBytesPerUpdate on an H2 file, the bytes H2 wrote to the file per update over the
   *     iterations (counted by H2); -1 elsewhere
   * @param fileBytes on an H2 file, the file's size after the iterations; -1 elsewhere
   */
  public record Rate(
      double perSecond,
      List<Double> iterations,
      double cpuMicros,
      double fileBytesPerUpdate,
      long fileBytes) {}

  /**
   * One database's figures.
   *
   * @param cas one writer's compare-and-set updates of one subcloud
   * @param loadMillisByGroupSize median time to load a group, by its size
   */
  public record Result(Rate cas, Map<Integer, Double> loadMillisByGroupSize) {

    /**
     * One writer's compare-and-set updates per second.
     *
     * @return the mean rate
     */
    public double casUpdatesPerSecond() {
      return cas.perSecond();
    }
  }

  /**
   * Warm-up before the timed iterations. Six seconds: the report's JVM has run the JDBC path in
   * earlier rows; CasBenchmark's fresh fork warms up for fifteen.
   */
  static final Duration WARM_UP = Duration.ofSeconds(6);

  /** One timed iteration, as CasBenchmark's. */
  static final Duration ITERATION = Duration.ofSeconds(1);

  /** Timed iterations, as CasBenchmark's. */
  static final int ITERATIONS = 5;

  private static final int LOAD_RUNS = 5;

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private JdbcFigure() {}

  /**
   * Measures one database. Its records get names unique to this run, and nothing is deleted: a
   * shared database's other users keep their rows.
   *
   * @param db the stores on the database
   * @param groupSizes the group sizes to load
   * @return the figures
   */
  public static Result run(JdbcStores db, List<Integer> groupSizes) {
    String prefix = prefix();
    SubcloudStore store = db.stores().subclouds();
    Subcloud record = insertOne(db, prefix, 0);
    Rate cas = casRate(db, store, record);

    Map<Integer, Long> groups = new LinkedHashMap<>();
    Instant at = Fixtures.CREATED_AT;
    int offset = 1;
    for (int size : groupSizes) {
      SubcloudPeerGroup group =
          AuditFigure.saved(db.stores().peerGroups().insert(Fixtures.peerGroup(prefix + size)));
      for (int i = 0; i < size; i++) {
        Subcloud member = Members.member(prefix, offset + i, group.id(), Members.A_GATEWAY, at);
        AuditFigure.saved(store.insert(member));
      }
      offset += size;
      groups.put(size, group.id());
    }

    Map<Integer, Double> loads = new LinkedHashMap<>();
    for (Map.Entry<Integer, Long> group : groups.entrySet()) {
      int size = group.getKey();
      long id = group.getValue();
      long median =
          Timing.medianNanos(
              LOAD_RUNS,
              () -> {
                long t = System.nanoTime();
                int loaded = store.findByPeerGroup(id).size();
                long nanos = System.nanoTime() - t;
                if (loaded != size) {
                  throw new IllegalStateException("group loaded " + loaded + " of " + size);
                }
                return nanos;
              });
      loads.put(size, Timing.millis(median));
    }
    return new Result(cas, loads);
  }

  /**
   * Several writers at once, each rewriting its own subcloud with compare-and-set, on their own
   * threads: the updates per second of all of them together over the timed window, after a warm-up,
   * with a sampler of the database's backends counting over the timed window only.
   *
   * @param db the stores on the database
   * @param writers how many writers
   * @param waits the sampler, or null
   * @param warmUp before the timed window
   * @param timed the timed window
   * @return updates per second, all writers together
   * @throws InterruptedException when interrupted while the writers run
   */
  static double concurrentCasPerSecond(
      JdbcStores db, int writers, BackendWaits waits, Duration warmUp, Duration timed)
      throws InterruptedException {
    String prefix = prefix();
    SubcloudStore store = db.stores().subclouds();
    AtomicLong updates = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(writers);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Subcloud own = insertOne(db, prefix, w);
      Thread t =
          new Thread(
              () -> {
                Subcloud current = own;
                ready.countDown();
                long i = 0;
                try {
                  while (!stop.get()) {
                    current = AuditFigure.saved(store.update(next(current, ++i)));
                    updates.incrementAndGet();
                  }
                } catch (RuntimeException e) {
                  failure.compareAndSet(null, e);
                }
              },
              "cas-writer-" + w);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    ready.await();
    Thread.sleep(warmUp.toMillis());
    long before = updates.get();
    long start = System.nanoTime();
    if (waits != null) {
      waits.start();
    }
    Thread.sleep(timed.toMillis());
    long done = updates.get() - before;
    long nanos = System.nanoTime() - start;
    if (waits != null) {
      waits.stopSampling();
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return done / (nanos / 1e9);
  }

  /**
   * The store's update and its floor on this database, measured side by side: after a warm-up of
   * all three, {@link #ITERATIONS} rounds of one {@link #ITERATION} each of (1) the same statement
   * the store runs (every column set, the version compared and raised) on one connection held for
   * the whole loop, its values bound from a record once, only the subcloud-group id and the version
   * changing; (2) the smallest compare-and-set update (three columns) on that connection; (3) the
   * store's own update of another record of the same shape. Alternating second by second, the three
   * see the same machine and the same table (its dead row versions, the server's caches), so their
   * ratio holds when the machine's own speed drifts during a run, which the absolute rates do not.
   * What is left between the store and (1) is the adapter's own work (pool checkout, binding every
   * value, JSON, building the answered record); (1) itself is the driver's round trip and the
   * database's update and commit.
   *
   * @param db the stores on the database
   * @return the three rates
   * @throws SQLException when a statement fails
   */
  public static Paired alternating(JdbcStores db) throws SQLException {
    String prefix = prefix();
    Subcloud bare = insertOne(db, prefix, 0);
    Subcloud[] stored = {insertOne(db, prefix, 1)};
    SubcloudStore store = db.stores().subclouds();
    String same =
        "UPDATE geored_subcloud SET "
            + String.join(" = ?, ", COLUMNS)
            + " = ?, version = version + 1 WHERE id = ? AND version = ?";
    String small =
        "UPDATE geored_subcloud SET group_id = ?, version = version + 1"
            + " WHERE id = ? AND version = ?";
    try (Connection c = db.dataSource().getConnection();
        java.sql.PreparedStatement full = c.prepareStatement(same);
        java.sql.PreparedStatement three = c.prepareStatement(small)) {
      full.setString(1, bare.name());
      full.setString(2, bare.regionName());
      full.setString(3, bare.description());
      full.setString(4, bare.location());
      full.setString(5, bare.softwareVersion());
      full.setString(6, bare.managementState().name());
      full.setString(7, bare.availabilityStatus().name());
      full.setString(8, bare.deployStatus().name());
      full.setNull(9, java.sql.Types.VARCHAR);
      full.setLong(11, bare.peerGroupId());
      full.setString(12, REHOME_JSON);
      full.setString(13, "{}");
      full.setBoolean(14, bare.rehomed());
      full.setObject(
          15, java.time.OffsetDateTime.ofInstant(bare.createdAt(), java.time.ZoneOffset.UTC));
      full.setNull(16, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
      full.setNull(17, java.sql.Types.VARCHAR);
      full.setLong(18, bare.id());
      three.setLong(2, bare.id());
      long[] version = {bare.version()};
      List<BareUpdate> loops =
          List.of(
              casLoop(full, 10, 19, version),
              casLoop(three, 1, 3, version),
              counter -> stored[0] = AuditFigure.saved(store.update(next(stored[0], counter))));
      return alternate(loops);
    }
  }

  /**
   * The store's update and its two floors, measured alternately.
   *
   * @param store the store's update
   * @param sameUpdate the store's statement on a held connection
   * @param threeColumns the smallest compare-and-set update on a held connection
   */
  public record Paired(Rate store, Rate sameUpdate, Rate threeColumns) {

    /**
     * The store's rate over the same statement's on a held connection.
     *
     * @return store / floor
     */
    public double storeOverFloor() {
      return store.perSecond() / sameUpdate.perSecond();
    }
  }

  /** Runs the loops in turn, one iteration each per round, after a warm-up of all of them. */
  private static Paired alternate(List<BareUpdate> loops) throws SQLException {
    long[] counters = new long[loops.size()];
    long warmUpEach = WARM_UP.toNanos() / loops.size();
    for (int round = 0; round < 2; round++) {
      for (int l = 0; l < loops.size(); l++) {
        long end = System.nanoTime() + warmUpEach / 2;
        while (System.nanoTime() < end) {
          loops.get(l).run(++counters[l]);
        }
      }
    }
    List<List<Double>> rates = new ArrayList<>();
    long[] cpu = new long[loops.size()];
    long[] updates = new long[loops.size()];
    for (int l = 0; l < loops.size(); l++) {
      rates.add(new ArrayList<>());
    }
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      for (int l = 0; l < loops.size(); l++) {
        BareUpdate update = loops.get(l);
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + ITERATION.toNanos();
        long count = 0;
        long now;
        do {
          update.run(++counters[l]);
          count++;
          now = System.nanoTime();
        } while (now < end);
        cpu[l] += THREADS.getCurrentThreadCpuTime() - cpuBefore;
        updates[l] += count;
        rates.get(l).add(count / ((now - start) / 1e9));
      }
    }
    List<Rate> result = new ArrayList<>();
    for (int l = 0; l < loops.size(); l++) {
      double mean = rates.get(l).stream().mapToDouble(Double::doubleValue).average().orElse(0);
      result.add(new Rate(mean, List.copyOf(rates.get(l)), cpu[l] / 1e3 / updates[l], -1, -1));
    }
    return new Paired(result.get(2), result.get(0), result.get(1));
  }

  /**
   * One record per writer, each in a group of its own, for a load client outside the JVM.
   *
   * @param db the stores on the database
   * @param count how many
   * @return the saved records
   */
  public static List<Subcloud> ownRecords(JdbcStores db, int count) {
    String prefix = prefix();
    List<Subcloud> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(insertOne(db, prefix, i));
    }
    return records;
  }

  /**
   * The columns the store's update sets, in its order, besides the version (the JDBC store's own
   * list is internal to the adapter): the bare statement and pgbench's both set these.
   */
  static final List<String> COLUMNS =
      List.of(
          "name",
          "region_name",
          "description",
          "location",
          "software_version",
          "management_state",
          "availability_status",
          "deploy_status",
          "error_description",
          "group_id",
          "peer_group_id",
          "rehome_data",
          "install_values",
          "rehomed",
          "created_at",
          "updated_at",
          "handed_over_to");

  /** Rehome data of the size a member carries, as JSON text. */
  static final String REHOME_JSON =
      "{\"saved_payload\":{\"name\":\"sc00001\",\"bootstrap-address\":\"10.0.0.1\","
          + "\"systemcontroller_gateway_address\":\"192.168.204.1\","
          + "\"admin_password\":\"TGk2OW51eCo=\",\"management_subnet\":\"192.168.101.0/24\"}}";

  /** One update of a bare loop, given a counter that changes each time. */
  private interface BareUpdate {
    void run(long counter) throws SQLException;
  }

  /**
   * One compare-and-set {@code UPDATE} per call: binds the counter and the expected version at
   * their parameter indexes, and raises the version shared by the loops of one record.
   */
  private static BareUpdate casLoop(
      java.sql.PreparedStatement statement, int counterIndex, int versionIndex, long[] version) {
    return counter -> {
      statement.setLong(counterIndex, counter);
      statement.setLong(versionIndex, version[0]);
      if (statement.executeUpdate() != 1) {
        throw new IllegalStateException("bare update found a stale version");
      }
      version[0]++;
    };
  }

  /**
   * The database server's {@code fsync} setting, for PostgreSQL: whether a commit waits for the
   * disk.
   *
   * @param db the stores on a PostgreSQL database
   * @return {@code on} or {@code off}; {@code unknown} when it cannot be read
   */
  public static String fsyncSetting(JdbcStores db) {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW fsync")) {
      return rs.next() ? rs.getString(1) : "unknown";
    } catch (SQLException e) {
      return "unknown";
    }
  }

  private static Rate casRate(JdbcStores db, SubcloudStore store, Subcloud record) {
    Subcloud current = record;
    long i = 0;
    long warmUpEnd = System.nanoTime() + WARM_UP.toNanos();
    while (System.nanoTime() < warmUpEnd) {
      current = AuditFigure.saved(store.update(next(current, ++i)));
    }
    List<Double> rates = new ArrayList<>();
    double sum = 0;
    long firstTimed = i;
    long writtenBefore = h2Info(db, "info.FILE_WRITE_BYTES");
    long cpuBefore = THREADS.getCurrentThreadCpuTime();
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      long start = System.nanoTime();
      long end = start + ITERATION.toNanos();
      long count = 0;
      long now;
      do {
        current = AuditFigure.saved(store.update(next(current, ++i)));
        count++;
        now = System.nanoTime();
      } while (now < end);
      double rate = count / ((now - start) / 1e9);
      rates.add(rate);
      sum += rate;
    }
    long timed = i - firstTimed;
    double cpuMicros = (THREADS.getCurrentThreadCpuTime() - cpuBefore) / 1e3 / timed;
    long writtenAfter = h2Info(db, "info.FILE_WRITE_BYTES");
    double bytesPerUpdate =
        writtenBefore < 0 || writtenAfter < 0
            ? -1
            : (writtenAfter - writtenBefore) / (double) timed;
    return new Rate(
        sum / ITERATIONS,
        List.copyOf(rates),
        cpuMicros,
        bytesPerUpdate,
        h2Info(db, "info.FILE_SIZE"));
  }

  /**
   * One of H2's counters of its file ({@code INFORMATION_SCHEMA.SETTINGS}, {@code info.*}).
   *
   * @return the value, or -1 on another database or H2 in memory
   */
  static long h2Info(JdbcStores db, String name) {
    try (Connection c = db.dataSource().getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Long.parseLong(rs.getString(1).trim()) : -1;
      }
    } catch (SQLException | NumberFormatException e) {
      return -1;
    }
  }

  /** The update CasBenchmark times: the same record with a new subcloud-group id. */
  static Subcloud next(Subcloud current, long counter) {
    return current.toBuilder().groupId(counter).build();
  }

  private static Subcloud insertOne(JdbcStores db, String prefix, int writer) {
    SubcloudPeerGroup group =
        AuditFigure.saved(
            db.stores().peerGroups().insert(Fixtures.peerGroup(prefix + "cas-" + writer)));
    return AuditFigure.saved(
        db.stores()
            .subclouds()
            .insert(
                Members.member(
                    prefix + "cas-" + writer + "-",
                    1,
                    group.id(),
                    Members.A_GATEWAY,
                    Fixtures.CREATED_AT)));
  }

  private static String prefix() {
    return "bench-" + Long.toString(System.nanoTime(), 36) + "-";
  }
}
