package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.GeoRedundancy;
import io.geored.core.GeoredSettings;
import io.geored.core.secret.PlainTextPasswordCipher;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.store.Stores;
import io.geored.spi.work.SubcloudStateListener;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measured runs over loopback, printed, never asserted on time: heartbeat calls per second, and the
 * time and call count of syncing a 1,000-subcloud group to a peer site. Run with {@code mvn -o test
 * -pl adapters-http -Dtest=LoopbackBenchmark -Dgeored.bench=true}.
 */
@EnabledIfSystemProperty(named = "geored.bench", matches = "true")
@DisplayName("loopback benchmark: heartbeats per second and a 1,000-subcloud sync")
class LoopbackBenchmark {

  static final String TOKEN = "bench-token";

  /** One site: an engine on in-memory stores behind its own loopback server. */
  static final class Site implements AutoCloseable {
    final Stores stores = InMemoryStores.create();
    final VirtualScheduler scheduler;
    final GeoRedundancy engine;
    final GeoredHttpServer server;
    final AtomicLong calls = new AtomicLong();

    Site(LocalSystem system, VirtualScheduler scheduler) {
      this.scheduler = scheduler;
      HttpPeerSites peers = HttpPeerSites.builder(TokenProvider.fixed(TOKEN)).build();
      engine =
          GeoRedundancy.builder(stores, LocalSystemIdentity.of(system), peers)
              .scheduler(scheduler)
              .settings(GeoredSettings.DEFAULTS)
              .stateListener(SubcloudStateListener.NONE)
              .passwordCipher(new PlainTextPasswordCipher())
              .build();
      Authenticator counting =
          token -> {
            calls.incrementAndGet();
            return TokenAuthenticator.builder()
                .token(TOKEN, "bench", Role.ADMIN)
                .build()
                .authenticate(token);
          };
      server =
          GeoredHttpServer.builder(engine.site(), counting).port(0).maxThreads(64).build().start();
    }

    SiteApi api() {
      return engine.site();
    }

    @Override
    public void close() {
      server.close();
      engine.close();
    }
  }

  static SystemPeerCreate peerOf(LocalSystem system, Site site) {
    return SystemPeerCreate.builder()
        .peerUuid(system.uuid())
        .peerName(system.name())
        .managerEndpoint(site.server.baseUri().toString())
        .managerUsername("admin")
        .managerPassword("pw")
        .peerControllerGatewayAddress("192.168.204.1")
        .build();
  }

  @Test
  @DisplayName("heartbeats per second and a 1,000-subcloud sync, over loopback")
  void run() {
    VirtualScheduler scheduler = new VirtualScheduler();
    try (Site a = new Site(SimHarness.SITE_A, scheduler);
        Site b = new Site(SimHarness.SITE_B, scheduler)) {
      a.api().createSystemPeer(Caller.OPERATOR, peerOf(SimHarness.SITE_B, b));
      b.api().createSystemPeer(Caller.OPERATOR, peerOf(SimHarness.SITE_A, a));
      SubcloudPeerGroup group =
          a.api()
              .createPeerGroup(
                  Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
      for (int i = 1; i <= 1000; i++) {
        String name = String.format("sc%04d", i);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", name);
        payload.put("bootstrap-address", "10.10." + (i / 250) + "." + (i % 250 + 1));
        payload.put("systemcontroller_gateway_address", "192.168.204.101");
        payload.put("management_subnet", "192.168.101.0/24");
        a.stores
            .subclouds()
            .insert(
                Subcloud.builder()
                    .name(name)
                    .regionName("region-" + name)
                    .softwareVersion("24.09")
                    .managementState(ManagementState.MANAGED)
                    .availabilityStatus(AvailabilityStatus.ONLINE)
                    .deployStatus(DeployStatus.COMPLETE)
                    .peerGroupId(group.id())
                    .rehomeData(RehomeData.ofSavedPayload(payload))
                    .createdAt(scheduler.now())
                    .build());
      }

      // Heartbeats: what a monitor sends, A's client to B's server.
      SiteApi bFromA =
          HttpPeerSites.builder(TokenProvider.fixed(TOKEN))
              .build()
              .clientFor(a.stores.systemPeers().findByUuid(SimHarness.SITE_B.uuid()).orElseThrow());
      for (int i = 0; i < 500; i++) {
        bFromA.listPeerGroups(Caller.OPERATOR);
      }
      int beats = 5_000;
      long start = System.nanoTime();
      for (int i = 0; i < beats; i++) {
        bFromA.listPeerGroups(Caller.OPERATOR);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "BENCH heartbeat calls=%d seconds=%.3f calls_per_second=%.0f%n",
          beats, seconds, beats / seconds);

      long before = b.calls.get();
      long syncStart = System.nanoTime();
      PeerGroupAssociation association =
          a.api()
              .createAssociation(
                  Caller.OPERATOR,
                  AssociationCreate.builder()
                      .peerGroupId(group.id())
                      .systemPeerId(
                          a.stores
                              .systemPeers()
                              .findByUuid(SimHarness.SITE_B.uuid())
                              .orElseThrow()
                              .id())
                      .peerGroupPriority(1)
                      .build());
      scheduler.runUntilIdle();
      double syncSeconds = (System.nanoTime() - syncStart) / 1e9;
      Optional<PeerGroupAssociation> done = a.stores.associations().findById(association.id());
      System.out.printf(
          "BENCH sync subclouds=1000 seconds=%.3f calls_to_peer=%d status=%s message=%s%n",
          syncSeconds,
          b.calls.get() - before,
          done.map(PeerGroupAssociation::syncStatus).orElse(null),
          done.map(PeerGroupAssociation::syncMessage).orElse(null));
      assertThat(done.orElseThrow().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(b.stores.subclouds().findAll()).hasSize(1000);
    }
  }
}
