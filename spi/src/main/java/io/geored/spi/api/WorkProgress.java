package io.geored.spi.api;

import java.time.Instant;

/**
 * How far the latest migration of a peer group, or the latest sync of an association, has come on
 * this site: the same numbers a CLI waiting for a migration and a dashboard read. The counts are
 * those of the running work, or of the last one that finished; all zero (and both instants null)
 * when this site's engine has run none since it started.
 *
 * <p>Items are a migration's member subclouds, or the subclouds a sync copies to (or removes from)
 * the peer. Every item is in exactly one of: waiting ({@code total - done - inFlight}), in flight,
 * or done; {@code failed} counts the done items that did not succeed.
 *
 * @param status the resource's status now: the group's {@code migration_status} or the
 *     association's {@code sync_status}, in its wire spelling
 * @param total items the work takes on
 * @param done items finished, whatever their outcome
 * @param failed of the finished items, those that failed (a migration: not rehomed or left
 *     unmanaged; a sync: not copied or not removed)
 * @param inFlight items being worked on now
 * @param startedAt when the work started, by the engine's clock; null when none ran
 * @param estimatedEnd when the work ended, once it has; while it runs, {@code startedAt + (t -
 *     startedAt) * total / done}, where {@code t} is when the latest item finished: the pace of the
 *     items so far, held until the next one finishes; null until an item finished
 */
public record WorkProgress(
    String status,
    int total,
    int done,
    int failed,
    int inFlight,
    Instant startedAt,
    Instant estimatedEnd) {

  /**
   * Checks the counts.
   *
   * @param status the resource's status now
   * @param total items the work takes on
   * @param done items finished
   * @param failed of the finished items, those that failed
   * @param inFlight items being worked on now
   * @param startedAt when the work started, null when none ran
   * @param estimatedEnd when the work ended or likely ends, null until an item finished
   * @throws IllegalArgumentException when a count is negative, or done and in flight exceed the
   *     total, or more failed than done
   */
  public WorkProgress {
    if (total < 0 || done < 0 || failed < 0 || inFlight < 0) {
      throw new IllegalArgumentException("progress counts must not be negative");
    }
    if (done + inFlight > total || failed > done) {
      throw new IllegalArgumentException(
          "progress counts out of range: total="
              + total
              + " done="
              + done
              + " failed="
              + failed
              + " in_flight="
              + inFlight);
    }
  }

  /**
   * The progress of a resource on which this engine ran no such work.
   *
   * @param status the resource's status now
   * @return zero counts and no instants
   */
  public static WorkProgress none(String status) {
    return new WorkProgress(status, 0, 0, 0, 0, null, null);
  }

  /**
   * The same numbers with another status.
   *
   * @param newStatus the resource's status now
   * @return a copy
   */
  public WorkProgress withStatus(String newStatus) {
    return new WorkProgress(newStatus, total, done, failed, inFlight, startedAt, estimatedEnd);
  }
}
