package io.geored.spi.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a lease lasts and how often its holder renews it. A holder that stops renewing loses the
 * lease at most {@code period} after its last renewal; renewing several times per period lets a
 * holder survive a failed renewal or two.
 *
 * @param period how long a taken or renewed lease lasts, positive
 * @param renewEvery how often the holder renews, positive and shorter than {@code period}
 */
public record LeaseSettings(Duration period, Duration renewEvery) {

  /** The default period: 30 s. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(30);

  /** The default renewal interval: 10 s. */
  public static final Duration DEFAULT_RENEW_EVERY = Duration.ofSeconds(10);

  /** The defaults: a 30 s lease renewed every 10 s. */
  public static final LeaseSettings DEFAULTS =
      new LeaseSettings(DEFAULT_PERIOD, DEFAULT_RENEW_EVERY);

  /**
   * Checks the durations.
   *
   * @param period how long a taken or renewed lease lasts, positive
   * @param renewEvery how often the holder renews, positive and shorter than {@code period}
   * @throws IllegalArgumentException when a duration is not positive or the renewal is not shorter
   *     than the period
   */
  public LeaseSettings {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(renewEvery, "renewEvery");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("lease period must be positive: " + period);
    }
    if (renewEvery.isNegative() || renewEvery.isZero() || renewEvery.compareTo(period) >= 0) {
      throw new IllegalArgumentException(
          "lease renewal interval must be positive and shorter than the period "
              + period
              + ": "
              + renewEvery);
    }
  }
}
