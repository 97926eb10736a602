package io.geored.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.time.Ticker;
import io.geored.spi.witness.Candidate;
import io.geored.spi.witness.Epoch;
import io.geored.spi.witness.LeaseOutcome;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link Witness}: one holder per group's lease, epochs that only grow, expiry by
 * the witness's clock, renewals that fail once a tenure is over, candidates listed while their site
 * is live, and exactly one winner among concurrent acquires. Every implementation's test extends
 * this class, answering {@link #witness(String)} with a client of one witness shared by the test's
 * sites, {@link #ticker()} with the sites' monotonic clock and {@link #letTimePass(Duration)}.
 *
 * <p>Where time must pass (an expiry), the suite polls: it calls {@link #letTimePass} with a short
 * step until the condition holds, within a budget of three TTLs plus 5 s (at most 30 s for a real
 * witness, whose TTL should be its minimum: 2 s for etcd). In memory the steps move virtual time
 * and nothing waits.
 */
public abstract class WitnessContract {

  /**
   * Site uuids for the test, fresh for each test (so liveness left by another test on a shared
   * witness never counts) and in ascending order as text: A &lt; B &lt; C &lt; D.
   */
  protected String siteA;

  /** The second site. */
  protected String siteB;

  /** The third site. */
  protected String siteC;

  /** The fourth site. */
  protected String siteD;

  private static final Duration STEP = Duration.ofMillis(100);

  /** The longest a real witness's condition is awaited. */
  private static final Duration WALL_BUDGET = Duration.ofSeconds(30);

  /** A group name unique to the test, so tests on a shared witness never meet. */
  private String group;

  /**
   * A client of the test's witness acting for a site; called again for one site it stands for that
   * site after a restart. All clients of one test reach the same witness, fresh for the test (or
   * one whose groups the test never used).
   *
   * @param site the site's uuid
   * @return the client, using {@link #ticker()} for send times
   */
  protected abstract Witness witness(String site);

  /**
   * The sites' monotonic clock, as the clients read it.
   *
   * @return the ticker
   */
  protected abstract Ticker ticker();

  /**
   * Lets time pass, one polling step: moves virtual time, or waits on the wall clock for a real
   * witness.
   *
   * @param step how long, 100 ms
   */
  protected abstract void letTimePass(Duration step);

  @BeforeEach
  final void freshNames() {
    group = "group-" + UUID.randomUUID() + "/with slash";
    String suffix = UUID.randomUUID().toString().substring(2);
    siteA = "0a" + suffix;
    siteB = "0b" + suffix;
    siteC = "0c" + suffix;
    siteD = "0d" + suffix;
  }

  private static WitnessLease granted(LeaseOutcome outcome) {
    assertThat(outcome).isInstanceOf(LeaseOutcome.Granted.class);
    return ((LeaseOutcome.Granted) outcome).lease();
  }

  /** Polls until the supplier answers a value, letting time pass between tries. */
  private <T> T await(String what, Duration ttl, Supplier<Optional<T>> attempt) {
    Duration budget = ttl.multipliedBy(3).plusSeconds(5);
    long wallDeadline = System.nanoTime() + WALL_BUDGET.toNanos();
    Duration passed = Duration.ZERO;
    while (true) {
      Optional<T> value = attempt.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (passed.compareTo(budget) > 0 || System.nanoTime() - wallDeadline > 0) {
        throw new AssertionError(what + " did not happen within " + passed.toMillis() + " ms");
      }
      letTimePass(STEP);
      passed = passed.plus(STEP);
    }
  }

  @Test
  @DisplayName("acquire when free: granted with an epoch naming the site, sent and usable at once")
  void acquireWhenFree() {
    Witness a = witness(siteA);
    long before = ticker().nanos();

    WitnessLease lease = granted(a.acquire(group));

    long after = ticker().nanos();
    assertThat(lease.group()).isEqualTo(group);
    assertThat(lease.epoch().site()).isEqualTo(siteA);
    assertThat(lease.ttl()).isEqualTo(a.ttl());
    assertThat(lease.sentNanos()).isBetween(before, after);
    assertThat(lease.usableFromNanos()).isEqualTo(lease.sentNanos());
    assertThat(a.holder(group)).contains(lease.epoch());
    assertThat(a.latestEpoch(group)).contains(lease.epoch());
    assertThat(witness(siteB).holder(group)).contains(lease.epoch());
  }

  @Test
  @DisplayName(
      "acquire while another site holds the lease: refused naming the holder and its epoch")
  void refusedWhenHeld() {
    WitnessLease lease = granted(witness(siteA).acquire(group));

    LeaseOutcome refused = witness(siteB).acquire(group);

    assertThat(refused).isEqualTo(new LeaseOutcome.HeldBy(lease.epoch()));
    assertThat(refused)
        .hasToString("held by site " + siteA + " (epoch " + lease.epoch().counter() + ")");
    assertThat(witness(siteB).holder(group)).contains(lease.epoch());
  }

  @Test
  @DisplayName("renew, and acquire again by the holder (a restart), keep the epoch")
  void renewKeepsEpoch() {
    Witness a = witness(siteA);
    WitnessLease first = granted(a.acquire(group));
    letTimePass(STEP);
    long before = ticker().nanos();

    WitnessLease renewed = granted(a.renew(first));

    assertThat(renewed.epoch()).isEqualTo(first.epoch());
    assertThat(renewed.sentNanos()).isBetween(before, ticker().nanos());
    assertThat(renewed.usableFromNanos()).isEqualTo(first.usableFromNanos());
    WitnessLease again = granted(witness(siteA).acquire(group));
    assertThat(again.epoch()).isEqualTo(first.epoch());
    assertThat(witness(siteB).acquire(group)).isEqualTo(new LeaseOutcome.HeldBy(first.epoch()));
  }

  @Test
  @DisplayName(
      "release frees the lease at once: another site takes it with a greater epoch, no wait")
  void release() {
    Witness a = witness(siteA);
    WitnessLease lease = granted(a.acquire(group));

    a.release(lease);

    assertThat(a.holder(group)).isEmpty();
    assertThat(a.latestEpoch(group)).contains(lease.epoch());
    WitnessLease taken = granted(witness(siteB).acquire(group));
    assertThat(taken.epoch().site()).isEqualTo(siteB);
    assertThat(taken.epoch().counter()).isGreaterThan(lease.epoch().counter());
    assertThat(taken.usableFromNanos()).isEqualTo(taken.sentNanos());
    assertThat(a.renew(lease)).isEqualTo(new LeaseOutcome.HeldBy(taken.epoch()));
    a.release(lease);
    assertThat(a.holder(group)).contains(taken.epoch());
  }

  @Test
  @DisplayName("a renewal after release ends the tenure and takes nothing back")
  void renewAfterRelease() {
    Witness a = witness(siteA);
    WitnessLease lease = granted(a.acquire(group));
    a.release(lease);

    assertThat(a.renew(lease)).isEqualTo(new LeaseOutcome.Ended(lease.epoch()));
    assertThat(a.holder(group)).isEmpty();
  }

  @Test
  @DisplayName("after the TTL by the witness's clock another site takes the lease, epoch greater")
  void expiry() {
    Witness a = witness(siteA);
    Witness b = witness(siteB);
    WitnessLease lease = granted(a.acquire(group));
    assertThat(b.acquire(group)).isEqualTo(new LeaseOutcome.HeldBy(lease.epoch()));

    long[] before = new long[1];
    WitnessLease taken =
        await(
            "site B taking the expired lease",
            a.ttl(),
            () -> {
              before[0] = ticker().nanos();
              LeaseOutcome outcome = b.acquire(group);
              return outcome instanceof LeaseOutcome.Granted g
                  ? Optional.of(g.lease())
                  : Optional.empty();
            });
    long after = ticker().nanos();

    assertThat(taken.epoch().site()).isEqualTo(siteB);
    assertThat(taken.epoch().counter()).isGreaterThan(lease.epoch().counter());
    assertThat(Duration.ofNanos(after - lease.sentNanos()))
        .isGreaterThanOrEqualTo(a.ttl().minusMillis(20));
    // A take-over of an expired tenure waits as the witness says (one TTL on a database).
    assertThat(taken.usableFromNanos() - before[0])
        .isGreaterThanOrEqualTo(b.takeOverWait().toNanos());
    assertThat(taken.usableFromNanos() - after).isLessThanOrEqualTo(b.takeOverWait().toNanos());
    assertThat(b.holder(group)).contains(taken.epoch());
  }

  @Test
  @DisplayName("a renewal after expiry fails: Ended while free, HeldBy once another took it")
  void renewAfterExpiry() {
    Witness a = witness(siteA);
    WitnessLease lease = granted(a.acquire(group));

    await(
        "the lease expiring",
        a.ttl(),
        () -> a.holder(group).isEmpty() ? Optional.of(true) : Optional.empty());

    assertThat(a.renew(lease)).isEqualTo(new LeaseOutcome.Ended(lease.epoch()));
    assertThat(a.holder(group)).isEmpty();
    WitnessLease taken = granted(witness(siteB).acquire(group));
    assertThat(a.renew(lease)).isEqualTo(new LeaseOutcome.HeldBy(taken.epoch()));
  }

  @Test
  @DisplayName("epochs only grow across holders, releases and restarts of the sites' clients")
  void epochsOnlyGrow() {
    List<Epoch> epochs = new ArrayList<>();
    for (String site : List.of(siteA, siteB, siteA, siteC, siteC)) {
      Witness client = witness(site);
      WitnessLease lease = granted(client.acquire(group));
      epochs.add(lease.epoch());
      client.release(lease);
      assertThat(witness(siteD).latestEpoch(group)).contains(lease.epoch());
    }

    assertThat(epochs).extracting(Epoch::site).containsExactly(siteA, siteB, siteA, siteC, siteC);
    for (int i = 1; i < epochs.size(); i++) {
      assertThat(epochs.get(i).counter()).isGreaterThan(epochs.get(i - 1).counter());
    }
    assertThat(witness(siteD).holder(group)).isEmpty();
  }

  @Test
  @DisplayName("a group never taken has no holder and no epoch")
  void neverTaken() {
    assertThat(witness(siteA).holder(group)).isEmpty();
    assertThat(witness(siteA).latestEpoch(group)).isEmpty();
    assertThat(witness(siteA).candidates(group)).isEmpty();
  }

  @Test
  @DisplayName("candidates are listed best first while their site is live, and kept registered")
  void candidates() {
    Witness a = witness(siteA);
    Witness b = witness(siteB);
    Witness c = witness(siteC);
    String other = group + "-other";
    a.keepAlive();
    b.keepAlive();
    a.register(group, 1);
    b.register(group, 1);
    c.register(group, 0);
    b.register(other, 5);

    // C registered but is not live; equal priorities: the lower site uuid first.
    assertThat(a.candidates(group))
        .containsExactly(new Candidate(siteA, 1), new Candidate(siteB, 1));
    assertThat(a.candidates(other)).containsExactly(new Candidate(siteB, 5));

    c.keepAlive();
    b.register(group, 0);
    assertThat(a.candidates(group))
        .containsExactly(new Candidate(siteB, 0), new Candidate(siteC, 0), new Candidate(siteA, 1));

    b.withdraw(group);
    b.withdraw(group);
    assertThat(a.candidates(group))
        .containsExactly(new Candidate(siteC, 0), new Candidate(siteA, 1));
    assertThat(a.candidates(other)).containsExactly(new Candidate(siteB, 5));

    // Only A keeps itself alive: C disappears once its liveness expires by the witness's clock.
    await(
        "site C's liveness expiring",
        a.ttl(),
        () -> {
          a.keepAlive();
          List<Candidate> live = a.candidates(group);
          return live.equals(List.of(new Candidate(siteA, 1)))
              ? Optional.of(live)
              : Optional.empty();
        });

    witness(siteC).keepAlive();
    assertThat(a.candidates(group))
        .containsExactly(new Candidate(siteC, 0), new Candidate(siteA, 1));
  }

  @Test
  @DisplayName("refuses a negative priority and another site's lease, changing nothing")
  void badInput() {
    Witness a = witness(siteA);
    a.keepAlive();
    WitnessLease lease = granted(a.acquire(group));

    assertThatThrownBy(() -> a.register(group, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("candidate priority must be 0 or more, was -1");
    assertThatThrownBy(() -> witness(siteB).renew(lease))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("site " + siteB + " cannot use the lease of " + lease.epoch());
    assertThatThrownBy(() -> witness(siteB).release(lease))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("site " + siteB + " cannot use the lease of " + lease.epoch());
    assertThat(a.candidates(group)).isEmpty();
    assertThat(a.holder(group)).contains(lease.epoch());
  }

  @Test
  @DisplayName("concurrent acquires by four sites: exactly one wins, the others name it")
  void concurrentAcquires() throws Exception {
    List<String> sites = List.of(siteA, siteB, siteC, siteD);
    List<Witness> clients = sites.stream().map(this::witness).toList();
    for (int round = 0; round < 5; round++) {
      String contested = group + "-" + round;
      List<LeaseOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());

      Concurrently.run(
          sites.size(), thread -> outcomes.add(clients.get(thread).acquire(contested)));

      List<WitnessLease> winners =
          outcomes.stream()
              .filter(LeaseOutcome.Granted.class::isInstance)
              .map(o -> ((LeaseOutcome.Granted) o).lease())
              .toList();
      assertThat(winners).hasSize(1);
      Epoch winner = winners.get(0).epoch();
      assertThat(outcomes)
          .filteredOn(o -> !(o instanceof LeaseOutcome.Granted))
          .containsOnly(new LeaseOutcome.HeldBy(winner))
          .hasSize(sites.size() - 1);
      assertThat(clients.get(0).holder(contested)).contains(winner);
    }
  }
}
