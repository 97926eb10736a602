package io.geored.core.sync;

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
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Two sites that know each other, and a primary peer group on site A whose members are arranged
 * directly in A's stores (managed, online, complete, with rehome data), ready to be associated with
 * B.
 */
final class SyncScenario implements AutoCloseable {

  static final String A_GATEWAY = "192.168.204.1";

  final SimHarness sites = SimHarness.twoSites();
  final SimSite a = sites.a();
  final SimSite b = sites.b();
  final SubcloudPeerGroup group;
  final SystemPeer bOnA;
  final SystemPeer aOnB;

  SyncScenario() {
    sites.pair(a, b);
    sites.start();
    bOnA = a.api().getSystemPeer(Caller.OPERATOR, b.uuid());
    aOnB = b.api().getSystemPeer(Caller.OPERATOR, a.uuid());
    group =
        a.api()
            .createPeerGroup(
                Caller.OPERATOR,
                PeerGroupCreate.builder().peerGroupName("pg1").maxSubcloudRehoming(5).build());
  }

  static Map<String, Object> payload(String name, String address) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", name);
    payload.put("bootstrap-address", address);
    payload.put("systemcontroller_gateway_address", A_GATEWAY);
    payload.put("admin_password", "TGk2OW51eCo=");
    payload.put("management_subnet", "192.168.101.0/24");
    return payload;
  }

  /** Adds a managed, online, complete member with rehome data to A's group. */
  Subcloud member(String name) {
    return member(
        name,
        DeployStatus.COMPLETE,
        RehomeData.ofSavedPayload(payload(name, "10.10.10." + name.length())));
  }

  Subcloud member(String name, DeployStatus status, RehomeData rehomeData) {
    Subcloud subcloud =
        Subcloud.builder()
            .name(name)
            .regionName("region-" + name)
            .description("edge " + name)
            .location("rack " + name)
            .softwareVersion("24.09")
            .managementState(
                status == DeployStatus.SECONDARY
                    ? ManagementState.UNMANAGED
                    : ManagementState.MANAGED)
            .availabilityStatus(
                status == DeployStatus.SECONDARY
                    ? AvailabilityStatus.OFFLINE
                    : AvailabilityStatus.ONLINE)
            .deployStatus(status)
            .peerGroupId(group.id())
            .rehomeData(rehomeData)
            .createdAt(sites.now())
            .build();
    return ((StoreResult.Saved<Subcloud>) a.stores().subclouds().insert(subcloud)).value();
  }

  List<Subcloud> members(int count) {
    return java.util.stream.IntStream.rangeClosed(1, count)
        .mapToObj(i -> member(String.format("sc%04d", i)))
        .toList();
  }

  PeerGroupAssociation associate(int priority) {
    return a.api()
        .createAssociation(
            Caller.OPERATOR,
            AssociationCreate.builder()
                .peerGroupId(group.id())
                .systemPeerId(bOnA.id())
                .peerGroupPriority(priority)
                .build());
  }

  PeerGroupAssociation onA(long id) {
    return a.stores().associations().findById(id).orElseThrow();
  }

  /** B's association for its copy of pg1 with A, if any. */
  java.util.Optional<PeerGroupAssociation> onB() {
    return b.stores()
        .peerGroups()
        .findByName("pg1")
        .flatMap(g -> b.stores().associations().findByGroupAndPeer(g.id(), aOnB.id()));
  }

  /** B's copies of pg1's members, by region name. */
  Map<String, Subcloud> copiesOnB() {
    return b
        .stores()
        .peerGroups()
        .findByName("pg1")
        .map(g -> b.stores().subclouds().findByPeerGroup(g.id()))
        .orElse(List.of())
        .stream()
        .collect(Collectors.toMap(Subcloud::regionName, s -> s, (x, y) -> x, LinkedHashMap::new));
  }

  @Override
  public void close() {
    sites.close();
  }
}
