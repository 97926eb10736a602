package io.geored.adapters.jdbc;

import static io.geored.testkit.contract.Fixtures.saved;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.Subcloud;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.SubcloudStore;
import io.geored.testkit.contract.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JDBC stores on PostgreSQL under real concurrency")
class PostgresConcurrencyTest {

  private static final int THREADS = 8;

  private static final int UPDATES = 1_000;

  private static JdbcStores db;

  @BeforeAll
  static void open() {
    db = TestDatabases.postgres();
  }

  @AfterAll
  static void close() {
    if (db != null) {
      db.close();
    }
  }

  /** One field of a subcloud used as a counter: how to read it and how to set it. */
  private record Field(
      String name, Function<Subcloud, Long> get, BiFunction<Subcloud, Long, Subcloud> set) {}

  private static long number(String text) {
    return Long.parseLong(text.substring(text.indexOf('=') + 1));
  }

  private static final List<Field> FIELDS =
      List.of(
          new Field(
              "description",
              s -> number(s.description()),
              (s, n) -> s.toBuilder().description("description=" + n).build()),
          new Field(
              "location",
              s -> number(s.location()),
              (s, n) -> s.toBuilder().location("location=" + n).build()),
          new Field(
              "softwareVersion",
              s -> number(s.softwareVersion()),
              (s, n) -> s.toBuilder().softwareVersion("release=" + n).build()),
          new Field(
              "errorDescription",
              s -> number(s.errorDescription()),
              (s, n) -> s.toBuilder().errorDescription("error=" + n).build()),
          new Field("groupId", Subcloud::groupId, (s, n) -> s.toBuilder().groupId(n).build()),
          new Field(
              "name", s -> number(s.name()), (s, n) -> s.toBuilder().name("subcloud=" + n).build()),
          new Field(
              "installValues",
              s -> ((Number) s.installValues().get("counter")).longValue(),
              (s, n) -> s.toBuilder().installValues(Map.of("counter", n)).build()),
          new Field(
              "rehomeData",
              s ->
                  ((Number) s.rehomeData().savedPayload().orElseThrow().get("counter")).longValue(),
              (s, n) ->
                  s.toBuilder().rehomeData(s.rehomeData().withPayloadValue("counter", n)).build()));

  @Test
  @DisplayName(
      "8 threads each incrementing a different field of one subcloud 1,000 times lose no update")
  void everyUpdatePresent() throws Exception {
    SubcloudStore store = db.stores().subclouds();
    Subcloud start = Fixtures.subcloud("subcloud1");
    for (Field field : FIELDS) {
      start = field.set().apply(start, 0L);
    }
    long id = saved(store.insert(start)).id();

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Integer>> stale = new ArrayList<>();
      for (Field field : FIELDS) {
        stale.add(
            pool.submit(
                () -> {
                  go.await();
                  int lost = 0;
                  for (int i = 0; i < UPDATES; i++) {
                    while (true) {
                      Subcloud current = store.findById(id).orElseThrow();
                      Subcloud next = field.set().apply(current, field.get().apply(current) + 1);
                      StoreResult<Subcloud> result = store.update(next);
                      if (result instanceof StoreResult.Saved) {
                        break;
                      }
                      assertThat(result).isEqualTo(new StoreResult.Stale<>());
                      lost++;
                    }
                  }
                  return lost;
                }));
      }
      go.countDown();
      int races = 0;
      for (Future<Integer> f : stale) {
        races += f.get(5, TimeUnit.MINUTES);
      }

      Subcloud end = store.findById(id).orElseThrow();
      for (Field field : FIELDS) {
        assertThat(field.get().apply(end)).as(field.name()).isEqualTo(UPDATES);
      }
      assertThat(end.version()).isEqualTo(1L + THREADS * UPDATES);
      // The threads did collide: the test exercised the compare-and-set, not a queue.
      assertThat(races).isPositive();
    } finally {
      pool.shutdownNow();
    }
  }
}
