package io.geored.adapters.jdbc;

import static io.geored.testkit.contract.Fixtures.saved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.geored.spi.PersistenceException;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.store.Stores;
import io.geored.testkit.contract.Fixtures;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JDBC stores on PostgreSQL when the server drops the connections")
class PostgresBadConnectionTest {

  private JdbcStores db;
  private Stores stores;

  @BeforeEach
  void open() {
    db = TestDatabases.postgres();
    stores = db.stores();
  }

  @AfterEach
  void close() {
    // Null when the PostgreSQL tests were skipped (no database configured outside CI).
    if (db != null) {
      db.close();
    }
  }

  /** Ends every other session on the database, as a server restart or a failover would. */
  private static void terminateOtherSessions() {
    try (Connection admin =
            DriverManager.getConnection(
                TestDatabases.pgUrl(), TestDatabases.pgUser(), TestDatabases.pgPassword());
        Statement s = admin.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
    } catch (SQLException e) {
      throw new AssertionError("could not terminate the sessions", e);
    }
  }

  @Test
  @DisplayName(
      "a transaction whose connection is killed fails with the persistence exception and leaves"
          + " none of its writes; the stores work again on new connections")
  void killedMidTransaction() {
    Subcloud member = saved(stores.subclouds().insert(Fixtures.subcloud("subcloud1")));
    List<Subcloud> before = stores.subclouds().findAll();

    Throwable thrown =
        catchThrowable(
            () ->
                stores
                    .transactions()
                    .run(
                        () -> {
                          saved(stores.subclouds().insert(Fixtures.subcloud("subcloud2")));
                          saved(
                              stores
                                  .subclouds()
                                  .update(
                                      member.toBuilder()
                                          .deployStatus(DeployStatus.REHOMING)
                                          .build()));
                          terminateOtherSessions();
                          stores.subclouds().insert(Fixtures.subcloud("subcloud3"));
                        }));

    assertThat(thrown)
        .isInstanceOf(PersistenceException.class)
        .hasMessageStartingWith("insert subcloud name=subcloud3 failed: sql_state=")
        .hasCauseInstanceOf(SQLException.class);
    // The pool still holds the other killed connections; it drops them on first failure, or, as
    // here, when told the database came back.
    ((HikariDataSource) db.dataSource()).getHikariPoolMXBean().softEvictConnections();
    assertThat(stores.subclouds().findAll()).isEqualTo(before);
    Subcloud after = saved(stores.subclouds().insert(Fixtures.subcloud("subcloud2")));
    assertThat(stores.subclouds().findAll()).containsExactly(member, after);
  }
}
