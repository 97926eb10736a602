package io.geored.testkit.contract;

import static io.geored.testkit.contract.Fixtures.saved;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every store of versioned records promises, whatever the record: inserts assign ids and
 * version 1, updates are a compare-and-set on the version, deletes say whether the row existed,
 * lists come ordered by id, and concurrent writers never lose each other's changes. The port
 * contracts ({@link SystemPeerStoreContract} and the others) extend it with their own fields,
 * unique keys and finders.
 *
 * <p>Only what the ports' javadoc promises is asserted: ids are positive and distinct but not
 * necessarily dense or starting at 1, so a database whose sequences survive a truncation passes.
 *
 * @param <T> the record type
 */
public abstract class RecordStoreContract<T> {

  /** The stores under test: fresh and empty for each test. */
  protected Stores stores;

  /**
   * A fresh, empty set of stores, called before each test. A database-backed implementation may
   * reuse its schema and empty the tables here.
   *
   * @return the stores
   */
  protected abstract Stores newStores();

  @BeforeEach
  final void freshStores() {
    stores = newStores();
    Fixtures.assertEmpty(stores);
    prepare();
  }

  /** Stores what the records under test refer to (peers and groups of an association). */
  void prepare() {}

  /**
   * A valid unsaved record; different numbers give records that clash on no unique key.
   *
   * @param n a number
   * @return the record
   */
  abstract T newRecord(int n);

  /**
   * The record with every field but id and version changed, unique keys included, into values that
   * clash with no record made by {@link #newRecord}.
   *
   * @param record a stored record
   * @return the changed record, same id and version
   */
  abstract T changeEveryField(T record);

  abstract StoreResult<T> insert(T record);

  abstract StoreResult<T> update(T record);

  abstract boolean delete(long id);

  abstract Optional<T> findById(long id);

  abstract List<T> findAll();

  abstract long idOf(T record);

  abstract long versionOf(T record);

  abstract T withIdAndVersion(T record, long id, long version);

  /** A number the concurrency tests increment; stored in an ordinary field of the record. */
  abstract long counterOf(T record);

  abstract T withCounter(T record, long value);

  final T insertRecord(int n) {
    return saved(insert(newRecord(n)));
  }

  /**
   * Two records in the order stores list them.
   *
   * @param a a record
   * @param b another record
   * @return both, sorted by id
   */
  final List<T> byId(T a, T b) {
    return idOf(a) < idOf(b) ? List.of(a, b) : List.of(b, a);
  }

  final T stored(T record) {
    return findById(idOf(record)).orElseThrow(() -> new AssertionError("not stored: " + record));
  }

  @Nested
  @DisplayName("insert")
  class Insert {

    @Test
    @DisplayName("assigns a positive id and version 1 and stores every other field as given")
    void assignsIdAndVersion() {
      T given = newRecord(1);

      T saved = saved(insert(given));

      assertThat(idOf(saved)).isPositive();
      assertThat(versionOf(saved)).isEqualTo(1);
      assertThat(saved).isEqualTo(withIdAndVersion(given, idOf(saved), 1));
      assertThat(findById(idOf(saved))).contains(saved);
    }

    @Test
    @DisplayName("ignores the id and version it is given, even the id of a stored record")
    void ignoresGivenIdAndVersion() {
      T first = insertRecord(1);

      T second = saved(insert(withIdAndVersion(newRecord(2), idOf(first), 7)));

      assertThat(idOf(second)).isPositive().isNotEqualTo(idOf(first));
      assertThat(versionOf(second)).isEqualTo(1);
      assertThat(stored(first)).isEqualTo(first);
      assertThat(findAll()).hasSize(2);
    }

