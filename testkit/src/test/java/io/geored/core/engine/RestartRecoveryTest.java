package io.geored.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.service.RestartRecovery;
import io.geored.spi.api.Messages;
import io.geored.spi.event.GeoredEvent;
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
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("Restart recovery leaves no record in a transitory state")
class RestartRecoveryTest {

  private static final Instant T0 = Instant.parse("2025-12-31T00:00:00Z");

  private static Subcloud subcloudIn(String name, DeployStatus status) {
    return Subcloud.builder()
        .name(name)
        .regionName("region-" + name)
        .managementState(ManagementState.UNMANAGED)
        .availabilityStatus(AvailabilityStatus.OFFLINE)
        .deployStatus(status)
        .createdAt(T0)
        .build();
  }

  private static <T> T saved(StoreResult<T> result) {
    return ((StoreResult.Saved<T>) result).value();
  }

  @ParameterizedTest(name = "{0} becomes its failed state")
  @EnumSource(
      value = DeployStatus.class,
      names = {
        "NOT_DEPLOYED",
        "CREATING",
        "PRE_INSTALL",
        "INSTALLING",
        "ABORTING_INSTALL",
        "PRE_BOOTSTRAP",
        "BOOTSTRAPPING",
        "ABORTING_BOOTSTRAP",
        "PRE_CONFIG",
        "CONFIGURING",
        "ABORTING_CONFIG",
        "DEPLOYING",
        "PRE_DEPLOY",
        "MIGRATING_DATA",
        "PRE_RESTORE",
        "RESTORING",
        "PRE_REHOME",
        "REHOMING"
      })
  @DisplayName("a subcloud in a transitory deploy state takes its failed state on start")
  void transitorySubcloudTakesFailedState(DeployStatus transitory) {
    SingleSite site = SingleSite.create();
    Subcloud stuck = saved(site.stores().subclouds().insert(subcloudIn("sc1", transitory)));

    RestartRecovery.Report report = site.engine().start();

    Subcloud after = site.stores().subclouds().findById(stuck.id()).orElseThrow();
    assertThat(after.deployStatus()).isEqualTo(transitory.failedState().orElseThrow());
    assertThat(after.managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(after.version()).isEqualTo(stuck.version() + 1);
    assertThat(after.updatedAt()).isEqualTo(site.scheduler().now());
    assertThat(report.subclouds()).isEqualTo(1);
  }

  @Test
  @DisplayName("the two geo-redundancy transitory states map as the seed expects")
  void rehomeStatesMap() {
    SingleSite site = SingleSite.create();
    Subcloud preRehome =
        saved(site.stores().subclouds().insert(subcloudIn("sc1", DeployStatus.PRE_REHOME)));
    Subcloud rehoming =
        saved(site.stores().subclouds().insert(subcloudIn("sc2", DeployStatus.REHOMING)));

    site.engine().start();

    assertThat(site.stores().subclouds().findById(preRehome.id()).orElseThrow().deployStatus())
        .isEqualTo(DeployStatus.REHOME_PREP_FAILED);
    assertThat(site.stores().subclouds().findById(rehoming.id()).orElseThrow().deployStatus())
        .isEqualTo(DeployStatus.REHOME_FAILED);
  }

  @Test
  @DisplayName("settled subclouds are left exactly as they were")
  void settledSubcloudsUntouched() {
    SingleSite site = SingleSite.create();
    List<Subcloud> before = new ArrayList<>();
    int i = 0;
    for (DeployStatus s : DeployStatus.values()) {
      if (!s.isTransitory()) {
        before.add(saved(site.stores().subclouds().insert(subcloudIn("sc" + i++, s))));
      }
    }

    RestartRecovery.Report report = site.engine().start();

    assertThat(site.stores().subclouds().findAll()).isEqualTo(before);
    assertThat(report.subclouds()).isZero();
  }

  @Test
  @DisplayName("an association left syncing becomes failed with the restart message; others stay")
  void syncingAssociationFails() {
    SingleSite site = SingleSite.create();
    PeerGroupAssociation syncing =
        saved(site.stores().associations().insert(association(1, SyncStatus.SYNCING, null)));
    PeerGroupAssociation inSync =
        saved(site.stores().associations().insert(association(2, SyncStatus.IN_SYNC, null)));
    PeerGroupAssociation failed =
        saved(site.stores().associations().insert(association(3, SyncStatus.FAILED, "boom")));

    RestartRecovery.Report report = site.engine().start();

    PeerGroupAssociation after = site.stores().associations().findById(syncing.id()).orElseThrow();
    assertThat(after.syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(after.syncMessage()).isEqualTo(Messages.SERVICE_RESTART_DURING_SYNCING);
    assertThat(site.stores().associations().findById(inSync.id())).contains(inSync);
    assertThat(site.stores().associations().findById(failed.id())).contains(failed);
    assertThat(report.associations()).isEqualTo(1);
  }

  @Test
  @DisplayName("a peer group left migrating here ends as a finished batch: complete, led here")
  void migratingGroupCompletes() {
    SingleSite site = SingleSite.create();
    SubcloudPeerGroup group =
        saved(
            site.stores()
                .peerGroups()
                .insert(
                    SubcloudPeerGroup.builder()
                        .peerGroupName("pg1")
                        .groupPriority(1)
                        .groupState(GroupState.ENABLED)
                        .maxSubcloudRehoming(10)
                        .systemLeaderId("bbbbbbbb-0000-4000-8000-000000000002")
                        .systemLeaderName("site-b")
                        .migrationStatus(MigrationStatus.MIGRATING)
                        .createdAt(T0)
                        .build()));

    site.engine().start();

    SubcloudPeerGroup after = site.stores().peerGroups().findById(group.id()).orElseThrow();
    assertThat(after.migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    assertThat(after.systemLeaderId()).isEqualTo(SingleSite.SITE_A.uuid());
    assertThat(after.systemLeaderName()).isEqualTo(SingleSite.SITE_A.name());
  }

  @Test
  @DisplayName("an engine restarted on the stores of a stopped one recovers what it left")
  void restartOnSameStores() {
    Stores stores = InMemoryStores.create();
    VirtualScheduler scheduler = new VirtualScheduler();
    SingleSite first = SingleSite.create(stores, scheduler, b -> b);
    first.engine().start();
    Subcloud stuck = saved(stores.subclouds().insert(subcloudIn("sc1", DeployStatus.REHOMING)));
    first.engine().close();

    List<GeoredEvent> events = new ArrayList<>();
    SingleSite second = SingleSite.create(stores, scheduler, b -> b.eventListener(events::add));
    second.engine().start();

    assertThat(stores.subclouds().findById(stuck.id()).orElseThrow().deployStatus())
        .isEqualTo(DeployStatus.REHOME_FAILED);
    assertThat(events)
        .contains(
            new GeoredEvent.StateChanged(
                scheduler.now(), "subcloud", "sc1", "deploy_status", "rehoming", "rehome-failed"));
  }

  private static PeerGroupAssociation association(long peerId, SyncStatus status, String message) {
    return PeerGroupAssociation.builder()
        .peerGroupId(1)
        .systemPeerId(peerId)
        .peerGroupPriority(1)
        .associationType(AssociationType.PRIMARY)
        .syncStatus(status)
        .syncMessage(message)
        .createdAt(T0)
        .build();
  }
}
