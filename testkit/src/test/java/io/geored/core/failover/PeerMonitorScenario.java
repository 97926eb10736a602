package io.geored.core.failover;

import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AuditRequest;
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
import io.geored.spi.store.Stores;
import io.geored.spi.work.SubcloudStateListener;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.time.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Two real sites on one virtual clock, each knowing the other as a system peer with a chosen
 * heartbeat interval and failure threshold, recording alarms, and a state listener on site A that
 * records what it hears. {@link #syncedGroup} adds the usual arrangement: a primary group pg1 on A
 * (priority 0) whose members sit in A's stores, associated with B at priority 2 and synced, so B
 * holds pg1 with secondary copies and a non-primary association.
 */
final class PeerMonitorScenario implements AutoCloseable {

  static final String A_GATEWAY = "192.168.204.1";
  static final String B_GATEWAY = "192.168.205.1";

  final VirtualScheduler scheduler = new VirtualScheduler();
  final List<String> heardOnA = new CopyOnWriteArrayList<>();
  final List<Runnable> onAManagementChange = new CopyOnWriteArrayList<>();
  final SimHarness sites;
  final SimSite a;
  final SimSite b;
  final int interval;
  final int threshold;
  SystemPeer bOnA;
  SystemPeer aOnB;
  SubcloudPeerGroup groupOnA;
  PeerGroupAssociation primary;

  PeerMonitorScenario(int intervalSeconds, int failureThreshold) {
    this.interval = intervalSeconds;
    this.threshold = failureThreshold;
    SubcloudStateListener listener =
        new SubcloudStateListener() {
          @Override
          public void managementStateChanged(Subcloud before, Subcloud after) {
            heardOnA.add(
                after.name()
                    + " management "
                    + before.managementState().wire()
                    + "->"
                    + after.managementState().wire());
            for (Runnable r : onAManagementChange) {
              r.run();
            }
          }

          @Override
          public void availabilityChanged(Subcloud before, Subcloud after) {
            heardOnA.add(
                after.name()
                    + " availability "
                    + before.availabilityStatus().wire()
                    + "->"
                    + after.availabilityStatus().wire());
          }
        };
    this.sites =
        SimHarness.builder()
            .scheduler(scheduler)
            .alarms(system -> new RecordingAlarms(scheduler.clock()))
            .customize(
                (system, builder) ->
                    system.equals(SimHarness.SITE_A) ? builder.stateListener(listener) : builder)
            .build();
    this.a = sites.a();
    this.b = sites.b();
    bOnA =
        sites.addSystemPeer(
            a,
            b,
            r -> r.heartbeatInterval(intervalSeconds).heartbeatFailureThreshold(failureThreshold));
    aOnB =
        sites.addSystemPeer(
            b,
            a,
            r -> r.heartbeatInterval(intervalSeconds).heartbeatFailureThreshold(failureThreshold));
    sites.start();
  }

  /** Heartbeats every 10 s, lost after 3 failures. */
  PeerMonitorScenario() {
    this(10, 3);
  }

  Duration beats(int count) {
    return Duration.ofSeconds((long) interval * count);
  }

  /** Moves the clock by that many heartbeat intervals. */
  void beat(int count) {
    sites.advance(beats(count));
  }

  /** pg1 on A with the given members (managed, online, complete), associated with B and synced. */
  PeerMonitorScenario syncedGroup(String... members) {
    groupOnA = group("pg1");
    for (String name : members) {
      member(name);
    }
    primary = associate(groupOnA, 2);
    sites.runUntilIdle();
    primary = onA(primary.id());
    return this;
  }

  SubcloudPeerGroup group(String name) {
    return a.api()
        .createPeerGroup(
            Caller.OPERATOR,
            PeerGroupCreate.builder().peerGroupName(name).maxSubcloudRehoming(5).build());
  }

  PeerGroupAssociation associate(SubcloudPeerGroup group, int priority) {
    return a.api()
        .createAssociation(
            Caller.OPERATOR,
            AssociationCreate.builder()
                .peerGroupId(group.id())
                .systemPeerId(bOnA.id())
                .peerGroupPriority(priority)
                .build());
  }

  static Map<String, Object> payload(String name, String address, String gateway) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", name);
    payload.put("bootstrap-address", address);
    payload.put("systemcontroller_gateway_address", gateway);
    payload.put("admin_password", "TGk2OW51eCo=");
    return payload;
  }

  /** A managed, online, complete member of A's pg1 with rehome data naming A's gateway. */
  Subcloud member(String name) {
    return insert(
        a.stores(),
        Subcloud.builder()
            .name(name)
            .regionName("region-" + name)
            .description("edge " + name)
            .location("rack " + name)
            .softwareVersion("24.09")
            .managementState(ManagementState.MANAGED)
            .availabilityStatus(AvailabilityStatus.ONLINE)
            .deployStatus(DeployStatus.COMPLETE)
            .peerGroupId(groupOnA.id())
            .rehomeData(RehomeData.ofSavedPayload(payload(name, "10.10.10.10", A_GATEWAY)))
            .createdAt(sites.now())
            .build());
  }

  static Subcloud insert(Stores stores, Subcloud subcloud) {
    return ((StoreResult.Saved<Subcloud>) stores.subclouds().insert(subcloud)).value();
  }

  // ------------------------------------------------------------------ reading

  PeerGroupAssociation onA(long id) {
    return a.stores().associations().findById(id).orElseThrow();
  }

  SubcloudPeerGroup groupOnB() {
    return b.stores().peerGroups().findByName("pg1").orElseThrow();
  }

  PeerGroupAssociation associationOnB() {
    return b.stores().associations().findByGroupAndPeer(groupOnB().id(), aOnB.id()).orElseThrow();
  }

  SystemPeer peerOnA() {
    return a.stores().systemPeers().findById(bOnA.id()).orElseThrow();
  }

  SystemPeer peerOnB() {
    return b.stores().systemPeers().findById(aOnB.id()).orElseThrow();
  }

  Subcloud subcloud(SimSite site, String name) {
    return site.stores().subclouds().findByName(name).orElseThrow();
  }

  RecordingAlarms alarms(SimSite site) {
    return site.alarms(RecordingAlarms.class);
  }

  long heartbeats(SimSite from, SimSite to) {
    return sites.network().calls(from.system(), to.system(), "listPeerGroups");
  }

  /** A site's groups, associations and subclouds, for before/after comparisons. */
  static List<Object> records(SimSite site) {
    List<Object> all = new ArrayList<>();
    all.addAll(site.stores().peerGroups().findAll());
    all.addAll(site.stores().associations().findAll());
    all.addAll(site.stores().subclouds().findAll());
    return all;
  }

  /** Everything a site stores, for before/after comparisons. */
  static List<Object> state(SimSite site) {
    List<Object> all = new ArrayList<>();
    all.addAll(site.stores().systemPeers().findAll());
    all.addAll(site.stores().peerGroups().findAll());
    all.addAll(site.stores().associations().findAll());
    all.addAll(site.stores().subclouds().findAll());
    return all;
  }

  // ------------------------------------------------------------------ arranging

  /** Rewrites a record of a site's stores directly, as a change the test needs to stand. */
  static Subcloud update(SimSite site, String name, UnaryOperator<Subcloud.Builder> change) {
    Subcloud current = site.stores().subclouds().findByName(name).orElseThrow();
    return ((StoreResult.Saved<Subcloud>)
            site.stores().subclouds().update(change.apply(current.toBuilder()).build()))
        .value();
  }

  static SubcloudPeerGroup updateGroup(
      SimSite site, String name, UnaryOperator<SubcloudPeerGroup.Builder> change) {
    SubcloudPeerGroup current = site.stores().peerGroups().findByName(name).orElseThrow();
    return ((StoreResult.Saved<SubcloudPeerGroup>)
            site.stores().peerGroups().update(change.apply(current.toBuilder()).build()))
        .value();
  }

  static PeerGroupAssociation updateAssociation(
      SimSite site, long id, UnaryOperator<PeerGroupAssociation.Builder> change) {
    PeerGroupAssociation current = site.stores().associations().findById(id).orElseThrow();
    return ((StoreResult.Saved<PeerGroupAssociation>)
            site.stores().associations().update(change.apply(current.toBuilder()).build()))
        .value();
  }

  /** The audit request a site sends for its copy of a group: the group, plus its own uuid. */
  static AuditRequest auditRequestOf(SimSite sender, SubcloudPeerGroup group) {
    return AuditRequest.builder()
        .peerUuid(sender.uuid())
        .peerGroupName(group.peerGroupName())
        .groupPriority(group.groupPriority())
        .groupState(group.groupState().wire())
        .systemLeaderId(group.systemLeaderId())
        .systemLeaderName(group.systemLeaderName())
        .migrationStatus(group.migrationStatus().wire())
        .maxSubcloudRehoming(group.maxSubcloudRehoming())
        .build();
  }

  /** B's group as B holds it, sent to A as B's audit request. */
  AuditRequest auditRequestFromB() {
    return auditRequestOf(b, groupOnB());
  }

  static Map<String, Subcloud> byName(List<Subcloud> subclouds) {
    return subclouds.stream()
        .collect(Collectors.toMap(Subcloud::name, s -> s, (x, y) -> x, LinkedHashMap::new));
  }

  @Override
  public void close() {
    sites.close();
  }
}
