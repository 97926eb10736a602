package io.geored.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.testkit.sim.Simulation.Mode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulation gate of the normal build: 300 seeds per mode. {@code -Dgeored.sim.seed=<n>}
 * replays one seed (both modes); {@code -Dgeored.sim.seeds=<n>} runs more (the {@code sim}
 * profile).
 */
@DisplayName("The deterministic simulation")
class SimulationTest {

  private static final int DEFAULT_SEEDS = 300;

  private static List<Long> seeds() {
    String one = System.getProperty("geored.sim.seed");
    if (one != null && !one.isBlank()) {
      return List.of(Long.parseLong(one.strip()));
    }
    int count = Integer.getInteger("geored.sim.seeds", DEFAULT_SEEDS);
    long first = Long.getLong("geored.sim.first", 1L);
    List<Long> seeds = new ArrayList<>();
    for (long s = first; s < first + count; s++) {
      seeds.add(s);
    }
    return seeds;
  }

  private static void runAll(Mode mode) {
    runAll(mode, false);
  }

  private static void runAll(Mode mode, boolean safetyOnly) {
    List<String> failed = new ArrayList<>();
    List<String> settled = new ArrayList<>();
    String firstReport = null;
    long start = System.nanoTime();
    List<Long> seeds = seeds();
    for (long seed : seeds) {
      Simulation.Result result = Simulation.run(mode, seed);
      if (seeds.size() == 1) {
        System.out.println(result.report());
      }
      if (safetyOnly && !result.passed() && !result.safetyBroken()) {
        settled.add(seed + ": " + result.failure().orElseThrow());
      }
      if (safetyOnly ? result.safetyBroken() : !result.passed()) {
        failed.add(seed + ": " + result.failure().orElseThrow());
        if (firstReport == null) {
          firstReport = result.report();
        }
      }
    }
    System.out.printf(
        "simulation %s: %d seeds in %d ms, %d failed%n",
        mode, seeds.size(), (System.nanoTime() - start) / 1_000_000, failed.size());
    if (!settled.isEmpty()) {
      System.out.println(
          "not settled after the quiet period (liveness, not checked here): " + settled);
    }
    if (firstReport != null) {
      System.out.println(firstReport);
    }
    assertThat(failed).as("failed seeds (first one's log printed above)").isEmpty();
  }

  @Test
  @DisplayName("without a witness, every seed keeps the rules")
  void noWitness() {
    runAll(Mode.NO_WITNESS);
  }

  @Test
  @DisplayName("with a witness, every seed keeps the safety rules after every step")
  void witnessSafety() {
    runAll(Mode.WITNESS, true);
  }

  @Test
  @Disabled(
      "the witness rules do not yet settle after the quiet period for seeds 284 (the sites"
          + " disagree on the leader) and 300 (a member stays rehome-pending) of 1-300;"
          + " docs/simulation.md")
  @DisplayName("with a witness, every seed also settles after the quiet period")
  void witness() {
    runAll(Mode.WITNESS);
  }

  /**
   * Seeds that found bugs in today's rules, replayed: 57 (a partition in the middle of a batch let
   * the later members be rehomed while the unreachable peer still managed them) and 140 (a stale
   * unavailable mark after a healed partition let a migration skip a peer that still managed its
   * copies).
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {57, 140})
  @DisplayName("seeds that found bugs keep passing")
  void regressions(long seed) {
    Simulation.run(Mode.NO_WITNESS, seed).assertPassed();
  }

  /**
   * Witness seeds whose safety check was wrong: 3264 and 4026 (of the {@code sim} profile) sent a
   * hand-over's {@code updateSubcloud} with the lease usable, over slow links whose delays had
   * added up to more than the fencing argument's pause bound, so it arrived after the lease had
   * lapsed at the witness with no newer leader: a write in flight beyond P, which only the
   * receiver's epoch check can refuse, as a late delivery. The check now treats it as late.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3264, 4026})
  @DisplayName("witness seeds whose safety check was wrong keep the safety rules")
  void witnessRegressions(long seed) {
    Simulation.Result result = Simulation.run(Mode.WITNESS, seed);

    assertThat(result.safetyBroken()).as(result.report()).isFalse();
  }

  /**
   * Witness seeds that did not settle: 29, 56, 66, 115, 127, 158, 160 and 190 (among others) ended
   * with each site naming the other as the group's leader. A migration to site-b ended without the
   * lease (site-b cut off from the witness), site-a took the lease back with a newer epoch and
   * site-b followed it; then site-a's audit copied site-b's stale claim to lead (its finished
   * migration) over the witness's answer. The audit no longer copies a peer's leader while this
   * site holds the group's lease.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {29, 56, 66, 115, 127, 158, 160, 190})
  @DisplayName("witness seeds whose sites named each other as the leader settle")
  void witnessLeaderRegressions(long seed) {
    Simulation.run(Mode.WITNESS, seed).assertPassed();
  }

  /**
   * Witness seed 57 left a member rehome-pending on site-a for good: site-a handed it over to
   * site-b's migration, site-b lost the lease and stopped (rehome cancelled, rehome-failed there),
   * site-a took the lease back. Seed 205 the same, site-a taking it back by an operator's
   * migration. Taking the lease after another site's tenure (regain or migration) now makes such
   * members rehome-failed, which an operator can migrate again.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {57, 205})
  @DisplayName("witness seeds that left a member rehome-pending settle")
  void witnessRehomePendingRegressions(long seed) {
    Simulation.run(Mode.WITNESS, seed).assertPassed();
  }

  @Test
  @DisplayName("the same seed replays the same run")
  void replays() {
    Simulation.Result first = Simulation.run(Mode.NO_WITNESS, 42);
    Simulation.Result second = Simulation.run(Mode.NO_WITNESS, 42);

    assertThat(first.log()).hasSizeGreaterThan(Simulation.STEPS);
    assertThat(second.log()).isEqualTo(first.log());
    assertThat(Simulation.run(Mode.NO_WITNESS, 43).log()).isNotEqualTo(first.log());
  }
}
