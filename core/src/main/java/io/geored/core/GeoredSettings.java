package io.geored.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the engine, with production defaults.
 *
 * @param syncConcurrency subclouds synced to a peer at once during an association sync (10)
 * @param casRetries how often a lost compare-and-set race is re-read and re-applied before the
 *     caller gets a conflict (5)
 * @param availabilityAuditInterval how often every subcloud is probed (20 s)
 * @param offlineAfterFailedProbes failed probes in a row that make a subcloud offline (2)
 * @param onlineWaitTimeout how long a rehomed subcloud may stay offline before migration gives up
 *     managing it (900 s)
 * @param onlineWaitPoll how often migration checks whether a rehomed subcloud came online (20 s)
 * @param shutdownTimeout how long {@code close()} waits for running work (10 s)
 */
public record GeoredSettings(
    int syncConcurrency,
    int casRetries,
    Duration availabilityAuditInterval,
    int offlineAfterFailedProbes,
    Duration onlineWaitTimeout,
    Duration onlineWaitPoll,
    Duration shutdownTimeout) {

  /** The production defaults. */
  public static final GeoredSettings DEFAULTS =
      new GeoredSettings(
          10,
          5,
          Duration.ofSeconds(20),
          2,
          Duration.ofSeconds(900),
          Duration.ofSeconds(20),
          Duration.ofSeconds(10));

  /** Checks every limit; names the field and the limit when one is broken. */
  public GeoredSettings {
    requireAtLeast("syncConcurrency", syncConcurrency, 1);
    requireAtLeast("casRetries", casRetries, 1);
    requirePositive("availabilityAuditInterval", availabilityAuditInterval);
    requireAtLeast("offlineAfterFailedProbes", offlineAfterFailedProbes, 1);
    requirePositive("onlineWaitTimeout", onlineWaitTimeout);
    requirePositive("onlineWaitPoll", onlineWaitPoll);
    requirePositive("shutdownTimeout", shutdownTimeout);
  }

  private static void requireAtLeast(String field, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be at least " + min + ", was " + value);
    }
  }

  private static void requirePositive(String field, Duration value) {
    Objects.requireNonNull(value, field);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, was " + value);
    }
  }

  /**
   * A copy with another sync concurrency.
   *
   * @param value subclouds in flight at once, at least 1
   * @return the new settings
   */
  public GeoredSettings withSyncConcurrency(int value) {
    return new GeoredSettings(
        value,
        casRetries,
        availabilityAuditInterval,
        offlineAfterFailedProbes,
        onlineWaitTimeout,
        onlineWaitPoll,
        shutdownTimeout);
  }

  /**
   * A copy with another retry bound for lost compare-and-set races.
   *
   * @param value attempts, at least 1
   * @return the new settings
   */
  public GeoredSettings withCasRetries(int value) {
    return new GeoredSettings(
        syncConcurrency,
        value,
        availabilityAuditInterval,
        offlineAfterFailedProbes,
        onlineWaitTimeout,
        onlineWaitPoll,
        shutdownTimeout);
  }
}
