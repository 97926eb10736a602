package io.geored.spi.work;

import io.geored.spi.witness.Epoch;
import java.time.Duration;
import java.util.Optional;

/**
 * The host's say in an automatic failover under heartbeat failure policy {@code delegate}: when a
 * peer group has had no leader for the maintenance timeout and this site is the best live candidate
 * to take it over, the engine asks, and does what the answer says. Called on an engine thread; it
 * must answer promptly (a slow answer delays the engine's other witness work).
 */
@FunctionalInterface
public interface FailoverDecider {

  /** Never takes a group over: the alarm stays for an operator. */
  FailoverDecider ALARM_ONLY = (group, lastLeader, freeFor) -> FailoverDecision.ALARM_ONLY;

  /**
   * Decides whether to take a group over now.
   *
   * @param peerGroupName the group's name
   * @param lastLeader the epoch of the group's last leader as the witness knows it, or empty when
   *     the group was never led under the witness
   * @param freeFor how long this site has seen the group's lease without a holder
   * @return migrate now, wait, or alarm only
   */
  FailoverDecision decide(String peerGroupName, Optional<Epoch> lastLeader, Duration freeFor);
}
