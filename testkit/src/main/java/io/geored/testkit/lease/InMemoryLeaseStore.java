package io.geored.testkit.lease;

import io.geored.spi.lease.Lease;
import io.geored.spi.lease.LeaseStore;
import io.geored.spi.store.StoreResult;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Leases kept in memory, with compare-and-set on the version. Several engines in one test share one
 * instance, each through its own {@link io.geored.spi.lease.LeaseKeeper}, as instances of a host
 * application share a database. Thread-safe.
 */
public final class InMemoryLeaseStore implements LeaseStore {

  private final Map<String, Lease> leases = new HashMap<>();

  /** An empty store. */
  public InMemoryLeaseStore() {}

  @Override
  public synchronized Optional<Lease> find(String name) {
    return Optional.ofNullable(leases.get(Objects.requireNonNull(name, "name")));
  }

  @Override
  public synchronized StoreResult<Lease> insert(Lease lease) {
    if (leases.containsKey(lease.name())) {
      return new StoreResult.Duplicate<>(UNIQUE_NAME);
    }
    Lease stored = new Lease(lease.name(), lease.owner(), lease.expiresAt(), 1);
    leases.put(stored.name(), stored);
    return new StoreResult.Saved<>(stored);
  }

  @Override
  public synchronized StoreResult<Lease> update(Lease lease) {
    Lease current = leases.get(lease.name());
    if (current == null) {
      return new StoreResult.Missing<>();
    }
    if (current.version() != lease.version()) {
      return new StoreResult.Stale<>();
    }
    Lease stored = new Lease(lease.name(), lease.owner(), lease.expiresAt(), lease.version() + 1);
    leases.put(stored.name(), stored);
    return new StoreResult.Saved<>(stored);
  }
}
