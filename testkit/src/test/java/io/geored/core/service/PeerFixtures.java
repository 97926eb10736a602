package io.geored.core.service;

import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.event.GeoredEventListener;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.AssociationStore;
import io.geored.spi.store.PeerGroupStore;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.spi.store.SubcloudStore;
import io.geored.spi.store.SystemPeerStore;
import io.geored.testkit.sim.SingleSite;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared arrangements for the tests of the system peer, peer group and association services. */
final class PeerFixtures {

  static final String PEER_UUID = "bbbbbbbb-0000-4000-8000-000000000002";
  static final String PEER_NAME = "site-b";
  static final String OTHER_UUID = "cccccccc-0000-4000-8000-000000000003";
  static final String OTHER_NAME = "site-c";
  static final String PASSWORD = "s3cret-Pw";
  static final String ENDPOINT = "https://10.10.10.2:5000/v3";
  static final String GATEWAY = "10.10.10.1";

  private PeerFixtures() {}

  /** A create request every rule accepts, naming only the required fields. */
  static SystemPeerCreate.Builder peerRequest() {
    return peerRequest(PEER_UUID, PEER_NAME);
  }

  /** A valid create request for a given uuid and name. */
  static SystemPeerCreate.Builder peerRequest(String uuid, String name) {
    return SystemPeerCreate.builder()
        .peerUuid(uuid)
        .peerName(name)
        .managerEndpoint(ENDPOINT)
        .managerUsername("admin")
        .managerPassword(PASSWORD)
        .peerControllerGatewayAddress(GATEWAY);
  }

  /** A text of {@code length} copies of one character. */
  static String text(char c, int length) {
    return String.valueOf(c).repeat(length);
  }

  /** A group inserted straight into the stores. */
  static SubcloudPeerGroup insertGroup(Stores stores, String name, int priority) {
    SubcloudPeerGroup group =
        SubcloudPeerGroup.builder()
            .peerGroupName(name)
            .groupPriority(priority)
            .groupState(GroupState.ENABLED)
            .maxSubcloudRehoming(10)
            .systemLeaderId(SingleSite.SITE_A.uuid())
            .systemLeaderName(SingleSite.SITE_A.name())
            .migrationStatus(MigrationStatus.NONE)
            .createdAt(Instant.EPOCH)
            .build();
    return saved(stores.peerGroups().insert(group));
  }

  /** An association inserted straight into the stores. */
  static PeerGroupAssociation insertAssociation(
      Stores stores, long groupId, long peerId, AssociationType type, SyncStatus status) {
    PeerGroupAssociation association =
        PeerGroupAssociation.builder()
            .peerGroupId(groupId)
            .systemPeerId(peerId)
            .peerGroupPriority(type == AssociationType.PRIMARY ? 2 : null)
            .associationType(type)
            .syncStatus(status)
            .syncMessage(status == SyncStatus.FAILED ? "earlier failure" : null)
            .createdAt(Instant.EPOCH)
            .build();
    return saved(stores.associations().insert(association));
  }

  /** A subcloud inserted straight into the stores. */
  static Subcloud insertSubcloud(
      Stores stores,
      String name,
      Long peerGroupId,
      ManagementState management,
      DeployStatus deploy) {
    Subcloud subcloud =
        Subcloud.builder()
            .name(name)
            .regionName("region-" + name)
            .managementState(management)
            .availabilityStatus(
                management == ManagementState.MANAGED
                    ? AvailabilityStatus.ONLINE
                    : AvailabilityStatus.OFFLINE)
            .deployStatus(deploy)
            .peerGroupId(peerGroupId)
            .createdAt(Instant.EPOCH)
            .build();
    return saved(stores.subclouds().insert(subcloud));
  }

  private static <T> T saved(StoreResult<T> result) {
    return result.orElseThrow(r -> new IllegalStateException("arrangement failed: " + r));
  }

  /** Everything the stores hold, to show a refused request changed nothing. */
  record Snapshot(
      List<SystemPeer> peers,
      List<SubcloudPeerGroup> groups,
      List<PeerGroupAssociation> associations,
      List<Subcloud> subclouds) {

    static Snapshot of(Stores stores) {
      return new Snapshot(
          stores.systemPeers().findAll(),
          stores.peerGroups().findAll(),
          stores.associations().findAll(),
          stores.subclouds().findAll());
    }
  }

  /** Hears the engine's events. */
  static final class RecordingEvents implements GeoredEventListener {
    private final List<GeoredEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(GeoredEvent event) {
      events.add(event);
    }

