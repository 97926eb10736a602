package io.geored.testkit.contract;

import static io.geored.testkit.contract.Fixtures.saved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.spi.store.SystemPeerStore;
import io.geored.spi.store.Transactions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Transactions} over the four stores: work commits as a whole or, when it
 * throws anything, leaves no write behind in any store and the very exception passes through; a
 * nested call joins the outer transaction; outcomes that are values (Duplicate, Stale, Missing)
 * leave the transaction usable. Every implementation's test extends this class and answers {@link
 * #newStores()}.
 */
public abstract class TransactionsContract {

  /** The stores under test, fresh for each test, holding the records below. */
  protected Stores stores;

  private SystemPeer peer;
  private SubcloudPeerGroup group;
  private PeerGroupAssociation association;
  private Subcloud member;
  private Subcloud loner;

  /**
   * A fresh, empty set of stores, called before each test. A database-backed implementation may
   * reuse its schema and empty the tables here.
   *
   * @return the stores
   */
  protected abstract Stores newStores();

  @BeforeEach
  final void freshStores() {
    stores = newStores();
    Fixtures.assertEmpty(stores);
    peer = saved(stores.systemPeers().insert(Fixtures.systemPeer("site-b")));
    group = saved(stores.peerGroups().insert(Fixtures.peerGroup("group-1")));
    association = saved(stores.associations().insert(Fixtures.association(group.id(), peer.id())));
    member =
        saved(
            stores
                .subclouds()
                .insert(
                    Fixtures.subcloud("subcloud1").toBuilder().peerGroupId(group.id()).build()));
    loner = saved(stores.subclouds().insert(Fixtures.subcloud("subcloud2")));
  }

  private Transactions tx() {
    return stores.transactions();
  }

  /** Everything the stores hold, to compare before and after. */
  private record Snapshot(
      List<SystemPeer> peers,
      List<SubcloudPeerGroup> groups,
      List<PeerGroupAssociation> associations,
      List<Subcloud> subclouds) {}

  private Snapshot snapshot() {
    return new Snapshot(
        stores.systemPeers().findAll(),
        stores.peerGroups().findAll(),
        stores.associations().findAll(),
        stores.subclouds().findAll());
  }

  /** Writes to all four stores: inserts, updates and deletes. */
  private void writeEverywhere() {
    SystemPeer peer2 = saved(stores.systemPeers().insert(Fixtures.systemPeer("site-c")));
    saved(stores.systemPeers().update(peer.toBuilder().heartbeatInterval(11).build()));
    SubcloudPeerGroup group2 = saved(stores.peerGroups().insert(Fixtures.peerGroup("group-2")));
    saved(stores.peerGroups().update(group.toBuilder().maxSubcloudRehoming(99).build()));
    assertThat(stores.associations().delete(association.id())).isTrue();
    saved(stores.associations().insert(Fixtures.association(group2.id(), peer2.id())));
    saved(
        stores.subclouds().update(member.toBuilder().deployStatus(DeployStatus.REHOMING).build()));
    assertThat(stores.subclouds().delete(loner.id())).isTrue();
    saved(stores.subclouds().insert(Fixtures.subcloud("subcloud3")));
  }

  /** What {@link #writeEverywhere()} leaves once committed. */
  private void assertEverywhereWritten() {
    assertThat(stores.systemPeers().findByName("site-c")).isPresent();
    assertThat(stores.systemPeers().findById(peer.id()).orElseThrow().heartbeatInterval())
        .isEqualTo(11);
    assertThat(stores.peerGroups().findByName("group-2")).isPresent();
    assertThat(stores.peerGroups().findById(group.id()).orElseThrow().maxSubcloudRehoming())
        .isEqualTo(99);
    assertThat(stores.associations().findById(association.id())).isEmpty();
    assertThat(stores.associations().findAll()).hasSize(1);
    assertThat(stores.subclouds().findById(member.id()).orElseThrow().deployStatus())
        .isEqualTo(DeployStatus.REHOMING);
    assertThat(stores.subclouds().findById(loner.id())).isEmpty();
    assertThat(stores.subclouds().findByName("subcloud3")).isPresent();
  }

