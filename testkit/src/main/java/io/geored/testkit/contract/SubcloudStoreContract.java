package io.geored.testkit.contract;

import static io.geored.testkit.contract.Fixtures.saved;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.SubcloudStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SubcloudStore}: every implementation's test extends this class and answers
 * {@link #newStores()}. Subclouds in a peer group refer to a stored group (a database may hold a
 * foreign key). Besides what {@link RecordStoreContract} checks for every store: each field
 * round-trips exactly (rehome data and install values as parsed values, nulls kept), name and
 * region name are unique keys, and the finders answer exactly the matching subclouds ordered by id.
 */
public abstract class SubcloudStoreContract extends RecordStoreContract<Subcloud> {

  private static final Comparator<Subcloud> BY_ID = Comparator.comparingLong(Subcloud::id);

  /** A stored group. */
  SubcloudPeerGroup group1;

  /** Another stored group. */
  SubcloudPeerGroup group2;

  private SubcloudStore store() {
    return stores.subclouds();
  }

  @Override
  void prepare() {
    group1 = saved(stores.peerGroups().insert(Fixtures.peerGroup("subcloud-group-1")));
    group2 = saved(stores.peerGroups().insert(Fixtures.peerGroup("subcloud-group-2")));
  }

  @Override
  Subcloud newRecord(int n) {
    return Fixtures.subcloud("subcloud" + n);
  }

  @Override
  Subcloud changeEveryField(Subcloud subcloud) {
    return subcloud.toBuilder()
        .name(subcloud.name() + "-changed")
        .regionName(Fixtures.regionFor(subcloud.name() + "-changed"))
        .description(Fixtures.UNICODE)
        .location("Montréal, DC 2")
        .softwareVersion("25.03")
        .managementState(ManagementState.UNMANAGED)
        .availabilityStatus(AvailabilityStatus.OFFLINE)
        .deployStatus(DeployStatus.SECONDARY)
        .errorDescription("rehome failed: timeout")
        .groupId(5_000_000_000L)
        .peerGroupId(group2.id())
        .rehomeData(Fixtures.rehomeData().withPayloadValue("bootstrap-address", "10.20.20.12"))
        .installValues(Map.of("bootstrap_interface", "eno1", "install_type", 5))
        .rehomed(true)
        .createdAt(Fixtures.CREATED_AT.plusSeconds(1))
        .updatedAt(Fixtures.UPDATED_AT)
        .build();
  }

  @Override
  StoreResult<Subcloud> insert(Subcloud record) {
    return store().insert(record);
  }

  @Override
  StoreResult<Subcloud> update(Subcloud record) {
    return store().update(record);
  }

  @Override
  boolean delete(long id) {
    return store().delete(id);
  }

  @Override
  Optional<Subcloud> findById(long id) {
    return store().findById(id);
  }

  @Override
  List<Subcloud> findAll() {
    return store().findAll();
  }

  @Override
  long idOf(Subcloud record) {
    return record.id();
  }

  @Override
  long versionOf(Subcloud record) {
    return record.version();
  }

  @Override
  Subcloud withIdAndVersion(Subcloud record, long id, long version) {
    return record.toBuilder().id(id).version(version).build();
  }

  @Override
  long counterOf(Subcloud record) {
    return record.groupId();
  }

  @Override
  Subcloud withCounter(Subcloud record, long value) {
    return record.toBuilder().groupId(value).build();
  }

  private Subcloud roundTrip(Subcloud given) {
    Subcloud saved = saved(insert(given));
    Subcloud read = stored(saved);
    assertThat(read).isEqualTo(withIdAndVersion(given, saved.id(), 1));
    return read;
  }

  private Subcloud insertNamed(String name) {
    return saved(insert(Fixtures.subcloud(name)));
  }

  private Subcloud insertNamed(String name, SubcloudPeerGroup group, DeployStatus status) {
    return saved(
        insert(
            Fixtures.subcloud(name).toBuilder()
                .peerGroupId(group == null ? null : group.id())
                .deployStatus(status)
                .build()));
  }

  @Nested
  @DisplayName("round trip")
  class RoundTrip {

    @Test
    @DisplayName("keeps every field, rehome data, install values and both timestamps included")
    void everyField() {
      Subcloud read =
          roundTrip(
              Fixtures.subcloud("subcloud1").toBuilder()
                  .peerGroupId(group1.id())
                  .rehomed(true)
                  .updatedAt(Fixtures.UPDATED_AT)
                  .build());

      assertThat(read.rehomeData()).isEqualTo(Fixtures.rehomeData());
      assertThat(read.installValues()).isEqualTo(Fixtures.installValues());
      assertThat(read.peerGroupId()).isEqualTo(group1.id());
      assertThat(read.rehomed()).isTrue();
      assertThat(read.updatedAt()).isEqualTo(Fixtures.UPDATED_AT);
    }

