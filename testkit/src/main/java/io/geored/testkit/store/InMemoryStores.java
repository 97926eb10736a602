package io.geored.testkit.store;

import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.AssociationStore;
import io.geored.spi.store.PeerGroupStore;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.spi.store.SubcloudStore;
import io.geored.spi.store.SystemPeerStore;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stores of one site kept in memory: compare-and-set on versions, unique keys, serializable
 * transactions with rollback. What tests and the simulated sites use; not durable.
 */
public final class InMemoryStores {

  private InMemoryStores() {}

  /**
   * A fresh, empty set of stores sharing one transaction boundary.
   *
   * @return the stores
   */
  public static Stores create() {
    InMemoryDatabase db = new InMemoryDatabase();
    return new Stores(new Peers(db), new Groups(db), new Associations(db), new Subclouds(db), db);
  }

  static final class Peers implements SystemPeerStore {
    private final Table<SystemPeer> table;

    Peers(InMemoryDatabase db) {
      table =
          new Table<>(
              db,
              SystemPeer::id,
              SystemPeer::version,
              (r, id, v) -> r.toBuilder().id(id).version(v).build(),
              List.of(
                  new Table.Unique<>(UNIQUE_UUID, SystemPeer::peerUuid),
                  new Table.Unique<>(UNIQUE_NAME, SystemPeer::peerName)));
    }

    @Override
    public StoreResult<SystemPeer> insert(SystemPeer peer) {
      return table.insert(peer);
    }

    @Override
    public StoreResult<SystemPeer> update(SystemPeer peer) {
      return table.update(peer);
    }

    @Override
    public boolean delete(long id) {
      return table.delete(id);
    }

    @Override
    public Optional<SystemPeer> findById(long id) {
      return table.findById(id);
    }

    @Override
    public Optional<SystemPeer> findByUuid(String peerUuid) {
      return table.findByUnique(UNIQUE_UUID, peerUuid);
    }

    @Override
    public Optional<SystemPeer> findByName(String peerName) {
      return table.findByUnique(UNIQUE_NAME, peerName);
    }

    @Override
    public List<SystemPeer> findAll() {
      return table.findAll(p -> true);
    }
  }

  static final class Groups implements PeerGroupStore {
    private final Table<SubcloudPeerGroup> table;

    Groups(InMemoryDatabase db) {
      table =
          new Table<>(
              db,
              SubcloudPeerGroup::id,
              SubcloudPeerGroup::version,
              (r, id, v) -> r.toBuilder().id(id).version(v).build(),
              List.of(new Table.Unique<>(UNIQUE_NAME, SubcloudPeerGroup::peerGroupName)));
    }

    @Override
    public StoreResult<SubcloudPeerGroup> insert(SubcloudPeerGroup group) {
      return table.insert(group);
    }

    @Override
    public StoreResult<SubcloudPeerGroup> update(SubcloudPeerGroup group) {
      return table.update(group);
    }

    @Override
    public boolean delete(long id) {
      return table.delete(id);
    }

    @Override
    public Optional<SubcloudPeerGroup> findById(long id) {
      return table.findById(id);
    }

    @Override
    public Optional<SubcloudPeerGroup> findByName(String name) {
      return table.findByUnique(UNIQUE_NAME, name);
    }

    @Override
    public List<SubcloudPeerGroup> findAll() {
      return table.findAll(g -> true);
    }
  }

  static final class Associations implements AssociationStore {
    private final Table<PeerGroupAssociation> table;

    Associations(InMemoryDatabase db) {
      table =
          new Table<>(
              db,
              PeerGroupAssociation::id,
              PeerGroupAssociation::version,
              (r, id, v) -> r.toBuilder().id(id).version(v).build(),
              List.of(
                  new Table.Unique<>(
                      UNIQUE_GROUP_AND_PEER, a -> List.of(a.peerGroupId(), a.systemPeerId()))));
    }

    @Override
    public StoreResult<PeerGroupAssociation> insert(PeerGroupAssociation association) {
      return table.insert(association);
    }

    @Override
    public StoreResult<PeerGroupAssociation> update(PeerGroupAssociation association) {
      return table.update(association);
    }

    @Override
    public boolean delete(long id) {
      return table.delete(id);
    }

    @Override
    public Optional<PeerGroupAssociation> findById(long id) {
      return table.findById(id);
    }

    @Override
    public Optional<PeerGroupAssociation> findByGroupAndPeer(long peerGroupId, long systemPeerId) {
      return table.findByUnique(UNIQUE_GROUP_AND_PEER, List.of(peerGroupId, systemPeerId));
    }

    @Override
    public List<PeerGroupAssociation> findByPeerGroup(long peerGroupId) {
      return table.findAll(a -> a.peerGroupId() == peerGroupId);
    }

    @Override
    public List<PeerGroupAssociation> findBySystemPeer(long systemPeerId) {
      return table.findAll(a -> a.systemPeerId() == systemPeerId);
    }

    @Override
    public List<PeerGroupAssociation> findAll() {
      return table.findAll(a -> true);
    }
  }

  static final class Subclouds implements SubcloudStore {
    private final Table<Subcloud> table;

    Subclouds(InMemoryDatabase db) {
      table =
          new Table<>(
              db,
              Subcloud::id,
              Subcloud::version,
              Subclouds::stamped,
              List.of(
                  new Table.Unique<>(UNIQUE_NAME, Subcloud::name),
                  new Table.Unique<>(UNIQUE_REGION, Subcloud::regionName)));
    }

    /** The stored copy: the record with its id and version, built without a builder per write. */
    private static Subcloud stamped(Subcloud r, long id, long version) {
      return new Subcloud(
          id,
          r.name(),
          r.regionName(),
          r.description(),
          r.location(),
          r.softwareVersion(),
          r.managementState(),
          r.availabilityStatus(),
          r.deployStatus(),
          r.errorDescription(),
          r.groupId(),
          r.peerGroupId(),
          r.rehomeData(),
          r.installValues(),
          r.rehomed(),
          r.handedOverTo(),
          r.createdAt(),
          r.updatedAt(),
          version);
    }

    @Override
    public StoreResult<Subcloud> insert(Subcloud subcloud) {
      return table.insert(subcloud);
    }

    @Override
    public StoreResult<Subcloud> update(Subcloud subcloud) {
      return table.update(subcloud);
    }

    @Override
    public boolean delete(long id) {
      return table.delete(id);
    }

    @Override
    public Optional<Subcloud> findById(long id) {
      return table.findById(id);
    }

    @Override
    public Optional<Subcloud> findByName(String name) {
      return table.findByUnique(UNIQUE_NAME, name);
    }

    @Override
    public Optional<Subcloud> findByRegionName(String regionName) {
      return table.findByUnique(UNIQUE_REGION, regionName);
    }

    @Override
    public List<Subcloud> findByPeerGroup(long peerGroupId) {
      return table.findAll(s -> s.peerGroupId() != null && s.peerGroupId() == peerGroupId);
    }

    @Override
    public List<Subcloud> findByDeployStatus(Collection<DeployStatus> statuses) {
      Set<DeployStatus> wanted =
          statuses.isEmpty() ? EnumSet.noneOf(DeployStatus.class) : EnumSet.copyOf(statuses);
      return table.findAll(s -> wanted.contains(s.deployStatus()));
    }

    @Override
    public List<Subcloud> findAll() {
      return table.findAll(s -> true);
    }
  }
}
