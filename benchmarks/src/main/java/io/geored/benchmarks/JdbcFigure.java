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
   */
  public record Rate(double perSecond, List<Double> iterations) {}

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

  /** Warm-up before the timed iterations, as CasBenchmark's six one-second warm-up iterations. */
  static final Duration WARM_UP = Duration.ofSeconds(6);

  /** One timed iteration, as CasBenchmark's. */
  static final Duration ITERATION = Duration.ofSeconds(1);

  /** Timed iterations, as CasBenchmark's. */
  static final int ITERATIONS = 5;

  private static final int LOAD_RUNS = 5;

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
    Rate cas = casRate(store, record);

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
   * threads: the updates per second of all of them together, after a warm-up, over {@link
   * #ITERATIONS} times {@link #ITERATION}.
   *
   * @param db the stores on the database
   * @param writers how many writers
   * @return updates per second, all writers together
   * @throws InterruptedException when interrupted while the writers run
   */
  public static double concurrentCasPerSecond(JdbcStores db, int writers)
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
    Thread.sleep(WARM_UP.toMillis());
    long before = updates.get();
    long start = System.nanoTime();
    Thread.sleep(ITERATION.toMillis() * ITERATIONS);
    long done = updates.get() - before;
    long nanos = System.nanoTime() - start;
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

  private static Rate casRate(SubcloudStore store, Subcloud record) {
    Subcloud current = record;
    long i = 0;
    long warmUpEnd = System.nanoTime() + WARM_UP.toNanos();
    while (System.nanoTime() < warmUpEnd) {
      current = AuditFigure.saved(store.update(next(current, ++i)));
    }
    List<Double> rates = new ArrayList<>();
    double sum = 0;
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
    return new Rate(sum / ITERATIONS, List.copyOf(rates));
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