    @Test
    @DisplayName("assigns a distinct id to each record")
    void distinctIds() {
      List<Long> ids = new ArrayList<>();
      for (int n = 1; n <= 5; n++) {
        ids.add(idOf(insertRecord(n)));
      }

      assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id > 0);
    }
  }

  @Nested
  @DisplayName("findAll and findById")
  class FindAll {

    @Test
    @DisplayName("finds nothing in fresh stores")
    void emptyAtFirst() {
      assertThat(findAll()).isEmpty();
      assertThat(findById(1)).isEmpty();
    }

    @Test
    @DisplayName("lists every record ordered by id")
    void orderedById() {
      List<T> inserted = new ArrayList<>();
      for (int n = 1; n <= 4; n++) {
        inserted.add(insertRecord(n));
      }
      // An update must not move a record in the order.
      inserted.set(0, saved(update(withCounter(inserted.get(0), 99))));

      List<T> all = findAll();

      assertThat(all)
          .containsExactlyInAnyOrderElementsOf(inserted)
          .isSortedAccordingTo(Comparator.comparingLong(RecordStoreContract.this::idOf));
    }

    @Test
    @DisplayName("answers empty for an id never assigned")
    void unknownId() {
      T record = insertRecord(1);

      assertThat(findById(idOf(record) + 1_000_000)).isEmpty();
      assertThat(findById(0)).isEmpty();
      assertThat(findById(-1)).isEmpty();
    }
  }

  @Nested
  @DisplayName("update")
  class Update {

    @Test
    @DisplayName("with the stored version replaces every field and increments the version")
    void replacesEveryField() {
      T stored = insertRecord(1);
      T changed = changeEveryField(stored);

      T saved = saved(update(changed));

      assertThat(saved).isEqualTo(withIdAndVersion(changed, idOf(stored), 2));
      assertThat(stored(stored)).isEqualTo(saved);
      assertThat(findAll()).containsExactly(saved);
    }

    @Test
    @DisplayName("increments the version by one on each update")
    void successiveUpdates() {
      T record = insertRecord(1);

      for (long expected = 2; expected <= 4; expected++) {
        record = saved(update(withCounter(record, expected * 10)));
        assertThat(versionOf(record)).isEqualTo(expected);
      }

      assertThat(stored(record)).isEqualTo(record);
      assertThat(counterOf(stored(record))).isEqualTo(40);
    }

    @Test
    @DisplayName("with an older version answers Stale and changes nothing")
    void olderVersionIsStale() {
      T first = insertRecord(1);
      T current = saved(update(withCounter(first, 5)));
      List<T> before = findAll();

      StoreResult<T> result = update(changeEveryField(first));

      assertThat(result).isEqualTo(new StoreResult.Stale<>());
      assertThat(findAll()).isEqualTo(before);
      assertThat(stored(current)).isEqualTo(current);
    }

    @Test
    @DisplayName("with a version ahead of the stored one answers Stale and changes nothing")
    void newerVersionIsStale() {
      T stored = insertRecord(1);

      StoreResult<T> result =
          update(withIdAndVersion(changeEveryField(stored), idOf(stored), versionOf(stored) + 1));

      assertThat(result).isEqualTo(new StoreResult.Stale<>());
      assertThat(findAll()).containsExactly(stored);
    }

    @Test
    @DisplayName("of a deleted record answers Missing and creates nothing")
    void deletedIsMissing() {
      T kept = insertRecord(1);
      T gone = insertRecord(2);
      assertThat(delete(idOf(gone))).isTrue();

      StoreResult<T> result = update(withCounter(gone, 3));

      assertThat(result).isEqualTo(new StoreResult.Missing<>());
      assertThat(findAll()).containsExactly(kept);
    }

    @Test
    @DisplayName("of an id never assigned answers Missing and creates nothing")
    void unknownIsMissing() {
      T kept = insertRecord(1);

      StoreResult<T> result = update(withIdAndVersion(newRecord(2), Long.MAX_VALUE, 1));

      assertThat(result).isEqualTo(new StoreResult.Missing<>());
      assertThat(findAll()).containsExactly(kept);
    }

    @Test
    @DisplayName("leaves the other records alone")
    void onlyThatRecord() {
      T first = insertRecord(1);
      T second = insertRecord(2);

      saved(update(changeEveryField(first)));

      assertThat(stored(second)).isEqualTo(second);
    }
  }

  @Nested
  @DisplayName("delete")
  class Delete {

    @Test
    @DisplayName("removes a stored record and answers true, then false")
    void removes() {
      T gone = insertRecord(1);
      T kept = insertRecord(2);

      assertThat(delete(idOf(gone))).isTrue();
      assertThat(delete(idOf(gone))).isFalse();

      assertThat(findById(idOf(gone))).isEmpty();
      assertThat(findAll()).containsExactly(kept);
    }

    @Test
    @DisplayName("answers false for an id never assigned and removes nothing")
    void unknown() {
      T kept = insertRecord(1);

      assertThat(delete(idOf(kept) + 1_000_000)).isFalse();
      assertThat(delete(Long.MAX_VALUE)).isFalse();
      assertThat(findAll()).containsExactly(kept);
    }

    @Test
    @DisplayName("frees the unique keys of the deleted record for a new one")
    void freesUniqueKeys() {
      T gone = insertRecord(1);
      delete(idOf(gone));

      T again = insertRecord(1);

      assertThat(idOf(again)).isNotEqualTo(idOf(gone));
      assertThat(findAll()).containsExactly(again);
    }
  }

  @Nested
  @DisplayName("under concurrent writers")
  class Concurrency {

    @Test
    @DisplayName("loses no increment when threads retry read-modify-update on Stale")
    void compareAndSetLosesNothing() throws Exception {
      T record = saved(insert(withCounter(newRecord(1), 1_000)));
      long id = idOf(record);

      Concurrently.run(
          Concurrently.THREADS,
          thread -> {
            for (int i = 0; i < Concurrently.ITERATIONS; i++) {
              while (true) {
                T current = findById(id).orElseThrow();
                StoreResult<T> result = update(withCounter(current, counterOf(current) + 1));
                if (result instanceof StoreResult.Saved) {
                  break;
                }
                assertThat(result).isEqualTo(new StoreResult.Stale<>());
              }
            }
          });

      T end = stored(record);
      int increments = Concurrently.THREADS * Concurrently.ITERATIONS;
      assertThat(counterOf(end)).isEqualTo(1_000 + increments);
      assertThat(versionOf(end)).isEqualTo(1 + increments);
    }

    @Test
    @DisplayName("gives every record inserted at once its own id")
    void concurrentInserts() throws Exception {
      int perThread = 25;

      Concurrently.run(
          Concurrently.THREADS,
          thread -> {
            for (int i = 0; i < perThread; i++) {
              saved(insert(newRecord(1_000 + thread * perThread + i)));
            }
          });

      List<T> all = findAll();
      Set<Long> ids = all.stream().map(RecordStoreContract.this::idOf).collect(Collectors.toSet());
      assertThat(all).hasSize(Concurrently.THREADS * perThread);
      assertThat(ids).hasSize(Concurrently.THREADS * perThread);
    }
  }
}
