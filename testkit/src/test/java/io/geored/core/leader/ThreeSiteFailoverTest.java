package io.geored.core.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.ManagementState;
import io.geored.spi.witness.Epoch;
import io.geored.testkit.sim.SimSite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The three-site stories: A is primary (priority 0) with associations to B (priority 1) and C
 * (priority 2); B and C hold non-primary copies and are not each other's peers. Policy rehome,
 * default timing (TTL 60 s, maintenance timeout 600 s). After every 5 s of virtual time no subcloud
 * is managed on two running sites that are not past their lease deadline.
 */
class ThreeSiteFailoverTest {

  private static final List<String> MEMBERS = List.of("sc01", "sc02");

  private static WitnessScenario threeSites() {
    WitnessScenario s =
        new WitnessScenario(3).withGroup(HeartbeatFailurePolicy.REHOME, "sc01", "sc02");
    s.advance(Duration.ofSeconds(10));
    return s;
  }

  /** Moves time in 5 s steps, checking that no member is managed on two sites at once. */
  private static void run(WitnessScenario s, Duration total) {
    for (long done = 0; done < total.toSeconds(); done += 5) {
      s.advance(Duration.ofSeconds(5));
      for (String member : MEMBERS) {
        List<String> managedOn =
            s.sites.sites().stream()
                .filter(site -> !site.isStopped())
                .filter(site -> !site.engine().pastLeaseDeadline("pg1"))
                .filter(site -> s.management(site, member) == ManagementState.MANAGED)
                .map(SimSite::name)
                .toList();
        assertThat(managedOn).as("%s managed at %s", member, s.sites.now()).hasSizeLessThan(2);
      }
    }
  }

  private static void assertLeads(WitnessScenario s, SimSite leader, long epoch) {
    assertThat(leader.engine().leaseOf("pg1").orElseThrow().epoch())
        .isEqualTo(new Epoch(epoch, leader.uuid()));
    for (String member : MEMBERS) {
      assertThat(s.management(leader, member)).isEqualTo(ManagementState.MANAGED);
    }
    assertThat(s.group(leader).systemLeaderId()).isEqualTo(leader.uuid());
  }

  private static void assertFollows(WitnessScenario s, SimSite follower, SimSite leader) {
    assertThat(follower.engine().leaseOf("pg1")).isEmpty();
    for (String member : MEMBERS) {
      assertThat(s.management(follower, member)).isEqualTo(ManagementState.UNMANAGED);
      assertThat(s.subcloud(follower, member).deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    }
    assertThat(s.group(follower).systemLeaderId()).isEqualTo(leader.uuid());
    assertThat(s.sites.leadership(follower).fenced("pg1")).isEmpty();
  }

  @Test
  void aDiesThenBTakesOver() {
    try (WitnessScenario s = threeSites()) {
      assertLeads(s, s.a, 1);
      s.sites.stop(s.a);
      run(s, Duration.ofMinutes(15));
      assertLeads(s, s.b, 2);
      assertFollows(s, s.c, s.b);
    }
  }

  @Test
  void aAndBDieThenCTakesOverThenBothReturnAndFollow() {
    try (WitnessScenario s = threeSites()) {
      s.sites.stop(s.a);
      run(s, Duration.ofMinutes(15));
      assertLeads(s, s.b, 2);
      s.sites.stop(s.b);
      run(s, Duration.ofMinutes(15));
      assertLeads(s, s.c, 3);
      // A returns: fenced at start, then follows C.
      s.sites.restart(s.a);
      run(s, Duration.ofMinutes(2));
      assertFollows(s, s.a, s.c);
      // B returns after C took over: follows too.
      s.sites.restart(s.b);
      run(s, Duration.ofMinutes(2));
      assertFollows(s, s.b, s.c);
      assertLeads(s, s.c, 3);
    }
  }

  @Test
  void aIsolatedFromEveryoneButTheWitnessKeepsTheGroupThenLosesItWithTheWitness() {
    try (WitnessScenario s = threeSites()) {
      s.sites.network().down(s.a.system());
      run(s, Duration.ofMinutes(30));
      assertLeads(s, s.a, 1);
      assertThat(s.b.engine().leaseOf("pg1")).isEmpty();
      assertThat(s.subcloud(s.b, "sc01").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      s.sites.witness().cutOff(s.a.uuid());
      run(s, Duration.ofMinutes(15));
      assertThat(s.fencedAlarm(s.a)).isTrue();
      assertLeads(s, s.b, 2);
      // The partition heals: A follows B.
      s.sites.witness().reconnect(s.a.uuid());
      s.sites.network().up(s.a.system());
      run(s, Duration.ofMinutes(2));
      assertFollows(s, s.a, s.b);
      assertThat(s.fencedAlarm(s.a)).isFalse();
    }
  }
}
