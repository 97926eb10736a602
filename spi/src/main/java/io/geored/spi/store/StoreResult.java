package io.geored.spi.store;

import java.util.function.Function;

/**
 * The outcome of a write to a store. Expected outcomes are values: a stored record, a uniqueness
 * rule that refused it, a lost compare-and-set race, or a row that is gone. Failures of the store
 * itself are {@link io.geored.spi.PersistenceException}s.
 *
 * @param <T> the record type
 */
public sealed interface StoreResult<T>
    permits StoreResult.Saved, StoreResult.Duplicate, StoreResult.Stale, StoreResult.Missing {

  /**
   * The write happened.
   *
   * @param value the record as stored: id assigned, version incremented
   * @param <T> the record type
   */
  record Saved<T>(T value) implements StoreResult<T> {}

  /**
   * A uniqueness rule refused the write.
   *
   * @param key which rule: one of the {@code UNIQUE_*} names of the store
   * @param <T> the record type
   */
  record Duplicate<T>(String key) implements StoreResult<T> {}

  /**
   * The record's version is not the stored one: someone else changed it first.
   *
   * @param <T> the record type
   */
  record Stale<T>() implements StoreResult<T> {}

  /**
   * No record with that id.
   *
   * @param <T> the record type
   */
  record Missing<T>() implements StoreResult<T> {}

  /**
   * The stored record, or an exception made from the outcome.
   *
   * @param otherwise makes the exception for any outcome but {@link Saved}
   * @return the stored record
   */
  default T orElseThrow(Function<StoreResult<T>, ? extends RuntimeException> otherwise) {
    if (this instanceof Saved<T> saved) {
      return saved.value();
    }
    throw otherwise.apply(this);
  }
}
