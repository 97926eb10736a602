package io.geored.adapters.jdbc;

import io.geored.spi.lease.LeaseStore;
import io.geored.testkit.contract.LeaseContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("the JDBC lease store on PostgreSQL keeps the lease contract")
class PostgresLeaseTest extends LeaseContract {

  private static JdbcStores db;

  @Override
  protected LeaseStore newLeaseStore() {
    if (db == null) {
      db = TestDatabases.postgres();
    }
    db.deleteEverything();
    return db.leases();
  }

  @AfterAll
  static void close() {
    if (db != null) {
      db.close();
      db = null;
    }
  }
}
