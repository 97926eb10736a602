package io.geored.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.testkit.sim.Simulation.Mode;
import java.util.ArrayList;
import java.util.List;
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

  /** Runs the seeds; every run must keep the safety rules after every step and settle. */
  private static void runAll(Mode mode) {
    List<String> failed = new ArrayList<>();
    String firstReport = null;
    int takeovers = 0;
    long start = System.nanoTime();
    List<Long> seeds = seeds();
    for (long seed : seeds) {
      Simulation.Result result = Simulation.run(mode, seed);
      if (result.automaticTakeovers() > 0) {
        takeovers++;
      }
      if (seeds.size() == 1) {
        System.out.println(result.report());
      }
      if (!result.passed()) {
        failed.add(seed + " (" + sites(result) + "): " + result.failure().orElseThrow());
        if (Boolean.getBoolean("geored.sim.reports")) {
          System.out.println(result.report());
        }
        if (firstReport == null) {
          firstReport = result.report();
        }
      }
    }
    System.out.printf(
        "simulation %s: %d seeds in %d ms, %d failed, %d reached an automatic takeover%n",
        mode, seeds.size(), (System.nanoTime() - start) / 1_000_000, failed.size(), takeovers);
    if (firstReport != null) {
      System.out.println(firstReport);
    }
    assertThat(failed).as("failed seeds (first one's log printed above)").isEmpty();
  }

  /** The run's site count, from its first log line. */
  private static String sites(Simulation.Result result) {
    String build = result.log().get(0);
    int at = build.indexOf("sites=");
    return at < 0 ? "?" : build.substring(at, at + "sites=".length() + 1);
  }

  @Test
  @DisplayName(
      "without a witness, every seed (two and three sites) keeps the safety rules and settles")
  void noWitness() {
    runAll(Mode.NO_WITNESS);
  }

  /**
   * Three-site seeds without a witness (of seeds 1-2000) that broke "managed on two sites" before
   * the rules of ADR 0030 (docs/simulation.md): operators migrating the group to site-b and site-c
   * at the same instant, site-a handing each member to both (50, 443, 537, 739, 1038, 1152); a
   * migration on one secondary taking members site-a held rehome-pending for the other's (395); a
   * migration on one secondary while the other managed the members under site-a's leadership (1339,
   * 1764, 1771); and duplicates that partitions left behind and no audit ended after the quiet
   * period (776, 797, 801, 921, 1241; 921 and 776 appeared only once the first rules of the ADR
   * were in). Of the long gate's seeds: a hand-over the primary granted while it managed the member
   * itself and, cut off from it, site-b did too (2991, 12797); and a secondary's audit request,
   * delivered late, that made site-a follow a finished migration site-a had settled and its site
   * had withdrawn, so the sites disagreed on the leader after the quiet period (12987, 17382).
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(
      longs = {
        50, 395, 443, 537, 739, 776, 797, 801, 921, 1038, 1152, 1241, 1339, 1764, 1771, 2991, 12797,
        12987, 17382
      })
  @DisplayName("three-site seeds that broke the rules without a witness keep them (ADR 0030)")
  void threeSitesWithoutWitnessRegressions(long seed) {
    Simulation.Result result = Simulation.run(Mode.NO_WITNESS, seed);

    assertThat(result.log().get(0)).contains(" sites=3 ");
    result.assertPassed();
  }

  @Test
  @DisplayName(
      "with a witness, every seed keeps the safety rules after every step and settles after the"
          + " quiet period, two and three sites alike")
  void witness() {
    runAll(Mode.WITNESS);
  }

  /**
   * Seeds that found bugs in today's rules, replayed with the unscrambled generator they were found
   * with ({@link Simulation#replayUnscrambled}): 57 (a partition in the middle of a batch let the
   * later members be rehomed while the unreachable peer still managed them) and 140 (a stale
   * unavailable mark after a healed partition let a migration skip a peer that still managed its
   * copies).
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {57, 140})
  @DisplayName("seeds that found bugs keep passing")
  void regressions(long seed) {
    Simulation.replayUnscrambled(Mode.NO_WITNESS, seed).assertPassed();
  }

  /**
   * Seeds of the scrambled generator that break "managed on two sites" without the hand-over fix of
   * seeds 57 and 140 (a peer available when the batch started is asked for every member; a peer
   * marked unavailable is tried once): 221 and 243, both three-site runs. Both settle now too.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {221, 243})
  @DisplayName("three-site seeds that need the hand-over fix keep the rules")
  void threeSiteRegressions(long seed) {
    Simulation.run(Mode.NO_WITNESS, seed).assertPassed();
  }

  /**
   * Three-site seeds without a witness that did not settle, or broke "managed on two sites" once
   * the simulation stopped holding back migrations on a secondary while the other led, before the
   * rules of ADR 0028 (docs/simulation.md, "What it found"): those docs/simulation.md listed as not
   * settling (39 ... 294: members left rehome-pending, or two sites each naming itself the leader),
   * and 6 (a secondary still led after the primary followed the other one), 42 (a secondary never
   * saw the primary's migration complete: the other's audit reset it), 98 (a secondary managing
   * while naming another leader when the primary followed the other) and 294 (a member left
   * rehome-pending on a secondary whose primary followed the other).
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(
      longs = {
        6, 39, 42, 51, 63, 82, 89, 98, 131, 133, 144, 163, 166, 182, 211, 234, 241, 257, 279, 294
      })
  @DisplayName("three-site seeds without a witness that did not settle settle")
  void threeSiteSettles(long seed) {
    Simulation.run(Mode.NO_WITNESS, seed).assertPassed();
  }

  @Test
  @DisplayName("small seeds run two and three sites alike")
  void smallSeedsCoverBothSiteCounts() {
    int three = 0;
    for (long seed = 1; seed <= 20; seed++) {
      if (Simulation.run(Mode.NO_WITNESS, seed).log().get(0).contains(" sites=3 ")) {
        three++;
      }
    }

    assertThat(three).isBetween(1, 19);
    assertThat(Simulation.replayUnscrambled(Mode.NO_WITNESS, 20).log().get(0))
        .contains(" sites=2 ");
  }

  /**
   * Witness seeds of the long gate ({@code -Psim}): 2564, a safety check that was wrong (site-c,
   * paused nine minutes mid-rehome and past its lease deadline, still said rehoming while the new
   * leader site-a started the same member's rehome; a rehome in flight is cancelled when its site
   * fences, before the deadline, ADR 0027, and a paused site's rehome stands still with it: the
   * check now counts pre-rehome and rehoming with the deadline rule of "managed"); 3616, sites
   * disagreeing on the leader after the quiet period (site-a's migration rehomed members, stood
   * paused past its deadline and closed fenced naming the leader before it, which followed site-a's
   * tenure; ADR 0027, "A fenced migration that rehomed members").
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {2564, 3616})
  @DisplayName("witness seeds of the long gate keep the rules")
  void witnessLongGateRegressions(long seed) {
    Simulation.run(Mode.WITNESS, seed).assertPassed();
  }

  /**
   * Witness seeds whose safety check was wrong: 3264 and 4026 (of the {@code sim} profile, replayed
   * with the unscrambled generator they were found with, as every witness seed below) sent a
   * hand-over's {@code updateSubcloud} with the lease usable, over slow links whose delays had
   * added up to more than the fencing argument's pause bound, so it arrived after the lease had
   * lapsed at the witness with no newer leader: a write in flight beyond P, which only the
   * receiver's epoch check can refuse, as a late delivery. The check now treats it as late.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3264, 4026})
  @DisplayName("witness seeds whose safety check was wrong keep the safety rules")
  void witnessRegressions(long seed) {
    Simulation.Result result = Simulation.replayUnscrambled(Mode.WITNESS, seed);

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
    Simulation.replayUnscrambled(Mode.WITNESS, seed).assertPassed();
  }

  /**
   * Three-site witness seeds 3, 10 and 21 (scrambled) were reported as "the sites disagree on the
   * leader" only because site-c, which is not the new leader's system peer, names it by its uuid
   * while the others name it by its name: the check compared names. It compares the leader's uuid
   * now; these seeds settle.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3, 10, 21})
  @DisplayName("a leader named by its uuid on a site that is not its peer is the same leader")
  void leaderNamedByUuidAgrees(long seed) {
    Simulation.run(Mode.WITNESS, seed).assertPassed();
  }

  /**
   * Witness seed 57 left a member rehome-pending on site-a for good: site-a handed it over to
   * site-b's migration, site-b lost the lease and stopped (rehome cancelled, rehome-failed there),
   * site-a took the lease back. Seed 205 the same, site-a taking it back by an operator's
   * migration. Taking the lease after another site's tenure (regain or migration) now makes such
   * members rehome-failed, which an operator can migrate again. Seed 300: site-b's migration lost
   * the lease and closed without leading, then site-b's next renewal tick, finding the lease past
   * its stop bound, fenced it and took it again at once (a "regain" for a group its copy said
   * site-a led); site-a followed that lease and never took the group back. A site now takes a lease
   * again only for a group its copy names it the leader of.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {57, 205, 300})
  @DisplayName("witness seeds that left a member rehome-pending settle")
  void witnessRehomePendingRegressions(long seed) {
    Simulation.replayUnscrambled(Mode.WITNESS, seed).assertPassed();
  }

  /**
   * Witness seeds of the current generator that did not settle: 62 (two sites; site-b's migration
   * stopped without the lease while its copy still said migrating, site-a took the lease back and
   * its audit then handed every member over to that migration), 98 and 198 (a site that had
   * followed the newest tenure copied by its audit a peer's older claim to lead), 31, 39, 51 and 89
   * (members left rehome-pending by a migration that had ended, no audit to settle them). The audit
   * now hands members over only to a peer the witness shows holding the lease, copies a peer's
   * leader only when the witness's newest tenure is that peer's, and the witness tick makes members
   * left rehome-pending by an ended migration rehome-failed.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {31, 39, 51, 62, 89, 98, 198})
  @DisplayName("witness seeds that did not settle after the quiet period settle")
  void witnessSettleRegressions(long seed) {
    Simulation.run(Mode.WITNESS, seed).assertPassed();
  }

  /**
   * Two-site witness seeds beyond the gate's range that left sc01 rehome-pending on site-a after
   * the quiet period: site-b's migration scheduled a hand-over retry (site-a did not answer), stood
   * paused (or was halted) past its lease, and site-a took the lease back. The retry then ran and
   * wrote sc01 rehome-pending on site-a without a leader epoch (site-b held no lease), which
   * nothing refused and nothing settled. A hand-over now asks, before every step and every write,
   * whether the migration may still act for the group, and stops writing when it may not.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {5848, 12998, 18424})
  @DisplayName("witness seeds whose late hand-over retry left a member rehome-pending settle")
  void witnessLateRetryRegressions(long seed) {
    Simulation.run(Mode.WITNESS, seed).assertPassed();
  }

  /**
   * Unscrambled witness seed 284 ended with each site naming the other as the leader and nobody
   * holding the lease: site-b's migration took the lease, site-a handed over and followed it, then
   * site-b lost the lease before handing any member over and closed its migration without leading.
   * No site takes back a group its copy does not name it the leader of (ADR 0027); with policy
   * rehome the best live candidate takes the free lease over after the maintenance timeout, and the
   * sites agree again.
   */
  @Test
  @DisplayName("a group nobody leads is taken over automatically and the sites agree on the leader")
  void witnessUnledGroupIsTakenOver() {
    Simulation.Result result = Simulation.replayUnscrambled(Mode.WITNESS, 284);

    result.assertPassed();
    assertThat(result.automaticTakeovers()).as(result.report()).isPositive();
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