    @Test
    @DisplayName(
        "keeps the site a rehome-pending subcloud is handed over to, and drops it once the"
            + " subcloud leaves rehome-pending")
    void handedOverTo() {
      String site = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
      Subcloud read =
          roundTrip(
              Fixtures.subcloud("subcloud1").toBuilder()
                  .peerGroupId(group1.id())
                  .managementState(ManagementState.UNMANAGED)
                  .deployStatus(DeployStatus.REHOME_PENDING)
                  .handedOverTo(site)
                  .build());
      assertThat(read.handedOverTo()).isEqualTo(site);

      Subcloud left =
          saved(update(read.toBuilder().deployStatus(DeployStatus.REHOME_FAILED).build()));

      assertThat(left.handedOverTo()).isNull();
      assertThat(stored(left).handedOverTo()).isNull();
      assertThat(stored(left).deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
    }

    @Test
    @DisplayName("keeps every value of the rehome data's payload: nested, null, numeric, boolean")
    void rehomePayloadValues() {
      Map<String, Object> payload =
          roundTrip(Fixtures.subcloud("subcloud1")).rehomeData().savedPayload().orElseThrow();

      assertThat(payload)
          .containsEntry("sysadmin_user_id", 42)
          .containsEntry("negative", -7)
          .containsEntry("big", 10_000_000_000L)
          .containsEntry("ratio", 2.5)
          .containsEntry("zero", 0)
          .containsEntry("docker_http_proxy", null)
          .containsEntry("dry_run", false)
          .containsEntry("rehomed", true)
          .containsEntry("empty_text", "")
          .containsEntry("empty_map", Map.of())
          .containsEntry("empty_list", List.of())
          .containsEntry("description", Fixtures.UNICODE)
          .containsEntry(RehomeData.BOOTSTRAP_ADDRESS, "10.10.10.12");
      assertThat(payload.get("mixed")).isEqualTo(Arrays.asList("a", 1, true, null, 2.5));
    }

    @Test
    @DisplayName("keeps rehome data that lacks a saved payload, as a broken record is stored")
    void rehomeDataWithoutPayload() {
      RehomeData broken = new RehomeData(Map.of("unexpected", List.of(1, 2)));

      Subcloud read =
          roundTrip(Fixtures.subcloud("subcloud1").toBuilder().rehomeData(broken).build());

      assertThat(read.rehomeData()).isEqualTo(broken);
      assertThat(read.rehomeData().savedPayload()).isEmpty();
    }

    @Test
    @DisplayName("keeps every optional field null, and tells null install values from an empty map")
    void nullsAndEmpty() {
      Subcloud minimal = roundTrip(Fixtures.minimalSubcloud("subcloud1"));
      Subcloud empty =
          roundTrip(
              Fixtures.minimalSubcloud("subcloud2").toBuilder().installValues(Map.of()).build());

      assertThat(minimal.description()).isNull();
      assertThat(minimal.location()).isNull();
      assertThat(minimal.softwareVersion()).isNull();
      assertThat(minimal.errorDescription()).isNull();
      assertThat(minimal.groupId()).isNull();
      assertThat(minimal.peerGroupId()).isNull();
      assertThat(minimal.rehomeData()).isNull();
      assertThat(minimal.installValues()).isNull();
      assertThat(minimal.updatedAt()).isNull();
      assertThat(empty.installValues()).isEqualTo(Map.of());
    }

    @Test
    @DisplayName("keeps text outside ASCII exactly")
    void unicode() {
      roundTrip(
          Fixtures.subcloud(Fixtures.UNICODE).toBuilder()
              .description(Fixtures.UNICODE)
              .location(Fixtures.UNICODE)
              .errorDescription(Fixtures.UNICODE)
              .build());
    }

    @Test
    @DisplayName("keeps every value of every enum field")
    void everyEnumValue() {
      int n = 0;
      for (ManagementState state : ManagementState.values()) {
        roundTrip(newRecord(++n).toBuilder().managementState(state).build());
      }
      for (AvailabilityStatus status : AvailabilityStatus.values()) {
        roundTrip(newRecord(++n).toBuilder().availabilityStatus(status).build());
      }
      for (DeployStatus status : DeployStatus.values()) {
        roundTrip(newRecord(++n).toBuilder().deployStatus(status).build());
      }
    }

    @Test
    @DisplayName("keeps a subcloud group id beyond the 32-bit range")
    void longGroupId() {
      roundTrip(newRecord(1).toBuilder().groupId(5_000_000_000L).build());
    }
  }

