package io.geored.testkit.contract;

import static io.geored.testkit.contract.Fixtures.saved;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.SystemPeerStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SystemPeerStore}: every implementation's test extends this class and
 * answers {@link #newStores()}. Besides what {@link RecordStoreContract} checks for every store:
 * each field round-trips exactly, the uuid and the name are unique keys, and the finders match
 * exactly.
 */
public abstract class SystemPeerStoreContract extends RecordStoreContract<SystemPeer> {

  private SystemPeerStore store() {
    return stores.systemPeers();
  }

  @Override
  SystemPeer newRecord(int n) {
    return Fixtures.systemPeer("peer-" + n);
  }

  @Override
  SystemPeer changeEveryField(SystemPeer peer) {
    return peer.toBuilder()
        .peerUuid(Fixtures.uuidFor("changed:" + peer.peerUuid()))
        .peerName(peer.peerName() + "-changed")
        .managerEndpoint("https://[fd00::2]:5001/v1")
        .managerUsername("operator")
        .managerPassword(Secret.of("gcm:v1:changed"))
        .peerControllerGatewayIp("fd00::1")
        .administrativeState(AdministrativeState.DISABLED)
        .heartbeatInterval(600)
        .heartbeatFailureThreshold(30)
        .heartbeatFailurePolicy(HeartbeatFailurePolicy.REHOME)
        .heartbeatMaintenanceTimeout(36000)
        .availabilityState(PeerAvailability.UNAVAILABLE)
        .createdAt(Fixtures.CREATED_AT.plusSeconds(1))
        .updatedAt(Fixtures.UPDATED_AT)
        .build();
  }

  @Override
  StoreResult<SystemPeer> insert(SystemPeer record) {
    return store().insert(record);
  }

  @Override
  StoreResult<SystemPeer> update(SystemPeer record) {
    return store().update(record);
  }

  @Override
  boolean delete(long id) {
    return store().delete(id);
  }

  @Override
  Optional<SystemPeer> findById(long id) {
    return store().findById(id);
  }

  @Override
  List<SystemPeer> findAll() {
    return store().findAll();
  }

  @Override
  long idOf(SystemPeer record) {
    return record.id();
  }

  @Override
  long versionOf(SystemPeer record) {
    return record.version();
  }

  @Override
  SystemPeer withIdAndVersion(SystemPeer record, long id, long version) {
    return record.toBuilder().id(id).version(version).build();
  }

  @Override
  long counterOf(SystemPeer record) {
    return record.heartbeatMaintenanceTimeout();
  }

  @Override
  SystemPeer withCounter(SystemPeer record, long value) {
    return record.toBuilder().heartbeatMaintenanceTimeout(Math.toIntExact(value)).build();
  }

  private SystemPeer roundTrip(SystemPeer given) {
    SystemPeer saved = saved(insert(given));
    SystemPeer read = stored(saved);
    assertThat(read).isEqualTo(withIdAndVersion(given, saved.id(), 1));
    return read;
  }

  @Nested
  @DisplayName("round trip")
  class RoundTrip {

    @Test
    @DisplayName("keeps every field, the encrypted password and both timestamps included")
    void everyField() {
      SystemPeer given =
          Fixtures.systemPeer("site-b").toBuilder().updatedAt(Fixtures.UPDATED_AT).build();

      SystemPeer read = roundTrip(given);

      assertThat(read.managerPassword().reveal()).isEqualTo(given.managerPassword().reveal());
      assertThat(read.createdAt()).isEqualTo(Fixtures.CREATED_AT);
      assertThat(read.updatedAt()).isEqualTo(Fixtures.UPDATED_AT);
    }

    @Test
    @DisplayName("keeps a never-updated peer's null update time and an absent password")
    void nullsAndEmptySecret() {
      SystemPeer given =
          Fixtures.systemPeer("site-b").toBuilder()
              .managerPassword(Secret.NONE)
              .updatedAt(null)
              .build();

      SystemPeer read = roundTrip(given);

      assertThat(read.updatedAt()).isNull();
      assertThat(read.managerPassword()).isEqualTo(Secret.NONE);
    }

    @Test
    @DisplayName("keeps text outside ASCII exactly")
    void unicode() {
      roundTrip(
          Fixtures.systemPeer(Fixtures.UNICODE).toBuilder()
              .managerUsername("opérateur-東京")
              .managerEndpoint("https://bücher.example/" + Fixtures.UNICODE)
              .build());
    }

    @Test
    @DisplayName("keeps every value of every enum field")
    void everyEnumValue() {
      int n = 0;
      for (AdministrativeState state : AdministrativeState.values()) {
        roundTrip(newRecord(++n).toBuilder().administrativeState(state).build());
      }
      for (HeartbeatFailurePolicy policy : HeartbeatFailurePolicy.values()) {
        roundTrip(newRecord(++n).toBuilder().heartbeatFailurePolicy(policy).build());
      }
      for (PeerAvailability availability : PeerAvailability.values()) {
        roundTrip(newRecord(++n).toBuilder().availabilityState(availability).build());
      }
    }

    @Test
    @DisplayName("keeps the limits of the heartbeat settings")
    void heartbeatLimits() {
      roundTrip(
          newRecord(1).toBuilder()
              .heartbeatInterval(10)
              .heartbeatFailureThreshold(1)
              .heartbeatMaintenanceTimeout(300)
              .build());
      roundTrip(
          newRecord(2).toBuilder()
              .heartbeatInterval(600)
              .heartbeatFailureThreshold(30)
              .heartbeatMaintenanceTimeout(36000)
              .build());
    }
  }

  @Nested
  @DisplayName("unique keys")
  class UniqueKeys {

    @Test
    @DisplayName("refuse an insert with a stored uuid, naming the uuid rule, and store nothing")
    void insertSameUuid() {
      SystemPeer first = insertRecord(1);

      StoreResult<SystemPeer> result =
          insert(newRecord(2).toBuilder().peerUuid(first.peerUuid()).build());

      assertThat(result).isEqualTo(new StoreResult.Duplicate<>(SystemPeerStore.UNIQUE_UUID));
      assertThat(findAll()).containsExactly(first);
    }

    @Test
    @DisplayName("refuse an insert with a stored name, naming the name rule, and store nothing")
    void insertSameName() {
      SystemPeer first = insertRecord(1);

      StoreResult<SystemPeer> result =
          insert(newRecord(2).toBuilder().peerName(first.peerName()).build());

      assertThat(result).isEqualTo(new StoreResult.Duplicate<>(SystemPeerStore.UNIQUE_NAME));
      assertThat(findAll()).containsExactly(first);
    }

    @Test
    @DisplayName("refuse an update taking another peer's uuid and change nothing")
    void updateIntoUuid() {
      SystemPeer first = insertRecord(1);
      SystemPeer second = insertRecord(2);

      StoreResult<SystemPeer> result =
          update(second.toBuilder().peerUuid(first.peerUuid()).build());

      assertThat(result).isEqualTo(new StoreResult.Duplicate<>(SystemPeerStore.UNIQUE_UUID));
      assertThat(findAll()).containsExactlyElementsOf(byId(first, second));
    }

    @Test
    @DisplayName("refuse an update taking another peer's name and change nothing")
    void updateIntoName() {
      SystemPeer first = insertRecord(1);
      SystemPeer second = insertRecord(2);

      StoreResult<SystemPeer> result =
          update(second.toBuilder().peerName(first.peerName()).build());

      assertThat(result).isEqualTo(new StoreResult.Duplicate<>(SystemPeerStore.UNIQUE_NAME));
      assertThat(findAll()).containsExactlyElementsOf(byId(first, second));
    }

    @Test
    @DisplayName("let an update keep the peer's own uuid and name")
    void updateKeepingOwnKeys() {
      SystemPeer first = insertRecord(1);

      SystemPeer saved = saved(update(first.toBuilder().heartbeatInterval(11).build()));

      assertThat(saved.version()).isEqualTo(2);
      assertThat(saved.heartbeatInterval()).isEqualTo(11);
    }

    @Test
    @DisplayName("let exactly one of several threads inserting the same peer at once win")
    void concurrentSameInsert() throws Exception {
      List<StoreResult<SystemPeer>> results = Collections.synchronizedList(new ArrayList<>());

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
  @DisplayName("finders")
  class Finders {

    @Test
    @DisplayName("find a peer by its exact uuid and by its exact name")
    void exactMatches() {
      SystemPeer first = insertRecord(1);
      SystemPeer second = insertRecord(2);

      assertThat(store().findByUuid(second.peerUuid())).contains(second);
      assertThat(store().findByName(second.peerName())).contains(second);
      assertThat(store().findByUuid(first.peerUuid())).contains(first);
      assertThat(store().findByName(first.peerName())).contains(first);
    }

    @Test
    @DisplayName("find nothing by a name in another case, a prefix, a pattern or an unknown key")
    void nothingButExact() {
      saved(insert(Fixtures.systemPeer("site-b")));

      assertThat(store().findByName("SITE-B")).isEmpty();
      assertThat(store().findByName("site-")).isEmpty();
      assertThat(store().findByName("site-%")).isEmpty();
      assertThat(store().findByName("site_b")).isEmpty();
      assertThat(store().findByName("site-b ")).isEmpty();
      assertThat(store().findByName("site-c")).isEmpty();
      assertThat(store().findByUuid(Fixtures.uuidFor("nobody"))).isEmpty();
    }

    @Test
    @DisplayName("follow a rename: the new name finds the peer, the old one nothing")
    void followRename() {
      SystemPeer peer = insertRecord(1);

      SystemPeer renamed = saved(update(changeEveryField(peer)));

      assertThat(store().findByName(renamed.peerName())).contains(renamed);
      assertThat(store().findByUuid(renamed.peerUuid())).contains(renamed);
      assertThat(store().findByName(peer.peerName())).isEmpty();
      assertThat(store().findByUuid(peer.peerUuid())).isEmpty();
    }

    @Test
    @DisplayName("find nothing by name or uuid once the peer is deleted")
    void afterDelete() {
      SystemPeer peer = insertRecord(1);
      delete(peer.id());

      assertThat(store().findByName(peer.peerName())).isEmpty();
      assertThat(store().findByUuid(peer.peerUuid())).isEmpty();
    }
  }
}
