package io.geored.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.PersistenceException;
import io.geored.spi.witness.FencedGroup;
import io.geored.spi.witness.LeadershipStore;
import io.geored.testkit.contract.LeadershipStoreContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the JDBC leadership store on an embedded H2 file keeps the leadership store contract")
class H2LeadershipStoreTest extends LeadershipStoreContract {

  @TempDir static Path folder;

  private static JdbcStores db;

  @Override
  protected LeadershipStore newLeadershipStore() {
    if (db == null) {
      db = JdbcStores.embedded(folder);
    }
    db.deleteEverything();
    return db.leadership();
  }

  /** A new pool on the same file, as after a restart of the site. */
  @Override
  protected LeadershipStore reopened() {
    db.close();
    db = JdbcStores.embedded(folder);
    return db.leadership();
  }

  @AfterAll
  static void close() {
    if (db != null) {
      db.close();
      db = null;
    }
  }

  @Test
  @DisplayName("a mark written in a store transaction that rolls back is not kept")
  void joinsTheStoreTransaction() {
    store.putFenced(new FencedGroup("kept", 1, List.of("a")));

    assertThatThrownBy(
            () ->
                db.stores()
                    .transactions()
                    .inTransaction(
                        () -> {
                          store.putFenced(new FencedGroup("g1", 2, List.of("m1", "m2")));
                          store.raiseEpoch("g1", 2);
                          store.removeFenced("kept");
                          throw new IllegalStateException("the unmanage failed");
                        }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the unmanage failed");

    assertThat(store.fenced("g1")).isEmpty();
    assertThat(store.highestEpoch("g1")).isZero();
    assertThat(store.fencedGroups()).containsExactly(new FencedGroup("kept", 1, List.of("a")));
  }

  @Test
  @DisplayName("refuses a name longer than its column, naming the limit, and stores nothing")
  void nameTooLong() {
    assertThatThrownBy(() -> store.raiseEpoch("g".repeat(256), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leadership store names must be 1 to 255 characters, was 256");
    assertThatThrownBy(
            () -> store.putFenced(new FencedGroup("g1", 1, List.of("ok", "m".repeat(256)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leadership store names must be 1 to 255 characters, was 256");
    assertThat(store.fencedGroups()).isEmpty();
  }

  @Test
  @DisplayName("a database that cannot be reached fails the call naming the operation")
  void databaseDown() {
    JdbcStores gone = TestDatabases.h2Memory();
    LeadershipStore lost = gone.leadership();
    gone.close();

    assertThatThrownBy(() -> lost.raiseEpoch("g1", 3))
        .isInstanceOf(PersistenceException.class)
        .hasMessageStartingWith("begin transaction (no connection) failed: sql_state=");
    assertThatThrownBy(() -> lost.highestEpoch("g1"))
        .isInstanceOf(PersistenceException.class)
        .hasMessageStartingWith("read leader epoch of g1 (no connection) failed: sql_state=");
  }
}
