package io.geored.testkit.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.PersistenceException;
import io.geored.spi.lease.Lease;
import io.geored.spi.lease.LeaseKeeper;
import io.geored.spi.lease.LeaseSettings;
import io.geored.spi.lease.LeaseStore;
import io.geored.spi.store.StoreResult;
import io.geored.testkit.time.VirtualClock;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("LeaseKeeper")
class LeaseKeeperTest {

  private static final Instant START = Instant.parse("2026-02-03T04:05:06Z");

  /** A lease store whose every call can be made to fail, as a database that went away. */
  private static final class FailingStore implements LeaseStore {
    private final InMemoryLeaseStore delegate = new InMemoryLeaseStore();
    private volatile boolean down;

    private void check(String operation) {
      if (down) {
        throw new PersistenceException(operation, new SQLException("connection refused"));
      }
    }

    @Override
    public Optional<Lease> find(String name) {
      check("find lease name=" + name);
      return delegate.find(name);
    }

    @Override
    public StoreResult<Lease> insert(Lease lease) {
      check("insert lease name=" + lease.name());
      return delegate.insert(lease);
    }

    @Override
    public StoreResult<Lease> update(Lease lease) {
      check("update lease name=" + lease.name());
      return delegate.update(lease);
    }
  }

  @Nested
  @DisplayName("when the store fails")
  class StoreFails {

    @Test
    @DisplayName("a holder keeps holding until its lease expires, then holds nothing")
    void holderKeepsUntilExpiry() {
      FailingStore store = new FailingStore();
      VirtualClock clock = new VirtualClock(START);
      LeaseKeeper keeper = new LeaseKeeper(store, "engine-1", clock, LeaseSettings.DEFAULTS);
      keeper.acquire("audit");
      store.down = true;
      clock.advance(Duration.ofSeconds(10));

      assertThatThrownBy(() -> keeper.acquire("audit"))
          .isInstanceOf(PersistenceException.class)
          .hasMessage("find lease name=audit");

      assertThat(keeper.holds("audit")).isTrue();
      clock.setInstant(START.plusSeconds(30).minusNanos(1_000));
      assertThat(keeper.holds("audit")).isTrue();
      clock.setInstant(START.plusSeconds(30));
      assertThat(keeper.holds("audit")).isFalse();
    }

    @Test
    @DisplayName("releaseAll still releases the other leases and reports the failure")
    void releaseAllReportsFailure() {
      FailingStore store = new FailingStore();
      VirtualClock clock = new VirtualClock(START);
      LeaseKeeper keeper = new LeaseKeeper(store, "engine-1", clock, LeaseSettings.DEFAULTS);
      keeper.acquire("a");
      store.down = true;

      assertThatThrownBy(keeper::releaseAll).isInstanceOf(PersistenceException.class);

      assertThat(keeper.holds("a")).isFalse();
    }
  }

  @Nested
  @DisplayName("construction")
  class Construction {

    @Test
    @DisplayName("refuses a blank owner")
    void blankOwner() {
      assertThatThrownBy(
              () ->
                  new LeaseKeeper(
                      new InMemoryLeaseStore(),
                      " ",
                      new VirtualClock(START),
                      LeaseSettings.DEFAULTS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("lease owner must not be blank");
    }
  }

  @Nested
  @DisplayName("settings")
  class Settings {

    @Test
    @DisplayName("default to a 30 s period renewed every 10 s")
    void defaults() {
      assertThat(LeaseSettings.DEFAULTS)
          .isEqualTo(new LeaseSettings(Duration.ofSeconds(30), Duration.ofSeconds(10)));
    }

    @Test
    @DisplayName("accept a renewal interval just shorter than the period")
    void renewalAtLimit() {
      LeaseSettings settings = new LeaseSettings(Duration.ofSeconds(30), Duration.ofMillis(29_999));

      assertThat(settings.renewEvery()).isEqualTo(Duration.ofMillis(29_999));
    }

    @Test
    @DisplayName("refuse a renewal interval equal to the period")
    void renewalPastLimit() {
      assertThatThrownBy(() -> new LeaseSettings(Duration.ofSeconds(30), Duration.ofSeconds(30)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "lease renewal interval must be positive and shorter than the period PT30S: PT30S");
    }

    @Test
    @DisplayName("accept the smallest positive durations and refuse zero")
    void positive() {
      assertThat(new LeaseSettings(Duration.ofNanos(2), Duration.ofNanos(1)).period())
          .isEqualTo(Duration.ofNanos(2));
      assertThatThrownBy(() -> new LeaseSettings(Duration.ZERO, Duration.ofSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("lease period must be positive: PT0S");
      assertThatThrownBy(() -> new LeaseSettings(Duration.ofSeconds(30), Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "lease renewal interval must be positive and shorter than the period PT30S: PT0S");
    }
  }
}
