package io.geored.adapters.jdbc;

import static io.geored.testkit.contract.Fixtures.saved;

import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.SubcloudStore;
import io.geored.testkit.contract.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A measured run, not a test: compare-and-set updates per second and the time to load a
 * 5,000-subcloud group, on H2 (in memory and file) and, when {@code GEORED_PG_URL} is set, on
 * PostgreSQL. The command is in the module's README note (see the final report of issue 5).
 */
public final class JdbcSpeed {

  private static final int GROUP_SIZE = 5_000;
  private static final int CAS_UPDATES = 5_000;
  private static final int LOAD_RUNS = 7;

  private JdbcSpeed() {}

  /**
   * Runs the measurements and prints one line per database.
   *
   * @param args none
   * @throws Exception when a database fails
   */
  public static void main(String[] args) throws Exception {
    try (JdbcStores db = TestDatabases.h2Memory()) {
      measure("H2 in memory", db);
    }
    Path folder = Files.createTempDirectory("geored-speed");
    try (JdbcStores db = JdbcStores.embedded(folder)) {
      measure("H2 file", db);
    }
    String pg = System.getenv(TestDatabases.PG_URL_VARIABLE);
    if (pg != null && !pg.isBlank()) {
      try (JdbcStores db = TestDatabases.postgres()) {
        measure("PostgreSQL", db);
      }
    } else {
      System.out.println("PostgreSQL: skipped, " + TestDatabases.PG_URL_VARIABLE + " not set");
    }
  }

  private static void measure(String name, JdbcStores db) {
    db.deleteEverything();
    SubcloudStore store = db.stores().subclouds();
    SubcloudPeerGroup group =
        saved(db.stores().peerGroups().insert(Fixtures.peerGroup("speed-group")));

    long insertStart = System.nanoTime();
    for (int n = 0; n < GROUP_SIZE; n++) {
      saved(
          store.insert(
              Fixtures.subcloud("speed-" + n).toBuilder().peerGroupId(group.id()).build()));
    }
    double insertSeconds = (System.nanoTime() - insertStart) / 1e9;

    // Compare-and-set updates of one subcloud by one writer: read once, then each update carries
    // the version the previous one answered.
    Subcloud current = store.findByName("speed-0").orElseThrow();
    for (int warm = 0; warm < 500; warm++) {
      current = saved(store.update(current.toBuilder().groupId((long) warm).build()));
    }
    long casStart = System.nanoTime();
    for (int i = 0; i < CAS_UPDATES; i++) {
      StoreResult<Subcloud> result = store.update(current.toBuilder().groupId((long) i).build());
      current = saved(result);
    }
    double casSeconds = (System.nanoTime() - casStart) / 1e9;

    List<Double> loads = new ArrayList<>();
    for (int run = 0; run < LOAD_RUNS; run++) {
      long start = System.nanoTime();
      int size = store.findByPeerGroup(group.id()).size();
      loads.add((System.nanoTime() - start) / 1e6);
      if (size != GROUP_SIZE) {
        throw new IllegalStateException("group holds " + size);
      }
    }
    double first = loads.get(0);
    Collections.sort(loads);
    System.out.printf(
        Locale.ROOT,
        "%s: cas_updates_per_s=%.0f load_5000_group_ms median=%.1f first=%.1f"
            + " (inserts_per_s=%.0f)%n",
        name,
        CAS_UPDATES / casSeconds,
        loads.get(LOAD_RUNS / 2),
        first,
        GROUP_SIZE / insertSeconds);
  }
}
