package io.geored.adapters.jdbc;

import io.geored.spi.lease.LeaseStore;
import io.geored.testkit.contract.LeaseContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("the JDBC lease store on H2 keeps the lease contract")
class H2LeaseTest extends LeaseContract {

  private static JdbcStores db;

  @Override
  protected LeaseStore newLeaseStore() {
    if (db == null) {
      db = TestDatabases.h2Memory();
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