  @Nested
  @DisplayName("unique keys")
  class UniqueKeys {

    @Test
    @DisplayName("refuse an insert with a stored name, naming the name rule, and store nothing")
    void insertSameName() {
      Subcloud first = insertRecord(1);

      StoreResult<Subcloud> result = insert(newRecord(2).toBuilder().name(first.name()).build());

      assertThat(result).isEqualTo(new StoreResult.Duplicate<>(SubcloudStore.UNIQUE_NAME));
      assertThat(findAll()).containsExactly(first);
    }

    @Test
    @DisplayName("refuse an insert with a stored region name, naming the region rule")
    void insertSameRegion() {
      Subcloud first = insertRecord(1);

      StoreResult<Subcloud> result =
          insert(newRecord(2).toBuilder().regionName(first.regionName()).build());

      assertThat(result).isEqualTo(new StoreResult.Duplicate<>(SubcloudStore.UNIQUE_REGION));
      assertThat(findAll()).containsExactly(first);
    }

    @Test
    @DisplayName("refuse an update taking another subcloud's name and change nothing")
    void updateIntoName() {
      Subcloud first = insertRecord(1);
      Subcloud second = insertRecord(2);

      StoreResult<Subcloud> result = update(second.toBuilder().name(first.name()).build());

      assertThat(result).isEqualTo(new StoreResult.Duplicate<>(SubcloudStore.UNIQUE_NAME));
      assertThat(findAll()).containsExactlyElementsOf(byId(first, second));
    }

    @Test
    @DisplayName("refuse an update taking another subcloud's region name and change nothing")
    void updateIntoRegion() {
      Subcloud first = insertRecord(1);
      Subcloud second = insertRecord(2);

      StoreResult<Subcloud> result =
          update(second.toBuilder().regionName(first.regionName()).build());

      assertThat(result).isEqualTo(new StoreResult.Duplicate<>(SubcloudStore.UNIQUE_REGION));
      assertThat(findAll()).containsExactlyElementsOf(byId(first, second));
    }

    @Test
    @DisplayName("let exactly one of several threads inserting the same subcloud at once win")
    void concurrentSameInsert() throws Exception {
      List<StoreResult<Subcloud>> results = Collections.synchronizedList(new ArrayList<>());

      Concurrently.run(Concurrently.THREADS, thread -> results.add(insert(newRecord(1))));

      assertThat(results).filteredOn(r -> r instanceof StoreResult.Saved).hasSize(1);
      assertThat(results)
          .filteredOn(r -> !(r instanceof StoreResult.Saved))
          .hasSize(Concurrently.THREADS - 1)
          .allSatisfy(r -> assertThat(r).isInstanceOf(StoreResult.Duplicate.class));
      assertThat(findAll()).hasSize(1);
    }
  }

  @Nested
  @DisplayName("finders by name and region")
  class ByNameAndRegion {

    @Test
    @DisplayName("find a subcloud by its exact name and by its exact region name")
    void exact() {
      Subcloud first = insertRecord(1);
      Subcloud second = insertRecord(2);

      assertThat(store().findByName(first.name())).contains(first);
      assertThat(store().findByRegionName(first.regionName())).contains(first);
      assertThat(store().findByName(second.name())).contains(second);
      assertThat(store().findByRegionName(second.regionName())).contains(second);
    }

    @Test
    @DisplayName("find nothing by another case, a prefix, a pattern or an unknown key")
    void nothingButExact() {
      Subcloud subcloud = insertNamed("subcloud1");

      assertThat(store().findByName("SUBCLOUD1")).isEmpty();
      assertThat(store().findByName("subcloud")).isEmpty();
      assertThat(store().findByName("subcloud%")).isEmpty();
      assertThat(store().findByName("subcloud_")).isEmpty();
      assertThat(store().findByName("subcloud1 ")).isEmpty();
      assertThat(store().findByName(subcloud.regionName())).isEmpty();
      assertThat(store().findByRegionName(subcloud.name())).isEmpty();
      assertThat(store().findByRegionName(subcloud.regionName().toUpperCase(Locale.ROOT)))
          .isEmpty();
      assertThat(store().findByRegionName(subcloud.regionName().substring(1))).isEmpty();
    }

