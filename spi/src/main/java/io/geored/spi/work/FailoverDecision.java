package io.geored.spi.work;

/** What a {@link FailoverDecider} answers when a group it was asked about has had no leader. */
public enum FailoverDecision {
  /** Take the group's lease and migrate the group now, as an operator's migrate would. */
  MIGRATE_NOW,
  /** Do nothing now; the question is asked again at the next check. */
  WAIT,
  /** Do not take the group over; keep the alarm raised for an operator. */
  ALARM_ONLY
}
