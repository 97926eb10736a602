package io.geored.testkit.store;

import io.geored.spi.store.Transactions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The shared state of the in-memory stores: one lock that serializes every read and write (so a
 * transaction is serializable), and an undo log per transaction so a failed one leaves nothing
 * behind. Nested transactions join the outer one.
 */
public final class InMemoryDatabase implements Transactions {

  private final ReentrantLock lock = new ReentrantLock();
  private final ThreadLocal<Deque<Runnable>> undo = new ThreadLocal<>();

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    lock.lock();
    boolean outermost = undo.get() == null;
    if (outermost) {
      undo.set(new ArrayDeque<>());
    }
    try {
      T result = work.get();
      if (outermost) {
        undo.remove();
      }
      return result;
    } catch (Throwable e) {
      // Throwable, not RuntimeException: a checked exception thrown sneakily must roll back too,
      // or its writes would stay and the undo log would leak into the thread's next transaction.
      if (outermost) {
        Deque<Runnable> log = undo.get();
        undo.remove();
        while (!log.isEmpty()) {
          log.pop().run();
        }
      }
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /** Runs one store operation under the lock, recording its inverse when in a transaction. */
  <T> T locked(Supplier<T> operation) {
    lock.lock();
    try {
      return operation.get();
    } finally {
      lock.unlock();
    }
  }

  /** Takes the lock of every read and write; {@link #unlock()} in a finally block. */
  void lock() {
    lock.lock();
  }

  /** Releases the lock {@link #lock()} took. */
  void unlock() {
    lock.unlock();
  }

  /** Whether this thread is in a transaction, whose changes {@link #recordUndo} records. */
  boolean inTransaction() {
    return undo.get() != null;
  }

  /** Records how to undo a change just made; called with the lock held. */
  void recordUndo(Runnable inverse) {
    Deque<Runnable> log = undo.get();
    if (log != null) {
      log.push(inverse);
    }
  }
}
