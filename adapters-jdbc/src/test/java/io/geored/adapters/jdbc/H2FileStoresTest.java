package io.geored.adapters.jdbc;

import io.geored.spi.store.Stores;
import io.geored.testkit.contract.StoresContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("JDBC stores on an embedded H2 file keep the store contracts")
class H2FileStoresTest extends StoresContract {

  @TempDir static Path folder;

  private static JdbcStores db;

  @Override
  protected Stores newStores() {
    if (db == null) {
      db = JdbcStores.embedded(folder);
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
