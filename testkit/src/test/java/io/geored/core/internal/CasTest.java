package io.geored.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.api.Messages;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.PeerGroupStore;
import io.geored.spi.store.StoreResult;
import io.geored.testkit.store.InMemoryStores;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Compare-and-set with bounded retry")
class CasTest {

  private final PeerGroupStore groups = InMemoryStores.create().peerGroups();
  private final SubcloudPeerGroup group =
      ((StoreResult.Saved<SubcloudPeerGroup>)
              groups.insert(
                  SubcloudPeerGroup.builder()
                      .peerGroupName("pg1")
                      .groupState(GroupState.ENABLED)
                      .maxSubcloudRehoming(10)
                      .createdAt(Instant.EPOCH)
                      .build()))
          .value();

  private SubcloudPeerGroup update(
      java.util.function.UnaryOperator<SubcloudPeerGroup> change,
      java.util.function.Function<SubcloudPeerGroup, StoreResult<SubcloudPeerGroup>> write) {
    return Cas.update(
        3,
        () -> groups.findById(group.id()),
        change,
        write,
        key -> new ConflictException("duplicate " + key),
        "peer group",
        "pg1",
        Messages.PEER_GROUP_NOT_FOUND);
  }

  @Test
  @DisplayName("a change is written once and bumps the version")
  void writes() {
    SubcloudPeerGroup after =
        update(g -> g.toBuilder().maxSubcloudRehoming(20).build(), groups::update);
    assertThat(after.maxSubcloudRehoming()).isEqualTo(20);
    assertThat(after.version()).isEqualTo(group.version() + 1);
  }

  @Test
  @DisplayName("a change that changes nothing is not written: the version stays")
  void noOpIsNotWritten() {
    AtomicInteger writes = new AtomicInteger();
    SubcloudPeerGroup after =
        update(
            g -> g.toBuilder().build(),
            g -> {
              writes.incrementAndGet();
              return groups.update(g);
            });
    assertThat(after).isEqualTo(group);
    assertThat(writes).hasValue(0);
    assertThat(groups.findById(group.id())).contains(group);
  }

  @Test
  @DisplayName("a lost race is re-read and re-applied; after the bound the caller gets 409")
  void boundedRetry() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                update(
                    g -> g.toBuilder().maxSubcloudRehoming(20).build(),
                    g -> {
                      attempts.incrementAndGet();
                      return new StoreResult.Stale<>();
                    }))
        .isExactlyInstanceOf(ConflictException.class)
        .hasMessage("Conflict: peer group pg1 was changed concurrently; retry");
    assertThat(attempts).hasValue(3);
    assertThat(groups.findById(group.id())).contains(group);
  }

  @Test
  @DisplayName("a record that is gone answers 404 with the given text")
  void missing() {
    assertThatThrownBy(
            () ->
                Cas.update(
                    3,
                    Optional::<SubcloudPeerGroup>empty,
                    g -> g,
                    groups::update,
                    ConflictException::new,
                    "peer group",
                    "pg1",
                    Messages.PEER_GROUP_NOT_FOUND))
        .isExactlyInstanceOf(NotFoundException.class)
        .hasMessage(Messages.PEER_GROUP_NOT_FOUND);
  }

  private SubcloudPeerGroup updateFrom(
      SubcloudPeerGroup known,
      AtomicInteger reads,
      java.util.function.UnaryOperator<SubcloudPeerGroup> change) {
    return Cas.update(
        3,
        known,
        () -> {
          reads.incrementAndGet();
          return groups.findById(group.id());
        },
        change,
        groups::update,
        key -> new ConflictException("duplicate " + key),
        "peer group",
        "pg1",
        Messages.PEER_GROUP_NOT_FOUND);
  }

  @Test
  @DisplayName("from a record the caller holds: written with its version, without a read")
  void knownRecordNeedsNoRead() {
    AtomicInteger reads = new AtomicInteger();
    SubcloudPeerGroup after =
        updateFrom(group, reads, g -> g.toBuilder().maxSubcloudRehoming(20).build());
    assertThat(after.maxSubcloudRehoming()).isEqualTo(20);
    assertThat(after.version()).isEqualTo(group.version() + 1);
    assertThat(reads).hasValue(0);
  }

  @Test
  @DisplayName("from a record the caller holds, no change: the same record back, nothing written")
  void knownRecordUnchanged() {
    AtomicInteger reads = new AtomicInteger();
    SubcloudPeerGroup after = updateFrom(group, reads, g -> g.toBuilder().build());
    assertThat(after).isSameAs(group);
    assertThat(reads).hasValue(0);
    assertThat(groups.findById(group.id())).contains(group);
  }

  @Test
  @DisplayName(
      "from a record another writer moved on: read again and re-applied on the current one, the"
          + " other writer's change kept")
  void staleKnownRecordIsReadAgain() {
    SubcloudPeerGroup moved =
        ((StoreResult.Saved<SubcloudPeerGroup>)
                groups.update(group.toBuilder().groupPriority(7).build()))
            .value();
    AtomicInteger reads = new AtomicInteger();
    SubcloudPeerGroup after =
        updateFrom(group, reads, g -> g.toBuilder().maxSubcloudRehoming(20).build());
    assertThat(after.maxSubcloudRehoming()).isEqualTo(20);
    assertThat(after.groupPriority()).isEqualTo(7);
    assertThat(after.version()).isEqualTo(moved.version() + 1);
    assertThat(reads).hasValue(1);
  }

  @Test
  @DisplayName("from a record that is gone: 404 with the given text")
  void knownRecordGone() {
    groups.delete(group.id());
    AtomicInteger reads = new AtomicInteger();
    assertThatThrownBy(
            () -> updateFrom(group, reads, g -> g.toBuilder().maxSubcloudRehoming(20).build()))
        .isExactlyInstanceOf(NotFoundException.class)
        .hasMessage(Messages.PEER_GROUP_NOT_FOUND);
  }
}
