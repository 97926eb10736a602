package io.geored.core.time;

import io.geored.spi.time.Cancellable;
import io.geored.spi.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine's view of a scheduler: it remembers what the engine scheduled so {@code close()} can
 * cancel it, and refuses new work once closed. A scheduler handed in by the host is shared; this
 * keeps a closed engine's leftover work from running on it.
 */
public final class EngineScheduler implements Scheduler {

  private final Scheduler delegate;
  private final Set<Cancellable> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Wraps a scheduler.
   *
   * @param delegate the scheduler that runs the work
   */
  public EngineScheduler(Scheduler delegate) {
    this.delegate = delegate;
  }

  @Override
  public Clock clock() {
    return delegate.clock();
  }

  @Override
  public Cancellable execute(Runnable task) {
    return track(handle -> delegate.execute(once(task, handle)));
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    return track(handle -> delegate.schedule(once(task, handle), delay));
  }

  @Override
  public Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration period) {
    return track(
        handle ->
            delegate.scheduleWithFixedDelay(
                () -> {
                  if (!closed.get()) {
                    task.run();
                  }
                },
                initialDelay,
                period));
  }

  /** Cancels everything scheduled and not yet run, and refuses new work. Idempotent. */
  public void close() {
    closed.set(true);
    for (Cancellable c : pending) {
      c.cancel();
    }
    pending.clear();
  }

  /**
   * Work scheduled through this view that has not run yet (periodic work counts until cancelled).
   *
   * @return the count
   */
  public int pendingCount() {
    return pending.size();
  }

  private interface Submit {
    Cancellable submit(Handle handle);
  }

  private final class Handle implements Cancellable {
    volatile Cancellable inner;

    @Override
    public void cancel() {
      pending.remove(this);
      Cancellable c = inner;
      if (c != null) {
        c.cancel();
      }
    }
  }

  private Runnable once(Runnable task, Handle handle) {
    return () -> {
      pending.remove(handle);
      if (!closed.get()) {
        task.run();
      }
    };
  }

  private Cancellable track(Submit submit) {
    if (closed.get()) {
      return () -> {};
    }
    Handle handle = new Handle();
    pending.add(handle);
    handle.inner = submit.submit(handle);
    return handle;
  }
}
