package io.geored.core.internal;

import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.store.StoreResult;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Compare-and-set with bounded retry: read the current record, apply the change, write it with the
 * version read; when another writer got there first, read again and re-apply. After the bound, the
 * caller gets {@code Conflict: <resource> <name> was changed concurrently; retry}.
 */
public final class Cas {

  private Cas() {}

  /**
   * Applies a change to the current version of a record.
   *
   * @param attempts how many reads and writes to try, at least 1
   * @param read reads the current record; empty when it is gone
   * @param change computes the new record from the current one; may throw to refuse; a record equal
   *     to the current one means no change and is not written
   * @param write the store's compare-and-set update
   * @param onDuplicate makes the exception for a uniqueness rule the change broke
   * @param resource the resource kind for messages, e.g. {@code subcloud}
   * @param name the resource's name for messages
   * @param notFound the message when it is gone
   * @param <T> the record type
   * @return the stored record
   */
  public static <T> T update(
      int attempts,
      Supplier<Optional<T>> read,
      UnaryOperator<T> change,
      Function<T, StoreResult<T>> write,
      Function<String, RuntimeException> onDuplicate,
      String resource,
      String name,
      String notFound) {
    for (int attempt = 0; attempt < attempts; attempt++) {
      T current = read.get().orElseThrow(() -> new NotFoundException(notFound));
      T changed = change.apply(current);
      if (changed.equals(current)) {
        // Nothing to change: no write, so the version stays and no one else's race is lost.
        return current;
      }
      StoreResult<T> result = write.apply(changed);
      if (result instanceof StoreResult.Saved<T> saved) {
        return saved.value();
      }
      if (result instanceof StoreResult.Duplicate<T> duplicate) {
        throw onDuplicate.apply(duplicate.key());
      }
      if (result instanceof StoreResult.Missing<T>) {
        throw new NotFoundException(notFound);
      }
      // Stale: someone else wrote first; read again.
    }
    throw new ConflictException(io.geored.spi.api.Messages.changedConcurrently(resource, name));
  }

  /**
   * Applies a change starting from a record the caller has just read, saving the read when nothing
   * changed it since: the change is applied to {@code known} and written with its version first.
   * When that write finds the record moved on (stale), the usual {@code attempts} of {@link
   * #update} follow, so the outcome is the same as starting with a read.
   *
   * @param attempts how many reads and writes to try after a stale first write (0: none, the stale
   *     first write answers the conflict)
   * @param known the record as the caller read it
   * @param read reads the current record; empty when it is gone
   * @param change computes the new record from the current one; a record equal to the current one
   *     means no change and is not written
   * @param write the store's compare-and-set update
   * @param onDuplicate makes the exception for a uniqueness rule the change broke
   * @param resource the resource kind for messages
   * @param name the resource's name for messages
   * @param notFound the message when it is gone
   * @param <T> the record type
   * @return the stored record, or {@code known} itself when the change leaves it as it is
   */
  public static <T> T update(
      int attempts,
      T known,
      Supplier<Optional<T>> read,
      UnaryOperator<T> change,
      Function<T, StoreResult<T>> write,
      Function<String, RuntimeException> onDuplicate,
      String resource,
      String name,
      String notFound) {
    T changed = change.apply(known);
    if (changed.equals(known)) {
      return known;
    }
    StoreResult<T> result = write.apply(changed);
    if (result instanceof StoreResult.Saved<T> saved) {
      return saved.value();
    }
    if (result instanceof StoreResult.Duplicate<T> duplicate) {
      throw onDuplicate.apply(duplicate.key());
    }
    if (result instanceof StoreResult.Missing<T>) {
      throw new NotFoundException(notFound);
    }
    return update(attempts, read, change, write, onDuplicate, resource, name, notFound);
  }
}
