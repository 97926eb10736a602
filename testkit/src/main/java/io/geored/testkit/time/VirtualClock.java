package io.geored.testkit.time;

import io.geored.spi.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that moves only when told, and only forward. Thread-safe. Its zone is UTC; {@link
 * #withZone} gives a view in another zone that moves with it.
 */
public final class VirtualClock extends Clock {

  private final Instant origin;

  private volatile Instant now;

  /**
   * A clock standing at an instant.
   *
   * @param start where it stands, not null
   */
  public VirtualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
    this.origin = start;
  }

  /**
   * A monotonic view of this clock, for deadlines (see {@link Ticker}): the nanoseconds this clock
   * has moved since it was made. It moves with the clock and, like it, never goes back.
   *
   * @return the ticker
   */
  public Ticker ticker() {
    return () -> Duration.between(origin, now).toNanos();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /**
   * A view of this clock in another zone: it reads the same instant and moves with this clock.
   *
   * @param zone the zone, not null
   * @return this clock for UTC, else a view
   */
  @Override
  public Clock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    return zone.equals(ZoneOffset.UTC) ? this : new ZonedView(this, zone);
  }

  @Override
  public Instant instant() {
    return now;
  }

  /**
   * Moves the clock to an instant, never backwards.
   *
   * @param instant the new time, not null
   * @throws IllegalArgumentException when the instant is before the current time
   */
  public synchronized void setInstant(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    if (instant.isBefore(now)) {
      throw new IllegalArgumentException(
          "a virtual clock never goes back: " + instant + " < " + now);
    }
    now = instant;
  }

  /**
   * Moves the clock forward.
   *
   * @param duration how far, zero or more
   * @throws IllegalArgumentException when the duration is negative
   */
  public synchronized void advance(Duration duration) {
    setInstant(now.plus(duration));
  }

  @Override
  public String toString() {
    return "VirtualClock[" + now + "]";
  }

  /** The same virtual time seen in another zone. */
  private static final class ZonedView extends Clock {
    private final VirtualClock source;
    private final ZoneId zone;

    ZonedView(VirtualClock source, ZoneId zone) {
      this.source = source;
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
      return source.withZone(other);
    }

    @Override
    public Instant instant() {
      return source.instant();
    }
  }
}
