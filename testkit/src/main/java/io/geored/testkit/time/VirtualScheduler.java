package io.geored.testkit.time;

import io.geored.spi.time.Cancellable;
import io.geored.spi.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler in virtual time: nothing runs until the test says so, then tasks run on the test's
 * thread in due order (ties in submission order), so every scenario is deterministic. Several sites
 * may share one scheduler (and so one clock).
 *
 * <ul>
 *   <li>{@link #runUntilIdle()} runs everything due now, including what that work schedules for
 *       now, without moving the clock;
 *   <li>{@link #advance(Duration)} moves the clock forward, running each task at its due time.
 * </ul>
 *
 * A task that throws a {@link RuntimeException} is logged and, when periodic, keeps its schedule,
 * as in production. An {@link Error} (such as a failed assertion inside a task) is not swallowed:
 * it stops the current {@code runUntilIdle}/{@code advance} call and reaches the test; a periodic
 * task still keeps its schedule.
 *
 * <p>Scheduling is thread-safe; running ({@code runUntilIdle}, {@code advance}) is meant for one
 * thread, the test's.
 */
public final class VirtualScheduler implements Scheduler {

  private static final Logger LOG = LoggerFactory.getLogger(VirtualScheduler.class);
  private static final int MAX_RUNS_PER_CALL = 5_000_000;

  private final VirtualClock clock;
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long sequence;
  private long runs;

  private final class Task implements Comparable<Task>, Cancellable {
    final Runnable work;
    final Duration period;
    final AtomicBoolean cancelled = new AtomicBoolean();
    Instant due;
    long seq;

    Task(Runnable work, Instant due, Duration period) {
      this.work = work;
      this.due = due;
      this.period = period;
    }

    @Override
    public int compareTo(Task o) {
      int byDue = due.compareTo(o.due);
      return byDue != 0 ? byDue : Long.compare(seq, o.seq);
    }

    @Override
    public void cancel() {
      cancelled.set(true);
      synchronized (VirtualScheduler.this) {
        queue.remove(this);
      }
    }
  }

  /** A scheduler on a virtual clock standing at 2026-01-01T00:00:00Z. */
  public VirtualScheduler() {
    this(new VirtualClock(Instant.parse("2026-01-01T00:00:00Z")));
  }

  /**
   * A scheduler on a given virtual clock.
   *
   * @param clock the clock it moves
   */
  public VirtualScheduler(VirtualClock clock) {
    this.clock = clock;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  /**
   * The virtual clock, to read or move by hand.
   *
   * @return the clock
   */
  public VirtualClock virtualClock() {
    return clock;
  }

  /**
   * The current virtual time.
   *
   * @return now
   */
  public Instant now() {
    return clock.instant();
  }

  @Override
  public Cancellable execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    return enqueue(new Task(task, clock.instant(), null));
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    Objects.requireNonNull(task, "task");
    requireNotNegative(delay);
    return enqueue(new Task(task, clock.instant().plus(delay), null));
  }

  @Override
  public Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration period) {
    Objects.requireNonNull(task, "task");
    requireNotNegative(initialDelay);
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    return enqueue(new Task(task, clock.instant().plus(initialDelay), period));
  }

  private static void requireNotNegative(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + d);
    }
  }

  private synchronized Task enqueue(Task task) {
    task.seq = sequence++;
    queue.add(task);
    return task;
  }

  /**
   * Runs every task due now, and what those schedule for now, until none is left. The clock does
   * not move.
   *
   * @return how many tasks ran
   */
  public int runUntilIdle() {
    return runDueUntil(clock.instant());
  }

  /**
   * Moves the clock forward by a duration, running each task at its due time on the way, then
   * everything due at the end.
   *
   * @param duration how far, zero or more
   * @return how many tasks ran
   */
  public int advance(Duration duration) {
    requireNotNegative(duration);
    return runDueUntil(clock.instant().plus(duration));
  }

  /**
   * Advances by steps until a condition holds, or fails after a limit of virtual time. The
   * condition is checked after running what is due now and after each step; the last step is
   * shortened so the clock never passes the limit.
   *
   * @param condition what to wait for
   * @param step how far to move each time, positive
   * @param limit the most virtual time to spend, zero or more
   * @return the virtual time it took
   * @throws AssertionError when the condition did not hold within the limit
   * @throws IllegalArgumentException when the step is not positive or the limit is negative
   */
  public Duration advanceUntil(
      java.util.function.BooleanSupplier condition, Duration step, Duration limit) {
    Objects.requireNonNull(condition, "condition");
    if (step.isZero() || step.isNegative()) {
      throw new IllegalArgumentException("step must be positive: " + step);
    }
    requireNotNegative(limit);
    Instant start = clock.instant();
    Instant end = start.plus(limit);
    runUntilIdle();
    while (!condition.getAsBoolean()) {
      Instant now = clock.instant();
      if (!now.isBefore(end)) {
        throw new AssertionError("condition not met within " + limit + " of virtual time");
      }
      // The last step stops at the limit, so no task past the limit runs.
      Duration remaining = Duration.between(now, end);
      advance(step.compareTo(remaining) < 0 ? step : remaining);
    }
    return Duration.between(start, clock.instant());
  }

  /**
   * Tasks waiting to run (timers and background work).
   *
   * @return the count
   */
  public synchronized int pendingTasks() {
    return queue.size();
  }

  /**
   * Tasks run since this scheduler was created.
   *
   * @return the count
   */
  public synchronized long taskRuns() {
    return runs;
  }

  private int runDueUntil(Instant target) {
    int ran = 0;
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due.isAfter(target)) {
          break;
        }
        queue.poll();
        runs++;
      }
      if (next.due.isAfter(clock.instant())) {
        clock.setInstant(next.due);
      }
      if (++ran > MAX_RUNS_PER_CALL) {
        throw new IllegalStateException(
            "more than "
                + MAX_RUNS_PER_CALL
                + " tasks in one call: a task reschedules itself without end?");
      }
      try {
        if (!next.cancelled.get()) {
          next.work.run();
        }
      } catch (RuntimeException e) {
        LOG.error("virtual task failed due={}", next.due, e);
      } finally {
        // In finally so that an Error (a failed assertion inside a task) reaches the test while a
        // periodic task still keeps its schedule.
        if (next.period != null && !next.cancelled.get()) {
          synchronized (this) {
            next.due = clock.instant().plus(next.period);
            next.seq = sequence++;
            queue.add(next);
          }
        }
      }
    }
    if (target.isAfter(clock.instant())) {
      clock.setInstant(target);
    }
    return ran;
  }
}
