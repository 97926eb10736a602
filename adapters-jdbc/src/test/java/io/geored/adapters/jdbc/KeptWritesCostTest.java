package io.geored.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.spi.store.SubcloudStore;
import io.geored.testkit.contract.Fixtures;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a kept write costs the database, counted, never timed: the JDBC calls and (on PostgreSQL)
 * the network round trips of one compare-and-set update, the statements of a write inside a
 * transaction, and that concurrent writers reach the database at once, so that it can group their
 * commits (nothing in the adapter serializes them).
 */
@DisplayName("A kept write costs one statement, and writers are not serialized")
class KeptWritesCostTest {

  /** Every JDBC call the stores make on a connection, by method name, in order. */
  private final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());

  private volatile CyclicBarrier insideUpdate;

  @Test
  @DisplayName("H2: a compare-and-set update outside a transaction is one statement, nothing else")
  void casUpdateIsOneStatementOnH2() {
    try (JdbcStores real = TestDatabases.h2Memory()) {
      casUpdateIsOneStatement(real);
    }
  }

  @Test
  @DisplayName("PostgreSQL: a compare-and-set update is one statement and one round trip")
  void casUpdateIsOneRoundTripOnPostgres() {
    String url = TestDatabases.pgUrl();
    String counted =
        url
            + (url.contains("?") ? "&" : "?")
            + "socketFactory="
            + CountingSocketFactory.class.getName();
    try (JdbcStores real =
        JdbcStores.connect(counted, TestDatabases.pgUser(), TestDatabases.pgPassword())) {
      real.deleteEverything();
      Stores stores = JdbcStores.onDataSource(counting(real.dataSource())).stores();
      Subcloud current = saved(stores);
      // pgjdbc prepares a statement on the server from its fifth use on: count after that.
      for (int i = 0; i < 10; i++) {
        current = update(stores.subclouds(), current);
      }
      long before = CountingSocketFactory.ROUND_TRIPS.get();
      int updates = 100;
      CountingSocketFactory.counted = Thread.currentThread();
      try {
        for (int i = 0; i < updates; i++) {
          current = update(stores.subclouds(), current);
        }
      } finally {
        CountingSocketFactory.counted = null;
      }
      assertThat(CountingSocketFactory.ROUND_TRIPS.get() - before)
          .as("round trips to PostgreSQL for %d updates", updates)
          .isEqualTo(updates);
    }
    try (JdbcStores pg = TestDatabases.postgres()) {
      casUpdateIsOneStatement(pg);
    }
  }

  private void casUpdateIsOneStatement(JdbcStores real) {
    Stores stores = JdbcStores.onDataSource(counting(real.dataSource())).stores();
    Subcloud current = saved(stores);
    current = update(stores.subclouds(), current);
    calls.clear();
    update(stores.subclouds(), current);
    // No transaction control, no validation query, no isolation or read-only switch per write.
    assertThat(calls)
        .containsExactly("getConnection", "prepareStatement", "executeUpdate", "close");
  }

  @Test
  @DisplayName(
      "H2: a write inside a transaction runs without a savepoint (H2 undoes only the failed statement)")
  void noSavepointOnH2() {
    try (JdbcStores real = TestDatabases.h2Memory()) {
      Stores stores = JdbcStores.onDataSource(counting(real.dataSource())).stores();
      SubcloudPeerGroup group = Fixtures.saved(stores.peerGroups().insert(Fixtures.peerGroup("g")));
      calls.clear();
      StoreResult<Subcloud> duplicate = duplicateBetweenTwoInserts(stores, group);
      assertThat(duplicate).isEqualTo(new StoreResult.Duplicate<Subcloud>("name"));
      assertThat(calls)
          .containsExactly(
              "getConnection",
              "setAutoCommit",
              "prepareStatement",
              "executeUpdate",
              "prepareStatement",
              "executeUpdate",
              "prepareStatement",
              "executeUpdate",
              "commit",
              "setAutoCommit",
              "close");
      // The refused insert left the transaction usable: both others were committed.
      assertThat(stores.subclouds().findAll())
          .extracting(Subcloud::name)
          .containsExactly("sc1", "sc2");
    }
  }

  @Test
  @DisplayName("PostgreSQL: a refused write inside a transaction still leaves it usable")
  void savepointKeptOnPostgres() {
    try (JdbcStores pg = TestDatabases.postgres()) {
      Stores stores = pg.stores();
      SubcloudPeerGroup group = Fixtures.saved(stores.peerGroups().insert(Fixtures.peerGroup("g")));
      StoreResult<Subcloud> duplicate = duplicateBetweenTwoInserts(stores, group);
      assertThat(duplicate).isEqualTo(new StoreResult.Duplicate<Subcloud>("name"));
      assertThat(stores.subclouds().findAll())
          .extracting(Subcloud::name)
          .containsExactly("sc1", "sc2");
    }
  }

  @Test
  @DisplayName("PostgreSQL: eight writers are inside their updates at the same time")
  void eightWritersAtOnceOnPostgres() throws Exception {
    try (JdbcStores pg = TestDatabases.postgres()) {
      eightWritersAtOnce(pg);
    }
  }

  @Test
  @DisplayName("H2: eight writers reach the database at the same time")
  void eightWritersAtOnceOnH2() throws Exception {
    try (JdbcStores h2 = TestDatabases.h2Memory()) {
      eightWritersAtOnce(h2);
    }
  }

  /**
   * Eight writers, each updating its own subcloud; the counting data source holds each update at a
   * barrier of eight just before it reaches the database. Only when all eight are there at once
   * does any go on: a lock of the adapter's, or a pool of fewer than eight connections, would keep
   * the others out and the barrier would time out.
   */
  private void eightWritersAtOnce(JdbcStores real) throws Exception {
    int writers = 8;
    Stores stores = JdbcStores.onDataSource(counting(real.dataSource())).stores();
    SubcloudPeerGroup group = Fixtures.saved(stores.peerGroups().insert(Fixtures.peerGroup("g")));
    List<Subcloud> own = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      own.add(Fixtures.saved(stores.subclouds().insert(member("w" + w, group.id()))));
    }
    insideUpdate = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<StoreResult<Subcloud>>> done = new ArrayList<>();
      for (Subcloud s : own) {
        done.add(pool.submit(() -> stores.subclouds().update(s.toBuilder().groupId(7L).build())));
      }
      for (Future<StoreResult<Subcloud>> f : done) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isInstanceOf(StoreResult.Saved.class);
      }
    } finally {
      insideUpdate = null;
      pool.shutdownNow();
    }
  }

  private static Subcloud saved(Stores stores) {
    SubcloudPeerGroup group = Fixtures.saved(stores.peerGroups().insert(Fixtures.peerGroup("g")));
    return Fixtures.saved(stores.subclouds().insert(member("sc1", group.id())));
  }

  private static Subcloud member(String name, long groupId) {
    return Fixtures.subcloud(name).toBuilder().peerGroupId(groupId).build();
  }

  private static Subcloud update(SubcloudStore store, Subcloud current) {
    return Fixtures.saved(store.update(current.toBuilder().groupId(current.version()).build()));
  }

  private DataSource counting(DataSource real) {
    return (DataSource)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              Object result = invoke(real, method, args);
              if (result instanceof Connection c) {
                calls.add(method.getName());
                return counting(c);
              }
              return result;
            });
  }

  private Connection counting(Connection real) {
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("getAutoCommit")) {
                calls.add(method.getName());
              }
              Object result = invoke(real, method, args);
              return result instanceof PreparedStatement ps ? counting(ps) : result;
            });
  }

  private PreparedStatement counting(PreparedStatement real) {
    return (PreparedStatement)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            (proxy, method, args) -> {
              if (method.getName().startsWith("execute")) {
                calls.add(method.getName());
                CyclicBarrier barrier = insideUpdate;
                if (barrier != null && method.getName().equals("executeUpdate")) {
                  try {
                    barrier.await(20, TimeUnit.SECONDS);
                  } catch (TimeoutException | BrokenBarrierException e) {
                    throw new AssertionError("the writers did not reach the database at once", e);
                  }
                }
              }
              return invoke(real, method, args);
            });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * In one transaction: inserts sc1, inserts sc1 again (refused as a duplicate), inserts sc2.
   *
   * @return the answer to the refused insert
   */
  private static StoreResult<Subcloud> duplicateBetweenTwoInserts(
      Stores stores, SubcloudPeerGroup group) {
    return stores
        .transactions()
        .inTransaction(
            () -> {
              Fixtures.saved(stores.subclouds().insert(member("sc1", group.id())));
              StoreResult<Subcloud> again = stores.subclouds().insert(member("sc1", group.id()));
              Fixtures.saved(stores.subclouds().insert(member("sc2", group.id())));
              return again;
            });
  }
}
