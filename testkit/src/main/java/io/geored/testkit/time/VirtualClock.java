package io.geored.testkit.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told. Thread-safe. UTC. */
public final class VirtualClock extends Clock {

  private volatile Instant now;

  /**
   * A clock standing at an instant.
   *
   * @param start where it stands
   */
  public VirtualClock(Instant start) {
    this.now = start;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a virtual clock is always UTC");
  }

  @Override
  public Instant instant() {
    return now;
  }

  /**
   * Moves the clock to an instant (never backwards).
   *
   * @param instant the new time
   */
  public synchronized void setInstant(Instant instant) {
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
   */
  public synchronized void advance(Duration duration) {
    setInstant(now.plus(duration));
  }
}
