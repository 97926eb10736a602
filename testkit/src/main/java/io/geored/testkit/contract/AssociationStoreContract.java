package io.geored.testkit.contract;

import static io.geored.testkit.contract.Fixtures.saved;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.AssociationType;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.AssociationStore;
import io.geored.spi.store.StoreResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AssociationStore}: every implementation's test extends this class and
 * answers {@link #newStores()}. Associations refer to stored peers and groups (a database may hold
 * foreign keys). Besides what {@link RecordStoreContract} checks for every store: each field
 * round-trips exactly, (group, peer) is a unique key, and the finders answer exactly the matching
 * associations ordered by id.
 */
public abstract class AssociationStoreContract extends RecordStoreContract<PeerGroupAssociation> {

  /** A stored group most associations belong to. */
  SubcloudPeerGroup group1;

  /** Another stored group. */
  SubcloudPeerGroup group2;

  private AssociationStore store() {
    return stores.associations();
  }

  @Override
  void prepare() {
    group1 = saved(stores.peerGroups().insert(Fixtures.peerGroup("assoc-group-1")));
    group2 = saved(stores.peerGroups().insert(Fixtures.peerGroup("assoc-group-2")));
  }

  /** A stored peer for a name, inserted on first use; thread-safe for distinct names. */
  private SystemPeer peer(String name) {
    return stores
        .systemPeers()
        .findByName(name)
        .orElseGet(() -> saved(stores.systemPeers().insert(Fixtures.systemPeer(name))));
  }

  @Override
  PeerGroupAssociation newRecord(int n) {
    return Fixtures.association(group1.id(), peer("assoc-peer-" + n).id());
  }

  @Override
  PeerGroupAssociation changeEveryField(PeerGroupAssociation association) {
    return association.toBuilder()
        .peerGroupId(group2.id())
        .systemPeerId(peer("assoc-peer-changed-" + association.systemPeerId()).id())
        .peerGroupPriority(65536)
        .associationType(AssociationType.NON_PRIMARY)
        .syncStatus(SyncStatus.FAILED)
        .syncMessage("Failed to sync subcloud1, " + Fixtures.UNICODE)
        .owedPeerStatus(
            association.owedPeerStatus() == SyncStatus.FAILED
                ? SyncStatus.IN_SYNC
                : SyncStatus.FAILED)
        .createdAt(Fixtures.CREATED_AT.plusSeconds(1))
        .updatedAt(Fixtures.UPDATED_AT)
        .build();
  }

  @Override
  StoreResult<PeerGroupAssociation> insert(PeerGroupAssociation record) {
    return store().insert(record);
  }

  @Override
  StoreResult<PeerGroupAssociation> update(PeerGroupAssociation record) {
    return store().update(record);
  }

  @Override
  boolean delete(long id) {
    return store().delete(id);
  }

  @Override
  Optional<PeerGroupAssociation> findById(long id) {
    return store().findById(id);
  }

  @Override
  List<PeerGroupAssociation> findAll() {
    return store().findAll();
  }

  @Override
  long idOf(PeerGroupAssociation record) {
    return record.id();
  }

  @Override
  long versionOf(PeerGroupAssociation record) {
    return record.version();
  }

  @Override
  PeerGroupAssociation withIdAndVersion(PeerGroupAssociation record, long id, long version) {
    return record.toBuilder().id(id).version(version).build();
  }

  @Override
  long counterOf(PeerGroupAssociation record) {
    return record.peerGroupPriority();
  }

  @Override
  PeerGroupAssociation withCounter(PeerGroupAssociation record, long value) {
    return record.toBuilder().peerGroupPriority(Math.toIntExact(value)).build();
  }

  private PeerGroupAssociation roundTrip(PeerGroupAssociation given) {
    PeerGroupAssociation saved = saved(insert(given));
    PeerGroupAssociation read = stored(saved);
    assertThat(read).isEqualTo(withIdAndVersion(given, saved.id(), 1));
    return read;
  }

  private PeerGroupAssociation insertFor(SubcloudPeerGroup group, SystemPeer peer) {
    return saved(insert(Fixtures.association(group.id(), peer.id())));
  }

  @Nested
  @DisplayName("round trip")
  class RoundTrip {

