package io.geored.adapters.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("engines sharing one PostgreSQL database")
class PostgresEnginesTest extends EnginesOnOneDatabaseContract {

  @Override
  protected JdbcStores freshDatabase() {
    return TestDatabases.postgres();
  }

  @Override
  protected JdbcStores sameDatabase() {
    return JdbcStores.connect(
        TestDatabases.pgUrl(), TestDatabases.pgUser(), TestDatabases.pgPassword());
  }
}
