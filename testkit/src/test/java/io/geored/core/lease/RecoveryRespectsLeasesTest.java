package io.geored.core.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.service.RestartRecovery;
import io.geored.spi.api.Messages;
import io.geored.spi.lease.LeaseKeeper;
import io.geored.spi.lease.LeaseSettings;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.testkit.lease.InMemoryLeaseStore;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Restart recovery leaves alone the work a live engine on the same database holds")
class RecoveryRespectsLeasesTest {

  private final Stores stores = InMemoryStores.create();
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final InMemoryLeaseStore leases = new InMemoryLeaseStore();
  private LeaseKeeper liveEngine;
  private SubcloudPeerGroup group;
  private Subcloud rehoming;
  private PeerGroupAssociation syncing;

  private static <T> T saved(StoreResult<T> r) {
    return ((StoreResult.Saved<T>) r).value();
  }

  @BeforeEach
  void workInProgressOnAnotherEngine() {
    group =
        saved(
            stores
                .peerGroups()
                .insert(
                    SubcloudPeerGroup.builder()
                        .peerGroupName("pg1")
                        .groupPriority(1)
                        .groupState(GroupState.ENABLED)
                        .maxSubcloudRehoming(10)
                        .systemLeaderId(SingleSite.SITE_A.uuid())
                        .systemLeaderName(SingleSite.SITE_A.name())
                        .migrationStatus(MigrationStatus.MIGRATING)
                        .createdAt(Instant.EPOCH)
                        .build()));
    rehoming =
        saved(
            stores
                .subclouds()
                .insert(
                    Subcloud.builder()
                        .name("sc1")
                        .regionName("r1")
                        .managementState(ManagementState.UNMANAGED)
                        .availabilityStatus(AvailabilityStatus.OFFLINE)
                        .deployStatus(DeployStatus.REHOMING)
                        .peerGroupId(group.id())
                        .createdAt(Instant.EPOCH)
                        .build()));
    syncing =
        saved(
            stores
                .associations()
                .insert(
                    PeerGroupAssociation.builder()
                        .peerGroupId(group.id())
                        .systemPeerId(7)
                        .peerGroupPriority(1)
                        .associationType(AssociationType.PRIMARY)
                        .syncStatus(SyncStatus.SYNCING)
                        .createdAt(Instant.EPOCH)
                        .build()));
    liveEngine = new LeaseKeeper(leases, "engine-1", scheduler.clock(), LeaseSettings.DEFAULTS);
    assertThat(liveEngine.acquire("migrate:pg1")).isTrue();
    assertThat(liveEngine.acquire("sync:" + syncing.id())).isTrue();
  }

  @Test
  @DisplayName("a second engine starting beside a live one changes none of its work in progress")
  void liveWorkUntouched() {
    SingleSite second = SingleSite.create(stores, scheduler, b -> b.lease(leases, "engine-2"));

    RestartRecovery.Report report = second.engine().start();

    assertThat(report).isEqualTo(new RestartRecovery.Report(0, 0, 0));
    assertThat(stores.subclouds().findById(rehoming.id())).contains(rehoming);
    assertThat(stores.associations().findById(syncing.id())).contains(syncing);
    assertThat(stores.peerGroups().findById(group.id())).contains(group);
    second.engine().close();
  }

  @Test
  @DisplayName("once the live engine's leases have lapsed, a starting engine recovers its work")
  void deadOwnersWorkRecovered() {
    scheduler.advance(Duration.ofSeconds(31));
    SingleSite second = SingleSite.create(stores, scheduler, b -> b.lease(leases, "engine-2"));

    RestartRecovery.Report report = second.engine().start();

    assertThat(report).isEqualTo(new RestartRecovery.Report(1, 1, 1));
    assertThat(stores.subclouds().findById(rehoming.id()).orElseThrow().deployStatus())
        .isEqualTo(DeployStatus.REHOME_FAILED);
    PeerGroupAssociation failed = stores.associations().findById(syncing.id()).orElseThrow();
    assertThat(failed.syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(failed.syncMessage()).isEqualTo(Messages.SERVICE_RESTART_DURING_SYNCING);
    assertThat(stores.peerGroups().findById(group.id()).orElseThrow().migrationStatus())
        .isEqualTo(MigrationStatus.COMPLETE);
    // Recovery gives back what it took, so the work's next owner can take it.
    assertThat(
            new LeaseKeeper(leases, "engine-3", scheduler.clock(), LeaseSettings.DEFAULTS)
                .acquire("migrate:pg1"))
        .isTrue();
    second.engine().close();
  }
}
