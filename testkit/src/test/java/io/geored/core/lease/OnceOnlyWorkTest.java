package io.geored.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.GeoRedundancy;
import io.geored.core.GeoredSettings;
import io.geored.spi.PersistenceException;
import io.geored.spi.lease.Lease;
import io.geored.spi.lease.LeaseSettings;
import io.geored.spi.lease.LeaseStore;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.testkit.lease.CountingPeerSites;
import io.geored.testkit.lease.InMemoryLeaseStore;
import io.geored.testkit.lease.MonitoredPeer;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Two engines on one database share the work that must happen once through leases")
class OnceOnlyWorkTest {

  private static final Duration BEAT = Duration.ofSeconds(MonitoredPeer.HEARTBEAT_SECONDS);
  private static final String MONITOR_LEASE = "monitor:" + MonitoredPeer.PEER_UUID;

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Stores stores = InMemoryStores.create();
  private final InMemoryLeaseStore leases = new InMemoryLeaseStore();
  private final SwitchableLeaseStore leasesOfFirst = new SwitchableLeaseStore(leases);

  private Engine first;
  private Engine second;

  /** One engine with the peer sites and probe it alone uses, so calls are counted per engine. */
  private record Engine(GeoRedundancy engine, CountingPeerSites peers, AtomicInteger probes) {}

  private Engine engine(LeaseStore leaseStore, String owner) {
    CountingPeerSites peers = new CountingPeerSites();
    AtomicInteger probes = new AtomicInteger();
    GeoRedundancy engine =
        GeoRedundancy.builder(stores, LocalSystemIdentity.of(SingleSite.SITE_A), peers)
            .scheduler(scheduler)
            .settings(GeoredSettings.DEFAULTS)
            .probe(
                subcloud -> {
                  probes.incrementAndGet();
                  return CompletableFuture.completedFuture(AvailabilityStatus.ONLINE);
                })
            .lease(leaseStore, owner)
            .build();
    return new Engine(engine, peers, probes);
  }

  @BeforeEach
  void twoEnginesOnOneDatabase() {
    first = engine(leasesOfFirst, "engine-1");
    second = engine(leases, "engine-2");
    MonitoredPeer.arrange(first.engine().site(), stores);
    first.engine().start();
    second.engine().start();
  }

  @AfterEach
  void closeBoth() {
    first.engine().close();
    second.engine().close();
  }

  private String holderOf(String lease) {
    return leases.find(lease).map(Lease::owner).orElse("nobody");
  }

  @Test
  @DisplayName(
      "exactly one engine heartbeats the monitored peer, every interval, and holds its lease")
  void oneEngineBeats() {
    scheduler.advance(Duration.ofSeconds(60));

    // The first beat at start, then one every 10 s.
    assertThat(first.peers().heartbeats()).isEqualTo(7);
    assertThat(second.peers().heartbeats()).isZero();
    Lease lease = leases.find(MONITOR_LEASE).orElseThrow();
    assertThat(lease.owner()).isEqualTo("engine-1");
    // Renewed every 10 s: it lasts a period beyond the last renewal.
    assertThat(lease.expiresAt()).isEqualTo(scheduler.now().plus(LeaseSettings.DEFAULT_PERIOD));
  }

  @Test
  @DisplayName("closing the engine that beats lets the other take over at its next beat")
  void takeoverAfterClose() {
    scheduler.advance(Duration.ofSeconds(60));
    long beatsBefore = first.peers().heartbeats();
    Instant stopped = scheduler.now();

    first.engine().close();
    Lease released = leases.find(MONITOR_LEASE).orElseThrow();
    assertThat(released.owner()).isEqualTo("engine-1");
    assertThat(released.expiresAt()).isEqualTo(stopped);

    Duration took =
        scheduler.advanceUntil(
            () -> second.peers().heartbeats() > 0, Duration.ofSeconds(1), Duration.ofMinutes(2));

    assertThat(took).isEqualTo(BEAT);
    assertThat(took).isLessThanOrEqualTo(LeaseSettings.DEFAULT_PERIOD);
    assertThat(holderOf(MONITOR_LEASE)).isEqualTo("engine-2");
    scheduler.advance(Duration.ofSeconds(60));
    assertThat(second.peers().heartbeats()).isEqualTo(7);
    assertThat(first.peers().heartbeats()).isEqualTo(beatsBefore);
  }

