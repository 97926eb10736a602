package io.geored.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.witness.FencedGroup;
import io.geored.spi.witness.LeadershipStore;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link LeadershipStore}: the newest epoch seen per group only ever grows (also
 * under concurrent raises), and fence marks are kept exactly as given, member names in their order,
 * until replaced or removed. Every implementation's test extends this class and answers {@link
 * #newLeadershipStore()}; a durable one also answers {@link #reopened()}.
 */
public abstract class LeadershipStoreContract {

  /** The store under test, fresh and empty for each test. */
  protected LeadershipStore store;

  /**
   * A fresh, empty leadership store, called before each test. A database-backed implementation may
   * reuse its schema and empty its tables here.
   *
   * @return the store
   */
  protected abstract LeadershipStore newLeadershipStore();

  /**
   * The same data seen through a new instance, as after a restart of the site (a new connection
   * pool on the same database). The default answers the same instance, for stores that live in
   * memory only.
   *
   * @return a store over the same data
   */
  protected LeadershipStore reopened() {
    return store;
  }

  @BeforeEach
  final void freshStore() {
    store = newLeadershipStore();
  }

  @Test
  @DisplayName("has seen no epoch and fenced nothing at first")
  void emptyAtFirst() {
    assertThat(store.highestEpoch("g1")).isZero();
    assertThat(store.fenced("g1")).isEmpty();
    assertThat(store.fencedGroups()).isEmpty();
  }

  @Test
  @DisplayName("raises the newest epoch and never lowers it")
  void raiseNeverLowers() {
    assertThat(store.raiseEpoch("g1", 5)).isEqualTo(5);
    assertThat(store.raiseEpoch("g1", 3)).isEqualTo(5);
    assertThat(store.raiseEpoch("g1", 5)).isEqualTo(5);
    assertThat(store.highestEpoch("g1")).isEqualTo(5);

    assertThat(store.raiseEpoch("g1", 9)).isEqualTo(9);
    assertThat(store.highestEpoch("g1")).isEqualTo(9);
    assertThat(store.raiseEpoch("g1", 1)).isEqualTo(9);
    assertThat(store.highestEpoch("g1")).isEqualTo(9);
  }

  @Test
  @DisplayName("keeps each group's epoch apart")
  void groupsApart() {
    store.raiseEpoch("g1", 7);
    store.raiseEpoch("g2", 2);

    assertThat(store.highestEpoch("g1")).isEqualTo(7);
    assertThat(store.highestEpoch("g2")).isEqualTo(2);
    assertThat(store.highestEpoch("g3")).isZero();
  }

