package io.geored.adapters.jdbc;

import io.geored.spi.store.Stores;
import io.geored.testkit.contract.StoresContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JDBC stores on PostgreSQL keep the store contracts")
class PostgresStoresTest extends StoresContract {

  private static JdbcStores db;

  @Override
  protected Stores newStores() {
    if (db == null) {
      db = TestDatabases.postgres();
    }
    db.deleteEverything();
    return db.stores();
  }

  @AfterAll
  static void close() {
    if (db != null) {
      db.close();
      db = null;
    }
  }
}
