package io.geored.testkit.contract;

import static io.geored.testkit.contract.Fixtures.saved;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.lease.Lease;
import io.geored.spi.lease.LeaseKeeper;
import io.geored.spi.lease.LeaseSettings;
import io.geored.spi.lease.LeaseStore;
import io.geored.spi.store.StoreResult;
import io.geored.testkit.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link LeaseStore}, and of {@link LeaseKeeper} working on it: rows are taken and
 * renewed by compare-and-set, exactly one of several instances holds a lease, and another takes
 * over within one lease period once the holder stops renewing. Time is a {@link VirtualClock}: no
 * test waits. Every implementation's test extends this class and answers {@link #newLeaseStore()}.
 */
public abstract class LeaseContract {

  /** A lease instant with microseconds, as databases keep them. */
  private static final Instant START = Fixtures.CREATED_AT;

  private static final Duration PERIOD = LeaseSettings.DEFAULT_PERIOD;

  private static final Duration RENEW = LeaseSettings.DEFAULT_RENEW_EVERY;

  private static final Duration MICRO = Duration.ofNanos(1_000);

  /** The store under test, fresh and empty for each test. */
  protected LeaseStore store;

  private VirtualClock clock;

  /**
   * A fresh, empty lease store, called before each test. A database-backed implementation may reuse
   * its schema and empty the table here.
   *
   * @return the store
   */
  protected abstract LeaseStore newLeaseStore();

  @BeforeEach
  final void freshStore() {
    store = newLeaseStore();
    clock = new VirtualClock(START);
  }

  private LeaseKeeper keeper(String owner) {
    return new LeaseKeeper(store, owner, clock, LeaseSettings.DEFAULTS);
  }

  @Nested
  @DisplayName("store")
  class Store {

    @Test
    @DisplayName("finds nothing for a lease never taken")
    void emptyAtFirst() {
      assertThat(store.find("heartbeat:site-b")).isEmpty();
    }

    @Test
    @DisplayName("inserts a lease with version 1 and finds it with its exact expiry")
    void insertAndFind() {
      Lease saved = saved(store.insert(new Lease("heartbeat:site-b", "engine-1", START, 7)));

      assertThat(saved).isEqualTo(new Lease("heartbeat:site-b", "engine-1", START, 1));
      assertThat(store.find("heartbeat:site-b")).contains(saved);
    }

    @Test
    @DisplayName("refuses a second insert of a name, naming the rule, and keeps the first")
    void duplicateInsert() {
      Lease first = saved(store.insert(new Lease("audit", "engine-1", START, 0)));

      StoreResult<Lease> result = store.insert(new Lease("audit", "engine-2", START, 0));

      assertThat(result).isEqualTo(new StoreResult.Duplicate<>(LeaseStore.UNIQUE_NAME));
      assertThat(store.find("audit")).contains(first);
    }

    @Test
    @DisplayName("updates with the stored version, incrementing it")
    void compareAndSet() {
      saved(store.insert(new Lease("audit", "engine-1", START, 0)));

      Lease updated = saved(store.update(new Lease("audit", "engine-2", START.plus(PERIOD), 1)));

      assertThat(updated).isEqualTo(new Lease("audit", "engine-2", START.plus(PERIOD), 2));
      assertThat(store.find("audit")).contains(updated);
    }

    @Test
    @DisplayName("answers Stale for an older or newer version and changes nothing")
    void stale() {
      saved(store.insert(new Lease("audit", "engine-1", START, 0)));
      Lease current = saved(store.update(new Lease("audit", "engine-1", START.plus(RENEW), 1)));

      assertThat(store.update(new Lease("audit", "engine-2", START, 1)))
          .isEqualTo(new StoreResult.Stale<>());
      assertThat(store.update(new Lease("audit", "engine-2", START, 3)))
          .isEqualTo(new StoreResult.Stale<>());
      assertThat(store.find("audit")).contains(current);
    }

