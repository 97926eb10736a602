package io.geored.testkit.sim;

import static io.geored.testkit.sim.SimHarness.SITE_A;
import static io.geored.testkit.sim.SimHarness.SITE_B;
import static io.geored.testkit.sim.SimHarness.SITE_C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.GeoRedundancy;
import io.geored.core.GeoredSettings;
import io.geored.core.fault.InMemoryAlarms;
import io.geored.core.service.RestartRecovery;
import io.geored.spi.PeerTransportException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SiteApi;
import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.Alarms;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.peer.PeerSites;
import io.geored.spi.store.StoreResult;
import io.geored.spi.work.RehomeOutcome;
import io.geored.spi.work.SubcloudProbe;
import io.geored.spi.work.SubcloudRehomer;
import io.geored.testkit.time.VirtualClock;
import io.geored.testkit.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The multi-site harness")
class SimHarnessTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final List<SimHarness> opened = new ArrayList<>();

  private SimHarness open(SimHarness harness) {
    opened.add(harness);
    return harness;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(SimHarness::close);
  }

  /** A subcloud stored as an interrupted rehome leaves it. */
  private static Subcloud rehoming(String name) {
    return Subcloud.builder()
        .name(name)
        .regionName(name + "-region")
        .managementState(ManagementState.UNMANAGED)
        .availabilityStatus(AvailabilityStatus.OFFLINE)
        .deployStatus(DeployStatus.REHOMING)
        .createdAt(START)
        .build();
  }

  private static Subcloud insert(SimSite site, Subcloud subcloud) {
    StoreResult<Subcloud> result = site.stores().subclouds().insert(subcloud);
    return result.orElseThrow(r -> new IllegalStateException("insert failed: " + r));
  }

  /** A system peer as a site would store it, enough for its engine to open a client. */
  private static SystemPeer peerAt(SimSite site) {
    return SystemPeer.builder()
        .id(1)
        .peerUuid(site.uuid())
        .peerName(site.name())
        .managerEndpoint(site.endpoint())
        .build();
  }

  @Nested
  @DisplayName("building")
  class Building {

    @Test
    @DisplayName("two sites have fixed identities, endpoints and gateways, and their own stores")
    void twoSites() {
      SimHarness sites = open(SimHarness.twoSites());

      assertThat(sites.sites()).containsExactly(sites.a(), sites.b());
      assertThat(sites.a().system())
          .isEqualTo(new LocalSystem("aaaaaaaa-0000-4000-8000-000000000001", "site-a"));
      assertThat(sites.b().system())
          .isEqualTo(new LocalSystem("bbbbbbbb-0000-4000-8000-000000000002", "site-b"));
      assertThat(sites.a().endpoint()).isEqualTo("http://site-a.sim/v1.0");
      assertThat(sites.b().endpoint()).isEqualTo("http://site-b.sim/v1.0");
      assertThat(sites.a().gatewayAddress()).isEqualTo("10.10.1.1");
      assertThat(sites.b().gatewayAddress()).isEqualTo("10.10.2.1");
      assertThat(sites.a().stores()).isNotSameAs(sites.b().stores());
      assertThat(sites.a().alarms()).isNotSameAs(sites.b().alarms());
      assertThat(sites.a().api().identity(Caller.OPERATOR)).isEqualTo(SITE_A);
      assertThat(sites.b().api().identity(Caller.OPERATOR)).isEqualTo(SITE_B);
      assertThat(sites.network().endpointOf(SITE_A)).contains("http://site-a.sim/v1.0");
      assertThat(sites.network().endpointOf(SITE_C)).isEmpty();
    }

    @Test
    @DisplayName("a two-site harness has no site-c")
    void noThirdSite() {
      SimHarness sites = open(SimHarness.twoSites());

      assertThatThrownBy(sites::c)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the harness has 2 sites, no site-c");
    }

    @Test
    @DisplayName("three sites are site-a, site-b and site-c")
    void threeSites() {
      SimHarness sites = open(SimHarness.threeSites());

      assertThat(sites.sites()).extracting(SimSite::system).containsExactly(SITE_A, SITE_B, SITE_C);
      assertThat(sites.c().endpoint()).isEqualTo("http://site-c.sim/v1.0");
      assertThat(sites.c().gatewayAddress()).isEqualTo("10.10.3.1");
      assertThat(sites.c().api().identity(Caller.OPERATOR)).isEqualTo(SITE_C);
    }

    @Test
    @DisplayName("a harness has two or three sites, no fewer and no more")
    void siteCountLimits() {
      assertThatThrownBy(() -> SimHarness.builder().sites(1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a harness has 2 or 3 sites: 1");
      assertThatThrownBy(() -> SimHarness.builder().sites(4))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a harness has 2 or 3 sites: 4");
      assertThat(open(SimHarness.builder().sites(2).build()).sites()).hasSize(2);
      assertThat(open(SimHarness.builder().sites(3).build()).sites()).hasSize(3);
    }

    @Test
    @DisplayName("the sites reach each other's real engines through the network")
    void sitesTalk() {
      SimHarness sites = open(SimHarness.threeSites());

      SiteApi aToB = sites.network().client(SITE_A, sites.b().endpoint());
      SiteApi cToA = sites.c().engine().context().peerSites().clientFor(peerAt(sites.a()));

      assertThat(aToB.identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
      assertThat(cToA.identity(Caller.PEER_SITE)).isEqualTo(SITE_A);
      assertThat(sites.network().calls(SITE_A, SITE_B, "identity")).isEqualTo(1);
      assertThat(sites.network().calls(SITE_C, SITE_A, "identity")).isEqualTo(1);
    }

    @Test
    @DisplayName("every site runs on the one shared virtual clock")
    void sharedClock() {
      VirtualScheduler scheduler =
          new VirtualScheduler(new VirtualClock(Instant.parse("2030-05-01T12:00:00Z")));
      SimHarness sites = open(SimHarness.builder().sites(3).scheduler(scheduler).build());

      sites.advance(Duration.ofHours(1));

      Instant later = Instant.parse("2030-05-01T13:00:00Z");
      assertThat(sites.now()).isEqualTo(later);
      assertThat(sites.scheduler()).isSameAs(scheduler);
      for (SimSite site : sites.sites()) {
        assertThat(site.engine().context().now()).isEqualTo(later);
        assertThat(site.engine().context().scheduler().clock()).isSameAs(scheduler.clock());
      }
    }

    @Test
    @DisplayName("alarms, rehomer and probe come from the given factories, one of each per site")
    void pluggableParts() {
      Map<LocalSystem, SubcloudRehomer> rehomers = new HashMap<>();
      Map<LocalSystem, SubcloudProbe> probes = new HashMap<>();
      SimHarness sites =
          open(
              SimHarness.builder()
                  .alarms(system -> new CountingAlarms())
                  .rehomer(
                      system -> {
                        // Captures the site, so each site gets an instance of its own.
                        SubcloudRehomer r =
                            (subcloud, data, password) ->
                                CompletableFuture.completedFuture(
                                    new RehomeOutcome.Failed("rehomer of " + system.name()));
                        rehomers.put(system, r);
                        return r;
                      })
                  .probe(
                      system -> {
                        SubcloudProbe p =
                            subcloud ->
                                CompletableFuture.completedFuture(AvailabilityStatus.ONLINE);
                        probes.put(system, p);
                        return p;
                      })
                  .build());

      for (SimSite site : sites.sites()) {
        assertThat(site.engine().context().alarms()).isSameAs(site.alarms());
        assertThat(site.alarms(CountingAlarms.class)).isSameAs(site.alarms());
        assertThat(site.engine().context().rehomer()).isSameAs(rehomers.get(site.system()));
        assertThat(site.engine().context().probe()).isSameAs(probes.get(site.system()));
      }
      assertThat(rehomers.get(SITE_A)).isNotSameAs(rehomers.get(SITE_B));
      assertThatThrownBy(() -> sites.a().alarms(InMemoryAlarms.class))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "site-a alarms are "
                  + CountingAlarms.class.getName()
                  + ", not "
                  + InMemoryAlarms.class.getName());
    }

    @Test
    @DisplayName("by default each site has in-memory alarms and the given settings")
    void defaults() {
      GeoredSettings settings = GeoredSettings.DEFAULTS.withCasRetries(7);
      SimHarness sites = open(SimHarness.builder().settings(settings).build());

      assertThat(sites.a().alarms()).isInstanceOf(InMemoryAlarms.class);
      assertThat(sites.a().engine().context().settings()).isEqualTo(settings);
      assertThat(sites.b().engine().context().settings()).isEqualTo(settings);
    }

    @Test
    @DisplayName("the customization sees every engine a site gets, restarts included")
    void customizeEveryEngine() {
      List<String> built = new ArrayList<>();
      SimHarness sites =
          open(
              SimHarness.builder()
                  .customize(
                      (system, builder) -> {
                        built.add(system.name());
                        return builder;
                      })
                  .build());

      sites.restart(sites.b());

      assertThat(built).containsExactly("site-a", "site-b", "site-b");
    }
  }

  @Nested
  @DisplayName("life cycle")
  class LifeCycle {

    @Test
    @DisplayName("engines are built but not started until start()")
    void start() {
      SimHarness sites = open(SimHarness.twoSites());
      assertThat(sites.sites()).noneMatch(s -> s.engine().isRunning());

      sites.start();

      assertThat(sites.sites()).allMatch(s -> s.engine().isRunning());
    }

    @Test
    @DisplayName("a stopped site is closed and unreachable; its stores are kept")
    void stop() {
      SimHarness sites = open(SimHarness.twoSites());
      sites.start();
      Subcloud stored = insert(sites.b(), rehoming("subcloud1"));
      GeoRedundancy engine = sites.b().engine();
      SiteApi aToB = sites.network().client(SITE_A, sites.b().endpoint());

      sites.stop(sites.b());

      assertThat(engine.isRunning()).isFalse();
      assertThat(sites.b().isStopped()).isTrue();
      assertThat(sites.b().engine()).isSameAs(engine);
      assertThatThrownBy(() -> sites.b().api())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("site-b is stopped");
      assertThatThrownBy(() -> aToB.identity(Caller.PEER_SITE))
          .isInstanceOf(PeerTransportException.class)
          .hasMessage("identity to http://site-b.sim/v1.0: site-b is unreachable (stopped)");
      assertThatThrownBy(
              () ->
                  engine
                      .context()
                      .peerSites()
                      .clientFor(peerAt(sites.a()))
                      .identity(Caller.PEER_SITE))
          .isInstanceOf(PeerTransportException.class)
          .hasMessage(
              "identity to http://site-a.sim/v1.0: site-b is cut off from the network (stopped)");
      assertThat(sites.b().stores().subclouds().findAll()).containsExactly(stored);
      assertThat(sites.a().engine().isRunning()).isTrue();
    }

    @Test
    @DisplayName("stopping a stopped site again changes nothing")
    void stopTwice() {
      SimHarness sites = open(SimHarness.twoSites());
      sites.stop(sites.b());
      GeoRedundancy engine = sites.b().engine();

      sites.stop(sites.b());

      assertThat(sites.b().engine()).isSameAs(engine);
      assertThat(sites.b().isStopped()).isTrue();
    }

    @Test
    @DisplayName("start() leaves a stopped site stopped")
    void startSkipsStopped() {
      SimHarness sites = open(SimHarness.twoSites());
      sites.stop(sites.b());

      sites.start();

      assertThat(sites.a().engine().isRunning()).isTrue();
      assertThat(sites.b().engine().isRunning()).isFalse();
      assertThat(sites.network().isReachable(SITE_B)).isFalse();
    }

    @Test
    @DisplayName(
        "a restarted site runs a new engine on the same stores, recovers, and answers again")
    void restart() {
      SimHarness sites = open(SimHarness.twoSites());
      sites.start();
      Subcloud stuck = insert(sites.b(), rehoming("subcloud1"));
      GeoRedundancy before = sites.b().engine();
      PeerSites oldPeerSites = before.context().peerSites();
      sites.stop(sites.b());
      sites.advance(Duration.ofMinutes(10));

      RestartRecovery.Report report = sites.restart(sites.b());

      GeoRedundancy after = sites.b().engine();
      assertThat(after).isNotSameAs(before);
      assertThat(after.isRunning()).isTrue();
      assertThat(sites.b().isStopped()).isFalse();
      assertThat(after.context().stores()).isSameAs(sites.b().stores());
      assertThat(after.context().alarms()).isSameAs(sites.b().alarms());
      assertThat(report).isEqualTo(new RestartRecovery.Report(1, 0, 0));
      assertThat(sites.b().stores().subclouds().findAll())
          .containsExactly(
              stuck.toBuilder()
                  .deployStatus(DeployStatus.REHOME_FAILED)
                  .updatedAt(START.plus(Duration.ofMinutes(10)))
                  .version(stuck.version() + 1)
                  .build());
      assertThat(sites.b().api().identity(Caller.OPERATOR)).isEqualTo(SITE_B);
      assertThat(sites.network().client(SITE_A, sites.b().endpoint()).identity(Caller.PEER_SITE))
          .isEqualTo(SITE_B);
      assertThat(
              after.context().peerSites().clientFor(peerAt(sites.a())).identity(Caller.PEER_SITE))
          .isEqualTo(SITE_A);
      assertThatThrownBy(() -> oldPeerSites.clientFor(peerAt(sites.a())).identity(Caller.PEER_SITE))
          .isInstanceOf(PeerTransportException.class)
          .hasMessage(
              "identity to http://site-a.sim/v1.0: site-b is cut off from the network (stopped)");
    }

    @Test
    @DisplayName("restarting a running site stops it first, as a crash would")
    void restartRunning() {
      SimHarness sites = open(SimHarness.twoSites());
      sites.start();
      GeoRedundancy before = sites.a().engine();

      RestartRecovery.Report report = sites.restart(sites.a());

      assertThat(before.isRunning()).isFalse();
      assertThat(sites.a().engine()).isNotSameAs(before);
      assertThat(sites.a().engine().isRunning()).isTrue();
      assertThat(report).isEqualTo(new RestartRecovery.Report(0, 0, 0));
    }

    @Test
    @DisplayName("restarts keep the site's alarms, rehomer and probe")
    void restartKeepsParts() {
      SimHarness sites =
          open(
              SimHarness.builder()
                  .alarms(system -> new CountingAlarms())
                  .rehomer(
                      system ->
                          (subcloud, data, password) ->
                              CompletableFuture.completedFuture(new RehomeOutcome.Rehomed()))
                  .probe(
                      system ->
                          subcloud -> CompletableFuture.completedFuture(AvailabilityStatus.ONLINE))
                  .build());
      Alarms alarms = sites.a().alarms();
      SubcloudRehomer rehomer = sites.a().engine().context().rehomer();
      SubcloudProbe probe = sites.a().engine().context().probe();

      sites.restart(sites.a());

      assertThat(sites.a().alarms()).isSameAs(alarms);
      assertThat(sites.a().engine().context().alarms()).isSameAs(alarms);
      assertThat(sites.a().engine().context().rehomer()).isSameAs(rehomer);
      assertThat(sites.a().engine().context().probe()).isSameAs(probe);
    }

    @Test
    @DisplayName("advance and runUntilIdle run the sites' scheduled work in virtual time")
    void timeDrivesWork() {
      SimHarness sites = open(SimHarness.twoSites());
      AtomicInteger ticks = new AtomicInteger();
      AtomicInteger once = new AtomicInteger();
      sites
          .a()
          .engine()
          .context()
          .scheduler()
          .scheduleWithFixedDelay(
              ticks::incrementAndGet, Duration.ofSeconds(60), Duration.ofSeconds(60));
      sites.b().engine().context().scheduler().execute(once::incrementAndGet);

      assertThat(sites.runUntilIdle()).isEqualTo(1);
      assertThat(once).hasValue(1);
      assertThat(ticks).hasValue(0);

      assertThat(sites.advance(Duration.ofMinutes(5))).isEqualTo(5);
      assertThat(ticks).hasValue(5);
      assertThat(sites.now()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    }

    @Test
    @DisplayName("closing the harness closes every engine and takes every site off the network")
    void close() {
      SimHarness sites = SimHarness.threeSites();
      sites.start();
      SiteApi aToB = sites.network().client(SITE_A, sites.b().endpoint());

      sites.close();
      sites.close();

      assertThat(sites.sites()).allMatch(s -> !s.engine().isRunning() && s.isStopped());
      assertThat(sites.sites()).noneMatch(s -> sites.network().isReachable(s.system()));
      assertThatThrownBy(() -> aToB.identity(Caller.PEER_SITE))
          .isInstanceOf(PeerTransportException.class);
      assertThatThrownBy(sites::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the harness is closed");
      assertThatThrownBy(() -> sites.restart(sites.a()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the harness is closed");
    }

    @Test
    @DisplayName("a site of another harness is refused")
    void foreignSiteRefused() {
      SimHarness sites = open(SimHarness.twoSites());
      SimHarness other = open(SimHarness.twoSites());

      assertThatThrownBy(() -> sites.stop(other.b()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not a site of this harness: SimSite[site-b http://site-b.sim/v1.0]");
      assertThat(other.b().isStopped()).isFalse();
      assertThat(sites.b().isStopped()).isFalse();
    }

    @Test
    @DisplayName("a peer client needs the system peer the calling site stores")
    void peerClientNeedsSystemPeer() {
      SimHarness sites = open(SimHarness.twoSites());

      assertThatThrownBy(() -> sites.peerClient(sites.b(), sites.a()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("site-b has no system peer for site-a");
    }
  }

  /** Alarms of another type than the default, to check the typed accessor. */
  private static final class CountingAlarms implements Alarms {
    private final Map<String, Alarm> raised = new HashMap<>();

    @Override
    public synchronized void raise(Alarm alarm) {
      raised.put(alarm.alarmId() + "/" + alarm.entityInstance(), alarm);
    }

    @Override
    public synchronized void clear(String alarmId, String entityInstance) {
      raised.remove(alarmId + "/" + entityInstance);
    }

    @Override
    public synchronized Optional<Alarm> find(String alarmId, String entityInstance) {
      return Optional.ofNullable(raised.get(alarmId + "/" + entityInstance));
    }

    @Override
    public synchronized List<Alarm> findAll(String alarmId) {
      return raised.values().stream().filter(a -> a.alarmId().equals(alarmId)).toList();
    }
  }

  @Nested
  @DisplayName("clocks of their own")
  class OwnClocks {

    @Test
    @DisplayName("each engine runs on its site's clock, at the site's rate")
    void rates() {
      SimHarness sites = open(SimHarness.builder().clockRates(1.001, 0.999).build());

      sites.advance(Duration.ofSeconds(1000));

      assertThat(sites.a().engine().context().scheduler().clock().instant())
          .isEqualTo(START.plusSeconds(1001));
      assertThat(sites.b().engine().context().scheduler().clock().instant())
          .isEqualTo(START.plusSeconds(999));
      assertThat(sites.a().scheduler().ticker().nanos())
          .isEqualTo(Duration.ofSeconds(1001).toNanos());
      assertThat(sites.now()).isEqualTo(START.plusSeconds(1000));
    }

    @Test
    @DisplayName("one rate per site")
    void rateCount() {
      assertThatThrownBy(() -> SimHarness.builder().clockRates(1.0).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("clock rates for 1 sites, the harness has 2");
    }

    @Test
    @DisplayName("a paused site answers no call in time and handles it when resumed")
    void pause() {
      SimHarness sites = open(SimHarness.twoSites());
      sites.start();
      sites.pause(sites.b());
      SiteApi aToB = sites.network().client(SITE_A, sites.b().endpoint());

      assertThatThrownBy(() -> aToB.createPeerGroup(Caller.OPERATOR, group("pg-late")))
          .isInstanceOf(PeerTransportException.class)
          .hasMessageContaining("timed out (site-b stands still (paused)");
      sites.advance(Duration.ofMinutes(3));
      assertThat(sites.b().stores().peerGroups().findByName("pg-late")).isEmpty();
      assertThat(sites.b().isPaused()).isTrue();

      sites.resume(sites.b());
      sites.runUntilIdle();

      assertThat(sites.b().stores().peerGroups().findByName("pg-late")).isPresent();
    }
  }

  private static io.geored.spi.api.PeerGroupCreate group(String name) {
    return io.geored.spi.api.PeerGroupCreate.builder().peerGroupName(name).build();
  }
}
