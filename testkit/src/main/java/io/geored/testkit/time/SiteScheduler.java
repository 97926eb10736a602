package io.geored.testkit.time;

import io.geored.spi.time.Cancellable;
import io.geored.spi.time.Scheduler;
import io.geored.spi.time.Ticker;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One site's view of a shared {@link VirtualScheduler}: its own clock, running at its own rate over
 * the one global virtual time, and its own pause switch, as one process on one machine sees time.
 *
 * <ul>
 *   <li><b>Rate.</b> While global time moves by {@code g}, this site's clock and {@link #ticker()}
 *       move by {@code g × rate}. Delays the site asks for are in its own time: a task scheduled
 *       after {@code d} runs when global time has moved by {@code d / rate} (rounded up to the
 *       nanosecond). Timers of all sites still fire in global time order. A rate of exactly 1.0 is
 *       the global clock itself.
 *   <li><b>Pause.</b> {@link #pause()} stands the site still as a GC or VM stall does: its clock
 *       keeps going, but none of its tasks runs; those that come due are held, in the order they
 *       came due, and run (late) at {@link #resume()}. A periodic task runs once late and then
 *       keeps its period from that run.
 * </ul>
 *
 * Thread-safe to schedule on; running stays the shared scheduler's, on the test's thread.
 */
public final class SiteScheduler implements Scheduler {

  private final VirtualScheduler global;
  private final double rate;
  // The rate as an exact fraction (its decimal text over a power of ten), so conversions are exact.
  private final BigInteger numerator;
  private final BigInteger denominator;
  private final Instant origin;
  private final Ticker globalTicker;
  private final Clock clock;
  private final Ticker ticker;

  // Guarded by "this".
  private boolean paused;
  private final List<Job> held = new ArrayList<>();

  /**
   * A view of a shared scheduler at a rate.
   *
   * @param global the scheduler that keeps the one global time and runs every site's tasks
   * @param rate how fast this site's clock runs against global time, in (0.5, 2)
   * @throws IllegalArgumentException when the rate is out of range
   */
  public SiteScheduler(VirtualScheduler global, double rate) {
    this.global = Objects.requireNonNull(global, "global");
    if (!(rate > 0.5 && rate < 2.0)) {
      throw new IllegalArgumentException("a site clock rate must be in (0.5, 2): " + rate);
    }
    this.rate = rate;
    BigDecimal exact = new BigDecimal(Double.toString(rate));
    this.numerator = exact.unscaledValue();
    this.denominator = BigInteger.TEN.pow(Math.max(0, exact.scale()));
    this.globalTicker = global.virtualClock().ticker();
    this.origin = global.now().minusNanos(globalTicker.nanos());
    if (rate == 1.0) {
      this.clock = global.virtualClock();
      this.ticker = globalTicker;
    } else {
      this.ticker = () -> local(globalTicker.nanos());
      this.clock = new RatedClock(ZoneOffset.UTC);
    }
  }

  /**
   * This site's clock rate against global time.
   *
   * @return the rate, 1.0 for a perfect clock
   */
  public double rate() {
    return rate;
  }

  /**
   * This site's monotonic clock, for lease deadlines: nanoseconds of its own time.
   *
   * @return the ticker
   */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * The shared scheduler that keeps global time.
   *
   * @return the global scheduler
   */
  public VirtualScheduler global() {
    return global;
  }

  /**
   * Converts a stretch of this site's time into global time.
   *
   * @param local a duration on this site's clock, zero or more
   * @return how much global time passes meanwhile
   */
  public Duration toGlobal(Duration local) {
    if (rate == 1.0) {
      return local;
    }
    long globalNow = globalTicker.nanos();
    // The first global instant at which this site's clock has moved by at least "local".
    BigInteger target =
        BigInteger.valueOf(local(globalNow)).add(BigInteger.valueOf(local.toNanos()));
    BigInteger[] qr = target.multiply(denominator).divideAndRemainder(numerator);
    long at = qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    return Duration.ofNanos(Math.max(0, at - globalNow));
  }

  private long local(long globalNanos) {
    if (rate == 1.0) {
      return globalNanos;
    }
    return BigInteger.valueOf(globalNanos).multiply(numerator).divide(denominator).longValueExact();
  }

  /** Stands the site still: its due tasks are held until {@link #resume()}. Idempotent. */
  public synchronized void pause() {
    paused = true;
  }

  /**
   * Lets the site run again: the tasks held while it stood still are handed to the shared scheduler
   * to run now, in the order they came due. Idempotent.
   */
  public void resume() {
    List<Job> late;
    synchronized (this) {
      paused = false;
      late = List.copyOf(held);
      held.clear();
    }
    for (Job job : late) {
      job.arm(Duration.ZERO);
    }
  }

  /**
   * Whether the site stands still.
   *
   * @return true between {@link #pause()} and {@link #resume()}
   */
  public synchronized boolean isPaused() {
    return paused;
  }

  /**
   * Tasks that came due while the site stood still and wait for {@link #resume()}.
   *
   * @return the count
   */
  public synchronized int heldTasks() {
    return held.size();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Cancellable execute(Runnable task) {
    return schedule(task, Duration.ZERO);
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    Objects.requireNonNull(task, "task");
    requireNotNegative(delay);
    Job job = new Job(task, null);
    job.arm(delay);
    return job;
  }

  @Override
  public Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration period) {
    Objects.requireNonNull(task, "task");
    requireNotNegative(initialDelay);
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    Job job = new Job(task, period);
    job.arm(initialDelay);
    return job;
  }

  private static void requireNotNegative(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + d);
    }
  }

  /** One task of this site: armed on the shared scheduler, held while the site stands still. */
  private final class Job implements Cancellable {
    final Runnable work;
    final Duration period;
    // Guarded by SiteScheduler.this.
    Cancellable armed;
    boolean cancelled;

    Job(Runnable work, Duration period) {
      this.work = work;
      this.period = period;
    }

    void arm(Duration localDelay) {
      synchronized (SiteScheduler.this) {
        if (cancelled) {
          return;
        }
        armed = global.schedule(this::fire, toGlobal(localDelay));
      }
    }

    void fire() {
      synchronized (SiteScheduler.this) {
        if (cancelled) {
          return;
        }
        if (paused) {
          held.add(this);
          return;
        }
      }
      try {
        work.run();
      } finally {
        if (period != null) {
          arm(period);
        }
      }
    }

    @Override
    public void cancel() {
      Cancellable current;
      synchronized (SiteScheduler.this) {
        cancelled = true;
        held.remove(this);
        current = armed;
      }
      if (current != null) {
        current.cancel();
      }
    }
  }

  /** This site's wall clock: the shared origin plus its own elapsed time. */
  private final class RatedClock extends Clock {
    private final ZoneId zone;

    RatedClock(ZoneId zone) {
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
      return new RatedClock(Objects.requireNonNull(other, "zone"));
    }

    @Override
    public Instant instant() {
      return origin.plusNanos(ticker.nanos());
    }
  }

  @Override
  public String toString() {
    return "SiteScheduler[rate=" + rate + (isPaused() ? " paused" : "") + "]";
  }
}
