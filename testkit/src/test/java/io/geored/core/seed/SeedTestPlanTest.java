package io.geored.core.seed;

import static io.geored.core.seed.SeedSites.A_GATEWAY;
import static io.geored.core.seed.SeedSites.GOOD_ADDRESS;
import static io.geored.core.seed.SeedSites.WRONG_ADDRESS;
import static io.geored.core.seed.SeedSites.address;
import static io.geored.core.seed.SeedSites.gateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SyncStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The five PASS items of the seed commit "Allow rehome related data update when subcloud migration
 * fails", in the multi-site harness with real sites on both sides and virtual time.
 */
@DisplayName("The seed commit's test plan")
class SeedTestPlanTest {

  private SeedSites s;

  @BeforeEach
  void setUp() {
    s = new SeedSites();
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  /** Pre-steps 1–8: synced, migrated from B, failed on both sites. */
  private void failedMigrationToB(String... subclouds) {
    s.prepare(subclouds);
    // Step 6: both in-sync, B holds secondary copies with its own gateway.
    assertThat(s.association(s.a).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.association(s.b).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    for (String name : subclouds) {
      Subcloud copy = s.subcloud(s.b, name);
      assertThat(copy.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(gateway(copy)).isEqualTo(s.b.gatewayAddress());
      assertThat(address(copy)).isEqualTo(WRONG_ADDRESS);
    }
    // Step 7: migrate from B.
    assertThat(s.migrateOn(s.b)).extracting(Subcloud::name).containsExactly(subclouds);
    s.settle();
    // Step 8: rehome-failed on both sites.
    for (String name : subclouds) {
      assertThat(s.subcloud(s.b, name).deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(s.subcloud(s.a, name).deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(s.subcloud(s.a, name).managementState()).isEqualTo(ManagementState.UNMANAGED);
    }
  }

  @Test
  @DisplayName(
      "PASS 1: with A down the address is corrected on B (B's association out-of-sync); the"
          + " re-migration succeeds, and when A is back its audit takes the corrected rehome data and"
          + " both associations are in-sync")
  void correctOnBWhileADownThenAuditHealsA() {
    failedMigrationToB("sc1");
    s.siteADown();
    assertThat(s.b.stores().systemPeers().findByUuid(s.a.uuid()).orElseThrow().availabilityState())
        .isEqualTo(PeerAvailability.UNAVAILABLE);
    assertThat(s.alarms(s.b).isRaised("280.004", "peer=" + s.a.uuid())).isTrue();

    s.b
        .api()
        .updateSubcloud(
            Caller.OPERATOR,
            "sc1",
            SubcloudUpdate.builder().bootstrapAddress(GOOD_ADDRESS).build());
    assertThat(address(s.subcloud(s.b, "sc1"))).isEqualTo(GOOD_ADDRESS);
    assertThat(gateway(s.subcloud(s.b, "sc1"))).isEqualTo(s.b.gatewayAddress());
    assertThat(s.association(s.b).syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);

    s.migrateOn(s.b);
    s.settle();
    Subcloud onB = s.subcloud(s.b, "sc1");
    assertThat(onB.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    assertThat(onB.managementState()).isEqualTo(ManagementState.MANAGED);

    s.siteAUp();
    Subcloud onA = s.subcloud(s.a, "sc1");
    assertThat(onA.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    assertThat(onA.managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(address(onA)).isEqualTo(GOOD_ADDRESS);
    assertThat(gateway(onA)).isEqualTo(A_GATEWAY);
    assertThat(s.group(s.a).systemLeaderId()).isEqualTo(s.b.uuid());
    assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.NONE);
    assertThat(s.association(s.a).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.association(s.b).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.alarms(s.b).isRaised("280.004", "peer=" + s.a.uuid())).isFalse();
    assertThat(s.alarms(s.a).isRaised("280.005", "peer_group=pg1,peer=" + s.b.uuid())).isTrue();
  }

  @Test
  @DisplayName("PASS 2: with A down, bootstrap values and address are the only fields B accepts")
  void onlyBootstrapOnBWhileADown() {
    failedMigrationToB("sc1");
    s.siteADown();
    Subcloud before = s.subcloud(s.b, "sc1");

    assertThatThrownBy(
            () ->
                s.b
                    .api()
                    .updateSubcloud(
                        Caller.OPERATOR,
                        "sc1",
                        SubcloudUpdate.builder()
                            .bootstrapAddress(GOOD_ADDRESS)
                            .description("moved")
                            .build()))
        .isExactlyInstanceOf(ValidationException.class)
        .hasMessage(Messages.SUBCLOUD_UPDATE_ONLY_BOOTSTRAP);
    assertThatThrownBy(
            () ->
                s.b
                    .api()
                    .updateSubcloud(
                        Caller.OPERATOR, "sc1", SubcloudUpdate.builder().location("lab").build()))
        .isExactlyInstanceOf(ValidationException.class)
        .hasMessage(Messages.SUBCLOUD_UPDATE_NON_PRIMARY);
    assertThat(s.subcloud(s.b, "sc1")).isEqualTo(before);

    java.util.Map<String, Object> values = SeedSites.bootstrapValues("sc1");
    values.put("bootstrap-address", GOOD_ADDRESS);
    s.b
        .api()
        .updateSubcloud(
            Caller.OPERATOR, "sc1", SubcloudUpdate.builder().bootstrapValues(values).build());
    assertThat(address(s.subcloud(s.b, "sc1"))).isEqualTo(GOOD_ADDRESS);
    assertThat(s.association(s.b).syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
  }

  @Test
  @DisplayName("PASS 3: with A up, B refuses the address update and nothing changes")
  void addressRefusedOnBWhileAUp() {
    failedMigrationToB("sc1");
    assertThat(s.b.stores().systemPeers().findByUuid(s.a.uuid()).orElseThrow().availabilityState())
        .isEqualTo(PeerAvailability.AVAILABLE);
    Subcloud before = s.subcloud(s.b, "sc1");
    var associationBefore = s.association(s.b);

    assertThatThrownBy(
            () ->
                s.b
                    .api()
                    .updateSubcloud(
                        Caller.OPERATOR,
                        "sc1",
                        SubcloudUpdate.builder().bootstrapAddress(GOOD_ADDRESS).build()))
        .isExactlyInstanceOf(ValidationException.class)
        .hasMessage(Messages.SUBCLOUD_UPDATE_BOOTSTRAP_CONDITIONS);
    assertThat(s.subcloud(s.b, "sc1")).isEqualTo(before);
    assertThat(s.association(s.b)).isEqualTo(associationBefore);
  }

  @Test
  @DisplayName("PASS 4: when every subcloud fails to rehome, both sites record B as the leader")
  void leaderIsBEvenWhenAllFail() {
    failedMigrationToB("sc1", "sc2");

    assertThat(s.group(s.b).systemLeaderId()).isEqualTo(s.b.uuid());
    assertThat(s.group(s.b).systemLeaderName()).isEqualTo(s.b.name());
    assertThat(s.group(s.a).systemLeaderId()).isEqualTo(s.b.uuid());
    assertThat(s.group(s.a).systemLeaderName()).isEqualTo(s.b.name());
  }

  @Test
  @DisplayName(
      "PASS 5: with A up throughout, both sites end rehome-failed; A migrates back although still"
          + " failed, and after A corrects the address its re-migration succeeds")
  void migrateBackToAAndCorrectThere() {
    failedMigrationToB("sc1");

    // A takes the group back: it is eligible although still failed.
    assertThat(s.migrateOn(s.a)).extracting(Subcloud::name).containsExactly("sc1");
    s.settle();
    assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
    assertThat(s.group(s.a).systemLeaderId()).isEqualTo(s.a.uuid());
    assertThat(s.group(s.b).systemLeaderId()).isEqualTo(s.a.uuid());

    // A leads again: it may correct the address, then the re-migration succeeds.
    s.a
        .api()
        .updateSubcloud(
            Caller.OPERATOR,
            "sc1",
            SubcloudUpdate.builder().bootstrapAddress(GOOD_ADDRESS).build());
    s.migrateOn(s.a);
    s.settle();
    Subcloud onA = s.subcloud(s.a, "sc1");
    assertThat(onA.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    assertThat(onA.managementState()).isEqualTo(ManagementState.MANAGED);
    assertThat(address(onA)).isEqualTo(GOOD_ADDRESS);
    assertThat(gateway(onA)).isEqualTo(A_GATEWAY);
    Subcloud onB = s.subcloud(s.b, "sc1");
    assertThat(onB.managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(onB.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
  }
}
