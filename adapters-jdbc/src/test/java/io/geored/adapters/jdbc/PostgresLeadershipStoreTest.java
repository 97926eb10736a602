package io.geored.adapters.jdbc;

import io.geored.spi.witness.LeadershipStore;
import io.geored.testkit.contract.LeadershipStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("the JDBC leadership store on PostgreSQL keeps the leadership store contract")
class PostgresLeadershipStoreTest extends LeadershipStoreContract {

  private static JdbcStores db;

  @Override
  protected LeadershipStore newLeadershipStore() {
    if (db == null) {
      db = TestDatabases.postgres();
    }
    db.deleteEverything();
    return db.leadership();
  }

  /** A new pool on the same database, as after a restart of the site. */
  @Override
  protected LeadershipStore reopened() {
    db.close();
    db =
        JdbcStores.connect(
            TestDatabases.pgUrl(), TestDatabases.pgUser(), TestDatabases.pgPassword());
    return db.leadership();
  }

  @AfterAll
  static void close() {
    if (db != null) {
      db.close();
      db = null;
    }
  }
}
