package io.geored.core.time;

import io.geored.core.internal.EscapingLogger;
import io.geored.spi.time.Cancellable;
import io.geored.spi.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * The production scheduler: the system UTC clock, a small scheduled pool for timers and a bounded
 * pool for background work, all threads named {@code geored-*} and daemon. Whoever creates it
 * closes it.
 */
public final class ThreadScheduler implements Scheduler, AutoCloseable {

  private static final Logger LOG = EscapingLogger.of(ThreadScheduler.class);

  private final Clock clock;
  private final ScheduledExecutorService timers;
  private final ExecutorService workers;

  /**
   * A scheduler on the system clock.
   *
   * @param timerThreads threads running timed tasks (heartbeats, audits), at least 1
   * @param workerThreads threads running background work (syncs, migrations), at least 1
   */
  public ThreadScheduler(int timerThreads, int workerThreads) {
    this(Clock.systemUTC(), timerThreads, workerThreads);
  }

  /**
   * A scheduler on a given clock.
   *
   * @param clock the clock
   * @param timerThreads threads running timed tasks, at least 1
   * @param workerThreads threads running background work, at least 1
   */
  public ThreadScheduler(Clock clock, int timerThreads, int workerThreads) {
    this.clock = clock;
    this.timers = Executors.newScheduledThreadPool(timerThreads, named("geored-timer-"));
    this.workers = Executors.newFixedThreadPool(workerThreads, named("geored-worker-"));
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Cancellable execute(Runnable task) {
    var future = workers.submit(guarded(task));
    return () -> future.cancel(false);
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    ScheduledFuture<?> future =
        timers.schedule(
            () -> workers.submit(guarded(task)), delay.toMillis(), TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration period) {
    ScheduledFuture<?> future =
        timers.scheduleWithFixedDelay(
            guarded(task), initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("scheduled task failed", e);
      }
    };
  }

  /**
   * Stops both pools, waiting up to a bound for running work.
   *
   * @param timeout how long to wait
   * @return true when every thread ended in time
   */
  public boolean shutdown(Duration timeout) {
    timers.shutdownNow();
    workers.shutdown();
    try {
      boolean done = workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        workers.shutdownNow();
      }
      return done && timers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
      return false;
    }
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(10));
  }
}
