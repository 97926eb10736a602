package io.geored.testkit.time;

import io.geored.spi.time.Cancellable;
import io.geored.spi.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p><b>Waits that overlap.</b> On the default scheduler a task that stands for a slow call (the
 * simulated network's delays) moves the shared clock itself, so calls made by tasks "in flight at
 * once" add up, one after the other. A scheduler made by {@link #overlappingWaits()} lets such a
 * task {@link #waitFor wait} instead: each task runs on a thread of its own, but only one runs at a
 * time, handed over in due order as above, so a scenario stays deterministic. A task that waits
 * stands still until the clock reaches the end of its wait, and meanwhile the other tasks due run
 * and wait too: ten tasks that each wait 20 ms take 20 ms of virtual time, as ten calls in flight
 * on a real network do. {@code runUntilIdle} and {@code advance} return only when no task is
 * waiting, so the clock may pass the time they would otherwise stop at by the waits still running;
 * tasks that come due on the way run too. A task must not wait while it holds a lock another task
 * needs (a store transaction): the other task could never run; the scheduler then fails the run
 * after 30 s rather than hang.
 */
public final class VirtualScheduler implements Scheduler {

  private static final Logger LOG = LoggerFactory.getLogger(VirtualScheduler.class);
  private static final int MAX_RUNS_PER_CALL = 5_000_000;

  private static final long HAND_OVER_LIMIT_SECONDS = 30;
  private static final AtomicInteger STRAND_NUMBERS = new AtomicInteger();

  private final VirtualClock clock;
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long sequence;
  private long runs;

  // Waits that overlap: null on the default scheduler.
  private final ExecutorService strands;
  // Released by a strand when it waits or ends: the running thread hands control back.
  private final Semaphore handBack = new Semaphore(0);
  private final ThreadLocal<Strand> currentStrand = new ThreadLocal<>();
  // Guarded by "this": strands waiting for their resume.
  private int waiting;

  private final class Task implements Comparable<Task>, Cancellable {
    final Runnable work;
    final Duration period;
    final AtomicBoolean cancelled = new AtomicBoolean();
    // Not null: this entry resumes a waiting strand instead of starting work.
    final Strand resume;
    Instant due;
    long seq;

    Task(Runnable work, Instant due, Duration period) {
      this(work, due, period, null);
    }

    Task(Runnable work, Instant due, Duration period, Strand resume) {
      this.work = work;
      this.due = due;
      this.period = period;
      this.resume = resume;
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

  /** One task running on a thread of its own, on a scheduler whose waits overlap. */
  private final class Strand {
    final Task task;
    final Semaphore go = new Semaphore(0);
    volatile boolean ended;
    volatile Throwable error;

    Strand(Task task) {
      this.task = task;
    }

    void run() {
      currentStrand.set(this);
      try {
        task.work.run();
      } catch (RuntimeException e) {
        LOG.error("virtual task failed due={}", task.due, e);
      } catch (Throwable e) {
        error = e;
      } finally {
        currentStrand.remove();
        ended = true;
        handBack.release();
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
    this(clock, false);
  }

  private VirtualScheduler(VirtualClock clock, boolean overlapping) {
    this.clock = clock;
    this.strands =
        overlapping
            ? Executors.newCachedThreadPool(
                work -> {
                  Thread t = new Thread(work, "virtual-task-" + STRAND_NUMBERS.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                })
            : null;
  }

  /**
   * A scheduler whose tasks may {@link #waitFor wait} in virtual time, the waits of tasks in flight
   * at once overlapping (see the class description), on a clock standing at 2026-01-01T00:00:00Z.
   *
   * @return the scheduler
   */
  public static VirtualScheduler overlappingWaits() {
    return new VirtualScheduler(new VirtualClock(Instant.parse("2026-01-01T00:00:00Z")), true);
  }

  /**
   * Holds the calling task for a while of virtual time, as a call in flight holds its caller. On a
   * scheduler made by {@link #overlappingWaits()}, called from one of its tasks: the task stands
   * still until the clock reaches now plus the duration, while the other tasks run (and wait), and
   * then goes on. Anywhere else (the default scheduler, or a thread that runs none of this
   * scheduler's tasks) nothing happens: the caller moves the clock itself.
   *
   * @param duration how long, zero or more
   * @return true when the task waited; false when the caller must move the clock itself
   */
  public boolean waitFor(Duration duration) {
    requireNotNegative(duration);
    Strand strand = currentStrand.get();
    if (strands == null || strand == null) {
      return false;
    }
    synchronized (this) {
      enqueue(new Task(null, clock.instant().plus(duration), null, strand));
      waiting++;
    }
    handBack.release();
    strand.go.acquireUninterruptibly();
    return true;
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
    if (strands != null) {
      return runStrandsUntil(target);
    }
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

  /**
   * The loop of a scheduler whose waits overlap: as {@link #runDueUntil}, but each task runs on a
   * strand of its own, one at a time, and the loop goes on while any strand waits.
   */
  private int runStrandsUntil(Instant target) {
    int ran = 0;
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        Instant now = clock.instant();
        Instant limit = now.isAfter(target) ? now : target;
        if (next == null || (waiting == 0 && next.due.isAfter(limit))) {
          break;
        }
        queue.poll();
        if (next.resume != null) {
          waiting--;
        } else {
          runs++;
        }
      }
      if (next.due.isAfter(clock.instant())) {
        clock.setInstant(next.due);
      }
      Strand strand;
      if (next.resume != null) {
        strand = next.resume;
        strand.go.release();
      } else {
        if (++ran > MAX_RUNS_PER_CALL) {
          throw new IllegalStateException(
              "more than "
                  + MAX_RUNS_PER_CALL
                  + " tasks in one call: a task reschedules itself without end?");
        }
        if (next.cancelled.get()) {
          continue;
        }
        strand = new Strand(next);
        strands.execute(strand::run);
      }
      awaitHandBack();
      if (strand.ended) {
        Task task = strand.task;
        if (task.period != null && !task.cancelled.get()) {
          synchronized (this) {
            task.due = clock.instant().plus(task.period);
            task.seq = sequence++;
            queue.add(task);
          }
        }
        if (strand.error instanceof Error error) {
          throw error;
        }
        if (strand.error != null) {
          LOG.error("virtual task failed due={}", task.due, strand.error);
        }
      }
    }
    if (target.isAfter(clock.instant())) {
      clock.setInstant(target);
    }
    return ran;
  }

  private void awaitHandBack() {
    try {
      if (!handBack.tryAcquire(HAND_OVER_LIMIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "a virtual task neither ended nor waited within "
                + HAND_OVER_LIMIT_SECONDS
                + " s: blocked on a lock another waiting task holds?");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a virtual task ran", e);
    }
  }
}
