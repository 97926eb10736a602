package io.geored.testkit.sim;

import io.geored.core.GeoRedundancy;
import io.geored.core.GeoredSettings;
import io.geored.core.fault.InMemoryAlarms;
import io.geored.core.secret.PlainTextPasswordCipher;
import io.geored.core.service.RestartRecovery;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.fault.Alarms;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.time.Ticker;
import io.geored.spi.witness.WitnessSettings;
import io.geored.spi.work.SubcloudProbe;
import io.geored.spi.work.SubcloudRehomer;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.SiteScheduler;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.witness.InMemoryLeadershipStore;
import io.geored.testkit.witness.InMemoryWitness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two or three real sites in one JVM: each with its own in-memory stores, engine, alarms, rehomer
 * and probe, all on one {@link VirtualScheduler} (one global virtual time), talking through one
 * {@link SimNetwork}. Each site sees that time through its own {@link SiteScheduler}: its own clock
 * and ticker at its own rate ({@link Builder#clockRates}, 1.0 by default), and a pause switch
 * ({@link #pause}) that stands it still as a GC or VM stall would. Every scenario is deterministic:
 * time moves only by {@link #advance(Duration)} and work runs only in {@link #advance(Duration)}
 * and {@link #runUntilIdle()}, every site's timers in global time order.
 *
 * <pre>{@code
 * try (SimHarness sites = SimHarness.twoSites()) {
 *   sites.pair(sites.a(), sites.b());
 *   sites.start();
 *   sites.network().down(SimHarness.SITE_B);
 *   sites.advance(Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * The sites are site-a, site-b and site-c with fixed uuids ({@link #SITE_A}, {@link #SITE_B},
 * {@link #SITE_C}), at {@code http://site-x.sim/v1.0}, with gateway addresses {@code 10.10.x.1}.
 * Engines are built at once (their APIs answer before {@link #start()}) and store peer passwords as
 * given. Not meant for concurrent use by several test threads; the sites themselves are
 * thread-safe.
 */
public final class SimHarness implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimHarness.class);

  /** The first site's identity (the one {@link SingleSite} uses too). */
  public static final LocalSystem SITE_A = SingleSite.SITE_A;

  /** The second site's identity. */
  public static final LocalSystem SITE_B =
      new LocalSystem("bbbbbbbb-0000-4000-8000-000000000002", "site-b");

  /** The third site's identity. */
  public static final LocalSystem SITE_C =
      new LocalSystem("cccccccc-0000-4000-8000-000000000003", "site-c");

  /** The user name every site knows its peers' managers by. */
  public static final String PEER_USERNAME = "admin";

  /** The password every site stores for its peers' managers. */
  public static final String PEER_PASSWORD = "Sim-Peer-Passw0rd";

  private static final List<LocalSystem> IDENTITIES = List.of(SITE_A, SITE_B, SITE_C);

  private final VirtualScheduler scheduler;
  private final SimNetwork network;
  private final GeoredSettings settings;
  private final BiFunction<LocalSystem, GeoRedundancy.Builder, GeoRedundancy.Builder> customize;
  private final List<SimSite> sites;
  private final WitnessSettings witnessSettings;
  private final InMemoryWitness witness;
  private final Map<String, InMemoryLeadershipStore> leadership = new TreeMap<>();
  private boolean closed;

  private SimHarness(Builder b) {
    this.scheduler = b.scheduler != null ? b.scheduler : new VirtualScheduler();
    this.network = new SimNetwork(scheduler);
    this.settings = b.settings;
    this.customize = b.customize;
    this.witnessSettings = b.witnessSettings;
    this.witness =
        b.witnessSettings == null
            ? null
            : new InMemoryWitness(
                new SiteScheduler(this.scheduler, b.witnessClockRate).ticker(),
                b.witnessSettings.ttl());
    if (b.clockRates != null && b.clockRates.length != b.sites) {
      throw new IllegalArgumentException(
          "clock rates for " + b.clockRates.length + " sites, the harness has " + b.sites);
    }
    List<SimSite> built = new ArrayList<>();
    for (int i = 0; i < b.sites; i++) {
      LocalSystem system = IDENTITIES.get(i);
      SimSite site =
          new SimSite(
              system,
              "http://" + system.name() + ".sim/v1.0",
              "10.10." + (i + 1) + ".1",
              InMemoryStores.create(),
              Objects.requireNonNull(b.alarms.apply(system), "alarms for " + system.name()),
              b.rehomer == null ? null : b.rehomer.apply(system),
              b.probe == null ? null : b.probe.apply(system),
              new SiteScheduler(this.scheduler, b.clockRates == null ? 1.0 : b.clockRates[i]));
      network.register(system, site.endpoint());
      network.inbox(system, site.scheduler());
      built.add(site);
    }
    this.sites = List.copyOf(built);
    for (SimSite site : sites) {
      site.running(newEngine(site));
    }
    LOG.info("sim harness built sites={}", sites.size());
  }

  /**
   * Sites site-a and site-b with every default.
   *
   * @return the harness, engines built but not started
   */
  public static SimHarness twoSites() {
    return builder().build();
  }

  /**
   * Sites site-a, site-b and site-c with every default.
   *
   * @return the harness, engines built but not started
   */
  public static SimHarness threeSites() {
    return builder().sites(3).build();
  }

  /**
   * A builder, to choose the number of sites and plug in alarms, rehomers, probes or settings.
   *
   * @return a builder for two sites with defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ sites

  /**
   * site-a.
   *
   * @return the site
   */
  public SimSite a() {
    return site(0);
  }

  /**
   * site-b.
   *
   * @return the site
   */
  public SimSite b() {
    return site(1);
  }

  /**
   * site-c.
   *
   * @return the site
   * @throws IllegalStateException when the harness has two sites
   */
  public SimSite c() {
    return site(2);
  }

  /**
   * Every site, a first.
   *
   * @return the sites
   */
  public List<SimSite> sites() {
    return sites;
  }

  private SimSite site(int index) {
    if (index >= sites.size()) {
      throw new IllegalStateException(
          "the harness has " + sites.size() + " sites, no " + IDENTITIES.get(index).name());
    }
    return sites.get(index);
  }

  /**
   * The network between the sites, to inject faults and count calls.
   *
   * @return the network
   */
  public SimNetwork network() {
    return network;
  }

  /**
   * The scheduler (and clock) every site runs on.
   *
   * @return the scheduler
   */
  public VirtualScheduler scheduler() {
    return scheduler;
  }

  /**
   * The witness every site talks to, when the harness was built with one.
   *
   * @return the witness
   * @throws IllegalStateException when the harness has no witness
   */
  public InMemoryWitness witness() {
    if (witness == null) {
      throw new IllegalStateException("the harness was built without a witness");
    }
    return witness;
  }

  /**
   * A site's leadership store (its newest epochs seen and fence marks), kept across restarts as its
   * database would keep it.
   *
   * @param site the site
   * @return the store
   * @throws IllegalStateException when the harness has no witness
   */
  public InMemoryLeadershipStore leadership(SimSite site) {
    requireMine(site);
    if (witness == null) {
      throw new IllegalStateException("the harness was built without a witness");
    }
    return leadership.get(site.uuid());
  }

  /**
   * The shared virtual time.
   *
   * @return now
   */
  public Instant now() {
    return scheduler.now();
  }

  // ------------------------------------------------------------------ life cycle

  /** Starts the engine of every site that is not stopped: restart recovery, periodic work. */
  public void start() {
    requireOpen();
    for (SimSite site : sites) {
      if (!site.isStopped()) {
        site.engine().start();
      }
    }
  }

  /**
   * Stops a site as a crash or shutdown would: its engine is closed, it drops off the network
   * (calls to and from it fail as unreachable, its old clients stay cut off), its stores are kept.
   * Idempotent.
   *
   * @param site the site
   */
  public void stop(SimSite site) {
    requireOpen();
    requireMine(site);
    if (site.isStopped()) {
      return;
    }
    network.detach(site.system());
    site.engine().close();
    site.stopped();
    // A crash ends a stall: the next engine is a new process.
    network.resume(site.system());
    site.scheduler().resume();
    LOG.info("sim site stopped site={}", site.name());
  }

  /**
   * Starts a new engine for a site on the same stores, alarms, rehomer and probe, puts it back on
   * the network and starts it, so restart recovery runs. A running site is stopped first.
   *
   * @param site the site
   * @return what restart recovery changed
   */
  public RestartRecovery.Report restart(SimSite site) {
    requireOpen();
    requireMine(site);
    stop(site);
    GeoRedundancy engine = newEngine(site);
    site.running(engine);
    RestartRecovery.Report report = engine.start();
    LOG.info("sim site restarted site={}", site.name());
    return report;
  }

  /**
   * Stands a site still, as a long GC or VM stall does: its clock keeps going, none of its tasks
   * runs (those that come due wait), and calls to it get no answer in time — their callers time out
   * and the requests wait for it too. Idempotent.
   *
   * @param site the site
   */
  public void pause(SimSite site) {
    requireOpen();
    requireMine(site);
    site.scheduler().pause();
    network.pause(site.system());
    LOG.info("sim site paused site={}", site.name());
  }

  /**
   * Lets a paused site run again: what came due while it stood still runs now, late, in the order
   * it came due, then the requests that waited for it. Idempotent.
   *
   * @param site the site
   */
  public void resume(SimSite site) {
    requireOpen();
    requireMine(site);
    network.resume(site.system());
    site.scheduler().resume();
    LOG.info("sim site resumed site={}", site.name());
  }

  /**
   * Moves the shared clock forward, running every site's work at its due time.
   *
   * @param duration how far
   * @return how many tasks ran
   */
  public int advance(Duration duration) {
    return scheduler.advance(duration);
  }

  /**
   * Runs every site's work due now, and what it schedules for now, without moving the clock.
   *
   * @return how many tasks ran
   */
  public int runUntilIdle() {
    return scheduler.runUntilIdle();
  }

  /** Closes every engine and takes every site off the network. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (SimSite site : sites) {
      if (!site.isStopped()) {
        network.detach(site.system());
        site.engine().close();
        site.stopped();
      }
    }
    LOG.info("sim harness closed");
  }

  private GeoRedundancy newEngine(SimSite site) {
    GeoRedundancy.Builder builder =
        GeoRedundancy.builder(
                site.stores(),
                LocalSystemIdentity.of(site.system()),
                network.peerSitesFor(site.system()))
            .scheduler(site.scheduler())
            .settings(settings)
            .alarms(site.alarms())
            .passwordCipher(new PlainTextPasswordCipher());
    if (site.rehomer() != null) {
      builder.rehomer(site.rehomer());
    }
    if (site.probe() != null) {
      builder.probe(site.probe());
    }
    if (witness != null) {
      InMemoryLeadershipStore store =
          leadership.computeIfAbsent(site.uuid(), uuid -> new InMemoryLeadershipStore());
      Ticker ticker = site.scheduler().ticker();
      builder
          .witness(witness.client(site.uuid(), ticker), store)
          .witnessSettings(witnessSettings)
          .ticker(ticker);
    }
    GeoRedundancy engine = customize.apply(site.system(), builder).build();
    network.attach(site.system(), engine.site());
    return engine;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the harness is closed");
    }
  }

  private void requireMine(SimSite site) {
    if (!sites.contains(site)) {
      throw new IllegalArgumentException("not a site of this harness: " + site);
    }
  }

  // ------------------------------------------------------------------ arranging peers

  /**
   * Has an operator of one site create the other as a system peer, with its uuid, name, endpoint,
   * {@link #PEER_USERNAME}, {@link #PEER_PASSWORD} and gateway address; defaults for the rest.
   *
   * @param on the site that learns of the peer
   * @param peer the peer site
   * @return the created system peer, as the site answered it
   */
  public SystemPeer addSystemPeer(SimSite on, SimSite peer) {
    return addSystemPeer(on, peer, b -> b);
  }

  /**
   * Like {@link #addSystemPeer(SimSite, SimSite)}, with changes to the request (heartbeat settings,
   * a wrong endpoint, ...).
   *
   * @param on the site that learns of the peer
   * @param peer the peer site
   * @param change changes to the request
   * @return the created system peer, as the site answered it
   */
  public SystemPeer addSystemPeer(
      SimSite on, SimSite peer, UnaryOperator<SystemPeerCreate.Builder> change) {
    requireMine(on);
    requireMine(peer);
    return on.api().createSystemPeer(Caller.OPERATOR, change.apply(systemPeerOf(peer)).build());
  }

  /**
   * Makes two sites know each other as system peers (the first step of every geo-redundant set-up).
   *
   * @param x one site
   * @param y the other
   */
  public void pair(SimSite x, SimSite y) {
    addSystemPeer(x, y);
    addSystemPeer(y, x);
  }

  /**
   * The request {@link #addSystemPeer(SimSite, SimSite)} sends for a peer site.
   *
   * @param peer the peer site
   * @return a builder with uuid, name, endpoint, user name, password and gateway address set
   */
  public static SystemPeerCreate.Builder systemPeerOf(SimSite peer) {
    return SystemPeerCreate.builder()
        .peerUuid(peer.uuid())
        .peerName(peer.name())
        .managerEndpoint(peer.endpoint())
        .managerUsername(PEER_USERNAME)
        .managerPassword(PEER_PASSWORD)
        .peerControllerGatewayAddress(peer.gatewayAddress());
  }

  /**
   * The client one site's engine opens for the system peer it stores for another site: calls go
   * through the network from {@code from}, to the endpoint that system peer names.
   *
   * @param from the calling site
   * @param to the site called
   * @return the client
   * @throws IllegalStateException when {@code from} has no system peer with {@code to}'s uuid
   */
  public SiteApi peerClient(SimSite from, SimSite to) {
    requireMine(from);
    requireMine(to);
    SystemPeer peer =
        from.stores()
            .systemPeers()
            .findByUuid(to.uuid())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        from.name() + " has no system peer for " + to.name()));
    return from.engine().context().peerSites().clientFor(peer);
  }

  // ------------------------------------------------------------------ builder

  /** Chooses the sites of a {@link SimHarness} and what each one is built with. */
  public static final class Builder {
    private int sites = 2;
    private VirtualScheduler scheduler;
    private GeoredSettings settings = GeoredSettings.DEFAULTS;
    private Function<LocalSystem, ? extends Alarms> alarms = system -> new InMemoryAlarms();
    private Function<LocalSystem, ? extends SubcloudRehomer> rehomer;
    private Function<LocalSystem, ? extends SubcloudProbe> probe;
    private BiFunction<LocalSystem, GeoRedundancy.Builder, GeoRedundancy.Builder> customize =
        (system, b) -> b;
    private WitnessSettings witnessSettings;
    private double[] clockRates;
    private double witnessClockRate = 1.0;

    private Builder() {}

    /**
     * Each site's clock rate against the harness's global time, site-a first: a site's clock, its
     * ticker (lease deadlines) and the delays it schedules run at its rate (see {@link
     * SiteScheduler}). The fencing argument holds for rates within 1 ± 0.001; other rates (up to
     * the range {@link SiteScheduler} takes) let a test show what breaks beyond it. Default 1.0
     * each.
     *
     * @param rates one rate per site
     * @return this builder
     */
    public Builder clockRates(double... rates) {
      this.clockRates = rates.clone();
      return this;
    }

    /**
     * The witness's clock rate against global time: it judges lease expiry on that clock. Default
     * 1.0.
     *
     * @param rate the rate
     * @return this builder
     */
    public Builder witnessClockRate(double rate) {
      this.witnessClockRate = rate;
      return this;
    }

    /**
     * Gives the sites a witness: one {@link InMemoryWitness} judging expiry on the harness's clock,
     * a client per site on the site's ticker, and a leadership store per site that its restarts
     * keep. Default: no witness, the sites run without automatic failover.
     *
     * @param value the witness timing every site uses (its TTL is the witness's)
     * @return this builder
     */
    public Builder witness(WitnessSettings value) {
      this.witnessSettings = Objects.requireNonNull(value, "witnessSettings");
      return this;
    }

    /**
     * How many sites: 2 (site-a, site-b) or 3 (and site-c). Default 2.
     *
     * @param count 2 or 3
     * @return this builder
     */
    public Builder sites(int count) {
      if (count < 2 || count > IDENTITIES.size()) {
        throw new IllegalArgumentException("a harness has 2 or 3 sites: " + count);
      }
      this.sites = count;
      return this;
    }

    /**
     * The scheduler to share, e.g. one whose clock starts at another instant, or one whose waits
     * overlap ({@link VirtualScheduler#overlappingWaits()}) so that the network's delays of calls
     * in flight at once overlap. Default: a new {@link VirtualScheduler}.
     *
     * @param value the scheduler
     * @return this builder
     */
    public Builder scheduler(VirtualScheduler value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /**
     * Settings of every engine. Default {@link GeoredSettings#DEFAULTS}.
     *
     * @param value the settings
     * @return this builder
     */
    public Builder settings(GeoredSettings value) {
      this.settings = Objects.requireNonNull(value, "settings");
      return this;
    }

    /**
     * Makes each site's fault manager, once per site (restarts keep it). Default: a new {@link
     * InMemoryAlarms}.
     *
     * @param factory gives the alarms of a site
     * @return this builder
     */
    public Builder alarms(Function<LocalSystem, ? extends Alarms> factory) {
      this.alarms = Objects.requireNonNull(factory, "alarms");
      return this;
    }

    /**
     * Makes each site's rehomer, once per site (restarts keep it). Default: the engine's, which
     * fails every rehome.
     *
     * @param factory gives the rehomer of a site
     * @return this builder
     */
    public Builder rehomer(Function<LocalSystem, ? extends SubcloudRehomer> factory) {
      this.rehomer = Objects.requireNonNull(factory, "rehomer");
      return this;
    }

    /**
     * Makes each site's subcloud probe, once per site (restarts keep it). Default: the engine's,
     * which answers the stored availability.
     *
     * @param factory gives the probe of a site
     * @return this builder
     */
    public Builder probe(Function<LocalSystem, ? extends SubcloudProbe> factory) {
      this.probe = Objects.requireNonNull(factory, "probe");
      return this;
    }

    /**
     * Changes each engine's builder (listeners, verbs, ...), applied to every engine a site gets,
     * restarts included. Applied last: it may replace what the harness set.
     *
     * @param change given the site and its engine builder, returns the builder to build
     * @return this builder
     */
    public Builder customize(
        BiFunction<LocalSystem, GeoRedundancy.Builder, GeoRedundancy.Builder> change) {
      this.customize = Objects.requireNonNull(change, "customize");
      return this;
    }

    /**
     * Builds the sites and their engines (not started) and puts them on the network.
     *
     * @return the harness
     */
    public SimHarness build() {
      return new SimHarness(this);
    }
  }
}
