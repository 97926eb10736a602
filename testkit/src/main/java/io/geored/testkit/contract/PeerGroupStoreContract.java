package io.geored.testkit.contract;

import static io.geored.testkit.contract.Fixtures.saved;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.GroupState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.PeerGroupStore;
import io.geored.spi.store.StoreResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link PeerGroupStore}: every implementation's test extends this class and
 * answers {@link #newStores()}. Besides what {@link RecordStoreContract} checks for every store:
 * each field round-trips exactly, the name is a unique key, and the finder matches exactly.
 */
public abstract class PeerGroupStoreContract extends RecordStoreContract<SubcloudPeerGroup> {

  private PeerGroupStore store() {
    return stores.peerGroups();
  }

  @Override
  SubcloudPeerGroup newRecord(int n) {
    return Fixtures.peerGroup("group-" + n);
  }

  @Override
  SubcloudPeerGroup changeEveryField(SubcloudPeerGroup group) {
    return group.toBuilder()
        .peerGroupName(group.peerGroupName() + "-changed")
        .groupPriority(65536)
        .groupState(GroupState.DISABLED)
        .maxSubcloudRehoming(250)
        .systemLeaderId(Fixtures.uuidFor("site-b"))
        .systemLeaderName("site-b")
        .migrationStatus(MigrationStatus.MIGRATING)
        .createdAt(Fixtures.CREATED_AT.plusSeconds(1))
        .updatedAt(Fixtures.UPDATED_AT)
        .build();
  }

  @Override
  StoreResult<SubcloudPeerGroup> insert(SubcloudPeerGroup record) {
    return store().insert(record);
  }

  @Override
  StoreResult<SubcloudPeerGroup> update(SubcloudPeerGroup record) {
    return store().update(record);
  }

  @Override
  boolean delete(long id) {
    return store().delete(id);
  }

  @Override
  Optional<SubcloudPeerGroup> findById(long id) {
    return store().findById(id);
  }

  @Override
  List<SubcloudPeerGroup> findAll() {
    return store().findAll();
  }

  @Override
  long idOf(SubcloudPeerGroup record) {
    return record.id();
  }

  @Override
  long versionOf(SubcloudPeerGroup record) {
    return record.version();
  }

  @Override
  SubcloudPeerGroup withIdAndVersion(SubcloudPeerGroup record, long id, long version) {
    return record.toBuilder().id(id).version(version).build();
  }

  @Override
  long counterOf(SubcloudPeerGroup record) {
    return record.groupPriority();
  }

  @Override
  SubcloudPeerGroup withCounter(SubcloudPeerGroup record, long value) {
    return record.toBuilder().groupPriority(Math.toIntExact(value)).build();
  }

  private SubcloudPeerGroup roundTrip(SubcloudPeerGroup given) {
    SubcloudPeerGroup saved = saved(insert(given));
    SubcloudPeerGroup read = stored(saved);
    assertThat(read).isEqualTo(withIdAndVersion(given, saved.id(), 1));
    return read;
  }

  @Nested
  @DisplayName("round trip")
  class RoundTrip {

    @Test
    @DisplayName("keeps every field, both timestamps included")
    void everyField() {
      SubcloudPeerGroup read =
          roundTrip(
              Fixtures.peerGroup("dc-group").toBuilder().updatedAt(Fixtures.UPDATED_AT).build());

      assertThat(read.createdAt()).isEqualTo(Fixtures.CREATED_AT);
      assertThat(read.updatedAt()).isEqualTo(Fixtures.UPDATED_AT);
    }

    @Test
    @DisplayName("keeps a never-updated group's null update time")
    void nullUpdateTime() {
      assertThat(roundTrip(Fixtures.peerGroup("dc-group")).updatedAt()).isNull();
    }

    @Test
    @DisplayName("keeps text outside ASCII exactly")
    void unicode() {
      roundTrip(
          Fixtures.peerGroup(Fixtures.UNICODE).toBuilder()
              .systemLeaderName("site-" + Fixtures.UNICODE)
              .build());
    }

    @Test
    @DisplayName("keeps every value of every enum field")
    void everyEnumValue() {
      int n = 0;
      for (GroupState state : GroupState.values()) {
        roundTrip(newRecord(++n).toBuilder().groupState(state).build());
      }
      for (MigrationStatus status : MigrationStatus.values()) {
        roundTrip(newRecord(++n).toBuilder().migrationStatus(status).build());
      }
    }

    @Test
    @DisplayName("keeps the limits of priority and rehoming concurrency")
    void limits() {
      roundTrip(newRecord(1).toBuilder().groupPriority(0).maxSubcloudRehoming(1).build());
      roundTrip(newRecord(2).toBuilder().groupPriority(65536).maxSubcloudRehoming(250).build());
    }
  }

  @Nested
  @DisplayName("unique name")
  class UniqueName {

    @Test
    @DisplayName("refuses an insert with a stored name, naming the rule, and stores nothing")
    void insertSameName() {
      SubcloudPeerGroup first = insertRecord(1);

      StoreResult<SubcloudPeerGroup> result =
          insert(newRecord(2).toBuilder().peerGroupName(first.peerGroupName()).build());

      assertThat(result).isEqualTo(new StoreResult.Duplicate<>(PeerGroupStore.UNIQUE_NAME));
      assertThat(findAll()).containsExactly(first);
    }

    @Test
    @DisplayName("refuses an update taking another group's name and changes nothing")
    void updateIntoName() {
      SubcloudPeerGroup first = insertRecord(1);
      SubcloudPeerGroup second = insertRecord(2);

      StoreResult<SubcloudPeerGroup> result =
          update(second.toBuilder().peerGroupName(first.peerGroupName()).build());

      assertThat(result).isEqualTo(new StoreResult.Duplicate<>(PeerGroupStore.UNIQUE_NAME));
      assertThat(findAll()).containsExactlyElementsOf(byId(first, second));
    }

    @Test
    @DisplayName("lets exactly one of several threads inserting the same group at once win")
    void concurrentSameInsert() throws Exception {
      List<StoreResult<SubcloudPeerGroup>> results =
          Collections.synchronizedList(new ArrayList<>());

      Concurrently.run(Concurrently.THREADS, thread -> results.add(insert(newRecord(1))));

      assertThat(results).filteredOn(r -> r instanceof StoreResult.Saved).hasSize(1);
      assertThat(results)
          .filteredOn(r -> !(r instanceof StoreResult.Saved))
          .containsOnly(new StoreResult.Duplicate<>(PeerGroupStore.UNIQUE_NAME))
          .hasSize(Concurrently.THREADS - 1);
      assertThat(findAll()).hasSize(1);
    }
  }

  @Nested
  @DisplayName("findByName")
  class FindByName {

    @Test
    @DisplayName("finds a group by its exact name")
    void exact() {
      SubcloudPeerGroup first = insertRecord(1);
      SubcloudPeerGroup second = insertRecord(2);

      assertThat(store().findByName(first.peerGroupName())).contains(first);
      assertThat(store().findByName(second.peerGroupName())).contains(second);
    }

    @Test
    @DisplayName("finds nothing by another case, a prefix, a pattern or an unknown name")
    void nothingButExact() {
      saved(insert(Fixtures.peerGroup("dc-group")));

      assertThat(store().findByName("DC-GROUP")).isEmpty();
      assertThat(store().findByName("dc-")).isEmpty();
      assertThat(store().findByName("dc-%")).isEmpty();
      assertThat(store().findByName("dc_group")).isEmpty();
      assertThat(store().findByName("dc-group ")).isEmpty();
      assertThat(store().findByName("other")).isEmpty();
    }

    @Test
    @DisplayName("follows a rename and a delete")
    void renameAndDelete() {
      SubcloudPeerGroup group = insertRecord(1);
      SubcloudPeerGroup renamed = saved(update(changeEveryField(group)));

      assertThat(store().findByName(group.peerGroupName())).isEmpty();
      assertThat(store().findByName(renamed.peerGroupName())).contains(renamed);

      delete(renamed.id());
      assertThat(store().findByName(renamed.peerGroupName())).isEmpty();
    }
  }
}
