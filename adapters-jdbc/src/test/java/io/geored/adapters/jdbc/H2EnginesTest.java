package io.geored.adapters.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("engines sharing one H2 database")
class H2EnginesTest extends EnginesOnOneDatabaseContract {

  private final String url = TestDatabases.h2MemoryUrl();

  @Override
  protected JdbcStores freshDatabase() {
    return JdbcStores.connect(url, "sa", "");
  }

  @Override
  protected JdbcStores sameDatabase() {
    return JdbcStores.connect(url, "sa", "");
  }
}
