package io.geored.benchmarks;

import io.geored.adapters.jdbc.JdbcStores;
import io.geored.core.GeoredSettings;
import io.geored.testkit.store.InMemoryStores;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The whole measured run: every figure of docs/PERFORMANCE.md, printed as one Markdown table with
 * the machine it ran on. Counted figures (calls, virtual time) are exact and the same on any
 * machine; timed ones are medians of repeated runs and should be read as ratios between rows of the
 * same run.
 *
 * <p>Run with {@code mvn -B -Pbench -pl benchmarks -am -DskipTests verify}. PostgreSQL rows need
 * {@code GEORED_PG_URL} (and {@code GEORED_PG_USER}, {@code GEORED_PG_PASSWORD}); {@code
 * GEORED_PG_FSYNC_URL} adds a second PostgreSQL, for the figures with {@code fsync} on. {@code
 * -Dbench.only=sync} runs one figure family of {@link #FAMILIES} (comma-separated for several);
 * arguments (or {@code -Dbench.sections=jdbc,cas}) run only the named sections of {@link
 * #SECTIONS}.
 *
 * <p>The machine's load average is printed at the start and the end of the run, with a warning when
 * it is above the number of cores: timed figures from a busy machine are not to be trusted.
 */
public final class PerformanceReport {

  private static final List<Integer> SIZES = List.of(100, 1_000, 5_000);
  private static final int FLOOR_SUBCLOUDS = 1_000;
  private static final int MEMORY_SUBCLOUDS = 10_000;
  private static final long MEMORY_TARGET = 64L * 1024 * 1024;
  private static final int MIGRATION_PLACES = 50;
  private static final Duration REHOME_TIME = Duration.ofMinutes(5);
  private static final Duration SYNC_LATENCY = Duration.ofMillis(20);

  private final List<String[]> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private PerformanceReport() {}

  /**
   * Runs every figure, or the sections named, and prints the table.
   *
   * @param args section names, comma- or space-separated; none or {@code all} for every one
   * @throws Exception when a figure cannot be measured
   */
  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    double loadAtStart = loadAverage();
    System.err.println(loadLine("at start", loadAtStart));
    Set<String> only = new HashSet<>();
    for (String arg : args) {
      for (String part : arg.split(",")) {
        if (!part.isBlank() && !part.trim().equals("all")) {
          only.add(part.trim());
        }
      }
    }
    only.addAll(sectionsOf(System.getProperty("bench.only", "")));
    for (String section : only) {
      if (!SECTIONS.contains(section)) {
        throw new IllegalArgumentException(
            "unknown section " + section + "; sections are " + SECTIONS + " or all");
      }
    }
    PerformanceReport report = new PerformanceReport();
    Map<String, Section> sections = new LinkedHashMap<>();
    sections.put("audit", report::audit);
    sections.put("sync", report::sync);
    sections.put("latency", report::latency);
    sections.put("migration", report::migration);
    sections.put("heartbeat", report::heartbeat);
    sections.put("jdbc", report::jdbc);
    sections.put("cas", report::cas);
    sections.put("memory", report::memory);
    for (Map.Entry<String, Section> section : sections.entrySet()) {
      if (only.isEmpty() || only.contains(section.getKey())) {
        System.err.println("state before " + section.getKey() + ": " + MachineState.describe());
        section.getValue().run();
      }
    }
    report.print(Duration.ofNanos(System.nanoTime() - start), loadAtStart, loadAverage());
  }

  /** The figure families {@code -Dbench.only} names, each with the sections it runs. */
  static final Map<String, List<String>> FAMILIES =
      Map.of(
          "audit", List.of("audit"),
          "sync", List.of("sync", "latency"),
          "migration", List.of("migration"),
          "heartbeat", List.of("heartbeat"),
          "jdbc", List.of("jdbc", "cas"),
          "memory", List.of("memory"));

  /** The sections of the families named (comma-separated); none for a blank value or all. */
  static Set<String> sectionsOf(String families) {
    Set<String> sections = new HashSet<>();
    for (String part : families.split(",")) {
      String family = part.trim();
      if (family.isEmpty() || family.equals("all")) {
        continue;
      }
      List<String> named = FAMILIES.get(family);
      if (named == null) {
        throw new IllegalArgumentException(
            "unknown bench.only family "
                + family
                + "; families are audit, sync, migration, heartbeat, jdbc, memory");
      }
      sections.addAll(named);
    }
    return sections;
  }

  /** The one-minute load average, or -1 where the platform does not tell. */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** The load average as the report prints it, with a warning when it is above the cores. */
  static String loadLine(String when, double load) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (load < 0) {
      return "load average " + when + ": unknown on this platform";
    }
    String line = String.format(Locale.ROOT, "load average %s: %.2f (%d cores)", when, load, cores);
    return load > cores
        ? line
            + " -- WARNING: above the number of cores; other work competes with the run, the"
            + " timed figures are not to be trusted"
        : line;
  }

  /** The report's parts, in the order they run; arguments may name some of them. */
  static final List<String> SECTIONS =
      List.of("audit", "sync", "latency", "migration", "heartbeat", "jdbc", "cas", "memory");

  private interface Section {
    void run() throws Exception;
  }

  /** Audits of 5,000 members run, untimed, before the audit rows are measured. */
  static final int AUDIT_WARM_UPS_AT_5000 = 8;

  /** Timed audits per size (fresh sites each), their median reported. */
  static final int AUDIT_RUNS = 5;

  private void audit() {
    // Warm-up: class loading and JIT out of the measured rows, at a size that exercises every path.
    AuditFigure.run(100);
    AuditFigure.run(1_000);
    AuditFigure.run(1_000);
    // And at the largest size: the audit's per-member loops run once per audit, so the JIT
    // compiles them on loop counts (on-stack replacement), which the first audits of 5,000 members
    // cross; measured right after the audits of 1,000, those compilations ran during the timed
    // audits (about 50 ms of compiling in each, on the other core or competing for this one).
    for (int i = 0; i < AUDIT_WARM_UPS_AT_5000; i++) {
      AuditFigure.run(5_000);
    }
    Map<Integer, Double> perMember = new LinkedHashMap<>();
    for (int n : SIZES) {
      AuditFigure.Summary s = AuditFigure.measure(n, AUDIT_RUNS);
      perMember.put(n, s.medianNanos() / (double) n);
      row("audit: peer calls per audit", n, Long.toString(s.peerCalls()), "constant in N (8)");
      row(
          "audit: time per audit, in-process",
          n,
          ms(s.medianNanos()),
          n == 5_000 ? "<= 30 ms" : "");
      row("audit: CPU time per audit (the auditing thread)", n, ms(s.medianCpuNanos()), "");
      row(
          "audit: JIT compilation during the timed audit",
          n,
          s.medianCompileMillis() < 0 ? "not counted" : s.medianCompileMillis() + " ms",
          "");
      row(
          "audit: heap allocated per member",
          n,
          String.format(Locale.ROOT, "%d bytes", s.minAllocatedBytes() / n),
          "");
    }
    row(
        "audit: time per member, N = 5,000 / N = 1,000",
        0,
        String.format(Locale.ROOT, "%.2f", perMember.get(5_000) / perMember.get(1_000)),
        "<= 1.2");
  }

  private void sync() {
    SyncFigure.inProcess(100);
    for (int n : SIZES) {
      long[] calls = new long[1];
      long nanos =
          Timing.medianNanos(
              3,
              () -> {
                SyncFigure.Result r = SyncFigure.inProcess(n);
                calls[0] = r.peerCalls();
                return r.nanos();
              });
      row("sync: peer calls, in-process", n, Long.toString(calls[0]), "<= 2N+8 = " + (2 * n + 8));
      row("sync: time, in-process", n, ms(nanos), "");
    }
    overHttp();
  }

  /**
   * The sync over loopback HTTP, beside its floor: the same number of bare round trips of the same
   * sizes through the same client and server stack at the same concurrency, interleaved with the
   * sync's runs so that both see the same machine.
   */
  private void overHttp() {
    // Warm-up, and the shape of every call the sync makes, which the floor replays.
    RecordingHttpClient recorder = new RecordingHttpClient(FloorFigure.peerSitesClient());
    SyncFigure.overHttp(FLOOR_SUBCLOUDS, SyncFigure.Storage.IN_MEMORY, recorder);
    List<RecordingHttpClient.Call> calls = recorder.calls();
    int concurrency = GeoredSettings.DEFAULTS.syncConcurrency();
    long[] byN = new long[SIZES.size()];
    try (LoopbackSite floorSite =
        new LoopbackSite(
            io.geored.testkit.sim.SimHarness.SITE_B, null, InMemoryStores.create(), null, null)) {
      URI floor = floorSite.floorUri();
      FloorFigure.replayNanos(calls, floor, concurrency); // the floor's own warm-up
      for (int i = 0; i < SIZES.size(); i++) {
        int n = SIZES.get(i);
        long calls0 = 0;
        long nanos;
        if (n == FLOOR_SUBCLOUDS) {
          List<Long> syncs = new ArrayList<>();
          List<Long> floors = new ArrayList<>();
          for (int run = 0; run < 3; run++) {
            MachineState.Cpu cpu0 = MachineState.Cpu.now();
            SyncFigure.Result r = SyncFigure.overHttp(n);
            calls0 = r.peerCalls();
            syncs.add(r.nanos());
            MachineState.Cpu cpu1 = MachineState.Cpu.now();
            floors.add(FloorFigure.replayNanos(calls, floor, concurrency));
            System.err.printf(
                Locale.ROOT,
                "sync %d: %.1f ms (%s); floor %.1f ms (%s)%n",
                run,
                r.nanos() / 1e6,
                cpu1.since(cpu0),
                floors.get(run) / 1e6,
                MachineState.Cpu.now().since(cpu1));
          }
          nanos = median(syncs);
          long floorNanos = median(floors);
          row("sync: peer calls, loopback HTTP", n, Long.toString(calls0), "<= " + (2 * n + 8));
          syncNanos1000 = nanos;
          row(
              "sync: time, loopback HTTP, in-memory stores",
              n,
              ms(nanos),
              absoluteVerdict(nanos, SYNC_IN_MEMORY, floorNanos));
          row(
              "sync: floor, " + calls.size() + " bare round trips, " + concurrency + " in flight",
              n,
              ms(floorNanos),
              "");
          row(
              "sync: time / floor",
              n,
              String.format(Locale.ROOT, "%.2f", nanos / (double) floorNanos),
              "<= 3");
        } else {
          SyncFigure.Result r = SyncFigure.overHttp(n);
          nanos = r.nanos();
          row(
              "sync: peer calls, loopback HTTP",
              n,
              Long.toString(r.peerCalls()),
              "<= " + (2 * n + 8));
          row("sync: time, loopback HTTP, in-memory stores", n, ms(nanos), "");
        }
        byN[i] = nanos;
      }
    }
    int at1000 = SIZES.indexOf(FLOOR_SUBCLOUDS);
    int at5000 = SIZES.indexOf(5_000);
    row(
        "sync: time at 5,000 / time at 1,000, loopback HTTP",
        0,
        String.format(Locale.ROOT, "%.2f", byN[at5000] / (double) byN[at1000]),
        "<= 5");
    h2Sync();
  }

  /** Timed syncs of 1,000 on H2 file stores, after one untimed. */
  static final int H2_SYNC_RUNS = 3;

  /**
   * The sync of 1,000 on crash-safe H2 file stores. The first sync on H2 runs H2's code for the
   * first time in the JVM: timed, it measured the JIT compiling H2 (several seconds of compiler
   * time on the 2 cores the sync runs on) more than the sync, and how much of that overlapped the
   * sync depended on what else the machine and the JVM were doing. So one sync runs untimed first
   * (printed as "cold"), each timed one waits for the JIT's queue to empty after its set-up, and
   * the median of {@link #H2_SYNC_RUNS} is reported, as the in-memory figure is.
   */
  private void h2Sync() {
    MachineState.Cpu cold0 = MachineState.Cpu.now();
    SyncFigure.Result cold =
        SyncFigure.overHttp(FLOOR_SUBCLOUDS, SyncFigure.Storage.H2_FILE, null, false);
    System.err.printf(
        Locale.ROOT,
        "H2-file sync, cold (untimed warm-up): %.1f ms; over its set-up, sync and clean-up: %s%n",
        cold.nanos() / 1e6,
        MachineState.Cpu.now().since(cold0));
    List<Long> runs = new ArrayList<>();
    for (int run = 0; run < H2_SYNC_RUNS; run++) {
      System.err.println("state before H2-file sync " + run + ": " + MachineState.describe());
      MachineState.Cpu cpu0 = MachineState.Cpu.now();
      SyncFigure.Result r =
          SyncFigure.overHttp(FLOOR_SUBCLOUDS, SyncFigure.Storage.H2_FILE, null, true);
      runs.add(r.nanos());
      System.err.printf(
          Locale.ROOT,
          "H2-file sync %d: %.1f ms; over its set-up, sync and clean-up: %s%n",
          run,
          r.nanos() / 1e6,
          MachineState.Cpu.now().since(cpu0));
    }
    long h2 = median(runs);
    row(
        "sync: time, loopback HTTP, H2 file stores (crash-safe) on both sites",
        FLOOR_SUBCLOUDS,
        ms(h2),
        // No floor of its own: the in-memory sync's row names the floor.
        absoluteVerdict(h2, SYNC_H2_FILE, 0));
    if (syncNanos1000 > 0) {
      double ratio = h2 / (double) syncNanos1000;
      row(
          "sync: time on H2 file stores / in-memory stores, loopback HTTP",
          FLOOR_SUBCLOUDS,
          String.format(Locale.ROOT, "%.2f", ratio),
          "<= 2 (the two absolute targets' ratio): " + (ratio <= 2 ? "met" : "MISSED"));
    }
  }

  /** The sync of 1,000 over loopback HTTP on in-memory stores, the absolute target. */
  static final Duration SYNC_IN_MEMORY = Duration.ofSeconds(1);

  /** The same on crash-safe H2 file stores. */
  static final Duration SYNC_H2_FILE = Duration.ofSeconds(2);

  /** The median in-memory sync of 1,000 of this run, for the H2 file ratio; 0 before it ran. */
  private long syncNanos1000;

  /**
   * The verdict on an absolute time target, with the floor beside it: where the bare round trips
   * alone take longer than the target, no sync over the same stack can meet it on this machine, and
   * the verdict says so (the ratio to the floor is then the target that speaks of geored).
   *
   * @param nanos the measured time
   * @param target the absolute target
   * @param floorNanos the floor measured beside it, or 0 for none
   * @return e.g. {@code <= 1 s: met}, or {@code <= 1 s: MISSED (the floor alone takes 1184 ms on
   *     this machine; see sync / floor)}
   */
  static String absoluteVerdict(long nanos, Duration target, long floorNanos) {
    String bound = "<= " + target.toSeconds() + " s: ";
    if (nanos <= target.toNanos()) {
      return bound + "met";
    }
    return bound
        + "MISSED"
        + (floorNanos >= target.toNanos()
            ? String.format(
                Locale.ROOT,
                " (the floor alone takes %.0f ms on this machine; see sync / floor)",
                floorNanos / 1e6)
            : "");
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    java.util.Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private void latency() {
    for (int n : SIZES) {
      LatencyFigure.Result r = LatencyFigure.run(n, SYNC_LATENCY);
      row(
          "sync under latency L=20ms: makespan (virtual), P=" + r.places(),
          n,
          r.makespan().toString(),
          "<= ceil(2N/P)*L+8*L = " + r.bound());
      row(
          "sync under latency: makespan / bound",
          n,
          String.format(Locale.ROOT, "%.3f", r.ratio()),
          "<= 1");
    }
  }

  private void migration() {
    for (int n : SIZES) {
      MigrationFigure.Result r = MigrationFigure.run(n, MIGRATION_PLACES, REHOME_TIME);
      row(
          "migration: makespan (virtual), P=" + MIGRATION_PLACES + " d=5m",
          n,
          r.makespan().toString(),
          "<= ideal+probe = " + r.bound());
      row(
          "migration: makespan / ceil(N/P)*d",
          n,
          String.format(Locale.ROOT, "%.3f", r.ratio()),
          "ideal " + r.ideal());
      row("migration: wall time of the simulation", n, ms(r.nanos()), "");
    }
  }

  private void heartbeat() {
    HeartbeatFigure.Result r = HeartbeatFigure.run(5_000);
    row(
        "heartbeat: calls/s, loopback HTTP, one caller",
        0,
        String.format(Locale.ROOT, "%.0f", r.callsPerSecond()),
        "");
    row(
        "heartbeat: CPU per beat (client+server)",
        0,
        String.format(Locale.ROOT, "%.0f us", r.cpuMicrosPerBeat()),
        "");
    row(
        "heartbeat: bare round trip of the same answer size (" + r.answerBytes() + " B): calls/s",
        0,
        String.format(Locale.ROOT, "%.0f", r.bareCallsPerSecond()),
        "");
    row(
        "heartbeat: bare round trip: CPU (client+server)",
        0,
        String.format(Locale.ROOT, "%.0f us", r.bareCpuMicros()),
        "");
    row(
        "heartbeat: CPU per beat / bare round trip",
        0,
        String.format(Locale.ROOT, "%.2f", r.cpuRatio()),
        "<= 2");
  }

  private void jdbc() throws Exception {
    database(
        "H2 in memory",
        () ->
            JdbcStores.connect(
                "jdbc:h2:mem:geored-bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", ""));
    // The H2 files are deleted once measured: the compare-and-set loop grows its file to about
    // 1.4 GB, which runs left behind in the temporary folder, run after run.
    List<AutoCloseable> owned = new ArrayList<>();
    JdbcFigure.Result delayed;
    try {
      database("H2 file", () -> JdbcStores.embedded(Cleanup.tempFolder("geored-bench", owned)));
      // The price of surviving a crash: the same loop on H2's own write delay, in the same run.
      try (JdbcStores db =
          CasBenchmark.withWriteDelay500(Cleanup.tempFolder("geored-bench-delay", owned))) {
        delayed = JdbcFigure.run(db, SIZES);
      }
    } finally {
      for (AutoCloseable c : owned) {
        Cleanup.quietly(c);
      }
    }
    row(
        "jdbc H2 file, WRITE_DELAY=500 (H2's default, loses the last 0.5 s on a kill): CAS"
            + " updates/s, one writer",
        0,
        rate(delayed.cas()),
        "");
    casCost("jdbc H2 file, WRITE_DELAY=500", delayed.cas());
    // GEORED_PG_URL: the PostgreSQL of the tests (fsync off on CI); GEORED_PG_FSYNC_URL: a second
    // one with fsync on, for the writes that are kept. Each is labelled with its own setting.
    postgres(System.getenv("GEORED_PG_URL"), "GEORED_PG_URL");
    postgres(System.getenv("GEORED_PG_FSYNC_URL"), "GEORED_PG_FSYNC_URL");
  }

  private void postgres(String url, String variable) throws Exception {
    if (url == null || url.isBlank()) {
      notes.add("PostgreSQL rows of " + variable + " skipped: it is not set.");
      return;
    }
    String user = System.getenv().getOrDefault("GEORED_PG_USER", "postgres");
    String password = System.getenv().getOrDefault("GEORED_PG_PASSWORD", "");
    // A shared PostgreSQL may drop connections under other users' tests: try twice, then report
    // the failure as a note instead of losing the whole table.
    for (int attempt = 1; ; attempt++) {
      try {
        postgresFigures(url, user, password);
        return;
      } catch (RuntimeException e) {
        if (attempt == 2) {
          notes.add("PostgreSQL rows of " + variable + " failed twice: " + e.getMessage());
          return;
        }
      }
    }
  }

  private interface Opener {
    JdbcStores open() throws Exception;
  }

  private static final int WRITERS = 8;

  /** Rounds of the eight writers, each followed by pgbench's eight clients. */
  static final int EIGHT_WRITER_ROUNDS = 3;

  /** One round's timed window, the store's and pgbench's alike. */
  static final Duration EIGHT_WRITER_ROUND = Duration.ofSeconds(3);

  /** The store's warm-up in the rounds after the first (the first takes the usual six seconds). */
  static final Duration EIGHT_WRITER_WARM_UP = Duration.ofSeconds(1);

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  /** The store's update over its floor measured beside it, one writer (ADR 0031). */
  static final double STORE_OVER_FLOOR = 0.8;

  /** Eight writers over one, when the database's own client groups at least as well (ADR 0031). */
  static final double GROUPED_COMMITS = 4.0;

  /** Share of the database's own client's eight-connection rate the store's eight writers reach. */
  static final double SHARE_OF_DATABASE = 0.8;

  /**
   * Whether eight writers with fsync on show their commits grouped (ADR 0031): at least {@link
   * #GROUPED_COMMITS} times one writer, or at least {@link #SHARE_OF_DATABASE} of what the
   * database's own client reaches with eight connections, measured beside (on a disk where the
   * database itself groups less than fourfold).
   *
   * @param eight the store's eight writers, updates/s
   * @param one the store's one writer, updates/s
   * @param databaseEight pgbench's eight clients, updates/s, when measured
   * @return true when either holds
   */
  static boolean commitsGrouped(double eight, double one, OptionalDouble databaseEight) {
    return eight >= GROUPED_COMMITS * one
        || (databaseEight.isPresent() && eight >= SHARE_OF_DATABASE * databaseEight.getAsDouble());
  }

  private void database(String name, Opener opener) throws Exception {
    JdbcFigure.Result r;
    try (JdbcStores db = opener.open()) {
      r = JdbcFigure.run(db, SIZES);
    }
    row("jdbc " + name + ": CAS updates/s, one writer", 0, rate(r.cas()), "");
    casCost("jdbc " + name, r.cas());
    loads(name, r);
  }

  private void loads(String label, JdbcFigure.Result r) {
    for (Map.Entry<Integer, Double> load : r.loadMillisByGroupSize().entrySet()) {
      row(
          "jdbc " + label + ": load a group",
          load.getKey(),
          String.format(Locale.ROOT, "%.1f ms", load.getValue()),
          "");
    }
  }

  /**
   * PostgreSQL: the store's one writer beside its floors (alternating), the same loop as JMH's,
   * eight writers with the backends' waits sampled, and PostgreSQL's own client (pgbench) beside,
   * one client and eight, on the store's own table.
   */
  private void postgresFigures(String url, String user, String password) throws Exception {
    // What the H2 files wrote before is still reaching the disk: a commit that waits for the disk
    // would queue behind it.
    System.err.println(
        "disk before PostgreSQL: " + MachineState.settleDisk(Duration.ofSeconds(60)));
    JdbcFigure.Result r;
    JdbcFigure.Paired paired;
    double concurrent;
    double meanBusy;
    long samples;
    String waits;
    String label;
    OptionalDouble pgOne = OptionalDouble.empty();
    OptionalDouble pgEight = OptionalDouble.empty();
    java.util.Optional<java.nio.file.Path> pgbench = Pgbench.binary();
    java.util.Optional<Pgbench.Target> target = Pgbench.Target.of(url);
    try (JdbcStores db = JdbcStores.connect(url, user, password)) {
      label = "PostgreSQL (fsync " + JdbcFigure.fsyncSetting(db) + ")";
      // First, on a table no loop has filled with dead row versions yet.
      paired = JdbcFigure.alternating(db);
      r = JdbcFigure.run(db, SIZES);
      boolean withPgbench = pgbench.isPresent() && target.isPresent();
      // The eight writers and pgbench's eight clients alternate, round by round, so that both see
      // the same disk: with fsync on, a commit's flush time drifts from one minute to the next.
      List<Double> storeRounds = new ArrayList<>();
      List<Double> pgbenchRounds = new ArrayList<>();
      List<io.geored.spi.model.Subcloud> ids =
          withPgbench ? JdbcFigure.ownRecords(db, WRITERS) : List.of();
      try (BackendWaits sampler = new BackendWaits(db.dataSource())) {
        for (int round = 0; round < EIGHT_WRITER_ROUNDS; round++) {
          storeRounds.add(
              JdbcFigure.concurrentCasPerSecond(
                  db,
                  WRITERS,
                  sampler,
                  round == 0 ? JdbcFigure.WARM_UP : EIGHT_WRITER_WARM_UP,
                  EIGHT_WRITER_ROUND));
          if (withPgbench) {
            Pgbench.updatesPerSecond(
                    pgbench.get(), target.get(), user, password, ids, EIGHT_WRITER_ROUND)
                .ifPresent(pgbenchRounds::add);
          }
        }
        sampler.stopSampling();
        meanBusy = sampler.meanBusy();
        samples = sampler.samples();
        waits = sampler.topWaits(4);
      }
      concurrent = mean(storeRounds);
      System.err.println(
          "eight writers, rounds (updates/s): the store "
              + storeRounds
              + ", pgbench "
              + pgbenchRounds);
      if (withPgbench) {
        pgOne =
            Pgbench.updatesPerSecond(
                pgbench.get(),
                target.get(),
                user,
                password,
                ids.subList(0, 1),
                Duration.ofSeconds(6));
        if (pgbenchRounds.size() == EIGHT_WRITER_ROUNDS) {
          pgEight = OptionalDouble.of(mean(pgbenchRounds));
        }
      }
    }
    boolean fsyncOff = label.endsWith("(fsync off)");
    row(
        "jdbc " + label + ": CAS updates/s, one writer",
        0,
        rate(r.cas()),
        fsyncOff ? "see the store / floor row" : "");
    casCost("jdbc " + label, r.cas());
    row(
        "jdbc "
            + label
            + ": alternating second by second, updates/s (CPU of the writer's thread): the store |"
            + " its statement on one held connection | a 3-column UPDATE",
        0,
        String.format(
            Locale.ROOT,
            "%s (%.1f us) | %s (%.1f us) | %s (%.1f us)",
            rate(paired.store()),
            paired.store().cpuMicros(),
            rate(paired.sameUpdate()),
            paired.sameUpdate().cpuMicros(),
            rate(paired.threeColumns()),
            paired.threeColumns().cpuMicros()),
        "");
    double ratio = paired.storeOverFloor();
    row(
        "jdbc " + label + ": the store / its statement on one held connection (alternating)",
        0,
        String.format(Locale.ROOT, "%.2f", ratio),
        fsyncOff
            ? String.format(
                Locale.ROOT,
                ">= %.1f: %s",
                STORE_OVER_FLOOR,
                ratio >= STORE_OVER_FLOOR ? "met" : "MISSED")
            : "");
    if (pgOne.isPresent() && pgEight.isPresent()) {
      row(
          "jdbc "
              + label
              + ": pgbench (PostgreSQL's C client, prepared), the store's UPDATE of its rows, values"
              + " as literals, updates/s: one client | "
              + WRITERS
              + " clients (alternating with the store's "
              + WRITERS
              + " writers)",
          0,
          String.format(
              Locale.ROOT,
              "%.0f | %.0f (%.1fx); the store's one writer (alternating) / pgbench's one client:"
                  + " %.2f",
              pgOne.getAsDouble(),
              pgEight.getAsDouble(),
              pgEight.getAsDouble() / pgOne.getAsDouble(),
              paired.store().perSecond() / pgOne.getAsDouble()),
          "");
    } else {
      notes.add(
          "pgbench rows of "
              + label
              + " skipped: "
              + (pgbench.isEmpty() ? "no pgbench on PATH or under /usr/lib/postgresql" : "")
              + (target.isEmpty() ? " the URL is not jdbc:postgresql://host[:port]/database" : "")
              + (pgbench.isPresent() && target.isPresent() ? " pgbench failed" : ""));
    }
    double times = concurrent / r.casUpdatesPerSecond();
    String groupedTarget = "";
    if (!fsyncOff) {
      groupedTarget =
          String.format(
                  Locale.ROOT,
                  ">= %.0fx one writer%s: ",
                  GROUPED_COMMITS,
                  pgEight.isPresent()
                      ? String.format(
                          Locale.ROOT,
                          ", or >= %.1f of pgbench's %d clients (%.2f)",
                          SHARE_OF_DATABASE,
                          WRITERS,
                          concurrent / pgEight.getAsDouble())
                      : "")
              + (commitsGrouped(concurrent, r.casUpdatesPerSecond(), pgEight) ? "met" : "MISSED");
    }
    row(
        "jdbc "
            + label
            + ": CAS updates/s, "
            + WRITERS
            + " writers (mean of "
            + EIGHT_WRITER_ROUNDS
            + " rounds of "
            + EIGHT_WRITER_ROUND.toSeconds()
            + " s)",
        0,
        String.format(Locale.ROOT, "%.0f (%.1fx one writer)", concurrent, times),
        groupedTarget);
    row(
        "jdbc "
            + label
            + ": "
            + WRITERS
            + " writers: PostgreSQL backends busy in the database per sample (mean of "
            + samples
            + "; what they wait on)",
        0,
        String.format(Locale.ROOT, "%.1f of %d (%s)", meanBusy, WRITERS, waits),
        fsyncOff ? "" : "> 1: " + (meanBusy > 1 ? "met" : "MISSED"));
    loads(label, r);
  }

  /**
   * What one update cost beside its rate: the writer thread's CPU (less disturbed by other work
   * than the rate) and, on an H2 file, the bytes H2 wrote to the file per update and the file's
   * size after the loop (counted by H2).
   */
  private void casCost(String label, JdbcFigure.Rate rate) {
    row(
        label + ": CPU per CAS update (the writer's thread)",
        0,
        String.format(Locale.ROOT, "%.1f us", rate.cpuMicros()),
        "");
    if (rate.fileBytesPerUpdate() >= 0 && rate.fileBytes() > 0) {
      row(
          label + ": bytes written to the file per CAS update",
          0,
          String.format(Locale.ROOT, "%.0f", rate.fileBytesPerUpdate()),
          "");
      row(
          label + ": file size after the CAS loop",
          0,
          String.format(Locale.ROOT, "%.1f MB", rate.fileBytes() / 1e6),
          "");
    }
  }

  /** A rate as the mean of its iterations, with their range, as JMH prints a score and error. */
  private static String rate(JdbcFigure.Rate rate) {
    double min = rate.iterations().stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = rate.iterations().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return String.format(Locale.ROOT, "%.0f (%.0f-%.0f)", rate.perSecond(), min, max);
  }

  private void cas() throws RunnerException {
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include(CasBenchmark.class.getName())
                    .verbosity(VerboseMode.SILENT)
                    // The report's own heap, so that both loops run in JVMs of the same size.
                    .jvmArgs("-Xms1g", "-Xmx1g")
                    .build())
            .run();
    for (RunResult result : results) {
      String stores = result.getParams().getParam("stores");
      // The measured iterations' range, as the report's loop prints its own: a range that climbs
      // from its first to its last iteration says the fork was still warming up.
      List<Double> iterations = new ArrayList<>();
      for (BenchmarkResult benchmark : result.getBenchmarkResults()) {
        for (IterationResult iteration : benchmark.getIterationResults()) {
          iterations.add(iteration.getPrimaryResult().getScore());
        }
      }
      row(
          "JMH CasBenchmark (" + stores + "): CAS updates/s",
          0,
          String.format(
              Locale.ROOT,
              "%s ± %.0f",
              rate(
                  // JMH measures neither CPU nor file bytes: only the rate and its range print.
                  new JdbcFigure.Rate(
                      result.getPrimaryResult().getScore(), iterations, Double.NaN, Double.NaN, 0)),
              result.getPrimaryResult().getScoreError()),
          "");
    }
  }

  private void memory() throws Exception {
    long inMemory = MemoryFigure.inMemoryStores(MEMORY_SUBCLOUDS);
    row(
        "memory: retained heap, one site, in-memory stores",
        MEMORY_SUBCLOUDS,
        mb(inMemory),
        "< 64 MB: " + (inMemory < MEMORY_TARGET ? "met" : "MISSED"));
    row(
        "memory: retained heap, H2 in memory",
        MEMORY_SUBCLOUDS,
        mb(MemoryFigure.h2InMemory(MEMORY_SUBCLOUDS)),
        "");
    row(
        "memory: retained heap, H2 file",
        MEMORY_SUBCLOUDS,
        mb(MemoryFigure.h2File(MEMORY_SUBCLOUDS)),
        "");
  }

  private void row(String figure, int n, String value, String target) {
    rows.add(
        new String[] {figure, n == 0 ? "-" : String.format(Locale.ROOT, "%,d", n), value, target});
    System.err.println("measured: " + String.join(" | ", rows.get(rows.size() - 1)));
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  private void print(Duration took, double loadAtStart, double loadAtEnd) {
    Runtime runtime = Runtime.getRuntime();
    long physical = -1;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      physical = os.getTotalMemorySize();
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%n## geored performance report%n%n%s; %d cores; %s memory; max heap %s; JDK %s (%s);"
                + " %s %s; run took %ds%n%n",
            Instant.now(),
            runtime.availableProcessors(),
            physical < 0 ? "unknown" : mb(physical),
            mb(runtime.maxMemory()),
            System.getProperty("java.version"),
            System.getProperty("java.vm.name"),
            System.getProperty("os.name"),
            System.getProperty("os.arch"),
            took.toSeconds()));
    out.append(loadLine("at start", loadAtStart)).append('\n');
    out.append(loadLine("at end", loadAtEnd)).append("\n\n");
    out.append("| figure | N | measured | target |\n| --- | ---: | ---: | --- |\n");
    for (String[] row : rows) {
      out.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    for (String note : notes) {
      out.append('\n').append(note).append('\n');
    }
    System.out.print(out);
    System.out.flush();
  }
}
