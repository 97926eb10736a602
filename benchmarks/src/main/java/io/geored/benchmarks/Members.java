package io.geored.benchmarks;

import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Subclouds as a deployed group holds them: managed, online, complete, with rehome data. */
final class Members {

  /** The gateway address site A's members name in their rehome data. */
  static final String A_GATEWAY = "192.168.204.1";

  /** The gateway address site B's copies name in their rehome data. */
  static final String B_GATEWAY = "192.168.205.1";

  private Members() {}

  static String nameOf(int i) {
    return String.format("sc%05d", i);
  }

  static Map<String, Object> payload(String name, int i, String gateway) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", name);
    payload.put("bootstrap-address", "10." + (i / 65_536) + "." + (i / 256 % 256) + "." + i % 256);
    payload.put("systemcontroller_gateway_address", gateway);
    payload.put("admin_password", "TGk2OW51eCo=");
    payload.put("management_subnet", "192.168.101.0/24");
    return payload;
  }

  /** The i-th member of a group, managed and online, as site A holds it. */
  static Subcloud member(int i, long groupId, String gateway, Instant at) {
    return member("", i, groupId, gateway, at);
  }

  /** The same, its name prefixed, so that runs sharing a database never collide. */
  static Subcloud member(String prefix, int i, long groupId, String gateway, Instant at) {
    String name = prefix + nameOf(i);
    return Subcloud.builder()
        .name(name)
        .regionName("region-" + name)
        .description("edge " + name)
        .location("rack " + name)
        .softwareVersion("24.09")
        .managementState(ManagementState.MANAGED)
        .availabilityStatus(AvailabilityStatus.ONLINE)
        .deployStatus(DeployStatus.COMPLETE)
        .peerGroupId(groupId)
        .rehomeData(RehomeData.ofSavedPayload(payload(name, i, gateway)))
        .createdAt(at)
        .build();
  }

  /** Inserts members 1..n of a group into a site's stores. */
  static void insert(Stores stores, int n, long groupId, String gateway, Instant at) {
    for (int i = 1; i <= n; i++) {
      StoreResult<Subcloud> result = stores.subclouds().insert(member(i, groupId, gateway, at));
      if (!(result instanceof StoreResult.Saved<Subcloud>)) {
        throw new IllegalStateException("member " + i + " not saved: " + result);
      }
    }
  }
}
