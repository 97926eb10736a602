package io.geored.adapters.http;

import static io.geored.adapters.http.HttpSeedSites.A_GATEWAY;
import static io.geored.adapters.http.HttpSeedSites.GOOD_ADDRESS;
import static io.geored.adapters.http.HttpSeedSites.WRONG_ADDRESS;
import static io.geored.adapters.http.HttpSeedSites.address;
import static io.geored.adapters.http.HttpSeedSites.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.Caller;
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
 * The seed commit's PASS item 1 ("Allow rehome related data update when subcloud migration fails")
 * played by two full sites that reach each other only over HTTP, with the state of both sites
 * checked after every step.
 */
@DisplayName("the seed commit's PASS item 1 over HTTP between two full sites")
class HttpSeedPlanTest {

  HttpSeedSites s;

  @BeforeEach
  void setUp() {
    s = sites();
  }

  /**
   * The two sites the plan is played on: plain http with static tokens here; a subclass wires them
   * another way (https, Keystone).
   */
  HttpSeedSites sites() {
    return new HttpSeedSites();
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  @Test
  @DisplayName(
      "with A down the address is corrected on B, B's re-migration succeeds, and A back up on its"
          + " port takes the corrected rehome data from its audit; both associations end in-sync")
  void correctOnBWhileADownThenAuditHealsA() {
    correctOnBWhileADown();
    long aTookBefore = s.a.peerCalls.get();
    s.siteAUp();
    assertHealed();
    // The heal came over HTTP: A answered B's calls on its restarted server.
    assertThat(s.a.peerCalls.get()).isGreaterThan(aTookBefore);
  }

  @Test
  @DisplayName("the same when A comes back on another port and B's system peer is pointed at it")
  void aReturnsOnAnotherPort() {
    correctOnBWhileADown();
    long aTookBefore = s.a.peerCalls.get();
    int oldPort = s.siteAUpOnNewPort();
    assertThat(s.a.peerCalls.get()).isGreaterThan(aTookBefore);
    assertThat(s.a.port).isNotEqualTo(oldPort);
    assertThat(s.b.api().getSystemPeer(Caller.OPERATOR, s.a.uuid()).managerEndpoint())
        .isEqualTo(s.a.server.baseUri().getScheme() + "://127.0.0.1:" + s.a.port + "/v1.0")
        .startsWith(s.a.tls.server() == null ? "http://" : "https://");
    assertHealed();
  }

  /** Every step up to A's return: B has re-migrated sc1 with the corrected address. */
  private void correctOnBWhileADown() {
    // Pre-steps 1–6: paired, sc1 managed in pg1 on A, associated with B and synced.
    s.prepare("sc1");
    // The sync reached B over HTTP, on the token B grants its peer.
    assertThat(s.b.peerCalls).hasPositiveValue();
    assertThat(s.association(s.a).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.association(s.b).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    Subcloud primary = s.a.api().getSubcloud(Caller.OPERATOR, "sc1");
    assertThat(primary.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    assertThat(primary.managementState()).isEqualTo(ManagementState.MANAGED);
    Subcloud copy = s.b.api().getSubcloud(Caller.OPERATOR, "sc1");
    assertThat(copy.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    assertThat(copy.managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(address(s.read(s.b, "sc1"))).isEqualTo(WRONG_ADDRESS);
    assertThat(gateway(s.read(s.b, "sc1"))).isEqualTo(s.b.gatewayAddress);
    assertThat(address(s.read(s.a, "sc1"))).isEqualTo(WRONG_ADDRESS);
    assertThat(gateway(s.read(s.a, "sc1"))).isEqualTo(A_GATEWAY);
    assertThat(s.group(s.a).systemLeaderId()).isEqualTo(s.a.uuid());
    assertThat(s.group(s.b).systemLeaderId()).isEqualTo(s.a.uuid());

    // Step 7: migrate from B; step 8: it fails on both sites (wrong address).
    assertThat(s.migrateOn(s.b)).extracting(Subcloud::name).containsExactly("sc1");
    s.settle();
    Subcloud failedOnB = s.b.api().getSubcloud(Caller.OPERATOR, "sc1");
    assertThat(failedOnB.deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
    Subcloud failedOnA = s.a.api().getSubcloud(Caller.OPERATOR, "sc1");
    assertThat(failedOnA.deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
    assertThat(failedOnA.managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(s.group(s.a).systemLeaderId()).isEqualTo(s.b.uuid());
    assertThat(s.group(s.b).systemLeaderId()).isEqualTo(s.b.uuid());
    assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.NONE);

    // A goes down: B's monitor marks it unavailable and raises the peer alarm.
    s.siteADown();
    assertThat(s.b.api().getSystemPeer(Caller.OPERATOR, s.a.uuid()).availabilityState())
        .isEqualTo(PeerAvailability.UNAVAILABLE);
    assertThat(s.b.alarms.isRaised("280.004", "peer=" + s.a.uuid())).isTrue();

    // The address is corrected on B: B's association goes out-of-sync.
    Subcloud corrected =
        s.b
            .api()
            .updateSubcloud(
                Caller.OPERATOR,
                "sc1",
                SubcloudUpdate.builder().bootstrapAddress(GOOD_ADDRESS).build())
            .value();
    assertThat(corrected.deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
    assertThat(address(s.read(s.b, "sc1"))).isEqualTo(GOOD_ADDRESS);
    assertThat(gateway(s.read(s.b, "sc1"))).isEqualTo(s.b.gatewayAddress);
    assertThat(s.association(s.b).syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
    // A, down, still holds what it had.
    assertThat(address(s.stored(s.a, "sc1"))).isEqualTo(WRONG_ADDRESS);

    // B migrates again, and this time the rehome succeeds.
    assertThat(s.migrateOn(s.b)).extracting(Subcloud::name).containsExactly("sc1");
    s.settle();
    Subcloud onB = s.b.api().getSubcloud(Caller.OPERATOR, "sc1");
    assertThat(onB.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    assertThat(onB.managementState()).isEqualTo(ManagementState.MANAGED);
    assertThat(s.group(s.b).systemLeaderId()).isEqualTo(s.b.uuid());
    // Complete until the peer's audit has seen it: A is down, so nobody has yet.
    assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    assertThat(s.association(s.b).syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
    assertThat(s.stored(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
  }

  /** A's audit has taken the corrected rehome data and the leadership; both are in-sync. */
  private void assertHealed() {
    assertThat(s.b.api().getSystemPeer(Caller.OPERATOR, s.a.uuid()).availabilityState())
        .isEqualTo(PeerAvailability.AVAILABLE);
    Subcloud onA = s.a.api().getSubcloud(Caller.OPERATOR, "sc1");
    assertThat(onA.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    assertThat(onA.managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(address(s.read(s.a, "sc1"))).isEqualTo(GOOD_ADDRESS);
    assertThat(gateway(s.read(s.a, "sc1"))).isEqualTo(A_GATEWAY);
    assertThat(s.group(s.a).systemLeaderId()).isEqualTo(s.b.uuid());
    assertThat(s.group(s.a).systemLeaderName()).isEqualTo(s.b.name());
    assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.NONE);
    assertThat(s.association(s.a).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.association(s.b).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.b.alarms.isRaised("280.004", "peer=" + s.a.uuid())).isFalse();
    assertThat(s.a.alarms.isRaised("280.005", "peer_group=pg1,peer=" + s.b.uuid())).isTrue();
    Subcloud stillOnB = s.b.api().getSubcloud(Caller.OPERATOR, "sc1");
    assertThat(stillOnB.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    assertThat(stillOnB.managementState()).isEqualTo(ManagementState.MANAGED);
    assertThat(address(s.read(s.b, "sc1"))).isEqualTo(GOOD_ADDRESS);
    assertThat(gateway(s.read(s.b, "sc1"))).isEqualTo(s.b.gatewayAddress);
  }
}
