package io.geored.core.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.GeoRedundancy;
import io.geored.core.GeoredSettings;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.store.Stores;
import io.geored.spi.time.Ticker;
import io.geored.spi.witness.Epoch;
import io.geored.spi.witness.WitnessSettings;
import io.geored.testkit.lease.CountingPeerSites;
import io.geored.testkit.lease.InMemoryLeaseStore;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.witness.InMemoryLeadershipStore;
import io.geored.testkit.witness.InMemoryWitness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two engines of one site on one database (ADR 0009) share the site's tenure: only the engine
 * holding the once-only work lease of a group's leadership renews the witness lease and acts.
 */
class TwoEnginesOneSiteTest {

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Ticker ticker = scheduler.virtualClock().ticker();
  private final Stores stores = InMemoryStores.create();
  private final InMemoryLeaseStore leases = new InMemoryLeaseStore();
  private final InMemoryWitness witness = new InMemoryWitness(ticker, WitnessSettings.DEFAULT_TTL);
  private final InMemoryLeadershipStore leadership = new InMemoryLeadershipStore();

  private GeoRedundancy engine(String owner) {
    return GeoRedundancy.builder(
            stores, LocalSystemIdentity.of(SingleSite.SITE_A), new CountingPeerSites())
        .scheduler(scheduler)
        .settings(GeoredSettings.DEFAULTS)
        .lease(leases, owner)
        .witness(witness.client(SingleSite.SITE_A.uuid(), ticker), leadership)
        .ticker(ticker)
        .build();
  }

  @Test
  void onlyTheEngineHoldingTheLeadershipWorkLeaseHoldsTheWitnessLease() {
    SubcloudPeerGroup group =
        stores
            .peerGroups()
            .insert(
                SubcloudPeerGroup.builder()
                    .peerGroupName("pg1")
                    .groupPriority(0)
                    .groupState(GroupState.ENABLED)
                    .maxSubcloudRehoming(5)
                    .systemLeaderId(SingleSite.SITE_A.uuid())
                    .systemLeaderName(SingleSite.SITE_A.name())
                    .migrationStatus(MigrationStatus.NONE)
                    .createdAt(scheduler.now())
                    .build())
            .orElseThrow(r -> new IllegalStateException(r.toString()));
    stores
        .subclouds()
        .insert(
            Subcloud.builder()
                .name("sc01")
                .regionName("region-sc01")
                .softwareVersion("24.09")
                .managementState(ManagementState.MANAGED)
                .availabilityStatus(AvailabilityStatus.ONLINE)
                .deployStatus(DeployStatus.COMPLETE)
                .peerGroupId(group.id())
                .createdAt(scheduler.now())
                .build())
        .orElseThrow(r -> new IllegalStateException(r.toString()));
    GeoRedundancy first = engine("engine-1");
    GeoRedundancy second = engine("engine-2");
    first.start();
    second.start();
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(first.leaseOf("pg1").map(l -> l.epoch()))
        .contains(new Epoch(1, SingleSite.SITE_A.uuid()));
    assertThat(second.leaseOf("pg1")).isEmpty();
    assertThat(stores.subclouds().findByName("sc01").orElseThrow().managementState())
        .isEqualTo(ManagementState.MANAGED);
    // The first engine goes; the second takes the work lease over and renews the same tenure.
    first.close();
    scheduler.advance(Duration.ofSeconds(20));
    assertThat(second.leaseOf("pg1").map(l -> l.epoch()))
        .contains(new Epoch(1, SingleSite.SITE_A.uuid()));
    assertThat(stores.subclouds().findByName("sc01").orElseThrow().managementState())
        .isEqualTo(ManagementState.MANAGED);
    second.close();
  }
}
