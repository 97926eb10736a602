package io.geored.benchmarks;

import io.geored.adapters.jdbc.JdbcStores;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.Stores;
import io.geored.spi.store.SubcloudStore;
import io.geored.testkit.contract.Fixtures;
import io.geored.testkit.store.InMemoryStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one writer's compare-and-set updates of a subcloud per second, on the in-memory stores, on
 * H2 in memory and on H2 files, so the JDBC adapter's cost per write reads against a floor measured
 * in the same run. The two file rows are the embedded default (each commit written before it
 * answers, {@code WRITE_DELAY=0}) and H2's own default ({@code WRITE_DELAY=500}, commits kept in
 * memory up to half a second, lost when the process is killed): the price of surviving a crash. The
 * report runs it with the settings below; {@code java -cp ... org.openjdk.jmh.Main CasBenchmark}
 * runs it alone. {@link JdbcFigure} times the same update the same way (a database holding only the
 * record and its group, five one-second iterations after a warm-up: six seconds in the report's
 * JVM, which earlier rows have warmed, fifteen in JMH's fresh fork), so the report's rows and these
 * read side by side.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Fifteen seconds of warm-up: a fresh fork compiles the JDBC path (HikariCP, H2, Jackson) for
// several seconds, and on a slower machine for longer; with two, its measured iterations were still
// climbing and read 2 to 7 times below the report's loop, which runs in a JVM that earlier rows had
// warmed (docs/PERFORMANCE.md, "Third speed pass"); with six, on the machine of 2 December's
// evening, the H2-file fork was still climbing until its fourteenth second and read half the loop
// ("JMH against the loop on a slower machine").
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CasBenchmark {

  /**
   * Which stores: {@code memory} (the testkit's), {@code h2} (JDBC on H2 in memory), {@code
   * h2-file} (the embedded default on a file) or {@code h2-file-write-delay-500} (a file with H2's
   * own write delay).
   */
  @Param({"memory", "h2", "h2-file", "h2-file-write-delay-500"})
  public String stores;

  private JdbcStores jdbc;
  private Path folder;
  private SubcloudStore subclouds;
  private Subcloud current;
  private long counter;

  /** Opens the stores and saves the one subcloud every update rewrites. */
  @Setup
  public void open() {
    Stores chosen;
    switch (stores) {
      case "h2" ->
          jdbc =
              JdbcStores.connect(
                  "jdbc:h2:mem:geored-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
      case "h2-file" -> jdbc = JdbcStores.embedded(newFolder());
      case "h2-file-write-delay-500" -> jdbc = withWriteDelay500(newFolder());
      default -> jdbc = null;
    }
    chosen = jdbc == null ? InMemoryStores.create() : jdbc.stores();
    SubcloudPeerGroup group =
        AuditFigure.saved(chosen.peerGroups().insert(Fixtures.peerGroup("pg1")));
    subclouds = chosen.subclouds();
    current =
        AuditFigure.saved(
            subclouds.insert(
                Members.member(1, group.id(), Members.A_GATEWAY, Fixtures.CREATED_AT)));
  }

  /**
   * An H2 file database with H2's own default write delay (500 ms), as the embedded store was
   * opened before it wrote each commit at once.
   *
   * @param folder where the file goes
   * @return the stores
   */
  static JdbcStores withWriteDelay500(Path folder) {
    return JdbcStores.connect(
        "jdbc:h2:file:" + folder.resolve("geored") + ";LOCK_TIMEOUT=10000;WRITE_DELAY=500",
        "sa",
        "");
  }

  private Path newFolder() {
    try {
      folder = Files.createTempDirectory("geored-cas");
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Closes the database, if any, and deletes its files.
   *
   * @throws IOException when a file cannot be deleted
   */
  @TearDown
  public void close() throws IOException {
    if (jdbc != null) {
      jdbc.close();
    }
    if (folder != null) {
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /**
   * One compare-and-set update carrying the version the previous one answered.
   *
   * @return the saved record, so the work is not optimised away
   */
  @Benchmark
  public Subcloud casUpdate() {
    current = AuditFigure.saved(subclouds.update(JdbcFigure.next(current, ++counter)));
    return current;
  }
}
