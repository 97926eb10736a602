package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ForbiddenException;
import io.geored.spi.NotFoundException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.WorkProgress;
import io.geored.testkit.work.RehomeScript;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A migration's progress is readable from outside while it runs and once it ended")
class MigrationProgressTest {

  private static final Duration MIN = Duration.ofMinutes(1);

  private MigrationScenario s;

  @BeforeEach
  void setUp() {
    // Two places for four members: sc01 takes 10 min, sc02 fails after 5, sc03 takes 20 and
    // sc04 10; each takes the place of the one before it that ended.
    s = new MigrationScenario(MigrationBatchTest.QUIET_AUDIT).withGroup(2, 4);
    s.rehomer(s.b).script("sc01", RehomeScript.succeed().taking(MIN.multipliedBy(10)));
    s.rehomer(s.b).script("sc02", RehomeScript.fail("no route").taking(MIN.multipliedBy(5)));
    s.rehomer(s.b).script("sc03", RehomeScript.succeed().taking(MIN.multipliedBy(20)));
    s.rehomer(s.b).script("sc04", RehomeScript.succeed().taking(MIN.multipliedBy(10)));
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  private WorkProgress progress() {
    return s.b.api().migrationProgress(Caller.OPERATOR, "pg1");
  }

  @Test
  @DisplayName(
      "done, failed, in flight and the estimated end from the pace of the rehomes so far, at"
          + " each instant a rehome ends")
  void exactNumbersAsItGoes() {
    assertThat(progress()).isEqualTo(new WorkProgress("none", 0, 0, 0, 0, null, null));
    Instant t0 = s.now();

    s.migrate(s.b);
    s.sites.runUntilIdle();
    assertThat(progress()).isEqualTo(new WorkProgress("migrating", 4, 0, 0, 2, t0, null));

    // sc02 failed after 5 min: one done in 5 min, four take 20.
    s.sites.advance(MIN.multipliedBy(5));
    assertThat(progress())
        .isEqualTo(new WorkProgress("migrating", 4, 1, 1, 2, t0, t0.plus(MIN.multipliedBy(20))));

    // Nothing ended since: the estimate holds.
    s.sites.advance(MIN.multipliedBy(3));
    assertThat(progress())
        .isEqualTo(new WorkProgress("migrating", 4, 1, 1, 2, t0, t0.plus(MIN.multipliedBy(20))));

    // sc01 managed at 10 min: two in 10 min; sc04 took its place.
    s.sites.advance(MIN.multipliedBy(2));
    assertThat(progress())
        .isEqualTo(new WorkProgress("migrating", 4, 2, 1, 2, t0, t0.plus(MIN.multipliedBy(20))));

    // sc04 managed at 20 min: three in 20 min, four in 26 min 40 s; sc03 alone in flight.
    s.sites.advance(MIN.multipliedBy(10));
    assertThat(progress())
        .isEqualTo(
            new WorkProgress(
                "migrating", 4, 3, 1, 1, t0, t0.plus(MIN.multipliedBy(26)).plusSeconds(40)));

    // sc03 managed at 25 min: the migration ended then, complete.
    s.sites.advance(MIN.multipliedBy(5));
    assertThat(progress())
        .isEqualTo(new WorkProgress("complete", 4, 4, 1, 0, t0, t0.plus(MIN.multipliedBy(25))));
  }

  @Test
  @DisplayName("an unknown group is not found; a peer site's token is refused")
  void refusals() {
    assertThatThrownBy(() -> s.b.api().migrationProgress(Caller.OPERATOR, "nope"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage(Messages.PEER_GROUP_NOT_FOUND);
    assertThatThrownBy(() -> s.b.api().migrationProgress(Caller.peerSite(s.a.uuid()), "pg1"))
        .isInstanceOf(ForbiddenException.class)
        .hasMessage(Messages.PEER_REQUEST_FORBIDDEN);
  }
}
