package io.geored.core.sync;

import io.geored.spi.time.Scheduler;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one piece of work per item through the scheduler with at most {@code limit} in flight, and
 * calls {@code done} once when every item has finished. Going through the Scheduler port keeps the
 * bound honest on threads and deterministic in virtual time.
 *
 * @param <T> the item type
 */
final class BoundedFanOut<T> {

  private final Scheduler scheduler;
  private final Deque<T> waiting;
  private final Consumer<T> work;
  private final Runnable done;
  private final int limit;
  private int inFlight;
  private int remaining;
  private int maxInFlight;

  private BoundedFanOut(
      Scheduler scheduler, List<T> items, int limit, Consumer<T> work, Runnable done) {
    this.scheduler = scheduler;
    this.waiting = new ArrayDeque<>(items);
    this.limit = limit;
    this.work = work;
    this.done = done;
    this.remaining = items.size();
  }

  /**
   * Starts the work.
   *
   * @param scheduler where the work runs
   * @param items the items
   * @param limit most items in flight at once, at least 1
   * @param work the work for one item; an exception is the item's own failure and is not rethrown
   * @param done runs once after the last item (at once when there are none)
   * @param <T> the item type
   */
  static <T> void run(
      Scheduler scheduler, List<T> items, int limit, Consumer<T> work, Runnable done) {
    BoundedFanOut<T> fanOut = new BoundedFanOut<>(scheduler, items, Math.max(1, limit), work, done);
    if (items.isEmpty()) {
      done.run();
      return;
    }
    fanOut.launch();
  }

  private void launch() {
    while (true) {
      T next;
      synchronized (this) {
        if (inFlight >= limit || waiting.isEmpty()) {
          return;
        }
        next = waiting.poll();
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
      }
      scheduler.execute(() -> runOne(next));
    }
  }

  private void runOne(T item) {
    try {
      work.accept(item);
    } finally {
      boolean last;
      synchronized (this) {
        inFlight--;
        remaining--;
        last = remaining == 0;
      }
      if (last) {
        done.run();
      } else {
        launch();
      }
    }
  }
}
