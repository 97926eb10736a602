package io.geored.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.time.Ticker;
import io.geored.spi.witness.LeaseOutcome;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessLease;
import io.geored.spi.witness.WitnessUnavailableException;
import io.geored.testkit.contract.WitnessContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the JDBC witness on H2 keeps the witness contract, judging expiry by the database")
class H2WitnessTest extends WitnessContract {

  /** Short, so expiries take seconds of wall time; the contract polls for them. */
  static final Duration TTL = Duration.ofSeconds(2);

  private static JdbcStores db;

  @Override
  protected Witness witness(String site) {
    if (db == null) {
      db = TestDatabases.h2Memory();
    }
    return db.witness(site, TTL, ticker());
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

  @Test
  @DisplayName(
      "a row the database's clock sees expired early (a clock step) is taken over, but the new"
          + " holder may act only one TTL after its grant arrived")
  void clockStepOnTheDatabase() throws SQLException {
    Witness a = witness(siteA);
    WitnessLease lease = ((LeaseOutcome.Granted) a.acquire("stepped")).lease();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      // As if the database's clock jumped forward past the expiry.
      s.executeUpdate(
          "UPDATE geored_witness_lease SET expires_at = DATEADD(SECOND, -1, CURRENT_TIMESTAMP)"
              + " WHERE group_name = 'stepped'");
    }
    long before = ticker().nanos();

    WitnessLease taken = ((LeaseOutcome.Granted) witness(siteB).acquire("stepped")).lease();

    long after = ticker().nanos();
    assertThat(taken.epoch().counter()).isEqualTo(lease.epoch().counter() + 1);
    assertThat(taken.usableAt(after, Duration.ofMillis(500))).isFalse();
    assertThat(taken.usableFromNanos()).isBetween(before + TTL.toNanos(), after + TTL.toNanos());
    assertThat(a.renew(lease)).isEqualTo(new LeaseOutcome.HeldBy(taken.epoch()));
  }

  @Test
  @DisplayName("a released lease taken by another site is usable at once")
  void releasedNeedsNoWait() {
    Witness a = witness(siteA);
    a.release(((LeaseOutcome.Granted) a.acquire("handed")).lease());

    WitnessLease taken = ((LeaseOutcome.Granted) witness(siteB).acquire("handed")).lease();

    assertThat(taken.usableFromNanos()).isEqualTo(taken.sentNanos());
  }

  @Test
  @DisplayName("a database that cannot be reached fails the call naming the operation")
  void databaseDown() {
    JdbcStores gone = TestDatabases.h2Memory();
    Witness w = gone.witness(siteA, TTL, ticker());
    gone.close();

    assertThatThrownBy(() -> w.acquire("g1"))
        .isInstanceOf(WitnessUnavailableException.class)
        .hasMessageStartingWith("witness acquire g1 (no connection) failed: sql_state=");
  }

  @Test
  @DisplayName("refuses a group name longer than its column, naming the limit")
  void groupTooLong() {
    assertThatThrownBy(() -> witness(siteA).acquire("g".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("witness group name must be 1 to 255 characters, was 256");
  }
}