    /** The state changes heard, without their times. */
    List<String> stateChanges() {
      return events.stream()
          .filter(GeoredEvent.StateChanged.class::isInstance)
          .map(GeoredEvent.StateChanged.class::cast)
          .map(
              e -> e.resource() + " " + e.name() + " " + e.field() + " " + e.from() + "->" + e.to())
          .toList();
    }

    void clear() {
      events.clear();
    }
  }

  /** The stores of a fresh site, except that every update of one kind loses its race. */
  static Stores alwaysStale(Stores base, Class<?> kind) {
    return new Stores(
        kind == SystemPeer.class ? new StalePeers(base.systemPeers()) : base.systemPeers(),
        kind == SubcloudPeerGroup.class ? new StaleGroups(base.peerGroups()) : base.peerGroups(),
        kind == PeerGroupAssociation.class
            ? new StaleAssociations(base.associations())
            : base.associations(),
        kind == Subcloud.class ? new StaleSubclouds(base.subclouds()) : base.subclouds(),
        base.transactions());
  }

  private record StalePeers(SystemPeerStore d) implements SystemPeerStore {
    public StoreResult<SystemPeer> insert(SystemPeer p) {
      return d.insert(p);
    }

    public StoreResult<SystemPeer> update(SystemPeer p) {
      return new StoreResult.Stale<>();
    }

    public boolean delete(long id) {
      return d.delete(id);
    }

    public Optional<SystemPeer> findById(long id) {
      return d.findById(id);
    }

    public Optional<SystemPeer> findByUuid(String uuid) {
      return d.findByUuid(uuid);
    }

    public Optional<SystemPeer> findByName(String name) {
      return d.findByName(name);
    }

    public List<SystemPeer> findAll() {
      return d.findAll();
    }
  }

  private record StaleGroups(PeerGroupStore d) implements PeerGroupStore {
    public StoreResult<SubcloudPeerGroup> insert(SubcloudPeerGroup g) {
      return d.insert(g);
    }

    public StoreResult<SubcloudPeerGroup> update(SubcloudPeerGroup g) {
      return new StoreResult.Stale<>();
    }

    public boolean delete(long id) {
      return d.delete(id);
    }

    public Optional<SubcloudPeerGroup> findById(long id) {
      return d.findById(id);
    }

    public Optional<SubcloudPeerGroup> findByName(String name) {
      return d.findByName(name);
    }

    public List<SubcloudPeerGroup> findAll() {
      return d.findAll();
    }
  }

  private record StaleAssociations(AssociationStore d) implements AssociationStore {
    public StoreResult<PeerGroupAssociation> insert(PeerGroupAssociation a) {
      return d.insert(a);
    }

    public StoreResult<PeerGroupAssociation> update(PeerGroupAssociation a) {
      return new StoreResult.Stale<>();
    }

    public boolean delete(long id) {
      return d.delete(id);
    }

    public Optional<PeerGroupAssociation> findById(long id) {
      return d.findById(id);
    }

    public Optional<PeerGroupAssociation> findByGroupAndPeer(long groupId, long peerId) {
      return d.findByGroupAndPeer(groupId, peerId);
    }

    public List<PeerGroupAssociation> findByPeerGroup(long groupId) {
      return d.findByPeerGroup(groupId);
    }

    public List<PeerGroupAssociation> findBySystemPeer(long peerId) {
      return d.findBySystemPeer(peerId);
    }

    public List<PeerGroupAssociation> findAll() {
      return d.findAll();
    }
  }

  private record StaleSubclouds(SubcloudStore d) implements SubcloudStore {
    public StoreResult<Subcloud> insert(Subcloud s) {
      return d.insert(s);
    }

    public StoreResult<Subcloud> update(Subcloud s) {
      return new StoreResult.Stale<>();
    }

    public boolean delete(long id) {
      return d.delete(id);
    }

    public Optional<Subcloud> findById(long id) {
      return d.findById(id);
    }

    public Optional<Subcloud> findByName(String name) {
      return d.findByName(name);
    }

    public Optional<Subcloud> findByRegionName(String region) {
      return d.findByRegionName(region);
    }

    public List<Subcloud> findByPeerGroup(long groupId) {
      return d.findByPeerGroup(groupId);
    }

    public List<Subcloud> findByDeployStatus(Collection<DeployStatus> statuses) {
      return d.findByDeployStatus(statuses);
    }

    public List<Subcloud> findAll() {
      return d.findAll();
    }
  }
}
