package io.geored.adapters.micrometer;

import io.geored.spi.event.GeoredEvent;
import io.geored.spi.event.GeoredEventListener;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.store.Stores;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hears the engine's events and turns the ends of syncs and migrations into meters; then hands each
 * event on to the host's own listener.
 *
 * <ul>
 *   <li>A sync runs while an association's {@code sync_status} is {@code syncing} (a primary
 *       association is created syncing); when it leaves it, one sync ran ({@link
 *       MeterNames#ASSOCIATION_SYNCS}): a success when it became {@code in-sync}, else a failure,
 *       timed from the change to {@code syncing} by the events' own instants (the engine's clock).
 *       Only primary associations count: a non-primary one shows the peer's sync of it. The
 *       subclouds it synced are the sync progress events of its group that report a subcloud {@code
 *       synced}.
 *   <li>A migration runs while a group's {@code migration_status} is {@code migrating}; when it
 *       leaves it, {@link MeterNames#GROUP_MIGRATION_DURATION} records how long it took.
 *   <li>Each audit of a group that ran ends with an audit event: {@link MeterNames#GROUP_AUDITS}
 *       counts it, a success when it went through, a failure when it failed part-way.
 * </ul>
 *
 * Thread-safe; quick (no store access except one look-up when a sync starts).
 */
final class MetricsListener implements GeoredEventListener {

  private static final String SYNCING = "syncing";
  private static final String IN_SYNC = "in-sync";
  private static final String MIGRATING = "migrating";
  private static final String SYNCED_SUFFIX = " synced";

  private final MeterRegistry registry;
  private final Stores stores;
  private final StoreGauges groups;
  private final GeoredEventListener next;

  /** Syncs running, by association id. */
  private final Map<String, RunningSync> syncs = new ConcurrentHashMap<>();

  /** Migrations running, by group name. */
  private final Map<String, Instant> migrations = new ConcurrentHashMap<>();

  private static final class RunningSync {
    final Instant since;
    final String group;
    int synced;

    RunningSync(Instant since, String group) {
      this.since = since;
      this.group = group;
    }
  }

  MetricsListener(
      MeterRegistry registry, Stores stores, StoreGauges groups, GeoredEventListener next) {
    this.registry = registry;
    this.stores = stores;
    this.groups = groups;
    this.next = next;
  }

  @Override
  public void onEvent(GeoredEvent event) {
    try {
      if (event instanceof GeoredEvent.StateChanged change) {
        stateChanged(change);
      } else if (event instanceof GeoredEvent.Progress progress) {
        progress(progress);
      } else if (event instanceof GeoredEvent.Audited audited) {
        audited(audited);
      }
    } finally {
      next.onEvent(event);
    }
  }

  private void stateChanged(GeoredEvent.StateChanged c) {
    if (c.resource().equals("association") && c.field().equals("sync_status")) {
      if (SYNCING.equals(c.to())) {
        syncStarted(c);
      } else if (SYNCING.equals(c.from())) {
        syncEnded(c);
      }
    } else if (c.resource().equals("peer_group") && c.field().equals("migration_status")) {
      if (MIGRATING.equals(c.to())) {
        migrations.put(c.name(), c.at());
      } else if (MIGRATING.equals(c.from())) {
        Instant since = migrations.remove(c.name());
        if (since != null) {
          Timer.builder(MeterNames.GROUP_MIGRATION_DURATION)
              .tag(MeterNames.GROUP, c.name())
              .description("how long a migration of the peer group ran on this site")
              .register(registry)
              .record(Duration.between(since, c.at()));
        }
      }
    } else if (c.resource().equals("association") && c.field().equals("exists")) {
      if (c.to() == null) {
        syncs.remove(c.name());
      } else {
        // A primary association is created syncing: its first sync starts with it.
        createdSyncing(c);
      }
    }
  }

  private void createdSyncing(GeoredEvent.StateChanged c) {
    Optional<PeerGroupAssociation> association = association(c.name());
    if (association.isPresent() && association.get().syncStatus() == SyncStatus.SYNCING) {
      syncStarted(c, association.get());
    }
  }

  private void syncStarted(GeoredEvent.StateChanged c) {
    association(c.name()).ifPresent(a -> syncStarted(c, a));
  }

  private void syncStarted(GeoredEvent.StateChanged c, PeerGroupAssociation association) {
    if (!association.isPrimary()) {
      return;
    }
    String group = groups.groupName(association.peerGroupId()).orElse(null);
    syncs.put(c.name(), new RunningSync(c.at(), group));
    // Both outcomes exist from the first sync on, so "no failure yet" reads 0.
    syncCounter(c.name(), MeterNames.SUCCESS);
    syncCounter(c.name(), MeterNames.FAILURE);
  }

  private Counter syncCounter(String association, String outcome) {
    return Counter.builder(MeterNames.ASSOCIATION_SYNCS)
        .tags(MeterNames.ASSOCIATION, association, MeterNames.OUTCOME, outcome)
        .description("syncs this site ran of the association, by outcome")
        .register(registry);
  }

  private void syncEnded(GeoredEvent.StateChanged c) {
    RunningSync run = syncs.remove(c.name());
    if (run == null) {
      return;
    }
    String outcome = IN_SYNC.equals(c.to()) ? MeterNames.SUCCESS : MeterNames.FAILURE;
    syncCounter(c.name(), outcome).increment();
    Timer.builder(MeterNames.ASSOCIATION_SYNC_DURATION)
        .tags(MeterNames.ASSOCIATION, c.name(), MeterNames.OUTCOME, outcome)
        .description("how long a sync of the association ran")
        .register(registry)
        .record(Duration.between(run.since, c.at()));
    int synced;
    synchronized (run) {
      synced = run.synced;
    }
    DistributionSummary.builder(MeterNames.ASSOCIATION_SYNC_SUBCLOUDS)
        .tag(MeterNames.ASSOCIATION, c.name())
        .description("subclouds one sync of the association copied to the peer")
        .register(registry)
        .record(synced);
  }

  private void audited(GeoredEvent.Audited a) {
    String outcome =
        GeoredEvent.Audited.SUCCEEDED.equals(a.outcome()) ? MeterNames.SUCCESS : MeterNames.FAILURE;
    // Both outcomes exist from the first audit on, so "no failure yet" reads 0.
    auditCounter(a.group(), MeterNames.SUCCESS);
    auditCounter(a.group(), MeterNames.FAILURE);
    auditCounter(a.group(), outcome).increment();
  }

  private Counter auditCounter(String group, String outcome) {
    return Counter.builder(MeterNames.GROUP_AUDITS)
        .tags(MeterNames.GROUP, group, MeterNames.OUTCOME, outcome)
        .description("peer-group audits this site ran of the group, by outcome")
        .register(registry);
  }

  private void progress(GeoredEvent.Progress p) {
    if (!p.operation().equals("sync")
        || p.detail() == null
        || !p.detail().endsWith(SYNCED_SUFFIX)) {
      return;
    }
    for (RunningSync run : syncs.values()) {
      if (p.subject().equals(run.group)) {
        synchronized (run) {
          run.synced++;
        }
      }
    }
  }

  private Optional<PeerGroupAssociation> association(String id) {
    try {
      return stores.associations().findById(Long.parseLong(id));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