    @Test
    @DisplayName("answers Missing for a name never stored and creates nothing")
    void missing() {
      assertThat(store.update(new Lease("audit", "engine-1", START, 1)))
          .isEqualTo(new StoreResult.Missing<>());
      assertThat(store.find("audit")).isEmpty();
    }

    @Test
    @DisplayName("finds by the exact name only: no other case, prefix or pattern")
    void exactNames() {
      Lease lease = saved(store.insert(new Lease("migration:group-1", "engine-1", START, 0)));
      saved(store.insert(new Lease("Migration:group-1", "engine-2", START, 0)));

      assertThat(store.find("migration:group-1")).contains(lease);
      assertThat(store.find("MIGRATION:GROUP-1")).isEmpty();
      assertThat(store.find("migration:group-")).isEmpty();
      assertThat(store.find("migration:group-_")).isEmpty();
      assertThat(store.find("migration:%")).isEmpty();
    }
  }

  @Nested
  @DisplayName("keeper")
  class Keeper {

    @Test
    @DisplayName("takes a free lease for one period and then holds it")
    void takesFreeLease() {
      LeaseKeeper one = keeper("engine-1");

      assertThat(one.holds("heartbeat:site-b")).isFalse();
      assertThat(one.acquire("heartbeat:site-b")).isTrue();

      assertThat(one.holds("heartbeat:site-b")).isTrue();
      assertThat(store.find("heartbeat:site-b"))
          .get()
          .extracting(Lease::owner, Lease::expiresAt)
          .containsExactly("engine-1", START.plus(PERIOD));
    }

    @Test
    @DisplayName(
        "lets only one of two instances hold a lease; the other is refused and holds nothing")
    void onlyOneHolder() {
      LeaseKeeper one = keeper("engine-1");
      LeaseKeeper two = keeper("engine-2");

      assertThat(one.acquire("audit")).isTrue();
      assertThat(two.acquire("audit")).isFalse();

      assertThat(one.holds("audit")).isTrue();
      assertThat(two.holds("audit")).isFalse();
      assertThat(store.find("audit")).get().extracting(Lease::owner).isEqualTo("engine-1");
    }

    @Test
    @DisplayName("renewing every 10 s keeps the lease from another instance indefinitely")
    void renewalKeepsIt() {
      LeaseKeeper one = keeper("engine-1");
      LeaseKeeper two = keeper("engine-2");
      one.acquire("audit");

      for (int i = 1; i <= 12; i++) {
        clock.advance(RENEW);
        assertThat(one.acquire("audit")).isTrue();
        assertThat(two.acquire("audit")).isFalse();
      }

      assertThat(one.holds("audit")).isTrue();
      assertThat(store.find("audit"))
          .get()
          .extracting(Lease::owner, Lease::expiresAt)
          .containsExactly("engine-1", START.plus(RENEW.multipliedBy(12)).plus(PERIOD));
    }

    @Test
    @DisplayName("lets another instance take over exactly one period after the last renewal")
    void takeoverWithinOnePeriod() {
      LeaseKeeper one = keeper("engine-1");
      LeaseKeeper two = keeper("engine-2");
      one.acquire("heartbeat:site-b");
      clock.advance(RENEW);
      one.acquire("heartbeat:site-b");
      Instant lastRenewal = clock.instant();

      // The holder stops renewing; the other instance keeps trying every renewal interval.
      clock.setInstant(lastRenewal.plus(PERIOD).minus(MICRO));
      assertThat(two.acquire("heartbeat:site-b")).isFalse();
      assertThat(one.holds("heartbeat:site-b")).isTrue();

      clock.setInstant(lastRenewal.plus(PERIOD));
      assertThat(one.holds("heartbeat:site-b")).isFalse();
      assertThat(two.acquire("heartbeat:site-b")).isTrue();

      assertThat(two.holds("heartbeat:site-b")).isTrue();
      assertThat(store.find("heartbeat:site-b"))
          .get()
          .extracting(Lease::owner, Lease::expiresAt)
          .containsExactly("engine-2", lastRenewal.plus(PERIOD).plus(PERIOD));
    }

