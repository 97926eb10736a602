package io.geored.adapters.micrometer;

import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.Stores;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gauges that read the stores: a peer's availability, an association's sync status, a group's
 * migration status and its subclouds by deploy status. Their values are read from the stores at
 * each scrape, so they are right whoever wrote (another engine on the same database included); the
 * set of series follows the records this engine's stores have read or written (and the records
 * there at binding). A renamed peer or group moves to a series with its new name; a deleted record
 * loses its series. Thread-safe; its lock is never held while a store is called, so a store that
 * holds a lock of its own while it reports a record cannot deadlock with a scrape.
 */
final class StoreGauges {

  private final MeterRegistry registry;
  private final Stores stores;

  // Guarded by "this".
  private final Map<Long, String> peerNames = new HashMap<>();
  private final Map<Long, List<Meter>> peerMeters = new HashMap<>();
  private final Map<Long, String> groupNames = new HashMap<>();
  private final Map<Long, List<Meter>> groupMeters = new HashMap<>();
  private final Map<Long, Set<DeployStatus>> groupStatuses = new HashMap<>();
  private final Map<Long, List<Meter>> associationMeters = new HashMap<>();

  StoreGauges(MeterRegistry registry, Stores stores) {
    this.registry = registry;
    this.stores = stores;
  }

  /** Registers the series of every record in the stores now. */
  void scan() {
    stores.systemPeers().findAll().forEach(this::seen);
    stores.peerGroups().findAll().forEach(this::seen);
    stores.associations().findAll().forEach(this::seen);
    stores.subclouds().findAll().forEach(this::seen);
  }

  /** A record read from or written to a store: makes sure its series exist. */
  void seen(Object record) {
    if (record instanceof SystemPeer peer) {
      peer(peer);
    } else if (record instanceof SubcloudPeerGroup group) {
      group(group);
    } else if (record instanceof PeerGroupAssociation association) {
      association(association);
    } else if (record instanceof Subcloud subcloud) {
      subcloud(subcloud);
    } else if (record instanceof Optional<?> optional) {
      optional.ifPresent(this::seen);
    } else if (record instanceof List<?> list) {
      list.forEach(this::seen);
    }
  }

  private synchronized void peer(SystemPeer peer) {
    if (peer.peerName() == null || peer.peerName().equals(peerNames.get(peer.id()))) {
      return;
    }
    removeAll(peerMeters.remove(peer.id()));
    long id = peer.id();
    peerNames.put(id, peer.peerName());
    peerMeters.put(
        id,
        List.of(
            Gauge.builder(
                    MeterNames.PEER_AVAILABLE,
                    () ->
                        stores
                            .systemPeers()
                            .findById(id)
                            .map(p -> p.availabilityState() == PeerAvailability.AVAILABLE ? 1 : 0)
                            .orElse(null))
                .tag(MeterNames.PEER, peer.peerName())
                .description("1 while the system peer is available, else 0")
                .strongReference(true)
                .register(registry)));
  }

  private synchronized void group(SubcloudPeerGroup group) {
    if (group.peerGroupName() == null || group.peerGroupName().equals(groupNames.get(group.id()))) {
      return;
    }
    long id = group.id();
    removeAll(groupMeters.remove(id));
    groupNames.put(id, group.peerGroupName());
    List<Meter> meters = new ArrayList<>();
    for (MigrationStatus status : MigrationStatus.values()) {
      meters.add(
          Gauge.builder(
                  MeterNames.GROUP_MIGRATION_STATUS,
                  () ->
                      stores
                          .peerGroups()
                          .findById(id)
                          .map(g -> g.migrationStatus() == status ? 1 : 0)
                          .orElse(null))
              .tags(MeterNames.GROUP, group.peerGroupName(), MeterNames.STATUS, status.wire())
              .description("1 for the peer group's migration status, 0 for the others")
              .strongReference(true)
              .register(registry));
    }
    for (DeployStatus status : groupStatuses.getOrDefault(id, Set.of())) {
      meters.add(subcloudGauge(id, group.peerGroupName(), status));
    }
    groupMeters.put(id, meters);
  }

  private void subcloud(Subcloud subcloud) {
    Long groupId = subcloud.peerGroupId();
    if (groupId == null || subcloud.deployStatus() == null) {
      return;
    }
    // Read outside the lock: a store may hold its own lock (a transaction) while it calls in here.
    if (groupName(groupId).isEmpty()) {
      return;
    }
    synchronized (this) {
      String name = groupNames.get(groupId);
      Set<DeployStatus> statuses = groupStatuses.computeIfAbsent(groupId, k -> new HashSet<>());
      if (name != null && statuses.add(subcloud.deployStatus())) {
        groupMeters
            .computeIfAbsent(groupId, k -> new ArrayList<>())
            .add(subcloudGauge(groupId, name, subcloud.deployStatus()));
      }
    }
  }

  private Meter subcloudGauge(long groupId, String groupName, DeployStatus status) {
    return Gauge.builder(
            MeterNames.GROUP_SUBCLOUDS,
            () ->
                stores.subclouds().findByPeerGroup(groupId).stream()
                    .filter(s -> s.deployStatus() == status)
                    .count())
        .tags(MeterNames.GROUP, groupName, MeterNames.STATUS, status.wire())
        .description("the peer group's subclouds in a deploy status")
        .strongReference(true)
        .register(registry);
  }

  private synchronized void association(PeerGroupAssociation association) {
    long id = association.id();
    if (associationMeters.containsKey(id)) {
      return;
    }
    List<Meter> meters = new ArrayList<>();
    for (SyncStatus status : SyncStatus.values()) {
      meters.add(
          Gauge.builder(
                  MeterNames.ASSOCIATION_SYNC_STATUS,
                  () ->
                      stores
                          .associations()
                          .findById(id)
                          .map(a -> a.syncStatus() == status ? 1 : 0)
                          .orElse(null))
              .tags(MeterNames.ASSOCIATION, String.valueOf(id), MeterNames.STATUS, status.wire())
              .description("1 for the association's sync status, 0 for the others")
              .strongReference(true)
              .register(registry));
    }
    associationMeters.put(id, meters);
  }

  /** A record deleted from a store: its series go. */
  synchronized void deleted(String store, long id) {
    switch (store) {
      case "system_peers" -> {
        peerNames.remove(id);
        removeAll(peerMeters.remove(id));
      }
      case "peer_groups" -> {
        groupNames.remove(id);
        groupStatuses.remove(id);
        removeAll(groupMeters.remove(id));
      }
      case "associations" -> removeAll(associationMeters.remove(id));
      default -> {
        // A subcloud's series is its group's; its gauge reads 0 once the group has none left.
      }
    }
  }

  /** The name of a peer group, from what was seen, else from the store. */
  Optional<String> groupName(Long groupId) {
    if (groupId == null) {
      return Optional.empty();
    }
    synchronized (this) {
      String known = groupNames.get(groupId);
      if (known != null) {
        return Optional.of(known);
      }
    }
    Optional<SubcloudPeerGroup> group = stores.peerGroups().findById(groupId);
    group.ifPresent(this::group);
    return group.map(SubcloudPeerGroup::peerGroupName);
  }

  private void removeAll(List<Meter> meters) {
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }
}