  @Test
  @DisplayName("an engine that dies without giving its leases up is taken over within one period")
  void takeoverAfterDeath() {
    scheduler.advance(Duration.ofSeconds(60));
    Instant died = scheduler.now();
    Instant expiry = leases.find(MONITOR_LEASE).orElseThrow().expiresAt();

    // Its database connection is gone: it can neither renew nor release.
    leasesOfFirst.down = true;
    first.engine().close();
    assertThat(leases.find(MONITOR_LEASE).orElseThrow().expiresAt()).isEqualTo(expiry);

    Duration took =
        scheduler.advanceUntil(
            () -> second.peers().heartbeats() > 0, Duration.ofSeconds(1), Duration.ofMinutes(2));

    assertThat(took).isEqualTo(LeaseSettings.DEFAULT_PERIOD);
    assertThat(scheduler.now()).isEqualTo(died.plus(LeaseSettings.DEFAULT_PERIOD));
    assertThat(holderOf(MONITOR_LEASE)).isEqualTo("engine-2");
    assertThat(first.peers().heartbeats()).isEqualTo(7);
  }

  @Test
  @DisplayName("the holder keeps the lease while it renews, however long it runs")
  void holderKeepsItsLease() {
    scheduler.advance(Duration.ofMinutes(10));

    assertThat(first.peers().heartbeats()).isEqualTo(61);
    assertThat(second.peers().heartbeats()).isZero();
    assertThat(holderOf(MONITOR_LEASE)).isEqualTo("engine-1");
  }

  @Test
  @DisplayName("an engine refuses a blank lease owner when built")
  void blankOwnerRefused() {
    GeoRedundancy.Builder builder =
        GeoRedundancy.builder(
            stores, LocalSystemIdentity.of(SingleSite.SITE_A), SingleSite.NO_PEERS);

    assertThatThrownBy(() -> builder.lease(leases, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lease owner must not be blank");
  }

  @Nested
  @DisplayName("the availability audit")
  class Availability {

    @BeforeEach
    void aManagedSubcloud() {
      stores
          .subclouds()
          .insert(
              Subcloud.builder()
                  .name("sc1")
                  .regionName("region-sc1")
                  .managementState(ManagementState.MANAGED)
                  .availabilityStatus(AvailabilityStatus.ONLINE)
                  .deployStatus(DeployStatus.COMPLETE)
                  .createdAt(Instant.EPOCH)
                  .build())
          .orElseThrow(r -> new IllegalStateException("arrangement failed: " + r));
    }

    @Test
    @DisplayName("runs on one engine only: one probe per subcloud and interval")
    void oneEngineProbes() {
      Duration interval = GeoredSettings.DEFAULTS.availabilityAuditInterval();

      scheduler.advance(interval.multipliedBy(3));

      assertThat(first.probes().get() + second.probes().get()).isEqualTo(3);
      assertThat(first.probes().get() == 0 || second.probes().get() == 0).isTrue();
      String holder = holderOf("availability");
      assertThat(holder).isEqualTo(first.probes().get() == 3 ? "engine-1" : "engine-2");
    }

    @Test
    @DisplayName("moves to the other engine when its holder closes")
    void movesOnClose() {
      Duration interval = GeoredSettings.DEFAULTS.availabilityAuditInterval();
      scheduler.advance(interval);
      Engine holder = first.probes().get() == 1 ? first : second;
      Engine other = holder == first ? second : first;

      holder.engine().close();
      Duration took =
          scheduler.advanceUntil(
              () -> other.probes().get() > 0, Duration.ofSeconds(1), Duration.ofMinutes(2));

      assertThat(took).isEqualTo(interval);
      assertThat(holder.probes().get()).isEqualTo(1);
    }
  }

  /** The shared lease store as one engine reaches it: it can lose its connection. */
  private static final class SwitchableLeaseStore implements LeaseStore {
    private final LeaseStore delegate;
    volatile boolean down;

    SwitchableLeaseStore(LeaseStore delegate) {
      this.delegate = delegate;
    }

    private void check() {
      if (down) {
        throw new PersistenceException("lease store unreachable", null);
      }
    }

    @Override
    public Optional<Lease> find(String name) {
      check();
      return delegate.find(name);
    }

    @Override
    public StoreResult<Lease> insert(Lease lease) {
      check();
      return delegate.insert(lease);
    }

    @Override
    public StoreResult<Lease> update(Lease lease) {
      check();
      return delegate.update(lease);
    }
  }
}
