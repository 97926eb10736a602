package io.geored.adapters.micrometer;

import io.geored.core.GeoRedundancy;
import io.geored.core.secret.PlainTextPasswordCipher;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.store.Stores;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.lease.InMemoryLeaseStore;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimNetwork;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.ScriptedProbe;
import io.geored.testkit.work.ScriptedRehomer;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Two real sites (core engines) on the testkit's in-process network and one virtual clock, each
 * bound to its own {@link SimpleMeterRegistry} through {@link GeoredMetrics}: every port the
 * metrics decorate is decorated, and the registries measure time on the virtual clock too. Site A
 * owns peer group pg1 with three subclouds, synced to site B.
 */
final class MeteredSites implements AutoCloseable {

  static final String PEER_PASSWORD = SimHarness.PEER_PASSWORD;
  static final String SYSADMIN = Base64.getEncoder().encodeToString("St8rlingX*".getBytes());
  static final String BOOTSTRAP_PASSWORD = "Li69nux*";
  static final List<String> SUBCLOUDS = List.of("sc01", "sc02", "sc03");
  static final Duration REHOME_TIME = Duration.ofMinutes(5);
  static final Duration HEARTBEAT_LATENCY = Duration.ofSeconds(2);

  final VirtualScheduler scheduler = new VirtualScheduler();
  final SimNetwork network = new SimNetwork(scheduler.virtualClock());
  final Site a;
  final Site b;

  /** One site: its stores, registry, recorded events and engine. */
  final class Site {
    final LocalSystem system;
    final String endpoint;
    final Stores stores = InMemoryStores.create();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock());
    final RecordingAlarms alarms = new RecordingAlarms(scheduler.clock());
    final ScriptedRehomer rehomer = new ScriptedRehomer(scheduler);
    final InMemoryLeaseStore leases = new InMemoryLeaseStore();
    final List<GeoredEvent> events = new CopyOnWriteArrayList<>();
    final GeoredMetrics metrics;
    final GeoRedundancy engine;

    Site(LocalSystem system) {
      this.system = system;
      this.endpoint = "http://" + system.name() + ".sim/v1.0";
      network.register(system, endpoint);
      metrics = GeoredMetrics.builder(registry, stores).clock(scheduler.clock()).build();
      String owner = system.name() + "-engine";
      engine =
          GeoRedundancy.builder(
                  metrics.stores(),
                  LocalSystemIdentity.of(system),
                  metrics.peerSites(network.peerSitesFor(system)))
              .scheduler(scheduler)
              .passwordCipher(new PlainTextPasswordCipher())
              .alarms(metrics.alarms(alarms))
              .rehomer(metrics.rehomer(rehomer))
              .probe(new ScriptedProbe().byDefault(ScriptedProbe.Answer.ONLINE))
              .lease(metrics.leaseStore(leases, owner), owner)
              .eventListener(metrics.eventListener(events::add))
              .build();
      network.attach(system, engine.site());
    }

    String name() {
      return system.name();
    }

    io.geored.spi.api.SiteApi api() {
      return engine.site();
    }

    SystemPeer peerOf(Site other) {
      return stores.systemPeers().findByUuid(other.system.uuid()).orElseThrow();
    }

    PeerGroupAssociation association() {
      return stores.associations().findAll().get(0);
    }

    /** The instants a state field of one resource changed, as events. */
    List<GeoredEvent.StateChanged> changes(String resource, String field) {
      return events.stream()
          .filter(GeoredEvent.StateChanged.class::isInstance)
          .map(GeoredEvent.StateChanged.class::cast)
          .filter(c -> c.resource().equals(resource) && c.field().equals(field))
          .toList();
    }
  }

  MeteredSites() {
    a = new Site(SimHarness.SITE_A);
    b = new Site(SimHarness.SITE_B);
  }

  private Clock clock() {
    return new Clock() {
      @Override
      public long wallTime() {
        return scheduler.now().toEpochMilli();
      }

      @Override
      public long monotonicTime() {
        java.time.Instant now = scheduler.now();
        return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
      }
    };
  }

  /** Both sites know each other; pg1 on A with three managed subclouds, associated with B. */
  MeteredSites prepare() {
    a.engine.start();
    b.engine.start();
    peer(a, b);
    peer(b, a);
    a.api()
        .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    for (String name : SUBCLOUDS) {
      a.api()
          .createSubcloud(
              Caller.OPERATOR,
              SubcloudCreate.builder()
                  .name(name)
                  .regionName("region-" + name)
                  .bootstrapValues(bootstrapValues(name))
                  .bootstrapAddress("10.10.10.12")
                  .release("24.09")
                  .build());
    }
    // The availability audit brings them online.
    scheduler.advance(Duration.ofMinutes(1));
    for (String name : SUBCLOUDS) {
      a.api()
          .updateSubcloud(
              Caller.OPERATOR, name, SubcloudUpdate.builder().managementState("managed").build());
      a.api()
          .updateSubcloud(Caller.OPERATOR, name, SubcloudUpdate.builder().peerGroup("pg1").build());
    }
    network.link(b.system, a.system).delay(HEARTBEAT_LATENCY);
    a.api()
        .createAssociation(
            Caller.OPERATOR,
            AssociationCreate.builder()
                .peerGroupId(a.stores.peerGroups().findByName("pg1").orElseThrow().id())
                .systemPeerId(a.peerOf(b).id())
                .peerGroupPriority(2)
                .build());
    scheduler.advance(Duration.ofMinutes(2));
    return this;
  }

  private void peer(Site on, Site other) {
    on.api()
        .createSystemPeer(
            Caller.OPERATOR,
            SystemPeerCreate.builder()
                .peerUuid(other.system.uuid())
                .peerName(other.name())
                .managerEndpoint(other.endpoint)
                .managerUsername("admin")
                .managerPassword(PEER_PASSWORD)
                .peerControllerGatewayAddress(on == a ? "192.168.204.2" : "192.168.204.1")
                .build());
  }

  static Map<String, Object> bootstrapValues(String name) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("name", name);
    values.put("system_mode", "simplex");
    values.put("management_subnet", "192.168.101.0/24");
    values.put("systemcontroller_gateway_address", "192.168.204.1");
    values.put("admin_password", BOOTSTRAP_PASSWORD);
    values.put("sysadmin_password", BOOTSTRAP_PASSWORD);
    return values;
  }

  void migrateOnB() {
    b.api().migratePeerGroup(Caller.OPERATOR, "pg1", new MigrateRequest(SYSADMIN));
  }

  @Override
  public void close() {
    network.detach(a.system);
    network.detach(b.system);
    a.engine.close();
    b.engine.close();
  }
}
