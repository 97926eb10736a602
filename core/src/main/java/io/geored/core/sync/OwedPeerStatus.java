package io.geored.core.sync;

import io.geored.core.internal.SiteContext;
import io.geored.spi.GeoredException;
import io.geored.spi.NotFoundException;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The final sync status a primary association still owes the peer's copy (docs/adr/0011): a sync
 * sets the peer's copy syncing first, so a lost call at its end would leave that copy syncing for
 * good. The debt is a mark kept on the association in the store ({@code owedPeerStatus}), so it
 * survives a restart; it is paid by a few retries with backoff right after the sync, then by the
 * monitor's next successful heartbeat or the next audit of the group.
 *
 * <p>The peer's association is read only while a mark is present: without one, a heartbeat or an
 * audit makes no extra call. A running sync owns the peer's status: nothing is delivered while the
 * local association is syncing (that sync's own end rewrites the mark).
 *
 * <p>Thread-safe; holds no state of its own beyond the scheduled retries.
 */
public final class OwedPeerStatus {

  private static final Logger LOG = LoggerFactory.getLogger(OwedPeerStatus.class);

  /** When the retries after a lost final status run, each after the one before it. */
  static final List<Duration> RETRY_DELAYS =
      List.of(
          Duration.ofSeconds(10),
          Duration.ofSeconds(20),
          Duration.ofSeconds(40),
          Duration.ofSeconds(80),
          Duration.ofSeconds(160));

  private final SiteContext context;
  private final LocalAssociations local;
  private final StatusPropagation propagation;

  /**
   * Creates the keeper of owed statuses.
   *
   * @param context the engine's ports
   */
  public OwedPeerStatus(SiteContext context) {
    this.context = context;
    this.local = new LocalAssociations(context);
    this.propagation = new StatusPropagation(context);
  }

  /** Starts the retries for a mark just written; the first runs after the first delay. */
  void retryLater(long associationId) {
    schedule(associationId, 0);
  }

  private void schedule(long associationId, int attempt) {
    context
        .scheduler()
        .schedule(
            () -> {
              if (deliver(associationId, "retry")) {
                return;
              }
              if (attempt + 1 < RETRY_DELAYS.size()) {
                schedule(associationId, attempt + 1);
              } else {
                LOG.warn(
                    "owed peer status still not delivered after retries, the next heartbeat or"
                        + " audit delivers it association_id={} attempts={}",
                    associationId,
                    RETRY_DELAYS.size());
              }
            },
            RETRY_DELAYS.get(attempt));
  }

  /**
   * After a successful heartbeat: delivers what this site owes the peer's copies. Reads only the
   * local store when nothing is owed.
   *
   * @param peer the peer that answered
   */
  public void repair(SystemPeer peer) {
    for (PeerGroupAssociation a : context.stores().associations().findBySystemPeer(peer.id())) {
      if (a.owedPeerStatus() != null) {
        deliver(a.id(), "heartbeat");
      }
    }
  }

  /**
   * Before an audit of one group against the peer: delivers what this site owes the peer's copy of
   * the group's association. Reads only the local store when nothing is owed.
   *
   * @param peer the peer the group is audited against
   * @param localGroupId the local group
   */
  public void repair(SystemPeer peer, long localGroupId) {
    context
        .stores()
        .associations()
        .findByGroupAndPeer(localGroupId, peer.id())
        .filter(a -> a.owedPeerStatus() != null)
        .ifPresent(a -> deliver(a.id(), "audit"));
  }

  /**
   * Tells the peer the owed status when its copy holds another one, then clears the mark.
   *
   * @return true when nothing is owed any more (or a running sync owns the peer's status)
   */
  private boolean deliver(long associationId, String by) {
    Optional<PeerGroupAssociation> found = context.stores().associations().findById(associationId);
    if (found.isEmpty() || found.get().owedPeerStatus() == null) {
      return true;
    }
    PeerGroupAssociation association = found.get();
    if (association.syncStatus() == SyncStatus.SYNCING) {
      return true;
    }
    SyncStatus owed = association.owedPeerStatus();
    try {
      propagation.pushToPeer(association, owed);
    } catch (NotFoundException e) {
      // The peer holds no copy of the association (or of the group): nothing of it is syncing.
      LOG.info(
          "owed peer status dropped, the peer has no such association association_id={} by={}"
              + " reason={}",
          associationId,
          by,
          e.getMessage());
      local.clearOwed(associationId, owed);
      return true;
    } catch (GeoredException e) {
      LOG.info(
          "owed peer status not delivered association_id={} status={} by={} reason={}",
          associationId,
          owed.wire(),
          by,
          e.getMessage());
      return false;
    }
    local.clearOwed(associationId, owed);
    LOG.info(
        "owed peer status delivered association_id={} status={} by={}",
        associationId,
        owed.wire(),
        by);
    return true;
  }
}
