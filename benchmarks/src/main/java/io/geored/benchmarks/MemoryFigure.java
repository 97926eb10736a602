package io.geored.benchmarks;

import io.geored.adapters.jdbc.JdbcStores;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.testkit.sim.SingleSite;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Retained heap of one site holding N subclouds: the heap in use after full collections with the
 * site alive, minus the heap in use before it was built. No agent needed, so it runs anywhere; the
 * figure is an estimate to about a megabyte.
 */
public final class MemoryFigure {

  private MemoryFigure() {}

  /**
   * One site (engine, in-memory stores, virtual scheduler) holding {@code n} subclouds in one
   * group.
   *
   * @param n the number of subclouds
   * @return retained bytes
   */
  public static long inMemoryStores(int n) {
    long before = settledHeap();
    SingleSite site = SingleSite.create();
    SubcloudPeerGroup group =
        site.site()
            .createPeerGroup(
                Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    Members.insert(site.stores(), n, group.id(), Members.A_GATEWAY, site.scheduler().now());
    long after = settledHeap();
    if (site.stores().subclouds().findAll().size() != n) {
      throw new IllegalStateException("site lost subclouds");
    }
    site.engine().close();
    return after - before;
  }

  /**
   * The JDBC stores on an H2 in-memory database (the whole database on the heap) holding {@code n}
   * subclouds in one group, connection pool included.
   *
   * @param n the number of subclouds
   * @return retained bytes
   */
  public static long h2InMemory(int n) {
    long before = settledHeap();
    try (JdbcStores db =
        JdbcStores.connect(
            "jdbc:h2:mem:geored-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")) {
      fill(db, n);
      return settledHeap() - before;
    }
  }

  /**
   * The JDBC stores on an embedded H2 file database holding {@code n} subclouds: what stays on the
   * heap (page cache, pool) while the rows live on disk.
   *
   * @param n the number of subclouds
   * @return retained bytes
   * @throws java.io.IOException when the temporary folder cannot be made
   */
  public static long h2File(int n) throws java.io.IOException {
    List<AutoCloseable> owned = new ArrayList<>();
    Path folder = Cleanup.tempFolder("geored-bench", owned);
    long before = settledHeap();
    try (JdbcStores db = JdbcStores.embedded(folder)) {
      fill(db, n);
      return settledHeap() - before;
    } finally {
      for (AutoCloseable c : owned) {
        Cleanup.quietly(c);
      }
    }
  }

  private static void fill(JdbcStores db, int n) {
    SubcloudPeerGroup group =
        AuditFigure.saved(
            db.stores().peerGroups().insert(io.geored.testkit.contract.Fixtures.peerGroup("pg1")));
    Members.insert(
        db.stores(),
        n,
        group.id(),
        Members.A_GATEWAY,
        io.geored.testkit.contract.Fixtures.CREATED_AT);
  }

  /** Heap in use once full collections stop freeing anything. */
  static long settledHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used - 64 * 1024) {
        return Math.min(now, used);
      }
      used = now;
    }
    return used;
  }
}