    @Test
    @DisplayName("keeps every field, the sync message and both timestamps included")
    void everyField() {
      PeerGroupAssociation read =
          roundTrip(
              newRecord(1).toBuilder()
                  .syncStatus(SyncStatus.FAILED)
                  .syncMessage("Failed to sync: subcloud1, subcloud2")
                  .updatedAt(Fixtures.UPDATED_AT)
                  .build());

      assertThat(read.syncMessage()).isEqualTo("Failed to sync: subcloud1, subcloud2");
      assertThat(read.updatedAt()).isEqualTo(Fixtures.UPDATED_AT);
    }

    @Test
    @DisplayName(
        "keeps a non-primary association's null priority, null message and null update time")
    void nulls() {
      PeerGroupAssociation read =
          roundTrip(
              newRecord(1).toBuilder()
                  .associationType(AssociationType.NON_PRIMARY)
                  .peerGroupPriority(null)
                  .syncMessage(null)
                  .updatedAt(null)
                  .build());

      assertThat(read.peerGroupPriority()).isNull();
      assertThat(read.syncMessage()).isNull();
      assertThat(read.updatedAt()).isNull();
    }

    @Test
    @DisplayName("keeps text outside ASCII exactly")
    void unicode() {
      roundTrip(newRecord(1).toBuilder().syncMessage(Fixtures.UNICODE).build());
    }

    @Test
    @DisplayName("keeps every value of every enum field")
    void everyEnumValue() {
      int n = 0;
      for (AssociationType type : AssociationType.values()) {
        roundTrip(newRecord(++n).toBuilder().associationType(type).build());
      }
      for (SyncStatus status : SyncStatus.values()) {
        roundTrip(newRecord(++n).toBuilder().syncStatus(status).build());
        roundTrip(newRecord(++n).toBuilder().owedPeerStatus(status).build());
      }
    }

    @Test
    @DisplayName(
        "keeps the status owed to the peer, through an update that sets it and one that clears it")
    void owedPeerStatus() {
      PeerGroupAssociation read =
          roundTrip(newRecord(1).toBuilder().owedPeerStatus(SyncStatus.FAILED).build());
      assertThat(read.owedPeerStatus()).isEqualTo(SyncStatus.FAILED);

      saved(update(read.toBuilder().owedPeerStatus(null).build()));
      assertThat(stored(read).owedPeerStatus()).isNull();
      saved(update(stored(read).toBuilder().owedPeerStatus(SyncStatus.IN_SYNC).build()));
      assertThat(stored(read).owedPeerStatus()).isEqualTo(SyncStatus.IN_SYNC);
    }

    @Test
    @DisplayName("keeps the limits of the priority")
    void priorityLimits() {
      roundTrip(newRecord(1).toBuilder().peerGroupPriority(1).build());
      roundTrip(newRecord(2).toBuilder().peerGroupPriority(65536).build());
    }
  }

  @Nested
  @DisplayName("unique group and peer")
  class UniqueGroupAndPeer {

    @Test
    @DisplayName("refuses a second association of a group with a peer, naming the rule")
    void insertSamePair() {
      PeerGroupAssociation first = insertRecord(1);

      StoreResult<PeerGroupAssociation> result =
          insert(
              newRecord(1).toBuilder()
                  .associationType(AssociationType.NON_PRIMARY)
                  .syncStatus(SyncStatus.UNKNOWN)
                  .build());

      assertThat(result)
          .isEqualTo(new StoreResult.Duplicate<>(AssociationStore.UNIQUE_GROUP_AND_PEER));
      assertThat(findAll()).containsExactly(first);
    }

    @Test
    @DisplayName("lets a group associate with several peers and a peer with several groups")
    void otherPairsAreFine() {
      SystemPeer peerA = peer("peer-a");
      SystemPeer peerB = peer("peer-b");

      insertFor(group1, peerA);
      insertFor(group1, peerB);
      insertFor(group2, peerA);
      insertFor(group2, peerB);

      assertThat(findAll()).hasSize(4);
    }

    @Test
    @DisplayName("refuses an update moving an association onto a taken pair and changes nothing")
    void updateIntoPair() {
      SystemPeer peerA = peer("peer-a");
      SystemPeer peerB = peer("peer-b");
      PeerGroupAssociation first = insertFor(group1, peerA);
      PeerGroupAssociation second = insertFor(group1, peerB);

      StoreResult<PeerGroupAssociation> result =
          update(second.toBuilder().systemPeerId(peerA.id()).build());

      assertThat(result)
          .isEqualTo(new StoreResult.Duplicate<>(AssociationStore.UNIQUE_GROUP_AND_PEER));
      assertThat(findAll()).containsExactlyElementsOf(byId(first, second));
    }