  /** Throws any throwable, checked ones included, without declaring it. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
    throw (E) t;
  }

  /** A failure of the work, distinct from anything a store throws. */
  private static final class WorkFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WorkFailed(String message) {
      super(message);
    }
  }

  @Nested
  @DisplayName("commit")
  class Commit {

    @Test
    @DisplayName("answers what the work returned and keeps its writes")
    void returnsValue() {
      SystemPeer inserted =
          tx().inTransaction(() -> saved(stores.systemPeers().insert(Fixtures.systemPeer("x"))));

      assertThat(inserted.id()).isPositive();
      assertThat(stores.systemPeers().findById(inserted.id())).contains(inserted);
    }

    @Test
    @DisplayName("keeps inserts, updates and deletes in every store")
    void everyStore() {
      String answer =
          tx().inTransaction(
                  () -> {
                    writeEverywhere();
                    return "done";
                  });

      assertThat(answer).isEqualTo("done");
      assertEverywhereWritten();
    }

    @Test
    @DisplayName("lets the work read its own inserts, updates and deletes")
    void readsOwnWrites() {
      tx().run(
              () -> {
                SystemPeer inserted =
                    saved(stores.systemPeers().insert(Fixtures.systemPeer("site-c")));
                assertThat(stores.systemPeers().findByName("site-c")).contains(inserted);

                Subcloud updated =
                    saved(stores.subclouds().update(member.toBuilder().description("x").build()));
                assertThat(stores.subclouds().findById(member.id())).contains(updated);
                assertThat(stores.subclouds().findByPeerGroup(group.id())).containsExactly(updated);

                stores.associations().delete(association.id());
                assertThat(stores.associations().findByPeerGroup(group.id())).isEmpty();
              });

      assertThat(stores.systemPeers().findByName("site-c")).isPresent();
      assertThat(stores.subclouds().findById(member.id()).orElseThrow().description())
          .isEqualTo("x");
      assertThat(stores.associations().findAll()).isEmpty();
    }

    @Test
    @DisplayName("answers null when the work returns null")
    void nullValue() {
      Object answer = tx().inTransaction(() -> null);

      assertThat(answer).isNull();
    }

    @Test
    @DisplayName("run keeps the writes of work without a result")
    void runCommits() {
      tx().run(TransactionsContract.this::writeEverywhere);

      assertEverywhereWritten();
    }
  }

  @Nested
  @DisplayName("rollback")
  class Rollback {

    @Test
    @DisplayName("undoes every write in every store when the work throws, passing the exception on")
    void runtimeException() {
      Snapshot before = snapshot();
      WorkFailed failure = new WorkFailed("sync failed");

      Throwable thrown =
          catchThrowable(
              () ->
                  tx().inTransaction(
                          () -> {
                            writeEverywhere();
                            throw failure;
                          }));

      assertThat(thrown).isSameAs(failure);
      assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("undoes every write when the work throws an Error, passing it on")
    void error() {
      Snapshot before = snapshot();
      AssertionError failure = new AssertionError("check failed inside the work");

      Throwable thrown =
          catchThrowable(
              () ->
                  tx().run(
                          () -> {
                            writeEverywhere();
                            throw failure;
                          }));

      assertThat(thrown).isSameAs(failure);
      assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("undoes every write when the work throws a checked exception, passing it on")
    void checkedException() {
      Snapshot before = snapshot();
      Exception failure = new IOException("disk gone");

      Throwable thrown =
          catchThrowable(
              () ->
                  tx().run(
                          () -> {
                            writeEverywhere();
                            sneakyThrow(failure);
                          }));

      assertThat(thrown).isSameAs(failure);
      assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("restores a record updated several times to its value before the work")
    void severalUpdates() {
      Snapshot before = snapshot();

      catchThrowable(
          () ->
              tx().run(
                      () -> {
                        Subcloud current = member;
                        for (DeployStatus status :
                            List.of(
                                DeployStatus.PRE_REHOME,
                                DeployStatus.REHOMING,
                                DeployStatus.REHOME_FAILED)) {
                          current =
                              saved(
                                  stores
                                      .subclouds()
                                      .update(current.toBuilder().deployStatus(status).build()));
                        }
                        throw new WorkFailed("late failure");
                      }));

      assertThat(snapshot()).isEqualTo(before);
      assertThat(stores.subclouds().findById(member.id())).contains(member);
    }

    @Test
    @DisplayName("frees the unique keys its inserts took and keeps the stores usable")
    void usableAfterwards() {
      catchThrowable(
          () ->
              tx().run(
                      () -> {
                        saved(stores.systemPeers().insert(Fixtures.systemPeer("site-c")));
                        throw new WorkFailed("no");
                      }));

      SystemPeer again =
          tx().inTransaction(
                  () -> saved(stores.systemPeers().insert(Fixtures.systemPeer("site-c"))));

      assertThat(stores.systemPeers().findByName("site-c")).contains(again);
      assertThat(again.version()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("nested transactions")
  class NestedTransactions {

    @Test
    @DisplayName("hand the inner work's value to the outer work and commit both")
    void innerValue() {
      String answer =
          tx().inTransaction(
                  () -> {
                    SystemPeer inner =
                        tx().inTransaction(
                                () ->
                                    saved(
                                        stores
                                            .systemPeers()
                                            .insert(Fixtures.systemPeer("site-c"))));
                    assertThat(stores.systemPeers().findById(inner.id())).contains(inner);
                    return inner.peerName();
                  });

      assertThat(answer).isEqualTo("site-c");
      assertThat(stores.systemPeers().findByName("site-c")).isPresent();
    }

    @Test
    @DisplayName("join the outer one: an outer failure after the inner work returned undoes both")
    void outerFailureUndoesInner() {
      Snapshot before = snapshot();
      WorkFailed failure = new WorkFailed("outer failed");

      Throwable thrown =
          catchThrowable(
              () ->
                  tx().run(
                          () -> {
                            saved(stores.systemPeers().insert(Fixtures.systemPeer("site-c")));
                            tx().run(
                                    () -> {
                                      saved(
                                          stores
                                              .subclouds()
                                              .insert(Fixtures.subcloud("subcloud3")));
                                      stores.subclouds().delete(loner.id());
                                    });
                            throw failure;
                          }));

      assertThat(thrown).isSameAs(failure);
      assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("pass an inner failure through the outer work and undo everything")
    void innerFailurePassesThrough() {
      Snapshot before = snapshot();
      WorkFailed failure = new WorkFailed("inner failed");

      Throwable thrown =
          catchThrowable(
              () ->
                  tx().run(
                          () -> {
                            saved(stores.systemPeers().insert(Fixtures.systemPeer("site-c")));
                            tx().run(
                                    () -> {
                                      saved(
                                          stores
                                              .subclouds()
                                              .insert(Fixtures.subcloud("subcloud3")));
                                      throw failure;
                                    });
                          }));

      assertThat(thrown).isSameAs(failure);
      assertThat(snapshot()).isEqualTo(before);
    }
  }

  @Nested
  @DisplayName("outcomes that are values")
  class ValueOutcomes {

    @Test
    @DisplayName("Duplicate, Stale and Missing inside a transaction leave it usable to commit")
    void transactionStaysUsable() {
      tx().run(
              () -> {
                assertThat(
                        stores
                            .systemPeers()
                            .insert(
                                Fixtures.systemPeer("site-b").toBuilder()
                                    .peerUuid(Fixtures.uuidFor("another uuid"))
                                    .build()))
                    .isEqualTo(new StoreResult.Duplicate<>(SystemPeerStore.UNIQUE_NAME));
                assertThat(
                        stores.associations().insert(Fixtures.association(group.id(), peer.id())))
                    .isInstanceOf(StoreResult.Duplicate.class);
                assertThat(
                        stores
                            .subclouds()
                            .update(member.toBuilder().version(member.version() + 5).build()))
                    .isEqualTo(new StoreResult.Stale<>());
                assertThat(stores.peerGroups().update(group.toBuilder().id(Long.MAX_VALUE).build()))
                    .isEqualTo(new StoreResult.Missing<>());
                saved(
                    stores
                        .associations()
                        .update(association.toBuilder().syncStatus(SyncStatus.SYNCING).build()));
                saved(stores.subclouds().insert(Fixtures.subcloud("subcloud3")));
              });

      assertThat(stores.associations().findById(association.id()).orElseThrow().syncStatus())
          .isEqualTo(SyncStatus.SYNCING);
      assertThat(stores.subclouds().findByName("subcloud3")).isPresent();
      assertThat(stores.systemPeers().findAll()).containsExactly(peer);
    }
  }

  @Nested
  @DisplayName("on several threads")
  class Threads {

    @Test
    @DisplayName("commit or roll back each transaction on its own")
    void independent() throws Exception {
      int perThread = 15;

      Concurrently.run(
          Concurrently.THREADS,
          thread -> {
            for (int i = 0; i < perThread; i++) {
              String name = "t" + thread + "-" + i;
              boolean fail = i % 3 == 2;
              catchThrowable(
                  () ->
                      tx().run(
                              () -> {
                                saved(stores.systemPeers().insert(Fixtures.systemPeer(name)));
                                saved(stores.subclouds().insert(Fixtures.subcloud(name)));
                                if (fail) {
                                  throw new WorkFailed(name);
                                }
                              }));
            }
          });

      List<String> committed = new ArrayList<>();
      for (int thread = 0; thread < Concurrently.THREADS; thread++) {
        for (int i = 0; i < perThread; i++) {
          if (i % 3 != 2) {
            committed.add("t" + thread + "-" + i);
          }
        }
      }
      List<String> peers = new ArrayList<>(committed);
      peers.add(peer.peerName());
      List<String> subclouds = new ArrayList<>(committed);
      subclouds.add(member.name());
      subclouds.add(loner.name());
      assertThat(stores.systemPeers().findAll())
          .extracting(SystemPeer::peerName)
          .containsExactlyInAnyOrderElementsOf(peers);
      assertThat(stores.subclouds().findAll())
          .extracting(Subcloud::name)
          .containsExactlyInAnyOrderElementsOf(subclouds);
    }
  }
}
