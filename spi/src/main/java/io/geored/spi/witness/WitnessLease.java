package io.geored.spi.witness;

import java.time.Duration;
import java.util.Objects;

/**
 * A group's witness lease as its holder knows it after a successful acquire or renewal. All
 * instants are readings of the holder's own {@link io.geored.spi.time.Ticker}, never of a wall
 * clock: the holder may act for the group only from {@link #usableFromNanos()} and until its
 * deadline, {@code sentNanos + ttl - fenceMargin} (see {@link #usableAt}).
 *
 * @param group the peer group's name
 * @param epoch the tenure, kept by renewals
 * @param ttl how long the witness keeps the lease after each renewal, by its own clock
 * @param sentNanos when the holder sent the acquire or renewal that the witness granted
 * @param usableFromNanos from when the holder may act: {@code sentNanos} for a lease that was free
 *     or released, later when the witness requires a wait after taking over an expired tenure (see
 *     {@link Witness#takeOverWait()}); renewals keep it
 */
public record WitnessLease(
    String group, Epoch epoch, Duration ttl, long sentNanos, long usableFromNanos) {

  /**
   * Checks the parts.
   *
   * @param group the peer group's name
   * @param epoch the tenure
   * @param ttl the witness's TTL, positive
   * @param sentNanos when the granted request was sent
   * @param usableFromNanos from when the holder may act
   * @throws IllegalArgumentException when the TTL is not positive
   */
  public WitnessLease {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("witness lease TTL must be positive, was " + ttl);
    }
  }

  /**
   * The last instant at which the holder may still act: the send time of its last successful
   * renewal plus the TTL, minus the fence margin.
   *
   * @param fenceMargin the margin kept against clock drift and pauses, shorter than the TTL
   * @return the deadline, on the holder's ticker (exclusive)
   * @throws IllegalArgumentException when the margin is negative or not shorter than the TTL
   */
  public long deadlineNanos(Duration fenceMargin) {
    Objects.requireNonNull(fenceMargin, "fenceMargin");
    if (fenceMargin.isNegative() || fenceMargin.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException(
          "fence margin must be from 0 to less than the TTL " + ttl + ", was " + fenceMargin);
    }
    return sentNanos + ttl.minus(fenceMargin).toNanos();
  }

  /**
   * Whether the holder may act for the group now; every leader action asks just before it acts.
   *
   * @param nowNanos the holder's ticker now
   * @param fenceMargin the fence margin
   * @return true from {@link #usableFromNanos()} until before the deadline
   * @throws IllegalArgumentException when the margin is negative or not shorter than the TTL
   */
  public boolean usableAt(long nowNanos, Duration fenceMargin) {
    return nowNanos - usableFromNanos >= 0 && nowNanos - deadlineNanos(fenceMargin) < 0;
  }

  /**
   * The same tenure after a renewal sent at another instant; {@link #usableFromNanos()} is kept.
   *
   * @param sent when the granted renewal was sent
   * @return the renewed lease
   */
  public WitnessLease renewedAt(long sent) {
    return new WitnessLease(group, epoch, ttl, sent, usableFromNanos);
  }
}