  @Test
  @DisplayName("holds the largest epoch counter there is")
  void largestCounter() {
    assertThat(store.raiseEpoch("g1", Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(store.highestEpoch("g1")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  @DisplayName("refuses a counter that is not positive, keeping the newest epoch")
  void refusesNonPositive() {
    store.raiseEpoch("g1", 4);

    assertThatThrownBy(() -> store.raiseEpoch("g1", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epoch counter must be positive, was 0");
    assertThatThrownBy(() -> store.raiseEpoch("g1", -3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epoch counter must be positive, was -3");
    assertThatThrownBy(() -> store.raiseEpoch("g2", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.highestEpoch("g1")).isEqualTo(4);
    assertThat(store.highestEpoch("g2")).isZero();
  }

  @Test
  @DisplayName("concurrent raises of one group, the first of it included, end at the largest")
  void concurrentRaises() throws Exception {
    int rounds = 50;
    ConcurrentMap<String, Boolean> belowOwn = new ConcurrentHashMap<>();
    Concurrently.run(
        Concurrently.THREADS,
        thread -> {
          for (int i = 1; i <= rounds; i++) {
            // Each thread raises every group to values interleaved with the other threads'.
            long counter = (long) i * Concurrently.THREADS + thread;
            String group = "race-" + (i % 5);
            long after = store.raiseEpoch(group, counter);
            if (after < counter) {
              belowOwn.put(group + "@" + counter + "->" + after, true);
            }
          }
        });

    assertThat(belowOwn).as("answers below the raised counter").isEmpty();
    for (int g = 0; g < 5; g++) {
      long largest = 0;
      for (int i = 1; i <= rounds; i++) {
        if (i % 5 == g) {
          largest = Math.max(largest, (long) i * Concurrently.THREADS + Concurrently.THREADS - 1);
        }
      }
      assertThat(store.highestEpoch("race-" + g)).as("race-" + g).isEqualTo(largest);
    }
  }

  @Test
  @DisplayName("keeps a fence mark exactly as given, member names in their order")
  void putAndFind() {
    FencedGroup mark = new FencedGroup("g1", 12, List.of("subcloud1", "subcloud2", "subcloud10"));

    store.putFenced(mark);

    assertThat(store.fenced("g1")).contains(mark);
    assertThat(store.fenced("g2")).isEmpty();
    assertThat(store.fencedGroups()).containsExactly(mark);
  }

  @Test
  @DisplayName("keeps a mark of a group fenced at start (epoch 0) with no members")
  void emptyMark() {
    FencedGroup mark = new FencedGroup("g1", 0, List.of());

    store.putFenced(mark);

    assertThat(store.fenced("g1")).contains(mark);
  }

  @Test
  @DisplayName("keeps names of 255 characters")
  void longNames() {
    String group = "g".repeat(255);
    FencedGroup mark = new FencedGroup(group, 3, List.of("s".repeat(255), "t".repeat(255)));

    store.putFenced(mark);
    store.raiseEpoch(group, 3);

    assertThat(store.fenced(group)).contains(mark);
    assertThat(store.highestEpoch(group)).isEqualTo(3);
  }

  @Test
  @DisplayName("replaces a group's mark, members included")
  void replace() {
    store.putFenced(new FencedGroup("g1", 3, List.of("a", "b", "c")));
    FencedGroup newer = new FencedGroup("g1", 4, List.of("d"));

    store.putFenced(newer);

    assertThat(store.fenced("g1")).contains(newer);
    assertThat(store.fencedGroups()).containsExactly(newer);
  }

  @Test
  @DisplayName("lists every mark in group name order")
  void listInNameOrder() {
    FencedGroup c = new FencedGroup("gc", 1, List.of("c1"));
    FencedGroup a = new FencedGroup("ga", 2, List.of("a1", "a2"));
    FencedGroup b = new FencedGroup("gb", 3, List.of());
    store.putFenced(c);
    store.putFenced(a);
    store.putFenced(b);

    assertThat(store.fencedGroups()).containsExactly(a, b, c);
  }

  @Test
  @DisplayName("removes a group's mark only, and removing a missing one does nothing")
  void remove() {
    FencedGroup keep = new FencedGroup("g2", 1, List.of("x"));
    store.putFenced(new FencedGroup("g1", 1, List.of("a", "b")));
    store.putFenced(keep);

    store.removeFenced("g1");
    store.removeFenced("g1");
    store.removeFenced("never");

    assertThat(store.fenced("g1")).isEmpty();
    assertThat(store.fencedGroups()).containsExactly(keep);

    FencedGroup again = new FencedGroup("g1", 2, List.of("c"));
    store.putFenced(again);
    assertThat(store.fenced("g1")).contains(again);
  }

  @Test
  @DisplayName("fence marks and epochs are independent")
  void marksAndEpochsApart() {
    store.raiseEpoch("g1", 8);
    store.putFenced(new FencedGroup("g1", 5, List.of("a")));
    store.removeFenced("g1");

    assertThat(store.highestEpoch("g1")).isEqualTo(8);
  }

  @Test
  @DisplayName("what was answered is kept: a reopened store sees every write")
  void durable() {
    FencedGroup mark = new FencedGroup("g1", 6, List.of("b", "a"));
    store.raiseEpoch("g1", 6);
    store.raiseEpoch("g2", 2);
    store.putFenced(mark);
    store.putFenced(new FencedGroup("g2", 2, List.of("z")));
    store.removeFenced("g2");

    LeadershipStore after = reopened();

    assertThat(after.highestEpoch("g1")).isEqualTo(6);
    assertThat(after.highestEpoch("g2")).isEqualTo(2);
    assertThat(after.fencedGroups()).containsExactly(mark);
  }
}
