package io.geored.adapters.jdbc;

import io.geored.spi.time.Ticker;
import io.geored.spi.witness.Witness;
import io.geored.testkit.contract.WitnessContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("the JDBC witness on PostgreSQL keeps the witness contract")
class PostgresWitnessTest extends WitnessContract {

  private static JdbcStores db;

  @Override
  protected Witness witness(String site) {
    if (db == null) {
      db = TestDatabases.postgres();
    }
    return db.witness(site, H2WitnessTest.TTL, ticker());
  }

  @Override
  protected Ticker ticker() {
    return Ticker.system();
  }

  @Override
  protected void letTimePass(Duration step) {
    try {
      Thread.sleep(step.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @AfterAll
  static void close() {
    if (db != null) {
      db.close();
      db = null;
    }
  }
}
