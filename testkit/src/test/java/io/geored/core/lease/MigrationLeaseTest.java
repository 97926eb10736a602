package io.geored.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ConflictException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.lease.Lease;
import io.geored.spi.lease.LeaseKeeper;
import io.geored.spi.lease.LeaseSettings;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.Stores;
import io.geored.testkit.lease.InMemoryLeaseStore;
import io.geored.testkit.lease.MonitoredPeer;
import io.geored.testkit.sim.SingleSite;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A group's migration batch runs under the group's lease")
class MigrationLeaseTest {

  private static final String LEASE = "migrate:pgm";
  private static final MigrateRequest REQUEST =
      new MigrateRequest(Base64.getEncoder().encodeToString("St8rlingX*Sysadmin".getBytes()));

  private final InMemoryLeaseStore leases = new InMemoryLeaseStore();
  private SingleSite site;

  @BeforeEach
  void aGroupReadyToMigrate() {
    site = SingleSite.create(b -> b.lease(leases, "engine-1"));
    SubcloudPeerGroup group =
        site.stores()
            .peerGroups()
            .insert(
                SubcloudPeerGroup.builder()
                    .peerGroupName("pgm")
                    .groupPriority(1)
                    .groupState(GroupState.ENABLED)
                    .maxSubcloudRehoming(2)
                    .systemLeaderId(MonitoredPeer.PEER_UUID)
                    .systemLeaderName(MonitoredPeer.PEER_NAME)
                    .migrationStatus(MigrationStatus.NONE)
                    .createdAt(Instant.EPOCH)
                    .build())
            .orElseThrow(r -> new IllegalStateException("arrangement failed: " + r));
    secondary(site.stores(), group, "sc01");
    secondary(site.stores(), group, "sc02");
    site.engine().start();
  }

  @AfterEach
  void close() {
    site.engine().close();
  }

  @Test
  @DisplayName(
      "is refused with 409, changing nothing, while another engine holds the group's lease")
  void refusedWhileAnotherEngineHoldsIt() {
    LeaseKeeper other =
        new LeaseKeeper(leases, "engine-2", site.scheduler().clock(), LeaseSettings.DEFAULTS);
    assertThat(other.acquire(LEASE)).isTrue();
    List<Subcloud> subclouds = site.stores().subclouds().findAll();
    List<SubcloudPeerGroup> groups = site.stores().peerGroups().findAll();
    Lease held = leases.find(LEASE).orElseThrow();

    assertThatThrownBy(() -> site.site().migratePeerGroup(Caller.OPERATOR, "pgm", REQUEST))
        .isInstanceOf(ConflictException.class)
        .hasMessage(Messages.peerGroupAlreadyMigrating("pgm"));

    site.scheduler().runUntilIdle();
    assertThat(site.stores().subclouds().findAll()).isEqualTo(subclouds);
    assertThat(site.stores().peerGroups().findAll()).isEqualTo(groups);
    assertThat(leases.find(LEASE)).contains(held);
  }

  @Test
  @DisplayName("takes the lease when accepted and gives it up when the batch is closed")
  void leaseHeldForTheBatch() {
    site.site().migratePeerGroup(Caller.OPERATOR, "pgm", REQUEST);
    Lease taken = leases.find(LEASE).orElseThrow();
    assertThat(taken.owner()).isEqualTo("engine-1");
    assertThat(taken.expiresAt())
        .isEqualTo(site.scheduler().now().plus(LeaseSettings.DEFAULT_PERIOD));

    // The default rehomer fails every member at once: the batch ends without waiting.
    site.scheduler().runUntilIdle();

    assertThat(site.stores().peerGroups().findByName("pgm").orElseThrow().migrationStatus())
        .isEqualTo(MigrationStatus.COMPLETE);
    Lease released = leases.find(LEASE).orElseThrow();
    assertThat(released.owner()).isEqualTo("engine-1");
    assertThat(released.expiresAt()).isEqualTo(site.scheduler().now());
  }

  private static void secondary(Stores stores, SubcloudPeerGroup group, String name) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", name);
    payload.put("bootstrap-address", "10.20.0." + name.length());
    payload.put("systemcontroller_gateway_address", "10.10.1.1");
    stores
        .subclouds()
        .insert(
            Subcloud.builder()
                .name(name)
                .regionName("region-" + name)
                .managementState(ManagementState.UNMANAGED)
                .availabilityStatus(AvailabilityStatus.OFFLINE)
                .deployStatus(DeployStatus.SECONDARY)
                .peerGroupId(group.id())
                .rehomeData(RehomeData.ofSavedPayload(payload))
                .createdAt(Instant.EPOCH)
                .build())
        .orElseThrow(r -> new IllegalStateException("arrangement failed: " + r));
  }
}
