package io.geored.benchmarks;

import io.geored.adapters.jdbc.JdbcStores;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.Stores;
import io.geored.spi.store.SubcloudStore;
import io.geored.testkit.contract.Fixtures;
import io.geored.testkit.store.InMemoryStores;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * JMH: one writer's compare-and-set updates of a subcloud per second, on the in-memory stores and
 * on H2 in memory, so the JDBC adapter's cost per write reads against a floor measured in the same
 * run. The report runs it with the settings below; {@code java -cp ... org.openjdk.jmh.Main
 * CasBenchmark} runs it alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CasBenchmark {

  /** Which stores: {@code memory} (the testkit's) or {@code h2} (JDBC on H2 in memory). */
  @Param({"memory", "h2"})
  public String stores;

  private JdbcStores jdbc;
  private SubcloudStore subclouds;
  private Subcloud current;
  private long counter;

  /** Opens the stores and saves the one subcloud every update rewrites. */
  @Setup
  public void open() {
    Stores chosen;
    if ("h2".equals(stores)) {
      jdbc =
          JdbcStores.connect(
              "jdbc:h2:mem:geored-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
      chosen = jdbc.stores();
    } else {
      chosen = InMemoryStores.create();
    }
    SubcloudPeerGroup group =
        AuditFigure.saved(chosen.peerGroups().insert(Fixtures.peerGroup("pg1")));
    subclouds = chosen.subclouds();
    current =
        AuditFigure.saved(
            subclouds.insert(
                Members.member(1, group.id(), Members.A_GATEWAY, Fixtures.CREATED_AT)));
  }

  /** Closes the database, if any. */
  @TearDown
  public void close() {
    if (jdbc != null) {
      jdbc.close();
    }
  }

  /**
   * One compare-and-set update carrying the version the previous one answered.
   *
   * @return the saved record, so the work is not optimised away
   */
  @Benchmark
  public Subcloud casUpdate() {
    current = AuditFigure.saved(subclouds.update(current.toBuilder().groupId(++counter).build()));
    return current;
  }
}
