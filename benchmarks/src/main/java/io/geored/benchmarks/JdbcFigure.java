package io.geored.benchmarks;

import io.geored.adapters.jdbc.JdbcStores;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.SubcloudStore;
import io.geored.testkit.contract.Fixtures;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JDBC stores: compare-and-set updates per second (one writer, each update carrying the version
 * the previous one answered) and the time to load a group of N subclouds.
 */
public final class JdbcFigure {

  /**
   * One database's figures.
   *
   * @param casUpdatesPerSecond compare-and-set updates of one subcloud per second
   * @param loadMillisByGroupSize median time to load a group, by its size
   */
  public record Result(double casUpdatesPerSecond, Map<Integer, Double> loadMillisByGroupSize) {}

  private static final int CAS_WARM_UP = 1_000;
  private static final int LOAD_RUNS = 5;

  private JdbcFigure() {}

  /**
   * Measures one database. Its records get names unique to this run, and nothing is deleted: a
   * shared database's other users keep their rows.
   *
   * @param db the stores on the database
   * @param casUpdates how many compare-and-set updates to time
   * @param groupSizes the group sizes to load
   * @return the figures
   */
  public static Result run(JdbcStores db, int casUpdates, List<Integer> groupSizes) {
    String prefix = "bench-" + Long.toString(System.nanoTime(), 36) + "-";
    SubcloudStore store = db.stores().subclouds();
    Map<Integer, Long> groups = new LinkedHashMap<>();
    Instant at = Fixtures.CREATED_AT;
    int offset = 0;
    for (int size : groupSizes) {
      SubcloudPeerGroup group =
          AuditFigure.saved(db.stores().peerGroups().insert(Fixtures.peerGroup(prefix + size)));
      for (int i = 1; i <= size; i++) {
        Subcloud member = Members.member(prefix, offset + i, group.id(), Members.A_GATEWAY, at);
        AuditFigure.saved(store.insert(member));
      }
      offset += size;
      groups.put(size, group.id());
    }

    Subcloud current = store.findByName(prefix + Members.nameOf(1)).orElseThrow();
    for (int i = 0; i < CAS_WARM_UP; i++) {
      current = AuditFigure.saved(store.update(current.toBuilder().groupId((long) i).build()));
    }
    long start = System.nanoTime();
    for (int i = 0; i < casUpdates; i++) {
      StoreResult<Subcloud> result = store.update(current.toBuilder().groupId((long) i).build());
      current = AuditFigure.saved(result);
    }
    double casPerSecond = casUpdates / ((System.nanoTime() - start) / 1e9);

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
    return new Result(casPerSecond, loads);
  }
}
