package io.geored.core.leader;

import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.secret.SysadminPasswords;
import io.geored.spi.witness.WitnessSettings;
import io.geored.spi.work.FailoverDecider;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.ScriptedProbe;
import io.geored.testkit.work.ScriptedRehomer;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sites on one virtual clock with an in-memory witness (default timing: TTL 60 s, renewal 10 s,
 * fence margin 15 s): A owns pg1 (priority 0, led by A) with managed, online members, synced to B
 * (priority 1) and, for three sites, to C (priority 2). Every site records its alarms; automatic
 * migrations use {@link #PASSWORD}; the delegate decider answers what {@link #decision} holds.
 */
final class WitnessScenario implements AutoCloseable {

  static final String PASSWORD =
      Base64.getEncoder().encodeToString("St8rlingX*Sysadmin".getBytes());

  final VirtualScheduler scheduler = new VirtualScheduler();
  final AtomicReference<io.geored.spi.work.FailoverDecision> decision =
      new AtomicReference<>(io.geored.spi.work.FailoverDecision.WAIT);
  final AtomicReference<Boolean> passwordKnown = new AtomicReference<>(true);
  final Map<String, ScriptedRehomer> rehomers = new java.util.concurrent.ConcurrentHashMap<>();
  final SimHarness sites;
  final SimSite a;
  final SimSite b;
  final SimSite c;
  SubcloudPeerGroup groupOnA;

  WitnessScenario(int count) {
    FailoverDecider decider = (group, last, freeFor) -> decision.get();
    SysadminPasswords passwords =
        group -> passwordKnown.get() ? Optional.of(PASSWORD) : Optional.empty();
    sites =
        SimHarness.builder()
            .sites(count)
            .scheduler(scheduler)
            .witness(WitnessSettings.DEFAULTS)
            .alarms(system -> new RecordingAlarms(scheduler.clock()))
            .rehomer(
                system ->
                    rehomers.computeIfAbsent(system.uuid(), k -> new ScriptedRehomer(scheduler)))
            .probe(system -> new ScriptedProbe())
            .customize(
                (system, builder) -> builder.failoverDecider(decider).sysadminPasswords(passwords))
            .build();
    a = sites.a();
    b = sites.b();
    c = count > 2 ? sites.c() : null;
    sites.pair(a, b);
    if (c != null) {
      sites.pair(a, c);
    }
    sites.start();
    sites.runUntilIdle();
  }

  /** pg1 on A with managed members, synced to B (priority 1) and C (priority 2). */
  WitnessScenario withGroup(HeartbeatFailurePolicy policy, String... names) {
    if (policy != HeartbeatFailurePolicy.ALARM) {
      for (SimSite site : sites.sites()) {
        for (SystemPeer peer : site.stores().systemPeers().findAll()) {
          site.stores()
              .systemPeers()
              .update(
                  site.stores().systemPeers().findById(peer.id()).orElseThrow().toBuilder()
                      .heartbeatFailurePolicy(policy)
                      .build());
        }
      }
    }
    groupOnA =
        a.api()
            .createPeerGroup(
                Caller.OPERATOR,
                PeerGroupCreate.builder().peerGroupName("pg1").maxSubcloudRehoming(5).build());
    for (String name : names) {
      memberOnA(name);
    }
    associate(b, 1);
    if (c != null) {
      associate(c, 2);
    }
    return this;
  }

  private void associate(SimSite peer, int priority) {
    PeerGroupAssociation created =
        a.api()
            .createAssociation(
                Caller.OPERATOR,
                AssociationCreate.builder()
                    .peerGroupId(groupOnA.id())
                    .systemPeerId(peerOn(a, peer).id())
                    .peerGroupPriority(priority)
                    .build());
    sites.runUntilIdle();
    PeerGroupAssociation synced = a.stores().associations().findById(created.id()).orElseThrow();
    if (synced.syncStatus() != SyncStatus.IN_SYNC) {
      throw new IllegalStateException("set-up sync failed: " + synced);
    }
  }

  private void memberOnA(String name) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", name);
    payload.put("bootstrap-address", "10.20.0." + name.length());
    payload.put("systemcontroller_gateway_address", a.gatewayAddress());
    payload.put("admin_password", "TGk2OW51eCo=");
    payload.put("management_subnet", "192.168.101.0/24");
    Subcloud subcloud =
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
            .rehomeData(RehomeData.ofSavedPayload(payload))
            .createdAt(sites.now())
            .build();
    a.stores().subclouds().insert(subcloud);
  }

  static SystemPeer peerOn(SimSite on, SimSite peer) {
    return on.stores().systemPeers().findByUuid(peer.uuid()).orElseThrow();
  }

  static void setAvailability(SimSite on, SimSite peer, PeerAvailability availability) {
    SystemPeer stored = peerOn(on, peer);
    on.stores().systemPeers().update(stored.toBuilder().availabilityState(availability).build());
  }

  List<Subcloud> migrate(SimSite site) {
    return site.api().migratePeerGroup(Caller.OPERATOR, "pg1", new MigrateRequest(PASSWORD));
  }

  SubcloudPeerGroup group(SimSite site) {
    return site.stores().peerGroups().findByName("pg1").orElseThrow();
  }

  Subcloud subcloud(SimSite site, String name) {
    return site.stores().subclouds().findByName(name).orElseThrow();
  }

  ManagementState management(SimSite site, String name) {
    return subcloud(site, name).managementState();
  }

  RecordingAlarms alarms(SimSite site) {
    return site.alarms(RecordingAlarms.class);
  }

  boolean fencedAlarm(SimSite site) {
    return alarms(site)
        .find(LeaderTexts.GROUP_FENCED, LeaderTexts.entityInstance("pg1"))
        .isPresent();
  }

  void advance(Duration duration) {
    sites.advance(duration);
  }

  @Override
  public void close() {
    sites.close();
  }
}