    @Test
    @DisplayName("follow a rename and a delete")
    void renameAndDelete() {
      Subcloud subcloud = insertRecord(1);
      Subcloud renamed = saved(update(changeEveryField(subcloud)));

      assertThat(store().findByName(subcloud.name())).isEmpty();
      assertThat(store().findByRegionName(subcloud.regionName())).isEmpty();
      assertThat(store().findByName(renamed.name())).contains(renamed);
      assertThat(store().findByRegionName(renamed.regionName())).contains(renamed);

      delete(renamed.id());
      assertThat(store().findByName(renamed.name())).isEmpty();
      assertThat(store().findByRegionName(renamed.regionName())).isEmpty();
    }
  }

  @Nested
  @DisplayName("findByPeerGroup")
  class ByPeerGroup {

    @Test
    @DisplayName("lists the members of a group, and only those, ordered by id")
    void members() {
      Subcloud a = insertNamed("a", group1, DeployStatus.COMPLETE);
      Subcloud b = insertNamed("b", group2, DeployStatus.COMPLETE);
      insertNamed("c", null, DeployStatus.COMPLETE);
      Subcloud d = insertNamed("d", group1, DeployStatus.SECONDARY);

      assertThat(store().findByPeerGroup(group1.id()))
          .containsExactlyInAnyOrder(a, d)
          .isSortedAccordingTo(BY_ID);
      assertThat(store().findByPeerGroup(group2.id())).containsExactly(b);
      assertThat(store().findByPeerGroup(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    @DisplayName("follows a subcloud moving between groups and out of any group")
    void followsMoves() {
      Subcloud a = insertNamed("a", group1, DeployStatus.COMPLETE);

      Subcloud moved = saved(update(a.toBuilder().peerGroupId(group2.id()).build()));
      assertThat(store().findByPeerGroup(group1.id())).isEmpty();
      assertThat(store().findByPeerGroup(group2.id())).containsExactly(moved);

      Subcloud out = saved(update(moved.toBuilder().peerGroupId(null).build()));
      assertThat(store().findByPeerGroup(group2.id())).isEmpty();
      assertThat(store().findAll()).containsExactly(out);
    }
  }

  @Nested
  @DisplayName("findByDeployStatus")
  class ByDeployStatus {

    @Test
    @DisplayName("lists the subclouds in any of the given states, ordered by id")
    void anyOfTheStates() {
      Subcloud rehoming = insertNamed("a", group1, DeployStatus.REHOMING);
      insertNamed("b", group1, DeployStatus.COMPLETE);
      Subcloud preRehome = insertNamed("c", group2, DeployStatus.PRE_REHOME);
      Subcloud rehoming2 = insertNamed("d", null, DeployStatus.REHOMING);
      insertNamed("e", null, DeployStatus.REHOME_FAILED);

      assertThat(store().findByDeployStatus(Set.of(DeployStatus.REHOMING, DeployStatus.PRE_REHOME)))
          .containsExactlyInAnyOrder(rehoming, preRehome, rehoming2)
          .isSortedAccordingTo(BY_ID);
      assertThat(store().findByDeployStatus(List.of(DeployStatus.PRE_REHOME)))
          .containsExactly(preRehome);
    }

    @Test
    @DisplayName("answers an empty list for no states, and for states no subcloud is in")
    void emptyAnswers() {
      insertNamed("a", null, DeployStatus.COMPLETE);

      assertThat(store().findByDeployStatus(Set.of())).isEmpty();
      assertThat(store().findByDeployStatus(List.of())).isEmpty();
      assertThat(store().findByDeployStatus(EnumSet.of(DeployStatus.CREATING))).isEmpty();
    }

    @Test
    @DisplayName("finds every subcloud when asked for every state, once each")
    void everyState() {
      Subcloud a = insertNamed("a", null, DeployStatus.COMPLETE);
      Subcloud b = insertNamed("b", null, DeployStatus.RESTORE_FAILED);

      assertThat(store().findByDeployStatus(EnumSet.allOf(DeployStatus.class)))
          .containsExactlyElementsOf(byId(a, b));
      assertThat(
              store()
                  .findByDeployStatus(
                      List.of(DeployStatus.COMPLETE, DeployStatus.COMPLETE, DeployStatus.COMPLETE)))
          .containsExactly(a);
    }

    @Test
    @DisplayName("follows a change of state")
    void followsUpdates() {
      Subcloud a = insertNamed("a", group1, DeployStatus.REHOMING);

      Subcloud done = saved(update(a.toBuilder().deployStatus(DeployStatus.COMPLETE).build()));

      assertThat(store().findByDeployStatus(Set.of(DeployStatus.REHOMING))).isEmpty();
      assertThat(store().findByDeployStatus(Set.of(DeployStatus.COMPLETE))).containsExactly(done);
    }
  }
}
