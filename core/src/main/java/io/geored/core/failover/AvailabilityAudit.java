package io.geored.core.failover;

import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.WorkLeases;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.time.Cancellable;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Probes the subclouds this site watches (every one except secondary copies and those in pre-rehome
 * or rehoming) every availability-audit interval through the {@link
 * io.geored.spi.work.SubcloudProbe}; {@code offlineAfterFailedProbes} failed probes in a row make a
 * subcloud offline (alarm 280.001, major, entity {@code subcloud=<name>}), the first success online
 * again (alarm cleared). Each transition is stored and told to the event listener and the state
 * listener, whose failure undoes nothing.
 *
 * <p>A probe that answers offline, completes exceptionally or throws counts as failed. A subcloud
 * whose probe has not answered yet is not probed again. Thread-safe: probes may answer on any
 * thread; their results are handled on the engine's scheduler.
 */
public class AvailabilityAudit {

  private static final Logger LOG = EscapingLogger.of(AvailabilityAudit.class);

  /** Deploy statuses the audit leaves alone: another site's copy, or a rehome in progress. */
  static final Set<DeployStatus> NOT_PROBED =
      EnumSet.of(DeployStatus.SECONDARY, DeployStatus.PRE_REHOME, DeployStatus.REHOMING);

  private final SiteContext context;
  private final AvailabilityWrites writes;
  private final Map<Long, Integer> failedInARow = new ConcurrentHashMap<>();
  private final Set<Long> awaiting = ConcurrentHashMap.newKeySet();
  private volatile Cancellable periodic;
  private volatile boolean running;

  /**
   * Creates the audit.
   *
   * @param context the engine's ports
   */
  public AvailabilityAudit(SiteContext context) {
    this.context = context;
    this.writes = new AvailabilityWrites(context);
  }

  /**
   * Starts the periodic probing: the first round one interval from now, then one every interval.
   * Calling it again while running does nothing.
   */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    Duration every = context.settings().availabilityAuditInterval();
    periodic = context.scheduler().scheduleWithFixedDelay(this::runRound, every, every);
    LOG.info(
        "availability audit started interval={} offline_after={}",
        every,
        context.settings().offlineAfterFailedProbes());
  }

  /** Stops the probing; answers still on their way are ignored. Idempotent. */
  public synchronized void stop() {
    running = false;
    context.leases().release(WorkLeases.AVAILABILITY);
    Cancellable task = periodic;
    periodic = null;
    if (task != null) {
      task.cancel();
      LOG.info("availability audit stopped");
    }
  }

  /**
   * Whether a subcloud is one the audit probes.
   *
   * @param subcloud the subcloud
   * @return false for secondary copies and subclouds being rehomed
   */
  public static boolean probes(Subcloud subcloud) {
    return !NOT_PROBED.contains(subcloud.deployStatus());
  }

  private void runRound() {
    if (!running) {
      return;
    }
    // Another engine on this database probes the subclouds: one round per interval, not one per
    // engine.
    if (!context.leases().holds(WorkLeases.AVAILABILITY)) {
      LOG.debug("availability audit round skipped, another engine holds it");
      return;
    }
    try {
      List<Subcloud> all = context.stores().subclouds().findAll();
      Set<Long> watched = new HashSet<>();
      int sent = 0;
      for (Subcloud subcloud : all) {
        if (!probes(subcloud)) {
          continue;
        }
        watched.add(subcloud.id());
        if (awaiting.add(subcloud.id())) {
          probe(subcloud);
          sent++;
        }
      }
      // A subcloud deleted, or no longer probed, starts counting afresh if it comes back.
      failedInARow.keySet().retainAll(watched);
      LOG.debug("availability audit round subclouds={} probes={}", watched.size(), sent);
    } catch (RuntimeException e) {
      LOG.error("availability audit round failed", e);
    }
  }

  private void probe(Subcloud subcloud) {
    CompletionStage<AvailabilityStatus> answer;
    try {
      answer = context.probe().probe(subcloud);
      if (answer == null) {
        answer = CompletableFuture.failedFuture(new IllegalStateException("probe gave no answer"));
      }
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (status, error) -> {
          boolean online = error == null && status == AvailabilityStatus.ONLINE;
          if (error != null) {
            LOG.debug(
                "probe failed name={} error_type={}", subcloud.name(), error.getClass().getName());
          }
          // Back on the engine's scheduler: a closed engine drops the answer.
          context.scheduler().execute(() -> record(subcloud, online));
        });
  }

  private void record(Subcloud probed, boolean online) {
    awaiting.remove(probed.id());
    if (!running) {
      return;
    }
    try {
      // The record probed is at most one round old; when it already shows the answer, no write is
      // needed (a change made since is caught by the next round), which spares the store a read
      // per subcloud and round.
      if (online) {
        failedInARow.remove(probed.id());
        if (probed.availabilityStatus() != AvailabilityStatus.ONLINE) {
          writes.setAvailability(
              probed.id(), probed.name(), AvailabilityStatus.ONLINE, AvailabilityAudit::probes);
        }
        return;
      }
      int threshold = context.settings().offlineAfterFailedProbes();
      int failed = failedInARow.merge(probed.id(), 1, (a, b) -> Math.min(a + b, threshold));
      if (failed >= threshold && probed.availabilityStatus() != AvailabilityStatus.OFFLINE) {
        writes.setAvailability(
            probed.id(), probed.name(), AvailabilityStatus.OFFLINE, AvailabilityAudit::probes);
      }
    } catch (RuntimeException e) {
      LOG.error("availability change failed name={}", probed.name(), e);
    }
  }
}
