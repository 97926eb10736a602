package io.geored.spi.lease;

import io.geored.spi.store.StoreResult;
import java.util.Optional;

/**
 * Stores leases, one row per name; writes are compare-and-set on {@link Lease#version()} so that
 * two instances racing for one lease never both win. Thread-safe; may throw {@link
 * io.geored.spi.PersistenceException}. Writes are never part of a store transaction: a lease must
 * be visible to the other instances at once.
 */
public interface LeaseStore {

  /** Uniqueness rule on {@code name}. */
  String UNIQUE_NAME = "lease_name";

  /**
   * Finds a lease.
   *
   * @param name its name (exact)
   * @return the lease or empty when none was ever taken
   */
  Optional<Lease> find(String name);

  /**
   * Stores a lease never taken before; its version is ignored.
   *
   * @param lease the lease
   * @return Saved with version 1, or Duplicate naming {@link #UNIQUE_NAME} when another instance
   *     stored it first
   */
  StoreResult<Lease> insert(Lease lease);

  /**
   * Replaces a lease if its version is the stored one.
   *
   * @param lease the new owner and expiry, carrying the version read
   * @return Saved with the version incremented, Stale when another instance wrote first, Missing
   *     when there is no lease of that name
   */
  StoreResult<Lease> update(Lease lease);
}
