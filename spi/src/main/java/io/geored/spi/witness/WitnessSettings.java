package io.geored.spi.witness;

import java.time.Duration;
import java.util.Objects;

/**
 * The witness's timing, the same on every site of a cluster: the lease TTL, how often a holder
 * renews, and the fence margin it keeps before the TTL runs out. See {@link
 * #longestTolerablePause(double)} for what they guarantee.
 *
 * @param ttl how long the witness keeps a lease or a site's liveness after a renewal, by its clock
 * @param renewEvery how often a holder renews, positive and shorter than {@code ttl - fenceMargin}
 * @param fenceMargin how long before the TTL runs out (from the renewal's send time) a holder stops
 *     acting, 0 or more and shorter than the TTL
 */
public record WitnessSettings(Duration ttl, Duration renewEvery, Duration fenceMargin) {

  /** The default TTL, 60 s: above short witness blips, below the 300 s minimum maintenance. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

  /** The default renewal interval, 10 s. */
  public static final Duration DEFAULT_RENEW_EVERY = Duration.ofSeconds(10);

  /** The default fence margin, 15 s. */
  public static final Duration DEFAULT_FENCE_MARGIN = Duration.ofSeconds(15);

  /** The defaults: a 60 s TTL, renewed every 10 s, with a 15 s fence margin. */
  public static final WitnessSettings DEFAULTS =
      new WitnessSettings(DEFAULT_TTL, DEFAULT_RENEW_EVERY, DEFAULT_FENCE_MARGIN);

  /**
   * Checks the durations.
   *
   * @param ttl the lease TTL, positive
   * @param renewEvery the renewal interval, positive and shorter than {@code ttl - fenceMargin}
   * @param fenceMargin the fence margin, 0 or more and shorter than the TTL
   * @throws IllegalArgumentException when a duration is out of its range
   */
  public WitnessSettings {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(renewEvery, "renewEvery");
    Objects.requireNonNull(fenceMargin, "fenceMargin");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("witness TTL must be positive, was " + ttl);
    }
    if (fenceMargin.isNegative() || fenceMargin.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException(
          "witness fence margin must be from 0 to less than the TTL "
              + ttl
              + ", was "
              + fenceMargin);
    }
    if (renewEvery.isNegative()
        || renewEvery.isZero()
        || renewEvery.compareTo(ttl.minus(fenceMargin)) >= 0) {
      throw new IllegalArgumentException(
          "witness renewal interval must be positive and shorter than the TTL minus the fence margin "
              + ttl.minus(fenceMargin)
              + ", was "
              + renewEvery);
    }
  }

  /**
   * The longest pause between a holder's deadline check and the effect of the action it guards for
   * which an old holder still stops before a new one can start: {@code T/(1+ρ) − (T−M)/(1−ρ)}, with
   * {@code T} the TTL, {@code M} the fence margin and {@code ρ} the bound on how far any clock's
   * rate (each site's monotonic clock, the witness's) strays from real time. With the defaults and
   * ρ = 10⁻³ it is 14.895 s.
   *
   * @param clockRateBound ρ, from 0 to less than 1 (e.g. 0.001 for 1000 ppm)
   * @return the bound, to the nanosecond (rounded down); negative when the margin cannot even cover
   *     the drift
   * @throws IllegalArgumentException when ρ is out of range
   */
  public Duration longestTolerablePause(double clockRateBound) {
    if (!(clockRateBound >= 0 && clockRateBound < 1)) {
      throw new IllegalArgumentException(
          "clock rate bound must be from 0 to less than 1, was " + clockRateBound);
    }
    double t = ttl.toNanos();
    double m = fenceMargin.toNanos();
    double pause = t / (1 + clockRateBound) - (t - m) / (1 - clockRateBound);
    return Duration.ofNanos((long) Math.floor(pause));
  }
}
