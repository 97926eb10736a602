package io.geored.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.GeoredSettings;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A first sync across a WAN: every call from the syncing site to its peer takes L of virtual time,
 * and calls in flight at once overlap. The sync keeps {@code syncConcurrency} (P) subclouds in
 * flight, two calls each, so N subclouds take ceil(N / P) rounds of 2 · L after the seven fixed
 * calls, which it makes one after the other: within ceil(2N / P) · L + 8 · L.
 */
@DisplayName("A first sync under network latency keeps P subclouds in flight")
class SyncUnderLatencyTest {

  private static final Duration L = Duration.ofMillis(20);

  @ParameterizedTest(name = "N={0}, P={1}")
  @CsvSource({"100, 10", "250, 10", "100, 7", "30, 1"})
  @DisplayName("finishes within ceil(2N/P)*L + 8*L: seven fixed calls, then rounds of P subclouds")
  void withinTheBound(int n, int places) {
    try (SimHarness sites =
        SimHarness.builder()
            .scheduler(VirtualScheduler.overlappingWaits())
            .settings(GeoredSettings.DEFAULTS.withSyncConcurrency(places))
            .build()) {
      SimSite a = sites.a();
      SimSite b = sites.b();
      sites.pair(a, b);
      sites.start();
      sites.runUntilIdle();
      SystemPeer bOnA = a.stores().systemPeers().findByUuid(b.uuid()).orElseThrow();
      SubcloudPeerGroup group =
          a.api()
              .createPeerGroup(
                  Caller.OPERATOR,
                  PeerGroupCreate.builder().peerGroupName("pg1").maxSubcloudRehoming(5).build());
      for (int i = 1; i <= n; i++) {
        assertThat(a.stores().subclouds().insert(member(i, group.id(), sites.now())))
            .isInstanceOf(StoreResult.Saved.class);
      }
      sites.network().link(a.system(), b.system()).delay(L);
      sites.network().resetCalls();

      Instant start = sites.now();
      PeerGroupAssociation created =
          a.api()
              .createAssociation(
                  Caller.OPERATOR,
                  AssociationCreate.builder()
                      .peerGroupId(group.id())
                      .systemPeerId(bOnA.id())
                      .peerGroupPriority(2)
                      .build());
      sites.runUntilIdle();

      PeerGroupAssociation done = a.stores().associations().findById(created.id()).orElseThrow();
      assertThat(done.syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(b.stores().subclouds().findAll())
          .hasSize(n)
          .allSatisfy(copy -> assertThat(copy.deployStatus()).isEqualTo(DeployStatus.SECONDARY));
      long heartbeats = sites.network().calls(a.system(), b.system(), "listPeerGroups");
      assertThat(sites.network().calls(a.system(), b.system()) - heartbeats).isEqualTo(2L * n + 7);

      Duration makespan = Duration.between(start, done.updatedAt());
      long rounds = (n + places - 1) / places;
      assertThat(makespan).isEqualTo(L.multipliedBy(7 + 2 * rounds));
      Duration bound = L.multipliedBy((2L * n + places - 1) / places + 8);
      assertThat(makespan).isLessThanOrEqualTo(bound);
    }
  }

  private static Subcloud member(int i, long groupId, Instant at) {
    String name = String.format("sc%04d", i);
    return Subcloud.builder()
        .name(name)
        .regionName("region-" + name)
        .softwareVersion("24.09")
        .managementState(ManagementState.MANAGED)
        .availabilityStatus(AvailabilityStatus.ONLINE)
        .deployStatus(DeployStatus.COMPLETE)
        .peerGroupId(groupId)
        .rehomeData(
            RehomeData.ofSavedPayload(
                Map.of(
                    "name",
                    name,
                    "bootstrap-address",
                    "10.0." + (i / 256) + "." + (i % 256),
                    "systemcontroller_gateway_address",
                    "192.168.204.1")))
        .createdAt(at)
        .build();
  }
}
