package io.geored.core.internal;

import io.geored.spi.api.WorkProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest migration of each peer group and the latest sync of each association this engine ran,
 * counted as they go (docs/adr/0017). Kept in memory: an engine knows only the work it runs, and
 * forgets it when it stops; the work's outcome itself is in the stores. Thread-safe.
 */
public final class ProgressBoard {

  private final Map<Long, Tracker> migrations = new ConcurrentHashMap<>();
  private final Map<Long, Tracker> syncs = new ConcurrentHashMap<>();

  /**
   * A migration of a group starts; it replaces the group's previous one.
   *
   * @param groupId the group
   * @param total its members
   * @param at when
   * @return the tracker the run reports to
   */
  public Tracker migrationStarted(long groupId, int total, Instant at) {
    Tracker tracker = new Tracker(total, at);
    migrations.put(groupId, tracker);
    return tracker;
  }

  /**
   * A sync of an association starts; it replaces the association's previous one.
   *
   * @param associationId the association
   * @param at when
   * @return the tracker the run reports to (its total is set once known)
   */
  public Tracker syncStarted(long associationId, Instant at) {
    Tracker tracker = new Tracker(0, at);
    syncs.put(associationId, tracker);
    return tracker;
  }

  /**
   * The latest migration of a group.
   *
   * @param groupId the group
   * @param status the group's migration status now
   * @return its progress, empty when none ran on this engine
   */
  public Optional<WorkProgress> migration(long groupId, String status) {
    return Optional.ofNullable(migrations.get(groupId)).map(t -> t.snapshot(status));
  }

  /**
   * The latest sync of an association.
   *
   * @param associationId the association
   * @param status the association's sync status now
   * @return its progress, empty when none ran on this engine
   */
  public Optional<WorkProgress> sync(long associationId, String status) {
    return Optional.ofNullable(syncs.get(associationId)).map(t -> t.snapshot(status));
  }

  /**
   * Forgets an association's sync (the association was deleted).
   *
   * @param associationId the association
   */
  public void forgetSync(long associationId) {
    syncs.remove(associationId);
  }

  /** The counts of one run, updated by the run as its items move. */
  public static final class Tracker {
    private final Instant startedAt;
    private int total;
    private int done;
    private int failed;
    private int inFlight;
    private Instant lastFinishedAt;
    private Instant endedAt;

    Tracker(int total, Instant startedAt) {
      this.total = total;
      this.startedAt = startedAt;
    }

    /**
     * Sets how many items the run takes on, once it knows.
     *
     * @param items the total
     */
    public synchronized void total(int items) {
      this.total = items;
    }

    /** An item is being worked on. */
    public synchronized void itemStarted() {
      inFlight++;
    }

    /**
     * An item finished.
     *
     * @param succeeded whether it did what it was for
     * @param wasInFlight whether {@link #itemStarted()} was called for it
     * @param at when
     */
    public synchronized void itemFinished(boolean succeeded, boolean wasInFlight, Instant at) {
      if (wasInFlight && inFlight > 0) {
        inFlight--;
      }
      done++;
      if (!succeeded) {
        failed++;
      }
      lastFinishedAt = at;
    }

    /**
     * The run ended (every item done, or stopped before its items).
     *
     * @param at when
     */
    public synchronized void ended(Instant at) {
      inFlight = 0;
      endedAt = at;
    }

    synchronized WorkProgress snapshot(String status) {
      Instant estimate = endedAt;
      if (estimate == null && done > 0) {
        Duration elapsed = Duration.between(startedAt, lastFinishedAt);
        estimate = startedAt.plus(elapsed.multipliedBy(total).dividedBy(done));
      }
      int shownTotal = Math.max(total, done + inFlight);
      return new WorkProgress(status, shownTotal, done, failed, inFlight, startedAt, estimate);
    }
  }
}
