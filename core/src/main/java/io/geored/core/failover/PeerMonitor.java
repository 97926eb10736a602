package io.geored.core.failover;

import io.geored.core.internal.SiteContext;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;

/**
 * Watches every system peer this site has an association with (DOMAIN.md step 4): one heartbeat
 * task per peer on the scheduler, the peer's availability, alarm 280.004, the primary associations'
 * status while the peer is lost and when it is back, and the audits of the groups both sites hold.
 */
public class PeerMonitor {

  private final SiteContext context;
  private final PeerGroupAudit audit;

  /**
   * Creates the monitor.
   *
   * @param context the engine's ports
   * @param audit the peer-group audit it drives
   */
  public PeerMonitor(SiteContext context, PeerGroupAudit audit) {
    this.context = context;
    this.audit = audit;
  }

  /** Starts a heartbeat task for every peer that has associations. */
  public void start() {
    // Filled in by the failover work.
  }

  /** Stops every heartbeat task. Idempotent. */
  public void stop() {
    // Filled in by the failover work.
  }

  /**
   * Re-plans the heartbeat tasks after associations or system peers changed: starts, stops or
   * reschedules (new interval) tasks so that exactly the peers with associations are watched.
   */
  public void replan() {
    // Filled in by the failover work.
  }

  /**
   * A peer asks this site to audit a group (the audit verb of SiteApi).
   *
   * @param caller who asks
   * @param ref the group's name or id
   * @param request the group as the peer holds it, with the peer's uuid
   * @return null message when the audit ran, else why not (MESSAGES.md)
   */
  public AuditAnswer onAuditRequest(Caller caller, String ref, AuditRequest request) {
    throw new UnsupportedOperationException("peer monitor");
  }
}
