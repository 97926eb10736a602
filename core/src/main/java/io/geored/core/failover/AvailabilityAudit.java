package io.geored.core.failover;

import io.geored.core.internal.SiteContext;

/**
 * Probes the subclouds this site manages (not secondary ones, not those being rehomed) every
 * availability-audit interval; a run of failed probes makes a subcloud offline (alarm 280.001), the
 * first success online again.
 */
public class AvailabilityAudit {

  private final SiteContext context;

  /**
   * Creates the audit.
   *
   * @param context the engine's ports
   */
  public AvailabilityAudit(SiteContext context) {
    this.context = context;
  }

  /** Starts the periodic probing. */
  public void start() {
    // Filled in by the failover work.
  }

  /** Stops it. Idempotent. */
  public void stop() {
    // Filled in by the failover work.
  }
}
