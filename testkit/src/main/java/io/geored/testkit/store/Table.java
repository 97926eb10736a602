package io.geored.testkit.store;

import io.geored.spi.store.StoreResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * One in-memory table of records: rows by id, unique keys, compare-and-set on a version.
 *
 * @param <T> the record type
 */
final class Table<T> {

  /** Produces a copy of a record with a new id and version. */
  interface Stamp<T> {
    T apply(T row, long id, long version);
  }

  record Unique<T>(String name, Function<T, Object> key) {}

  private final InMemoryDatabase db;
  private final ToLongFunction<T> idOf;
  private final ToLongFunction<T> versionOf;
  private final Stamp<T> stamp;
  private final List<Unique<T>> uniques;
  private final TreeMap<Long, T> rows = new TreeMap<>();
  // One hash index per unique key (key -> id), so that a write checks uniqueness in constant time:
  // a scan of every row made inserting or updating N subclouds cost O(N^2).
  private final List<Map<Object, Long>> indexes = new ArrayList<>();
  private long nextId = 1;

  Table(
      InMemoryDatabase db,
      ToLongFunction<T> idOf,
      ToLongFunction<T> versionOf,
      Stamp<T> stamp,
      List<Unique<T>> uniques) {
    this.db = db;
    this.idOf = idOf;
    this.versionOf = versionOf;
    this.stamp = stamp;
    this.uniques = List.copyOf(uniques);
    for (int i = 0; i < this.uniques.size(); i++) {
      indexes.add(new HashMap<>());
    }
  }

  StoreResult<T> insert(T row) {
    Objects.requireNonNull(row, "row");
    return db.locked(
        () -> {
          Optional<String> duplicate = duplicateOf(row, 0, null);
          if (duplicate.isPresent()) {
            return new StoreResult.Duplicate<>(duplicate.get());
          }
          long id = nextId++;
          T stored = stamp.apply(row, id, 1);
          put(id, stored);
          db.recordUndo(() -> remove(id));
          return new StoreResult.Saved<>(stored);
        });
  }

  StoreResult<T> update(T row) {
    Objects.requireNonNull(row, "row");
    // The lock taken here rather than through locked(...), and the id boxed once: an audit
    // updates every member of a group, and the capture and the boxes were a sixth of what it
    // allocated per member.
    db.lock();
    try {
      Long id = idOf.applyAsLong(row);
      T current = rows.get(id);
      if (current == null) {
        return new StoreResult.Missing<>();
      }
      if (versionOf.applyAsLong(current) != versionOf.applyAsLong(row)) {
        return new StoreResult.Stale<>();
      }
      Optional<String> duplicate = duplicateOf(row, id, current);
      if (duplicate.isPresent()) {
        return new StoreResult.Duplicate<>(duplicate.get());
      }
      T stored = stamp.apply(row, id, versionOf.applyAsLong(current) + 1);
      put(id, stored);
      if (db.inTransaction()) {
        db.recordUndo(() -> put(id, current));
      }
      return new StoreResult.Saved<>(stored);
    } finally {
      db.unlock();
    }
  }

  boolean delete(long id) {
    return db.locked(
        () -> {
          T removed = remove(id);
          if (removed == null) {
            return false;
          }
          db.recordUndo(() -> put(id, removed));
          return true;
        });
  }

  Optional<T> findById(long id) {
    return db.locked(() -> Optional.ofNullable(rows.get(id)));
  }

  /** Finds the row holding a value of a unique key, through that key's index. */
  Optional<T> findByUnique(String uniqueName, Object key) {
    return db.locked(
        () -> {
          for (int i = 0; i < uniques.size(); i++) {
            if (uniques.get(i).name().equals(uniqueName)) {
              Long id = indexes.get(i).get(key);
              return id == null ? Optional.<T>empty() : Optional.ofNullable(rows.get(id));
            }
          }
          throw new IllegalArgumentException("no unique key " + uniqueName);
        });
  }

  List<T> findAll(Predicate<T> filter) {
    return db.locked(
        () -> {
          List<T> found = new ArrayList<>();
          for (T row : rows.values()) {
            if (filter.test(row)) {
              found.add(row);
            }
          }
          return List.copyOf(found);
        });
  }

  int size() {
    return db.locked(rows::size);
  }

  /**
   * The unique key another row holds, if any. {@code current} is the row as stored before an update
   * (null for an insert): a key the update keeps is this row's own and needs no lookup.
   */
  private Optional<String> duplicateOf(T row, long ownId, T current) {
    for (int i = 0; i < uniques.size(); i++) {
      Function<T, Object> keyOf = uniques.get(i).key();
      Object key = keyOf.apply(row);
      if (key == null || (current != null && key.equals(keyOf.apply(current)))) {
        continue;
      }
      Long holder = indexes.get(i).get(key);
      if (holder != null && holder != ownId) {
        return Optional.of(uniques.get(i).name());
      }
    }
    return Optional.empty();
  }

  /** Stores a row under its id and keeps the unique indexes in step; called with the lock held. */
  private void put(Long id, T row) {
    T previous = rows.put(id, row);
    for (int i = 0; i < uniques.size(); i++) {
      Function<T, Object> keyOf = uniques.get(i).key();
      Object key = keyOf.apply(row);
      Map<Object, Long> index = indexes.get(i);
      if (previous != null) {
        Object previousKey = keyOf.apply(previous);
        if (Objects.equals(previousKey, key)) {
          // An update that keeps the key (the common case): its entry already names this row.
          continue;
        }
        // Only this row's own entry: another row may hold the key once this one gave it up.
        if (previousKey != null && id.equals(index.get(previousKey))) {
          index.remove(previousKey);
        }
      }
      if (key != null) {
        index.put(key, id);
      }
    }
  }

  /** Removes a row and its index entries; called with the lock held. */
  private T remove(long id) {
    T removed = rows.remove(id);
    if (removed != null) {
      unindex(id, removed);
    }
    return removed;
  }

  private void unindex(long id, T row) {
    for (int i = 0; i < uniques.size(); i++) {
      Object key = uniques.get(i).key().apply(row);
      // Only this row's own entry: another row may hold the key once this one gave it up.
      if (key != null && Objects.equals(indexes.get(i).get(key), id)) {
        indexes.get(i).remove(key);
      }
    }
  }
}