    @Test
    @DisplayName("lets exactly one of several threads associating the same pair at once win")
    void concurrentSameInsert() throws Exception {
      PeerGroupAssociation wanted = newRecord(1);
      List<StoreResult<PeerGroupAssociation>> results =
          Collections.synchronizedList(new ArrayList<>());

      Concurrently.run(Concurrently.THREADS, thread -> results.add(insert(wanted)));

      assertThat(results).filteredOn(r -> r instanceof StoreResult.Saved).hasSize(1);
      assertThat(results)
          .filteredOn(r -> !(r instanceof StoreResult.Saved))
          .containsOnly(new StoreResult.Duplicate<>(AssociationStore.UNIQUE_GROUP_AND_PEER))
          .hasSize(Concurrently.THREADS - 1);
      assertThat(findAll()).hasSize(1);
    }
  }

  @Nested
  @DisplayName("finders")
  class Finders {

    @Test
    @DisplayName("find the association of a group with a peer, and nothing for other pairs")
    void byGroupAndPeer() {
      SystemPeer peerA = peer("peer-a");
      SystemPeer peerB = peer("peer-b");
      PeerGroupAssociation a1 = insertFor(group1, peerA);
      PeerGroupAssociation b2 = insertFor(group2, peerB);

      assertThat(store().findByGroupAndPeer(group1.id(), peerA.id())).contains(a1);
      assertThat(store().findByGroupAndPeer(group2.id(), peerB.id())).contains(b2);
      assertThat(store().findByGroupAndPeer(group1.id(), peerB.id())).isEmpty();
      assertThat(store().findByGroupAndPeer(group2.id(), peerA.id())).isEmpty();
    }

    @Test
    @DisplayName("list the associations of a group, and only those, ordered by id")
    void byPeerGroup() {
      SystemPeer peerA = peer("peer-a");
      SystemPeer peerB = peer("peer-b");
      SystemPeer peerC = peer("peer-c");
      PeerGroupAssociation g1a = insertFor(group1, peerA);
      PeerGroupAssociation g2a = insertFor(group2, peerA);
      PeerGroupAssociation g1c = insertFor(group1, peerC);
      PeerGroupAssociation g1b = insertFor(group1, peerB);

      assertThat(store().findByPeerGroup(group1.id()))
          .containsExactlyInAnyOrder(g1a, g1c, g1b)
          .isSortedAccordingTo((x, y) -> Long.compare(x.id(), y.id()));
      assertThat(store().findByPeerGroup(group2.id())).containsExactly(g2a);
      assertThat(store().findByPeerGroup(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    @DisplayName("list the associations with a peer, and only those, ordered by id")
    void bySystemPeer() {
      SystemPeer peerA = peer("peer-a");
      SystemPeer peerB = peer("peer-b");
      PeerGroupAssociation g2a = insertFor(group2, peerA);
      PeerGroupAssociation g1b = insertFor(group1, peerB);
      PeerGroupAssociation g1a = insertFor(group1, peerA);

      assertThat(store().findBySystemPeer(peerA.id()))
          .containsExactlyInAnyOrder(g2a, g1a)
          .isSortedAccordingTo((x, y) -> Long.compare(x.id(), y.id()));
      assertThat(store().findBySystemPeer(peerB.id())).containsExactly(g1b);
      assertThat(store().findBySystemPeer(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    @DisplayName("follow an update moving an association to another group and peer")
    void followUpdate() {
      PeerGroupAssociation before = insertRecord(1);

      PeerGroupAssociation after = saved(update(changeEveryField(before)));

      assertThat(store().findByPeerGroup(group1.id())).isEmpty();
      assertThat(store().findByPeerGroup(group2.id())).containsExactly(after);
      assertThat(store().findBySystemPeer(before.systemPeerId())).isEmpty();
      assertThat(store().findBySystemPeer(after.systemPeerId())).containsExactly(after);
      assertThat(store().findByGroupAndPeer(before.peerGroupId(), before.systemPeerId())).isEmpty();
      assertThat(store().findByGroupAndPeer(after.peerGroupId(), after.systemPeerId()))
          .contains(after);
    }

    @Test
    @DisplayName("find nothing once the association is deleted")
    void afterDelete() {
      PeerGroupAssociation gone = insertRecord(1);
      delete(gone.id());

      assertThat(store().findByGroupAndPeer(gone.peerGroupId(), gone.systemPeerId())).isEmpty();
      assertThat(store().findByPeerGroup(gone.peerGroupId())).isEmpty();
      assertThat(store().findBySystemPeer(gone.systemPeerId())).isEmpty();
    }
  }
}
