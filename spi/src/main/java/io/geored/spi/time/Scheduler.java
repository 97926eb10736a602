package io.geored.spi.time;

import java.time.Clock;
import java.time.Duration;

/**
 * Time for the engine: the clock it reads, delayed and periodic work, and background work. In
 * production it is backed by threads; the testkit drives it in virtual time, so a 600 s heartbeat
 * or a 900 s online wait runs instantly and deterministically.
 *
 * <p>A task that throws is logged by the implementation and, when periodic, keeps its schedule.
 */
public interface Scheduler {

  /**
   * The clock every timestamp of the engine comes from.
   *
   * @return the clock
   */
  Clock clock();

  /**
   * Runs work once, as soon as possible, off the caller's thread (sync and migration batches).
   *
   * @param task the work
   * @return a handle to cancel it before it starts
   */
  Cancellable execute(Runnable task);

  /**
   * Runs work once after a delay.
   *
   * @param task the work
   * @param delay how long to wait, zero or more
   * @return a handle to cancel it
   */
  Cancellable schedule(Runnable task, Duration delay);

  /**
   * Runs work repeatedly: first after {@code initialDelay}, then {@code period} after each run
   * ends. Runs never overlap.
   *
   * @param task the work
   * @param initialDelay delay before the first run
   * @param period delay between the end of a run and the next one, positive
   * @return a handle to stop it
   */
  Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration period);
}
