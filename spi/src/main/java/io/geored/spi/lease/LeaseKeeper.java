package io.geored.spi.lease;

import io.geored.spi.store.StoreResult;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance's side of the leases in a {@link LeaseStore}: takes, renews and gives up leases by
 * compare-and-set, and remembers until when it holds each one. Thread-safe.
 *
 * <p>Use: schedule {@link #acquire} for each lease the instance wants every {@link
 * LeaseSettings#renewEvery()}; before each run of once-only work ask {@link #holds}, which reads no
 * store. When the instance stops, {@link #release} lets another take over at once; if it dies
 * instead, another takes over once the lease expires, within one {@link LeaseSettings#period()}.
 *
 * <p>Expiry instants come from each instance's own clock, so the instances' clocks must agree to
 * well within the period (NTP-synchronised controllers do).
 */
public final class LeaseKeeper {

  private final LeaseStore store;
  private final String owner;
  private final Clock clock;
  private final LeaseSettings settings;

  /** Until when this instance holds each lease, by its last successful take or renewal. */
  private final Map<String, Instant> heldUntil = new ConcurrentHashMap<>();

  /**
   * Creates the keeper of one instance.
   *
   * @param store where the leases are, shared by the instances
   * @param owner this instance's name, unique among the instances (e.g. host name and process id)
   * @param clock this instance's clock
   * @param settings period and renewal interval
   */
  public LeaseKeeper(LeaseStore store, String owner, Clock clock, LeaseSettings settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    if (owner.isBlank()) {
      throw new IllegalArgumentException("lease owner must not be blank");
    }
  }

  /**
   * This instance's name in the leases.
   *
   * @return the owner name
   */
  public String owner() {
    return owner;
  }

  /**
   * The period and renewal interval.
   *
   * @return the settings
   */
  public LeaseSettings settings() {
    return settings;
  }

  /**
   * Takes the lease when nobody holds it or its holder let it expire, or renews it when this
   * instance holds it; one or two store round trips.
   *
   * @param name the lease
   * @return true when this instance holds the lease for another period from now
   * @throws io.geored.spi.PersistenceException when the store fails; what {@link #holds} answers is
   *     then unchanged, so a lease held keeps protecting its work until it expires
   */
  public boolean acquire(String name) {
    Objects.requireNonNull(name, "name");
    // A lost race re-reads once: the winner's row then decides whether the lease is free.
    for (int attempt = 0; attempt < 2; attempt++) {
      Instant now = clock.instant();
      // To the microsecond, as databases keep it, so this instance never outlives the stored row.
      Instant until = now.plus(settings.period()).truncatedTo(ChronoUnit.MICROS);
      Optional<Lease> found = store.find(name);
      StoreResult<Lease> result;
      if (found.isEmpty()) {
        result = store.insert(new Lease(name, owner, until, 0));
      } else {
        Lease current = found.get();
        if (!current.owner().equals(owner) && current.isActiveAt(now)) {
          heldUntil.remove(name);
          return false;
        }
        result = store.update(new Lease(name, owner, until, current.version()));
      }
      if (result instanceof StoreResult.Saved<Lease>) {
        heldUntil.put(name, until);
        return true;
      }
    }
    heldUntil.remove(name);
    return false;
  }

  /**
   * Whether this instance holds the lease now, by its last successful {@link #acquire}; reads no
   * store, so it is cheap enough to ask before every run of once-only work.
   *
   * @param name the lease
   * @return true until the expiry of the last take or renewal, false once released or lost
   */
  public boolean holds(String name) {
    Instant until = heldUntil.get(name);
    return until != null && until.isAfter(clock.instant());
  }

  /**
   * Gives up a lease this instance holds, so another instance can take it at once; does nothing
   * when another holds it.
   *
   * @param name the lease
   * @throws io.geored.spi.PersistenceException when the store fails; the lease then lapses by
   *     itself within one period
   */
  public void release(String name) {
    heldUntil.remove(name);
    Optional<Lease> found = store.find(name);
    if (found.isPresent() && found.get().owner().equals(owner)) {
      Instant now = clock.instant();
      // Expired now rather than deleted: a row keeps its version, so a delayed renewal by this
      // instance cannot resurrect it over a newer owner.
      store.update(new Lease(name, owner, now, found.get().version()));
    }
  }

  /**
   * Gives up every lease this instance holds, as it stops.
   *
   * @throws io.geored.spi.PersistenceException when the store fails for a lease; the others are
   *     still released and the failed one lapses within one period
   */
  public void releaseAll() {
    RuntimeException first = null;
    for (String name : Map.copyOf(heldUntil).keySet()) {
      try {
        release(name);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
