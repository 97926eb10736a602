package io.geored.core.failover;

import io.geored.core.GeoredSettings;
import io.geored.core.service.RestartRecovery;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.spi.work.SubcloudStateListener;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.ScriptedProbe;
import io.geored.testkit.work.ScriptedRehomer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Two real sites on one virtual clock, ready for a migration of pg1 to site B: A owns pg1 (priority
 * 0) with managed, online members; a primary association has synced them to B as secondary copies
 * (B's pg1 has priority 2 and is led by A); each site sees the other available. Every site records
 * its alarms, events and state-listener calls, and rehomes and probes through scripts.
 */
final class MigrationScenario implements AutoCloseable {

  /** A management or availability change the state listener heard. */
  record Heard(String kind, Subcloud before, Subcloud after) {}

  final VirtualScheduler scheduler = new VirtualScheduler();
  final Map<String, ScriptedRehomer> rehomers = new ConcurrentHashMap<>();
  final Map<String, ScriptedProbe> probes = new ConcurrentHashMap<>();
  final Map<String, List<GeoredEvent>> events = new ConcurrentHashMap<>();
  final Map<String, List<Heard>> heard = new ConcurrentHashMap<>();
  final Map<String, Boolean> listenerFails = new ConcurrentHashMap<>();
  final Map<String, Map<String, Function<Object[], Object>>> standIns = new ConcurrentHashMap<>();
  final Map<String, List<AuditRequest>> auditRequests = new ConcurrentHashMap<>();
  final SimHarness sites;
  final SimSite a;
  final SimSite b;
  SubcloudPeerGroup groupOnA;
  PeerGroupAssociation primary;

  MigrationScenario() {
    this(GeoredSettings.DEFAULTS);
  }

  MigrationScenario(GeoredSettings settings) {
    sites =
        SimHarness.builder()
            .scheduler(scheduler)
            .settings(settings)
            .alarms(system -> new RecordingAlarms(scheduler.clock()))
            .rehomer(
                system ->
                    rehomers.computeIfAbsent(system.uuid(), k -> new ScriptedRehomer(scheduler)))
            .probe(system -> probes.computeIfAbsent(system.uuid(), k -> new ScriptedProbe()))
            .customize(
                (system, builder) ->
                    builder.eventListener(eventsOf(system)::add).stateListener(listenerOf(system)))
            .build();
    a = sites.a();
    b = sites.b();
    isolateFromPeerAudits();
    sites.pair(a, b);
    sites.start();
  }

  private List<GeoredEvent> eventsOf(LocalSystem system) {
    return events.computeIfAbsent(system.uuid(), k -> new CopyOnWriteArrayList<>());
  }

  private SubcloudStateListener listenerOf(LocalSystem system) {
    List<Heard> log = heard.computeIfAbsent(system.uuid(), k -> new CopyOnWriteArrayList<>());
    return new SubcloudStateListener() {
      @Override
      public void managementStateChanged(Subcloud before, Subcloud after) {
        log.add(new Heard("management", before, after));
        fail(system);
      }

      @Override
      public void availabilityChanged(Subcloud before, Subcloud after) {
        log.add(new Heard("availability", before, after));
        fail(system);
      }
    };
  }

  private void fail(LocalSystem system) {
    if (listenerFails.getOrDefault(system.uuid(), false)) {
      throw new IllegalStateException("host refused");
    }
  }

  /**
   * Creates pg1 on A with {@code count} managed members named sc01, sc02, ... and syncs it to B.
   */
  MigrationScenario withGroup(int maxSubcloudRehoming, int count) {
    return withGroup(
        maxSubcloudRehoming,
        IntStream.rangeClosed(1, count).mapToObj(MigrationScenario::nameOf).toList());
  }

  static String nameOf(int i) {
    return String.format("sc%02d", i);
  }

  MigrationScenario withGroup(int maxSubcloudRehoming, List<String> names) {
    groupOnA =
        a.api()
            .createPeerGroup(
                Caller.OPERATOR,
                PeerGroupCreate.builder()
                    .peerGroupName("pg1")
                    .maxSubcloudRehoming(maxSubcloudRehoming)
                    .build());
    for (String name : names) {
      memberOnA(name, DeployStatus.COMPLETE);
    }
    SystemPeer bOnA = peerOn(a, b);
    primary =
        a.api()
            .createAssociation(
                Caller.OPERATOR,
                AssociationCreate.builder()
                    .peerGroupId(groupOnA.id())
                    .systemPeerId(bOnA.id())
                    .peerGroupPriority(2)
                    .build());
    sites.runUntilIdle();
    PeerGroupAssociation synced = a.stores().associations().findById(primary.id()).orElseThrow();
    if (synced.syncStatus() != SyncStatus.IN_SYNC) {
      throw new IllegalStateException("set-up sync failed: " + synced);
    }
    available(a, b);
    available(b, a);
    return this;
  }

  Subcloud memberOnA(String name, DeployStatus status) {
    boolean away = status != DeployStatus.COMPLETE;
    Subcloud subcloud =
        Subcloud.builder()
            .name(name)
            .regionName("region-" + name)
            .description("edge " + name)
            .location("rack " + name)
            .softwareVersion("24.09")
            .managementState(away ? ManagementState.UNMANAGED : ManagementState.MANAGED)
            .availabilityStatus(away ? AvailabilityStatus.OFFLINE : AvailabilityStatus.ONLINE)
            .deployStatus(status)
            .peerGroupId(groupOnA.id())
            .rehomeData(
                RehomeData.ofSavedPayload(
                    MigrationFixtures.payload(
                        name, "10.20.0." + name.length(), a.gatewayAddress())))
            .createdAt(sites.now())
            .build();
    return ((StoreResult.Saved<Subcloud>) a.stores().subclouds().insert(subcloud)).value();
  }

  /** The system peer {@code on} stores for {@code peer}. */
  static SystemPeer peerOn(SimSite on, SimSite peer) {
    return on.stores().systemPeers().findByUuid(peer.uuid()).orElseThrow();
  }

  /** Marks {@code peer} available on {@code on}, as its monitor would after a good heartbeat. */
  static void available(SimSite on, SimSite peer) {
    setAvailability(on, peer, PeerAvailability.AVAILABLE);
  }

  static void setAvailability(SimSite on, SimSite peer, PeerAvailability availability) {
    SystemPeer stored = peerOn(on, peer);
    on.stores().systemPeers().update(stored.toBuilder().availabilityState(availability).build());
  }

  ScriptedRehomer rehomer(SimSite site) {
    return rehomers.get(site.uuid());
  }

  ScriptedProbe probe(SimSite site) {
    return probes.get(site.uuid());
  }

  RecordingAlarms alarms(SimSite site) {
    return site.alarms(RecordingAlarms.class);
  }

  List<GeoredEvent> events(SimSite site) {
    return eventsOf(site.system());
  }

  List<GeoredEvent.Progress> progress(SimSite site) {
    return events(site).stream()
        .filter(GeoredEvent.Progress.class::isInstance)
        .map(GeoredEvent.Progress.class::cast)
        .filter(p -> p.operation().equals(MigrationTexts.OPERATION))
        .toList();
  }

  List<Heard> heard(SimSite site) {
    return heard.computeIfAbsent(site.uuid(), k -> new CopyOnWriteArrayList<>());
  }

  void listenerFails(SimSite site, boolean fails) {
    listenerFails.put(site.uuid(), fails);
  }

  List<Subcloud> migrate(SimSite site) {
    return site.api()
        .migratePeerGroup(Caller.OPERATOR, "pg1", new MigrateRequest(MigrationFixtures.PASSWORD));
  }

  SubcloudPeerGroup group(SimSite site) {
    return site.stores().peerGroups().findByName("pg1").orElseThrow();
  }

  Subcloud subcloud(SimSite site, String name) {
    return site.stores().subclouds().findByName(name).orElseThrow();
  }

  Instant now() {
    return sites.now();
  }

  /** Calls of one kind from one site to the other since the last reset. */
  long calls(SimSite from, SimSite to, String kind) {
    return sites.network().calls(from.system(), to.system(), kind);
  }

  /**
   * Has the network answer one kind of call to {@code site} with {@code answer} instead of the
   * site's own API (e.g. a refusal). The site's operator API is not affected. A restart of the site
   * drops the stand-ins; {@link #restart} puts them back.
   */
  void answerInstead(SimSite site, String kind, Function<Object[], Object> answer) {
    standIns.computeIfAbsent(site.uuid(), k -> new ConcurrentHashMap<>()).put(kind, answer);
    attachWithStandIns(site);
  }

  private void attachWithStandIns(SimSite site) {
    Map<String, Function<Object[], Object>> answers = standIns.getOrDefault(site.uuid(), Map.of());
    SiteApi real = site.engine().site();
    SiteApi wrapped =
        (SiteApi)
            Proxy.newProxyInstance(
                SiteApi.class.getClassLoader(),
                new Class<?>[] {SiteApi.class},
                (proxy, method, args) -> {
                  Function<Object[], Object> answer = answers.get(method.getName());
                  if (answer != null) {
                    return answer.apply(args);
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    sites.network().attach(site.system(), wrapped);
  }

  /**
   * Keeps the peers' own monitor and audit out of a migration test, so it sees only what the
   * migration did: audit requests reaching a site are recorded and answered "ran" without running,
   * and a peer's heartbeat lists no groups.
   */
  private void isolateFromPeerAudits() {
    for (SimSite site : List.of(a, b)) {
      answerInstead(
          site,
          "auditPeerGroup",
          args -> {
            auditRequests(site).add((AuditRequest) args[2]);
            return AuditAnswer.RAN;
          });
      answerInstead(site, "listPeerGroups", args -> List.of());
    }
  }

  /** The audit requests that reached a site through the network. */
  List<AuditRequest> auditRequests(SimSite site) {
    return auditRequests.computeIfAbsent(site.uuid(), k -> new CopyOnWriteArrayList<>());
  }

  /** Restarts a site and puts its network stand-ins back. */
  RestartRecovery.Report restart(SimSite site) {
    RestartRecovery.Report report = sites.restart(site);
    attachWithStandIns(site);
    return report;
  }

  Duration since(Instant start) {
    return Duration.between(start, now());
  }

  @Override
  public void close() {
    sites.close();
  }
}
