package io.geored.core.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.ManagementState;
import io.geored.testkit.work.Gate;
import io.geored.testkit.work.RehomeScript;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a site leaves behind when it takes a group's lease back after another site's tenure. */
class SettlingTest {

  @Test
  void membersHandedOverToAStoppedMigrationBecomeRehomeFailedWhenTheLeaseIsTakenBack() {
    try (WitnessScenario s =
        new WitnessScenario(2).withGroup(HeartbeatFailurePolicy.ALARM, "sc01")) {
      Gate never = new Gate();
      s.rehomers.get(s.b.uuid()).byDefault(RehomeScript.succeed().awaiting(never));
      s.migrate(s.b);
      s.sites.runUntilIdle();
      assertThat(s.subcloud(s.a, "sc01").deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
      assertThat(s.subcloud(s.b, "sc01").deployStatus()).isEqualTo(DeployStatus.REHOMING);

      // Site-b loses the lease in the middle of its batch; site-a takes it back.
      s.sites.witness().cutOff(s.b.uuid());
      s.advance(Duration.ofMinutes(3));

      assertThat(s.a.engine().leaseOf("pg1")).isPresent();
      assertThat(s.subcloud(s.b, "sc01").deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(s.subcloud(s.a, "sc01").deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(s.management(s.a, "sc01")).isEqualTo(ManagementState.UNMANAGED);
      assertThat(s.subcloud(s.a, "sc01").errorDescription())
          .isEqualTo(
              "Subcloud sc01 was not taken over by the migration of peer group pg1 on peer site "
                  + WitnessScenario.peerOn(s.a, s.b).peerName()
                  + "; migrate the peer group to rehome it");
    }
  }
}
