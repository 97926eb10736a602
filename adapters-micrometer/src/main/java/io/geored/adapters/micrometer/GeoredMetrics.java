package io.geored.adapters.micrometer;

import io.geored.spi.event.GeoredEventListener;
import io.geored.spi.fault.Alarms;
import io.geored.spi.lease.Lease;
import io.geored.spi.lease.LeaseStore;
import io.geored.spi.peer.PeerSites;
import io.geored.spi.store.Stores;
import io.geored.spi.work.SubcloudRehomer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds one geored engine to a Micrometer {@link MeterRegistry}. It does not touch the engine: it
 * gives the host decorated ports and an event listener to hand to the engine's builder, and
 * registers gauges that read the stores. Each piece is optional; a meter whose piece is not wired
 * in does not appear. docs/metrics.md lists every meter.
 *
 * <pre>{@code
 * GeoredMetrics metrics = GeoredMetrics.builder(registry, stores).build();
 * GeoRedundancy engine =
 *     GeoRedundancy.builder(metrics.stores(), LocalSystemIdentity.of(me), metrics.peerSites(peers))
 *         .alarms(metrics.alarms(faultManager))
 *         .rehomer(metrics.rehomer(rehomer))
 *         .lease(metrics.leaseStore(leaseStore, owner), owner)
 *         .eventListener(metrics.eventListener(hostListener))
 *         .build();
 * }</pre>
 *
 * <p>One instance per engine (its stores, its registry). Thread-safe. Tags carry only bounded
 * values (peer names, group names, association ids, statuses, call and store operation names),
 * never a subcloud's name or a secret.
 */
public final class GeoredMetrics {

  private final MeterRegistry registry;
  private final Stores raw;
  private final Clock clock;
  private final StoreGauges gauges;
  private final MeteredStores storeMeters;
  private final Stores metered;

  private GeoredMetrics(Builder b) {
    this.registry = b.registry;
    this.raw = b.stores;
    this.clock = b.clock;
    this.gauges = new StoreGauges(registry, raw);
    this.storeMeters = new MeteredStores(registry);
    this.metered = storeMeters.wrap(raw, gauges);
    gauges.scan();
  }

  /**
   * Starts binding an engine.
   *
   * @param registry where the meters go
   * @param stores the engine's stores, undecorated: the gauges read them
   * @return the builder
   */
  public static Builder builder(MeterRegistry registry, Stores stores) {
    return new Builder(registry, stores);
  }

  /**
   * The stores to hand to the engine's builder: every operation timed, every compare-and-set
   * conflict counted, and what they read or write keeps the gauges' series up to date.
   *
   * @return the decorated stores, the same instance on every call
   */
  public Stores stores() {
    return metered;
  }

  /**
   * Decorates the peer-sites port: calls, heartbeats, heartbeat latency and misses per peer.
   *
   * @param peerSites the host's peer sites (e.g. the HTTP client)
   * @return the port to hand to the engine's builder
   */
  public PeerSites peerSites(PeerSites peerSites) {
    return new MeteredPeerSites(Objects.requireNonNull(peerSites, "peerSites"), registry);
  }

  /**
   * Decorates the fault manager: a gauge of the raised alarms per alarm id.
   *
   * @param alarms the host's fault manager
   * @return the port to hand to the engine's builder
   */
  public Alarms alarms(Alarms alarms) {
    return new MeteredAlarms(Objects.requireNonNull(alarms, "alarms"), registry);
  }

  /**
   * Decorates the host's rehomer: rehomes per peer group, by outcome.
   *
   * @param rehomer the host's rehomer
   * @return the rehomer to hand to the engine's builder
   */
  public SubcloudRehomer rehomer(SubcloudRehomer rehomer) {
    return new MeteredRehomer(Objects.requireNonNull(rehomer, "rehomer"), registry, gauges);
  }

  /**
   * Decorates the shared lease store: its operations are timed like the other stores, and a gauge
   * counts the leases held by {@code owner} now (by the builder's clock), among those this engine
   * has asked for.
   *
   * @param leases the lease store the engines share
   * @param owner this engine's lease owner name, as given to the engine's builder
   * @return the store to hand to the engine's builder
   */
  public LeaseStore leaseStore(LeaseStore leases, String owner) {
    Objects.requireNonNull(leases, "leases");
    Objects.requireNonNull(owner, "owner");
    Set<String> names = ConcurrentHashMap.newKeySet();
    Gauge.builder(
            MeterNames.LEASES_HELD,
            () ->
                names.stream()
                    .map(leases::find)
                    .flatMap(Optional::stream)
                    .filter(l -> l.owner().equals(owner) && l.isActiveAt(clock.instant()))
                    .count())
        .description("work leases this engine holds")
        .strongReference(true)
        .register(registry);
    return storeMeters.wrap(
        leases,
        (method, result) -> {
          if (result instanceof Optional<?> found && found.orElse(null) instanceof Lease lease) {
            names.add(lease.name());
          } else if (result instanceof io.geored.spi.store.StoreResult.Saved<?> saved
              && saved.value() instanceof Lease lease) {
            names.add(lease.name());
          }
        });
  }

  /**
   * The event listener to hand to the engine's builder: syncs and migrations.
   *
   * @return the listener
   */
  public GeoredEventListener eventListener() {
    return eventListener(GeoredEventListener.NONE);
  }

  /**
   * As {@link #eventListener()}, handing each event on to the host's own listener afterwards.
   *
   * @param next the host's listener
   * @return the listener
   */
  public GeoredEventListener eventListener(GeoredEventListener next) {
    return new MetricsListener(registry, raw, gauges, Objects.requireNonNull(next, "next"));
  }

  /** Builds a {@link GeoredMetrics}. */
  public static final class Builder {
    private final MeterRegistry registry;
    private final Stores stores;
    private Clock clock = Clock.systemUTC();

    private Builder(MeterRegistry registry, Stores stores) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.stores = Objects.requireNonNull(stores, "stores");
    }

    /**
     * The clock lease expiries are compared with: the engine's (its scheduler's). Default: the
     * system clock. Timers measure with the registry's own clock; syncs and migrations with the
     * instants of the engine's events.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Registers the store gauges for the records stored now.
     *
     * @return the bound metrics
     */
    public GeoredMetrics build() {
      return new GeoredMetrics(this);
    }
  }
}
