package io.geored.core;

import io.geored.core.failover.AvailabilityAudit;
import io.geored.core.failover.Migration;
import io.geored.core.failover.PeerGroupAudit;
import io.geored.core.failover.PeerMonitor;
import io.geored.core.fault.InMemoryAlarms;
import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.PeerScope;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.WitnessPorts;
import io.geored.core.internal.WorkLeases;
import io.geored.core.secret.PlainTextPasswordCipher;
import io.geored.core.service.AssociationService;
import io.geored.core.service.PeerGroupService;
import io.geored.core.service.RestartRecovery;
import io.geored.core.service.SubcloudService;
import io.geored.core.service.SystemPeerService;
import io.geored.core.sync.AssociationRemoval;
import io.geored.core.sync.AssociationSync;
import io.geored.core.sync.SyncVerb;
import io.geored.core.time.EngineScheduler;
import io.geored.core.time.ThreadScheduler;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.event.GeoredEventListener;
import io.geored.spi.fault.Alarms;
import io.geored.spi.lease.LeaseKeeper;
import io.geored.spi.lease.LeaseSettings;
import io.geored.spi.lease.LeaseStore;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.peer.PeerSites;
import io.geored.spi.secret.PasswordCipher;
import io.geored.spi.secret.SysadminPasswords;
import io.geored.spi.store.Stores;
import io.geored.spi.time.Scheduler;
import io.geored.spi.time.Ticker;
import io.geored.spi.witness.LeadershipStore;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessLease;
import io.geored.spi.witness.WitnessSettings;
import io.geored.spi.work.FailoverDecider;
import io.geored.spi.work.RehomeOutcome;
import io.geored.spi.work.SubcloudProbe;
import io.geored.spi.work.SubcloudRehomer;
import io.geored.spi.work.SubcloudStateListener;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * The geo-redundancy engine of one site. Built by {@link #builder}, started by {@link #start()}
 * (restart recovery, then the periodic work), stopped by {@link #close()} (bounded, idempotent).
 * {@link #site()} is the site's {@link io.geored.spi.api.SiteApi}.
 *
 * <pre>{@code
 * GeoRedundancy engine =
 *     GeoRedundancy.builder(stores, LocalSystemIdentity.of(me), peerSites)
 *         .alarms(faultManager)
 *         .build();
 * engine.start();
 * SiteApi site = engine.site();
 * }</pre>
 */
public final class GeoRedundancy implements AutoCloseable {

  private static final Logger LOG = EscapingLogger.of(GeoRedundancy.class);

  private enum State {
    BUILT,
    STARTED,
    CLOSED
  }

  private final SiteContext context;
  private final LocalSite site;
  private final RestartRecovery recovery;
  private final PeerMonitor monitor;
  private final Migration migration;
  private final AvailabilityAudit availability;
  private final ThreadScheduler ownedScheduler;
  private final EngineScheduler scheduler;
  private final AtomicReference<State> state = new AtomicReference<>(State.BUILT);

  private GeoRedundancy(Builder b) {
    this.ownedScheduler =
        b.scheduler == null ? new ThreadScheduler(2, workerThreads(b.settings)) : null;
    this.scheduler = new EngineScheduler(b.scheduler != null ? b.scheduler : ownedScheduler);
    this.context =
        new SiteContext(
            b.stores,
            b.identity,
            b.peerSites,
            this.scheduler,
            b.alarms,
            b.cipher,
            b.stateListener,
            b.events,
            b.rehomer,
            b.probe,
            b.settings,
            leases(b, this.scheduler),
            new WitnessPorts(
                b.witness, b.leadership, b.witnessSettings, b.ticker, b.decider, b.passwords));
    Failover failover = new Failover(context);
    this.monitor = failover.monitor;
    this.migration = failover.migration;
    this.availability = failover.availability;
    this.site =
        new LocalSite(
            b.identity,
            new SystemPeerService(context),
            new PeerGroupService(context),
            new AssociationService(context),
            new SubcloudService(context),
            new PeerScope(context),
            b.verbs != null
                ? b.verbs
                : new EngineVerbs(
                    new SyncVerb(context, new AssociationSync(context)),
                    new AssociationRemoval(context),
                    monitor,
                    migration));
    this.recovery = new RestartRecovery(context);
  }

  /**
   * Workers of the scheduler an engine owns: one per subcloud a sync has in flight (each waits on
   * its peer call) and two more, so that a sync neither runs below its concurrency nor holds up the
   * other background work (migrations, audits, a second sync's start).
   */
  static int workerThreads(GeoredSettings settings) {
    return Math.max(4, settings.syncConcurrency() + 2);
  }

  private static WorkLeases leases(Builder b, Scheduler scheduler) {
    if (b.leaseStore == null) {
      return WorkLeases.always();
    }
    return WorkLeases.shared(
        new LeaseKeeper(b.leaseStore, b.leaseOwner, scheduler.clock(), b.leaseSettings), scheduler);
  }

  private static final class Failover {
    final PeerMonitor monitor;
    final Migration migration;
    final AvailabilityAudit availability;

    Failover(SiteContext context) {
      this.monitor = new PeerMonitor(context, new PeerGroupAudit(context));
      this.migration = new Migration(context);
      this.availability = new AvailabilityAudit(context);
    }
  }

  /**
   * Starts building an engine with its required ports.
   *
   * @param stores the site's stores and transaction boundary
   * @param identity this site's identity
   * @param peerSites opens clients for peer sites
   * @return the builder
   */
  public static Builder builder(Stores stores, LocalSystemIdentity identity, PeerSites peerSites) {
    return new Builder(stores, identity, peerSites);
  }

  /**
   * The site's API, for operators, the host and (through an adapter) peer sites. Usable before
   * {@link #start()}: calls work, but no periodic work runs.
   *
   * @return the site
   */
  public LocalSite site() {
    return site;
  }

  /**
   * The ports and settings the engine runs with (for the parts of the engine built on top).
   *
   * @return the context
   */
  public SiteContext context() {
    return context;
  }

  /**
   * Recovers from an earlier stop (no record stays in a transitory state), then starts the periodic
   * work. Calling it again does nothing.
   *
   * @return what recovery changed
   * @throws IllegalStateException when the engine was closed
   */
  public RestartRecovery.Report start() {
    if (state.get() == State.CLOSED) {
      throw new IllegalStateException("engine is closed");
    }
    if (!state.compareAndSet(State.BUILT, State.STARTED)) {
      return new RestartRecovery.Report(0, 0, 0);
    }
    RestartRecovery.Report report = recovery.recover();
    for (SubcloudPeerGroup closed : recovery.closedGroups()) {
      migration.completeInterrupted(closed);
    }
    context.leases().start();
    context
        .leadership()
        .start(
            (group, password) ->
                migration.request(Caller.OPERATOR, group, new MigrateRequest(password)));
    monitor.start();
    availability.start();
    warnPoliciesWithoutWitness();
    LOG.info("engine started site={}", context.localSystem().uuid());
    return report;
  }

  /**
   * Whether this engine held a peer group's witness lease and the lease's deadline has passed
   * without a renewal (it then acts no more for the group). Always false without a witness.
   *
   * @param peerGroupName the group's name
   * @return true past the deadline of the last lease this engine held for the group
   */
  public boolean pastLeaseDeadline(String peerGroupName) {
    return context.leadership().pastLeaseDeadline(peerGroupName);
  }

  /**
   * The witness lease this engine holds for a peer group and may act on now.
   *
   * @param peerGroupName the group's name
   * @return the lease, or empty (always without a witness)
   */
  public Optional<WitnessLease> leaseOf(String peerGroupName) {
    return context.leadership().leaseOf(peerGroupName);
  }

  /**
   * One WARN line naming the system peers stored with heartbeat failure policy {@code rehome} or
   * {@code delegate} on a site with no witness (stored before that was refused, e.g. by an earlier
   * version): without a witness they act as {@code alarm}.
   */
  private void warnPoliciesWithoutWitness() {
    if (context.witnessPorts().configured().isPresent()) {
      return;
    }
    List<String> peers =
        context.stores().systemPeers().findAll().stream()
            .filter(
                p ->
                    p.heartbeatFailurePolicy() != null
                        && p.heartbeatFailurePolicy() != HeartbeatFailurePolicy.ALARM)
            .map(p -> p.peerName() + " (" + p.heartbeatFailurePolicy().wire() + ")")
            .toList();
    if (!peers.isEmpty()) {
      LOG.warn(
          "no witness is configured, so system peers with heartbeat failure policy rehome or"
              + " delegate act as alarm peers={}",
          peers);
    }
  }

  /**
   * Whether {@link #start()} ran and {@link #close()} did not.
   *
   * @return true while running
   */
  public boolean isRunning() {
    return state.get() == State.STARTED;
  }

  /**
   * Cancels the work the engine scheduled and has not run (also on a scheduler the host shares),
   * and, when the engine created its own threads, stops them within the configured shutdown
   * timeout. Work already running finishes. Idempotent.
   */
  @Override
  public void close() {
    if (state.getAndSet(State.CLOSED) == State.CLOSED) {
      return;
    }
    monitor.stop();
    availability.stop();
    context.leadership().stop();
    // Before the scheduler stops: another engine takes the leases over at once, not on expiry.
    context.leases().stop();
    scheduler.close();
    if (ownedScheduler != null) {
      boolean clean = ownedScheduler.shutdown(context.settings().shutdownTimeout());
      if (!clean) {
        LOG.warn(
            "engine threads did not stop in time timeout={}", context.settings().shutdownTimeout());
      }
    }
    LOG.info("engine closed site={}", context.localSystem().uuid());
  }

  /** Builds a {@link GeoRedundancy}: required ports up front, optional ones with defaults. */
  public static final class Builder {
    private final Stores stores;
    private final LocalSystemIdentity identity;
    private final PeerSites peerSites;
    private Scheduler scheduler;
    private Alarms alarms = new InMemoryAlarms();
    private PasswordCipher cipher;
    private SubcloudStateListener stateListener = SubcloudStateListener.NONE;
    private GeoredEventListener events = GeoredEventListener.NONE;
    private SubcloudRehomer rehomer =
        (subcloud, data, password) ->
            CompletableFuture.completedFuture(
                new RehomeOutcome.Failed("no SubcloudRehomer configured"));
    private SubcloudProbe probe =
        subcloud -> CompletableFuture.completedFuture(subcloud.availabilityStatus());
    private GeoredSettings settings = GeoredSettings.DEFAULTS;
    private SiteVerbs verbs;
    private LeaseStore leaseStore;
    private String leaseOwner;
    private LeaseSettings leaseSettings = LeaseSettings.DEFAULTS;
    private Witness witness;
    private LeadershipStore leadership;
    private WitnessSettings witnessSettings = WitnessSettings.DEFAULTS;
    private Ticker ticker = Ticker.system();
    private FailoverDecider decider = FailoverDecider.ALARM_ONLY;
    private SysadminPasswords passwords = SysadminPasswords.NONE;

    private Builder(Stores stores, LocalSystemIdentity identity, PeerSites peerSites) {
      this.stores = Objects.requireNonNull(stores, "stores");
      this.identity = Objects.requireNonNull(identity, "identity");
      this.peerSites = Objects.requireNonNull(peerSites, "peerSites");
    }

    /**
     * Time and background work. Default: a {@link ThreadScheduler} on the system clock, owned and
     * stopped by the engine, with two timer threads and a worker for each subcloud a sync has in
     * flight ({@link GeoredSettings#syncConcurrency()}) plus two. A scheduler handed in is only
     * used, never stopped; it should run at least as many tasks at once as the sync concurrency.
     *
     * @param value the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /**
     * The fault manager. Default: {@link InMemoryAlarms}, which logs.
     *
     * @param value the alarms port
     * @return this builder
     */
    public Builder alarms(Alarms value) {
      this.alarms = Objects.requireNonNull(value, "alarms");
      return this;
    }

    /**
     * The cipher for stored peer passwords. Default: none (stored as given), with a warning at
     * build time.
     *
     * @param value the cipher
     * @return this builder
     */
    public Builder passwordCipher(PasswordCipher value) {
      this.cipher = Objects.requireNonNull(value, "passwordCipher");
      return this;
    }

    /**
     * Hears management and availability changes. Default: does nothing.
     *
     * @param value the listener
     * @return this builder
     */
    public Builder stateListener(SubcloudStateListener value) {
      this.stateListener = Objects.requireNonNull(value, "stateListener");
      return this;
    }

    /**
     * Hears every state change and the progress of long operations. Default: nothing.
     *
     * @param value the listener
     * @return this builder
     */
    public Builder eventListener(GeoredEventListener value) {
      this.events = Objects.requireNonNull(value, "eventListener");
      return this;
    }

    /**
     * Rehomes one subcloud during a migration. Default: fails every rehome with "no SubcloudRehomer
     * configured".
     *
     * @param value the rehomer
     * @return this builder
     */
    public Builder rehomer(SubcloudRehomer value) {
      this.rehomer = Objects.requireNonNull(value, "rehomer");
      return this;
    }

    /**
     * Probes one subcloud for the availability audit. Default: answers the stored availability.
     *
     * @param value the probe
     * @return this builder
     */
    public Builder probe(SubcloudProbe value) {
      this.probe = Objects.requireNonNull(value, "probe");
      return this;
    }

    /**
     * Tunables. Default: {@link GeoredSettings#DEFAULTS}.
     *
     * @param value the settings
     * @return this builder
     */
    public Builder settings(GeoredSettings value) {
      this.settings = Objects.requireNonNull(value, "settings");
      return this;
    }

    /**
     * The sync, migrate and audit verbs. Default: this version's own.
     *
     * @param value the verbs
     * @return this builder
     */
    public Builder verbs(SiteVerbs value) {
      this.verbs = Objects.requireNonNull(value, "verbs");
      return this;
    }

    /**
     * Shares the work that must happen once (each peer's heartbeat and audits, each group's
     * migration batch, the availability audit) with the other engines on the same database: an
     * engine runs such work only while it holds its lease. Default: none, for one engine per
     * database, which then runs all of it.
     *
     * @param store the leases, shared by the engines (e.g. on their common database)
     * @param owner this engine's name, unique among them (e.g. host name and process id)
     * @return this builder
     */
    public Builder lease(LeaseStore store, String owner) {
      return lease(store, owner, LeaseSettings.DEFAULTS);
    }

    /**
     * As {@link #lease(LeaseStore, String)}, with a lease period and renewal interval other than
     * the defaults (30 s, renewed every 10 s). Another engine takes a lease over within one period
     * of its holder dying, at once when the holder is closed.
     *
     * @param store the leases, shared by the engines
     * @param owner this engine's name, unique among them
     * @param settings the lease period and renewal interval
     * @return this builder
     */
    public Builder lease(LeaseStore store, String owner, LeaseSettings settings) {
      Objects.requireNonNull(owner, "owner");
      if (owner.isBlank()) {
        throw new IllegalArgumentException("lease owner must not be blank");
      }
      this.leaseStore = Objects.requireNonNull(store, "leaseStore");
      this.leaseOwner = owner;
      this.leaseSettings = Objects.requireNonNull(settings, "leaseSettings");
      return this;
    }

    /**
     * Turns on automatic failover arbitrated by a witness: this site then leads a peer group only
     * while it holds the group's witness lease, fences itself when it loses it, and heartbeat
     * failure policies {@code rehome} and {@code delegate} take groups over by themselves. Default:
     * no witness, and the engine behaves as a site without automatic failover.
     *
     * @param value this site's witness client (made for this site's uuid)
     * @param store what this site remembers about leading (newest epochs seen, fence marks), in the
     *     site's own database
     * @return this builder
     */
    public Builder witness(Witness value, LeadershipStore store) {
      this.witness = Objects.requireNonNull(value, "witness");
      this.leadership = Objects.requireNonNull(store, "leadershipStore");
      return this;
    }

    /**
     * The witness timing: TTL, renewal interval and fence margin (see docs/adr/0027). Must match
     * the TTL the witness client was made with: {@link #build()} refuses a difference. Default:
     * {@link WitnessSettings#DEFAULTS}.
     *
     * @param value the timing
     * @return this builder
     */
    public Builder witnessSettings(WitnessSettings value) {
      this.witnessSettings = Objects.requireNonNull(value, "witnessSettings");
      return this;
    }

    /**
     * This site's monotonic clock, on which witness lease deadlines are measured. Default: {@link
     * Ticker#system()}; tests and simulations give a virtual one.
     *
     * @param value the ticker
     * @return this builder
     */
    public Builder ticker(Ticker value) {
      this.ticker = Objects.requireNonNull(value, "ticker");
      return this;
    }

    /**
     * Decides automatic failovers under heartbeat failure policy {@code delegate}. Default: {@link
     * FailoverDecider#ALARM_ONLY}.
     *
     * @param value the decider
     * @return this builder
     */
    public Builder failoverDecider(FailoverDecider value) {
      this.decider = Objects.requireNonNull(value, "failoverDecider");
      return this;
    }

    /**
     * The sysadmin passwords automatic migrations use. Default: {@link SysadminPasswords#NONE}, so
     * no automatic migration starts (the alarm stays raised for an operator).
     *
     * @param value the passwords
     * @return this builder
     */
    public Builder sysadminPasswords(SysadminPasswords value) {
      this.passwords = Objects.requireNonNull(value, "sysadminPasswords");
      return this;
    }

    /**
     * Checks the configuration and builds the engine; logs one configuration line.
     *
     * @return the engine, not started
     * @throws IllegalStateException when the witness settings' TTL differs from the witness
     *     client's
     */
    public GeoRedundancy build() {
      LocalSystem me = Objects.requireNonNull(identity.localSystem(), "identity.localSystem()");
      if (witness != null && !witness.ttl().equals(witnessSettings.ttl())) {
        // Deadlines and fence times are computed from the settings, expiry at the witness from
        // the client's TTL: if they differ, the fencing argument does not hold.
        throw new IllegalStateException(
            "witnessSettings ttl "
                + witnessSettings.ttl()
                + " differs from the witness client's ttl "
                + witness.ttl()
                + "; give both the same TTL");
      }
      if (cipher == null) {
        LOG.warn("no password cipher configured: peer passwords are stored as given");
        cipher = new PlainTextPasswordCipher();
      }
      LOG.info(
          "engine built site_uuid={} site_name={} scheduler={} alarms={} sync_concurrency={}"
              + " cas_retries={} lease_owner={}",
          me.uuid(),
          me.name(),
          scheduler == null ? "threads(owned)" : scheduler.getClass().getSimpleName(),
          alarms.getClass().getSimpleName(),
          settings.syncConcurrency(),
          settings.casRetries(),
          leaseStore == null ? "none(single engine)" : leaseOwner);
      return new GeoRedundancy(this);
    }
  }
}
