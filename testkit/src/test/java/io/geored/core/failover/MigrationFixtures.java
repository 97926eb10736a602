package io.geored.core.failover;

import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Records arranged directly in a site's stores for migration and availability tests. */
final class MigrationFixtures {

  /** The sysadmin password as the migrate request carries it (base64). */
  static final String PASSWORD =
      Base64.getEncoder().encodeToString("St8rlingX*Sysadmin".getBytes());

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private MigrationFixtures() {}

  static <T> T saved(StoreResult<T> result) {
    return ((StoreResult.Saved<T>) result).value();
  }

  static Map<String, Object> payload(String name, String address, String gateway) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", name);
    payload.put("bootstrap-address", address);
    payload.put("systemcontroller_gateway_address", gateway);
    payload.put("admin_password", "TGk2OW51eCo=");
    payload.put("management_subnet", "192.168.101.0/24");
    return payload;
  }

  static RehomeData rehomeData(String name) {
    return RehomeData.ofSavedPayload(payload(name, "10.20.0." + name.length(), "10.10.1.1"));
  }

  /** A non-primary group led by a peer, as a sync leaves it. */
  static SubcloudPeerGroup group(Stores stores, String name, int priority, int maxRehoming) {
    return saved(
        stores
            .peerGroups()
            .insert(
                SubcloudPeerGroup.builder()
                    .peerGroupName(name)
                    .groupPriority(priority)
                    .groupState(GroupState.ENABLED)
                    .maxSubcloudRehoming(maxRehoming)
                    .systemLeaderId("bbbbbbbb-0000-4000-8000-000000000002")
                    .systemLeaderName("site-b")
                    .migrationStatus(MigrationStatus.NONE)
                    .createdAt(T0)
                    .build()));
  }

  /** A member in a deploy status: secondary ones unmanaged and offline, others managed, online. */
  static Subcloud member(
      Stores stores, SubcloudPeerGroup group, String name, DeployStatus status, RehomeData data) {
    boolean away = status != DeployStatus.COMPLETE;
    return saved(
        stores
            .subclouds()
            .insert(
                Subcloud.builder()
                    .name(name)
                    .regionName("region-" + name)
                    .description("edge " + name)
                    .location("rack " + name)
                    .softwareVersion("24.09")
                    .managementState(away ? ManagementState.UNMANAGED : ManagementState.MANAGED)
                    .availabilityStatus(
                        away ? AvailabilityStatus.OFFLINE : AvailabilityStatus.ONLINE)
                    .deployStatus(status)
                    .peerGroupId(group == null ? null : group.id())
                    .rehomeData(data)
                    .createdAt(T0)
                    .build()));
  }

  static Subcloud member(Stores stores, SubcloudPeerGroup group, String name, DeployStatus status) {
    return member(stores, group, name, status, rehomeData(name));
  }
}
