package io.geored.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.testkit.sim.SingleSite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Arranges subclouds, peer groups, system peers and associations directly in a site's stores (the
 * services that own the other resources are not needed to test subcloud rules) and checks that a
 * refused request changed nothing.
 */
final class SubcloudFixtures {

  /** Another site's uuid, for groups led elsewhere. */
  static final String SITE_B_UUID = "bbbbbbbb-0000-4000-8000-000000000002";

  private SubcloudFixtures() {}

  /** A site whose state events are recorded. */
  static final class Recorded {
    final SingleSite site;
    final List<GeoredEvent> events;

    Recorded(SingleSite site, List<GeoredEvent> events) {
      this.site = site;
      this.events = events;
    }

    List<GeoredEvent.StateChanged> stateChanges() {
      List<GeoredEvent.StateChanged> changes = new ArrayList<>();
      for (GeoredEvent e : events) {
        if (e instanceof GeoredEvent.StateChanged c) {
          changes.add(c);
        }
      }
      return changes;
    }
  }

  static Recorded recordedSite() {
    List<GeoredEvent> events = new CopyOnWriteArrayList<>();
    SingleSite site = SingleSite.create(b -> b.eventListener(events::add));
    return new Recorded(site, events);
  }

  static <T> T saved(StoreResult<T> result) {
    assertThat(result).isInstanceOf(StoreResult.Saved.class);
    return ((StoreResult.Saved<T>) result).value();
  }

  /** A deployed subcloud as an operator registers it: complete, unmanaged, offline. */
  static Subcloud.Builder subcloud(SingleSite site, String name) {
    return Subcloud.builder()
        .name(name)
        .regionName("region-" + name)
        .managementState(ManagementState.UNMANAGED)
        .availabilityStatus(AvailabilityStatus.OFFLINE)
        .deployStatus(DeployStatus.COMPLETE)
        .createdAt(site.scheduler().now());
  }

  static Subcloud insert(SingleSite site, Subcloud.Builder builder) {
    return saved(site.stores().subclouds().insert(builder.build()));
  }

  /** A subcloud that is managed, online and complete: ready for a group. */
  static Subcloud insertManagedOnline(SingleSite site, String name) {
    return insert(
        site,
        subcloud(site, name)
            .managementState(ManagementState.MANAGED)
            .availabilityStatus(AvailabilityStatus.ONLINE));
  }

  static Subcloud reload(SingleSite site, Subcloud subcloud) {
    return site.stores().subclouds().findById(subcloud.id()).orElseThrow();
  }

  static SubcloudPeerGroup group(SingleSite site, String name, int priority, String leaderUuid) {
    return saved(
        site.stores()
            .peerGroups()
            .insert(
                SubcloudPeerGroup.builder()
                    .peerGroupName(name)
                    .groupPriority(priority)
                    .groupState(GroupState.ENABLED)
                    .maxSubcloudRehoming(10)
                    .systemLeaderId(leaderUuid)
                    .systemLeaderName(leaderUuid.equals(SITE_B_UUID) ? "site-b" : "site-a")
                    .createdAt(site.scheduler().now())
                    .build()));
  }

  /** A priority-0 group this site leads. */
  static SubcloudPeerGroup primaryGroupLedHere(SingleSite site, String name) {
    return group(site, name, 0, SingleSite.SITE_A.uuid());
  }

  static SystemPeer peer(SingleSite site, String name, PeerAvailability availability) {
    return saved(
        site.stores()
            .systemPeers()
            .insert(
                SystemPeer.builder()
                    .peerUuid(SITE_B_UUID)
                    .peerName(name)
                    .managerEndpoint("https://" + name + ":5001/v3")
                    .managerUsername("admin")
                    .peerControllerGatewayIp("192.168.204.1")
                    .administrativeState(AdministrativeState.ENABLED)
                    .heartbeatInterval(60)
                    .heartbeatFailureThreshold(3)
                    .heartbeatFailurePolicy(HeartbeatFailurePolicy.ALARM)
                    .heartbeatMaintenanceTimeout(600)
                    .availabilityState(availability)
                    .createdAt(site.scheduler().now())
                    .build()));
  }

  static PeerGroupAssociation associate(
      SingleSite site, SubcloudPeerGroup group, SystemPeer peer, AssociationType type) {
    return saved(
        site.stores()
            .associations()
            .insert(
                PeerGroupAssociation.builder()
                    .peerGroupId(group.id())
                    .systemPeerId(peer.id())
                    .peerGroupPriority(type == AssociationType.PRIMARY ? 1 : null)
                    .associationType(type)
                    .syncStatus(SyncStatus.IN_SYNC)
                    .createdAt(site.scheduler().now())
                    .build()));
  }

  /** Rehome data as a sync or an earlier update leaves it. */
  static RehomeData rehomeData(String bootstrapAddress) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", "saved");
    payload.put("systemcontroller_gateway_address", "192.168.204.101");
    payload.put(RehomeData.BOOTSTRAP_ADDRESS, bootstrapAddress);
    return RehomeData.ofSavedPayload(payload);
  }

  /** Bootstrap values as an operator uploads them: passwords in clear. */
  static Map<String, Object> bootstrapValues() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("name", "sc1");
    values.put("system_mode", "simplex");
    values.put("systemcontroller_gateway_address", "192.168.204.101");
    values.put("sysadmin_password", "St8rlingX*");
    values.put("ansible_ssh_pass", "St8rlingX*");
    values.put("ansible_become_pass", "St8rlingX*");
    values.put("admin_password", "Li69nux*");
    return values;
  }

  /** Everything in a site's four stores. */
  record Snapshot(
      List<SystemPeer> peers,
      List<SubcloudPeerGroup> groups,
      List<PeerGroupAssociation> associations,
      List<Subcloud> subclouds) {

    static Snapshot of(Stores stores) {
      return new Snapshot(
          stores.systemPeers().findAll(),
          stores.peerGroups().findAll(),
          stores.associations().findAll(),
          stores.subclouds().findAll());
    }
  }

  /**
   * Runs a request that must be refused: the exact exception type and message, and every store
   * exactly as before.
   */
  static void assertRefused(
      SingleSite site, ThrowingCallable request, Class<?> type, String message) {
    Snapshot before = Snapshot.of(site.stores());
    assertThatThrownBy(request).isExactlyInstanceOf(type).hasMessage(message);
    assertThat(Snapshot.of(site.stores())).isEqualTo(before);
  }
}