    @Test
    @DisplayName("an instance that lost its lease is refused on renewal and holds nothing")
    void formerHolderRefused() {
      LeaseKeeper one = keeper("engine-1");
      LeaseKeeper two = keeper("engine-2");
      one.acquire("audit");
      clock.advance(PERIOD);
      two.acquire("audit");

      assertThat(one.acquire("audit")).isFalse();

      assertThat(one.holds("audit")).isFalse();
      assertThat(two.holds("audit")).isTrue();
    }

    @Test
    @DisplayName("an expired lease is taken back by its former holder when nobody else took it")
    void retakeOwnExpired() {
      LeaseKeeper one = keeper("engine-1");
      one.acquire("audit");
      clock.advance(PERIOD.multipliedBy(3));

      assertThat(one.holds("audit")).isFalse();
      assertThat(one.acquire("audit")).isTrue();
      assertThat(one.holds("audit")).isTrue();
    }

    @Test
    @DisplayName("release lets another instance take the lease at once")
    void releaseHandsOver() {
      LeaseKeeper one = keeper("engine-1");
      LeaseKeeper two = keeper("engine-2");
      one.acquire("audit");

      one.release("audit");

      assertThat(one.holds("audit")).isFalse();
      assertThat(two.acquire("audit")).isTrue();
      assertThat(store.find("audit")).get().extracting(Lease::owner).isEqualTo("engine-2");
    }

    @Test
    @DisplayName("release by an instance that does not hold the lease changes nothing")
    void releaseByOther() {
      LeaseKeeper one = keeper("engine-1");
      LeaseKeeper two = keeper("engine-2");
      one.acquire("audit");
      Lease held = store.find("audit").orElseThrow();

      two.release("audit");
      two.release("never-taken");

      assertThat(store.find("audit")).contains(held);
      assertThat(store.find("never-taken")).isEmpty();
      assertThat(one.holds("audit")).isTrue();
    }

    @Test
    @DisplayName("releaseAll gives up every lease held and none held by others")
    void releaseAll() {
      LeaseKeeper one = keeper("engine-1");
      LeaseKeeper two = keeper("engine-2");
      one.acquire("a");
      one.acquire("b");
      two.acquire("c");

      one.releaseAll();

      assertThat(one.holds("a")).isFalse();
      assertThat(one.holds("b")).isFalse();
      assertThat(two.acquire("a")).isTrue();
      assertThat(two.acquire("b")).isTrue();
      assertThat(two.holds("c")).isTrue();
    }

    @Test
    @DisplayName("keeps leases of different names apart")
    void independentNames() {
      LeaseKeeper one = keeper("engine-1");
      LeaseKeeper two = keeper("engine-2");

      assertThat(one.acquire("heartbeat:site-b")).isTrue();
      assertThat(two.acquire("heartbeat:site-c")).isTrue();

      assertThat(one.holds("heartbeat:site-c")).isFalse();
      assertThat(two.holds("heartbeat:site-b")).isFalse();
    }

    @Test
    @DisplayName("lets exactly one of several instances racing for a free lease win")
    void race() throws Exception {
      List<String> winners = Collections.synchronizedList(new ArrayList<>());

      Concurrently.run(
          Concurrently.THREADS,
          thread -> {
            LeaseKeeper keeper = keeper("engine-" + thread);
            if (keeper.acquire("migration:group-1")) {
              winners.add(keeper.owner());
            }
          });

      assertThat(winners).hasSize(1);
      assertThat(store.find("migration:group-1"))
          .get()
          .extracting(Lease::owner, Lease::version)
          .containsExactly(winners.get(0), 1L);
    }
  }
}
