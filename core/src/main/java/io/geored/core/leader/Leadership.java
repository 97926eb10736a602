package io.geored.core.leader;

import io.geored.core.failover.MigrationTexts;
import io.geored.core.internal.Cas;
import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.Lookups;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.core.internal.WitnessPorts;
import io.geored.spi.ConflictException;
import io.geored.spi.GeoredException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.SubcloudStore;
import io.geored.spi.time.Cancellable;
import io.geored.spi.witness.Candidate;
import io.geored.spi.witness.Epoch;
import io.geored.spi.witness.FencedGroup;
import io.geored.spi.witness.LeadershipStore;
import io.geored.spi.witness.LeaseOutcome;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessLease;
import io.geored.spi.witness.WitnessUnavailableException;
import io.geored.spi.work.FailoverDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * The witness rules of one engine (docs/adr/0027): which peer groups this site leads, their witness
 * leases, fencing, the epoch of peer writes, candidates and the automatic takeover of policies
 * {@code rehome} and {@code delegate}. Without a witness every check passes and nothing runs, so
 * the engine behaves as a site without automatic failover.
 *
 * <p><b>Leads.</b> This site leads a group when its copy names this site as the group's leader
 * ({@code system_leader_id}): the primary that created it, or the site that last migrated it here.
 * A group it leads is acted for (members managed, peers written to, migrated) only while this
 * engine holds the group's lease and {@link WitnessLease#usableAt} is true.
 *
 * <p>Runs on the engine's scheduler: every renewal interval a tick keeps this site live at the
 * witness, registers its candidates, renews or takes the leases of the groups it leads, fences the
 * ones it cannot keep, follows groups another site leads with a newer epoch and starts automatic
 * takeovers. Time comes from the {@link io.geored.spi.time.Ticker} port only. Thread-safe (one
 * monitor; the witness calls are short).
 */
public final class Leadership {

  private static final Logger LOG = EscapingLogger.of(Leadership.class);

  /** How an automatic takeover starts a migration, as an operator's migrate would. */
  @FunctionalInterface
  public interface AutoMigrate {
    /**
     * Migrates a group to this site.
     *
     * @param group the group's name
     * @param sysadminPassword the password the host gave
     */
    void migrate(String group, String sysadminPassword);
  }

  private enum Cause {
    LOST,
    AT_START,
    HANDOVER
  }

  private final SiteContext context;
  private final WitnessPorts ports;
  private final StateEvents events;
  private final Lookups lookups;

  /** Leases this engine holds (renewed, usable or not yet past their deadline). */
  private final Map<String, WitnessLease> held = new TreeMap<>();

  /** The last lease held per group, kept after it lapses (for {@link #pastLeaseDeadline}). */
  private final Map<String, WitnessLease> last = new TreeMap<>();

  private final Map<String, Cancellable> watchdogs = new TreeMap<>();
  private final Map<String, Runnable> batches = new TreeMap<>();
  private final Map<String, Long> freeSince = new TreeMap<>();
  private final Map<String, Integer> registered = new TreeMap<>();
  private final Map<String, Long> handedOverAt = new TreeMap<>();
  private final Set<String> toldOnce = new TreeSet<>();
  private final Map<String, Long> followed = new TreeMap<>();
  private Cancellable tick;
  private AutoMigrate autoMigrate;
  private boolean stopped;

  /**
   * Creates the component of one engine.
   *
   * @param context the engine's ports
   */
  public Leadership(SiteContext context) {
    this.context = context;
    this.ports = context.witnessPorts();
    this.events = new StateEvents(context);
    this.lookups = new Lookups(context.stores());
  }

  // ------------------------------------------------------------------ queries

  /**
   * Whether a witness is configured.
   *
   * @return true with a witness
   */
  public boolean configured() {
    return ports.witness() != null;
  }

  private Witness witness() {
    return ports.witness();
  }

  private LeadershipStore store() {
    return ports.leadership();
  }

  private long nowNanos() {
    return ports.ticker().nanos();
  }

  private Duration margin() {
    return ports.settings().fenceMargin();
  }

  /**
   * The stop bound F: fencing starts at the deadline minus F, so a running batch is stopped before
   * the lease can lapse. F is the fence margin, shortened when the renewal interval needs it so
   * that fencing never starts before the next renewal is due ({@code min(M, T − M − R)}).
   *
   * @return F
   */
  public Duration stopBound() {
    Duration m = ports.settings().fenceMargin();
    Duration room = ports.settings().ttl().minus(m).minus(ports.settings().renewEvery());
    return room.compareTo(m) < 0 ? room : m;
  }

  /**
   * Whether this engine may act for a group now: always without a witness; with one, only while it
   * holds the group's lease and the lease is usable.
   *
   * @param group the group's name
   * @return true when a leader action may go ahead
   */
  public synchronized boolean mayAct(String group) {
    if (!configured()) {
      return true;
    }
    WitnessLease lease = held.get(group);
    return lease != null && lease.usableAt(nowNanos(), margin());
  }

  /**
   * The lease this engine holds for a group and may act on now.
   *
   * @param group the group's name
   * @return the lease, or empty
   */
  public synchronized Optional<WitnessLease> leaseOf(String group) {
    WitnessLease lease = held.get(group);
    return lease != null && configured() && lease.usableAt(nowNanos(), margin())
        ? Optional.of(lease)
        : Optional.empty();
  }

  /**
   * Whether this engine held a group's lease and its deadline has passed without a renewal.
   *
   * @param group the group's name
   * @return true past the deadline of the last lease held
   */
  public synchronized boolean pastLeaseDeadline(String group) {
    WitnessLease lease = last.get(group);
    return lease != null && nowNanos() - lease.deadlineNanos(margin()) >= 0;
  }

  /**
   * Whether this site leads a group whose migration it closes fenced: it manages members of the
   * group, or its fence mark lists members (it rehomed and managed some during its tenure), and the
   * witness's newest tenure of the group is its own (no site took the lease since). The other sites
   * followed that tenure, so naming the old leader again would leave the sites disagreeing, and
   * nobody would take the free lease back; named, this site takes it again on its next tick and
   * manages the members it fenced (the regain of a fenced group). A tenure that rehomed nothing
   * leaves the leader unchanged (ADR 0027, "No take-back of a free lease"). Witness unreachable:
   * false.
   *
   * @param group the group's name
   * @return true when the closed migration names this site the leader
   */
  public boolean leadsAfterFencedMigration(String group) {
    if (!configured()) {
      return false;
    }
    Optional<FencedGroup> mark = store().fenced(group);
    boolean rehomedSome = mark.isPresent() && !mark.get().members().isEmpty();
    if (!rehomedSome) {
      // The batch may stop (its lease no longer usable) before the watchdog fences the group:
      // then the members it manages are not marked yet.
      rehomedSome =
          context.stores().peerGroups().findByName(group).stream()
              .flatMap(g -> context.stores().subclouds().findByPeerGroup(g.id()).stream())
              .anyMatch(m -> m.managementState() == ManagementState.MANAGED);
    }
    if (!rehomedSome) {
      return false;
    }
    try {
      return witness().latestEpoch(group).map(e -> isMe(e.site())).orElse(false);
    } catch (WitnessUnavailableException e) {
      return false;
    }
  }

  /**
   * Whether the audit may record a peer's claim to lead a group (a peer's finished migration):
   * always without a witness; with one, only when the witness's newest tenure of the group (held or
   * lapsed) is that peer's. The witness decides who leads: a peer's copy that still names itself
   * after another site took the lease with a newer epoch (its migration ended without the lease, or
   * was handed back, or a third site took over since) would otherwise make this site name the peer
   * while the peer follows the newer leader, and nothing would correct it (this site already
   * followed that tenure). While this site holds the lease, the newest tenure is its own. Witness
   * unreachable: not copied (the next audit asks again).
   *
   * @param group the group's name
   * @param leaderUuid the site the peer's copy names as the leader
   * @return true when the audit may copy the peer's leader
   */
  public boolean mayTakeLeaderFromAudit(String group, String leaderUuid) {
    if (!configured()) {
      return true;
    }
    Optional<Epoch> newest;
    try {
      newest = witness().latestEpoch(group);
    } catch (WitnessUnavailableException e) {
      LOG.info(
          "peer's leader not copied by the audit, the witness cannot be reached peer_group={}",
          group);
      return false;
    }
    if (newest.isEmpty() || !newest.get().site().equalsIgnoreCase(String.valueOf(leaderUuid))) {
      LOG.info(
          "peer's leader not copied by the audit, the witness's newest tenure is another site's"
              + " peer_group={} claimed_leader={} newest={}",
          group,
          leaderUuid,
          newest.map(Epoch::toString).orElse("none"));
      return false;
    }
    return true;
  }

  /**
   * Whether the audit may hand this site's members of a group over to a peer whose copy says it is
   * migrating the group (they become rehome-pending here): always without a witness; with one, only
   * while the witness shows that peer holding the group's lease and this engine does not. Every
   * migration takes the lease first and stops when it loses it, so a peer's copy that says
   * migrating while another site (this one included) holds the lease, or nobody does, is a
   * migration that has ended or stopped without the lease (its site paused or cut off, the copy not
   * yet closed): handed over to it, the members would stay rehome-pending for good. Witness
   * unreachable: not handed over (the peer's migration hands its members over itself; the next
   * audit asks again).
   *
   * @param group the group's name
   * @param peerUuid the migrating peer's site uuid
   * @return true when the audit may hand the members over
   */
  public boolean mayHandOverFromAudit(String group, String peerUuid) {
    if (!configured()) {
      return true;
    }
    if (mayAct(group)) {
      LOG.info(
          "members not handed over by the audit, this site holds the lease peer_group={}", group);
      return false;
    }
    Optional<Epoch> holder;
    try {
      holder = witness().holder(group);
    } catch (WitnessUnavailableException e) {
      LOG.info(
          "members not handed over by the audit, the witness cannot be reached peer_group={}",
          group);
      return false;
    }
    if (holder.isEmpty() || !holder.get().site().equalsIgnoreCase(peerUuid)) {
      LOG.info(
          "members not handed over by the audit, the migrating peer does not hold the lease"
              + " peer_group={} peer={} holder={}",
          group,
          peerUuid,
          holder.map(Epoch::toString).orElse("none"));
      return false;
    }
    return true;
  }

  /**
   * The caller a peer write for a group is made as: {@link Caller#PEER_SITE}, with this site's
   * epoch counter while it holds the group's lease.
   *
   * @param group the group's name
   * @return the caller
   */
  public Caller peerCaller(String group) {
    return leaseOf(group)
        .map(l -> Caller.PEER_SITE.withLeaderEpoch(l.epoch().counter()))
        .orElse(Caller.PEER_SITE);
  }

  /**
   * As {@link #peerCaller(String)}, for a group given by its id.
   *
   * @param groupId the group's id, or null
   * @return the caller
   */
  public Caller peerCaller(Long groupId) {
    if (!configured() || groupId == null) {
      return Caller.PEER_SITE;
    }
    return context
        .stores()
        .peerGroups()
        .findById(groupId)
        .map(g -> peerCaller(g.peerGroupName()))
        .orElse(Caller.PEER_SITE);
  }

  private boolean leads(SubcloudPeerGroup group) {
    return context.localSystem().uuid().equalsIgnoreCase(String.valueOf(group.systemLeaderId()));
  }

  private boolean isMe(String site) {
    return context.localSystem().uuid().equalsIgnoreCase(site);
  }

  // ------------------------------------------------------------------ checks of the services

  /**
   * Whether this site may push a group to its peers: always without a witness or for a group led
   * elsewhere; for a group led here only while the lease is held (taken on the spot when it can
   * be).
   *
   * @param group the group
   * @return true when the push may go ahead
   */
  public boolean mayPush(SubcloudPeerGroup group) {
    if (!configured() || !leads(group)) {
      return true;
    }
    String name = group.peerGroupName();
    if (!mayAct(name) && workLease(name)) {
      maintain(group);
    }
    return mayAct(name);
  }

  /**
   * Managing a member of a group needs this site to hold the group's lease (a group this site leads
   * whose lease is not held yet is taken on the spot).
   *
   * @param groupId the member's group, or null for a subcloud in no group
   * @throws ConflictException {@link Messages#peerGroupNotLedHere} when the lease is not held
   */
  public void requireLeadToManage(Long groupId) {
    if (!configured() || groupId == null) {
      return;
    }
    Optional<SubcloudPeerGroup> group = context.stores().peerGroups().findById(groupId);
    if (group.isEmpty()) {
      return;
    }
    String name = group.get().peerGroupName();
    if (!mayAct(name) && leads(group.get()) && workLease(name)) {
      maintain(group.get());
    }
    if (!mayAct(name)) {
      LOG.info("manage refused, the group is not led here peer_group={}", name);
      throw new ConflictException(Messages.peerGroupNotLedHere(name));
    }
  }

  /**
   * A peer write's epoch, checked before the write: an epoch older than the newest seen for the
   * group is refused, changing nothing; a newer one is remembered (and fences this site when it
   * holds an older tenure). Without a witness, or without an epoch, nothing is checked.
   *
   * @param caller the writing peer
   * @param group the group the write is for, or null when it names none
   * @throws ConflictException {@link Messages#staleLeaderEpoch} for an older epoch
   */
  public void admit(Caller caller, String group) {
    OptionalLong epoch = caller.leaderEpoch();
    if (!configured() || group == null || epoch.isEmpty()) {
      return;
    }
    long counter = epoch.getAsLong();
    synchronized (this) {
      long highest = store().highestEpoch(group);
      if (counter < highest) {
        LOG.warn(
            "peer write refused, stale leader epoch peer_group={} epoch={} newest={} caller={}",
            group,
            counter,
            highest,
            caller);
        throw new ConflictException(Messages.staleLeaderEpoch(counter, group));
      }
      store().raiseEpoch(group, counter);
      WitnessLease mine = held.get(group);
      if (mine != null && mine.epoch().counter() < counter) {
        LOG.warn(
            "a newer leader writes, fencing peer_group={} own_epoch={} writer_epoch={}",
            group,
            mine.epoch().counter(),
            counter);
        fence(group, Cause.LOST);
      }
    }
  }

  /**
   * The group a peer write on a subcloud concerns.
   *
   * @param caller the peer (its non-numeric reference is a region name)
   * @param ref the subcloud's reference
   * @return the group's name, or null when the subcloud or its group is not found
   */
  public String groupOfSubcloud(Caller caller, String ref) {
    if (!configured() || caller.leaderEpoch().isEmpty()) {
      return null;
    }
    return lookups
        .findSubcloud(caller, ref)
        .map(Subcloud::peerGroupId)
        .flatMap(id -> id == null ? Optional.empty() : context.stores().peerGroups().findById(id))
        .map(SubcloudPeerGroup::peerGroupName)
        .orElse(null);
  }

  /**
   * The group a peer write on a group concerns.
   *
   * @param ref the group's reference
   * @return the group's name, or null when not found
   */
  public String groupNamed(String ref) {
    if (!configured()) {
      return null;
    }
    return lookups.findPeerGroup(ref).map(SubcloudPeerGroup::peerGroupName).orElse(null);
  }

  // ------------------------------------------------------------------ migrations

  /**
   * Takes a group's lease before a migration (an operator's or an automatic one). When another site
   * holds it and is a reachable system peer, it is asked to hand the group over first.
   *
   * @param group the group
   * @throws ConflictException {@link Messages#peerGroupLedElsewhere} when the holder cannot be
   *     asked or refuses; {@link LeaderTexts#witnessUnreachable} when the witness cannot be reached
   */
  public void takeForMigration(SubcloudPeerGroup group) {
    if (!configured()) {
      return;
    }
    String name = group.peerGroupName();
    if (!workLease(name)) {
      throw new ConflictException(LeaderTexts.ledByAnotherEngine(name));
    }
    Optional<Epoch> before;
    try {
      before = witness().latestEpoch(name);
    } catch (WitnessUnavailableException e) {
      LOG.warn("migration refused, the witness cannot be reached peer_group={}", name);
      throw new ConflictException(LeaderTexts.witnessUnreachable(name));
    }
    LeaseOutcome outcome = acquireOrRefuse(name);
    if (outcome instanceof LeaseOutcome.HeldBy other && !isMe(other.holder().site())) {
      before = Optional.of(other.holder());
      Epoch holder = other.holder();
      Optional<SystemPeer> peer = peerOf(holder.site());
      String holderName = peer.map(SystemPeer::peerName).orElse(holder.site());
      if (peer.isEmpty() || !peer.get().isAvailable()) {
        LOG.warn(
            "migration refused, the leader cannot be asked peer_group={} leader={} epoch={}",
            name,
            holderName,
            holder.counter());
        throw new ConflictException(
            Messages.peerGroupLedElsewhere(name, holderName, holder.counter()));
      }
      try {
        context.peerSites().clientFor(peer.get()).handOverPeerGroup(Caller.PEER_SITE, name);
        LOG.info(
            "leader handed the group over peer_group={} leader={} epoch={}",
            name,
            holderName,
            holder.counter());
      } catch (GeoredException | UnsupportedOperationException e) {
        LOG.warn(
            "migration refused, the leader did not hand over peer_group={} leader={} reason={}",
            name,
            holderName,
            e.getMessage());
        throw new ConflictException(
            Messages.peerGroupLedElsewhere(name, holderName, holder.counter()));
      }
      outcome = acquireOrRefuse(name);
      if (outcome instanceof LeaseOutcome.HeldBy again) {
        String againName =
            peerOf(again.holder().site()).map(SystemPeer::peerName).orElse(holderName);
        throw new ConflictException(
            Messages.peerGroupLedElsewhere(name, againName, again.holder().counter()));
      }
    }
    if (outcome instanceof LeaseOutcome.Granted granted) {
      synchronized (this) {
        granted(granted.lease());
        // The migration manages the members itself: the mark and the alarm are over.
        clearFence(name);
        if (before.isPresent() && !isMe(before.get().site())) {
          failNotTakenOver(name, before.get().site());
        }
      }
      if (!mayAct(name)) {
        // A take-over that must wait (a witness judging expiry on a wall clock).
        throw new ConflictException(Messages.peerGroupNotLedHere(name));
      }
    }
  }

  private LeaseOutcome acquireOrRefuse(String name) {
    try {
      return witness().acquire(name);
    } catch (WitnessUnavailableException e) {
      LOG.warn("migration refused, the witness cannot be reached peer_group={}", name);
      throw new ConflictException(LeaderTexts.witnessUnreachable(name));
    }
  }

  /**
   * A running migration batch of a group, stopped when the group is fenced.
   *
   * @param group the group's name
   * @param stop stops the batch (cancels rehomes in flight, starts nothing more)
   */
  public synchronized void batchStarted(String group, Runnable stop) {
    batches.put(group, stop);
  }

  /**
   * The batch of a group ended.
   *
   * @param group the group's name
   */
  public synchronized void batchEnded(String group) {
    batches.remove(group);
  }

  /**
   * Serves a peer's hand-over request: fences the group (its batch stopped, its members unmanaged,
   * a stored mark; no alarm, the hand-over is asked for), releases the lease and answers the group.
   *
   * @param ref the group's name or id
   * @return the group as left
   * @throws ConflictException {@link Messages#peerGroupNotLedHere} when this site does not hold the
   *     group's lease
   */
  public SubcloudPeerGroup handOver(String ref) {
    SubcloudPeerGroup group = lookups.peerGroup(ref);
    String name = group.peerGroupName();
    if (!configured()) {
      throw new ConflictException(Messages.peerGroupNotLedHere(name));
    }
    synchronized (this) {
      if (!mayAct(name)) {
        throw new ConflictException(Messages.peerGroupNotLedHere(name));
      }
      fence(name, Cause.HANDOVER);
      handedOverAt.put(name, nowNanos());
    }
    LOG.info("peer group handed over to a migrating peer peer_group={}", name);
    return context.stores().peerGroups().findById(group.id()).orElse(group);
  }

  // ------------------------------------------------------------------ life cycle

  /**
   * Fences every group this site leads (until it holds the lease again), then starts the periodic
   * work. Does nothing without a witness.
   *
   * @param migrate how automatic takeovers migrate
   */
  public void start(AutoMigrate migrate) {
    if (!configured()) {
      return;
    }
    synchronized (this) {
      this.autoMigrate = migrate;
      for (SubcloudPeerGroup group : context.stores().peerGroups().findAll()) {
        if (leads(group)) {
          fence(group.peerGroupName(), Cause.AT_START);
        }
      }
    }
    Duration every = ports.settings().renewEvery();
    tick = context.scheduler().scheduleWithFixedDelay(this::tick, Duration.ZERO, every);
  }

  /** Stops the periodic work; leases are not released (they lapse; a restart fences first). */
  public synchronized void stop() {
    stopped = true;
    if (tick != null) {
      tick.cancel();
    }
    for (Cancellable watchdog : watchdogs.values()) {
      watchdog.cancel();
    }
    watchdogs.clear();
    held.clear();
  }

  /** One round of the periodic work; never throws. */
  void tick() {
    synchronized (this) {
      if (stopped) {
        return;
      }
    }
    try {
      keepAliveAndRegister();
    } catch (WitnessUnavailableException e) {
      LOG.debug("witness unreachable, candidates not refreshed reason={}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("candidate registration failed", e);
    }
    for (SubcloudPeerGroup group : context.stores().peerGroups().findAll()) {
      try {
        String name = group.peerGroupName();
        boolean mine;
        synchronized (this) {
          mine = leads(group) || held.containsKey(name);
        }
        if (mine) {
          if (workLease(name)) {
            maintain(group);
          }
        } else {
          watch(group);
        }
        if (workLease(name)) {
          failLeftOverHandOvers(group);
        }
      } catch (RuntimeException e) {
        LOG.warn("witness work failed peer_group={}", group.peerGroupName(), e);
      }
    }
  }

  private boolean workLease(String group) {
    return context.leases().holds("leader:" + group);
  }

  // ------------------------------------------------------------------ candidates

  private void keepAliveAndRegister() {
    witness().keepAlive();
    Map<String, Integer> wanted = new TreeMap<>();
    for (SubcloudPeerGroup group : context.stores().peerGroups().findAll()) {
      wanted.put(group.peerGroupName(), Math.max(0, group.groupPriority()));
    }
    List<String> gone = new ArrayList<>();
    synchronized (this) {
      for (String name : registered.keySet()) {
        if (!wanted.containsKey(name)) {
          gone.add(name);
        }
      }
    }
    for (String name : gone) {
      witness().withdraw(name);
      synchronized (this) {
        registered.remove(name);
      }
      LOG.info("candidate withdrawn peer_group={}", name);
    }
    for (Map.Entry<String, Integer> e : wanted.entrySet()) {
      Integer before;
      synchronized (this) {
        before = registered.get(e.getKey());
      }
      if (!e.getValue().equals(before)) {
        witness().register(e.getKey(), e.getValue());
        synchronized (this) {
          registered.put(e.getKey(), e.getValue());
        }
        LOG.info("candidate registered peer_group={} priority={}", e.getKey(), e.getValue());
      }
    }
  }

  // ------------------------------------------------------------------ leading

  /** Renews (or takes) the lease of a group this site leads; fences it when it cannot. */
  private void maintain(SubcloudPeerGroup group) {
    String name = group.peerGroupName();
    WitnessLease lease;
    synchronized (this) {
      lease = held.get(name);
      if (lease != null && nowNanos() - fenceAt(lease) >= 0) {
        fence(name, Cause.LOST);
        lease = null;
      }
    }
    if (lease != null) {
      LeaseOutcome outcome;
      try {
        outcome = witness().renew(lease);
      } catch (WitnessUnavailableException e) {
        LOG.warn(
            "lease not renewed, the witness cannot be reached peer_group={} epoch={}",
            name,
            lease.epoch().counter());
        return;
      }
      synchronized (this) {
        if (held.get(name) != lease) {
          // Released (a hand-over served meanwhile) or fenced while the renewal was on its way:
          // its answer is about a lease this site no longer holds, so granting it would lead again
          // without the lease and a refusal would fence a group already given up.
          return;
        }
        if (outcome instanceof LeaseOutcome.Granted granted) {
          granted(granted.lease());
          return;
        }
        LOG.warn("lease lost peer_group={} outcome={}", name, outcome);
        fence(name, Cause.LOST);
      }
      if (outcome instanceof LeaseOutcome.HeldBy other) {
        follow(group, other.holder());
      }
      return;
    }
    Optional<SubcloudPeerGroup> current = context.stores().peerGroups().findById(group.id());
    if (current.isEmpty() || !leads(current.get())) {
      // Fenced just now, a lease taken only for a migration that ended without leading (its copy
      // still names the old leader): taking the lease again would hold it for a group this site
      // does not lead, and the old leader would follow it while neither acts.
      return;
    }
    synchronized (this) {
      Long handed = handedOverAt.get(name);
      if (handed != null) {
        if (nowNanos() - handed < ports.settings().ttl().toNanos()) {
          return;
        }
        handedOverAt.remove(name);
      }
    }
    Optional<Epoch> before;
    LeaseOutcome outcome;
    try {
      before = witness().latestEpoch(name);
      outcome = witness().acquire(name);
    } catch (WitnessUnavailableException e) {
      if (toldOnce.add("unreachable:" + name)) {
        LOG.warn("the witness cannot be reached, the group stays fenced peer_group={}", name);
      }
      return;
    }
    toldOnce.remove("unreachable:" + name);
    if (outcome instanceof LeaseOutcome.Granted granted) {
      synchronized (this) {
        granted(granted.lease());
        regain(name, before);
      }
    } else if (outcome instanceof LeaseOutcome.HeldBy other && !isMe(other.holder().site())) {
      follow(group, other.holder());
    }
  }

  /** Keeps a granted lease and watches its deadline. Under the monitor. */
  private void granted(WitnessLease lease) {
    String name = lease.group();
    WitnessLease before = held.put(name, lease);
    last.put(name, lease);
    store().raiseEpoch(name, lease.epoch().counter());
    if (before == null) {
      LOG.info("lease taken peer_group={} epoch={}", name, lease.epoch().counter());
    }
    Cancellable old = watchdogs.remove(name);
    if (old != null) {
      old.cancel();
    }
    long wait = Math.max(0, fenceAt(lease) - nowNanos());
    long sent = lease.sentNanos();
    watchdogs.put(
        name, context.scheduler().schedule(() -> watchdog(name, sent), Duration.ofNanos(wait)));
  }

  private long fenceAt(WitnessLease lease) {
    return lease.deadlineNanos(margin()) - stopBound().toNanos();
  }

  /** Fences a group whose lease was not renewed since {@code sent} when its fence time came. */
  private synchronized void watchdog(String name, long sent) {
    WitnessLease lease = held.get(name);
    if (stopped || lease == null || lease.sentNanos() != sent) {
      return;
    }
    LOG.warn(
        "lease not renewed before its deadline, fencing peer_group={} epoch={}",
        name,
        lease.epoch().counter());
    fence(name, Cause.LOST);
  }

  /**
   * Fences a group: stops acting (the lease is dropped first, so every later check fails), stops
   * its batch, unmanages its managed members locally, stores the mark and raises the alarm (not for
   * a hand-over). Under the monitor.
   */
  private void fence(String name, Cause cause) {
    WitnessLease lease = held.remove(name);
    Cancellable watchdog = watchdogs.remove(name);
    if (watchdog != null) {
      watchdog.cancel();
    }
    Runnable batch = batches.remove(name);
    if (batch != null) {
      try {
        batch.run();
      } catch (RuntimeException e) {
        LOG.error("the running batch could not be stopped peer_group={}", name, e);
      }
    }
    Optional<SubcloudPeerGroup> group = context.stores().peerGroups().findByName(name);
    Optional<FencedGroup> earlier = store().fenced(name);
    TreeSet<String> members = new TreeSet<>(earlier.map(FencedGroup::members).orElse(List.of()));
    int unmanaged = 0;
    if (group.isPresent()) {
      for (Subcloud member : context.stores().subclouds().findByPeerGroup(group.get().id())) {
        if (member.managementState() == ManagementState.MANAGED) {
          if (setManagement(member, ManagementState.UNMANAGED)) {
            members.add(member.name());
            unmanaged++;
          }
        }
      }
    }
    long epoch =
        lease != null ? lease.epoch().counter() : earlier.map(FencedGroup::epoch).orElse(0L);
    store().putFenced(new FencedGroup(name, epoch, List.copyOf(members)));
    if (cause == Cause.HANDOVER) {
      last.remove(name);
      if (lease != null) {
        try {
          witness().release(lease);
        } catch (WitnessUnavailableException e) {
          LOG.warn("lease not released, it lapses by itself peer_group={}", name);
        }
      }
    } else {
      context.raiseAlarm(LeaderTexts.fenced(name, members.size(), context.now()));
    }
    LOG.warn(
        "peer group fenced peer_group={} cause={} epoch={} unmanaged={}",
        name,
        cause.name().toLowerCase(Locale.ROOT),
        epoch,
        unmanaged);
  }

  /** Leading again after a grant: re-manages what fencing unmanaged, if no one led meanwhile. */
  private void regain(String name, Optional<Epoch> before) {
    Optional<FencedGroup> mark = store().fenced(name);
    if (mark.isEmpty()) {
      return;
    }
    boolean otherLed =
        before.isPresent()
            && !isMe(before.get().site())
            && before.get().counter() > mark.get().epoch();
    int managed = 0;
    if (!otherLed) {
      Optional<SubcloudPeerGroup> group = context.stores().peerGroups().findByName(name);
      for (String member : mark.get().members()) {
        Optional<Subcloud> found = context.stores().subclouds().findByName(member);
        if (found.isPresent()
            && group.isPresent()
            && group.get().id() == longOf(found.get().peerGroupId())
            && found.get().managementState() == ManagementState.UNMANAGED
            && found.get().deployStatus() == DeployStatus.COMPLETE
            && setManagement(found.get(), ManagementState.MANAGED)) {
          managed++;
        }
      }
    }
    int notTakenOver = otherLed ? failNotTakenOver(name, before.get().site()) : 0;
    clearFence(name);
    LOG.info(
        "peer group led again peer_group={} remanaged={} other_leader_meanwhile={}"
            + " not_taken_over={}",
        name,
        managed,
        otherLed,
        notTakenOver);
  }

  /**
   * Leading again after another site's tenure: members this site handed over to that site's
   * migration and left rehome-pending were not taken over (the migration needs the lease this site
   * now holds, so it has ended or stopped). Left so, no site could migrate them again: they become
   * rehome-failed, which an operator can act on, as the audit leaves them after a peer's finished
   * migration.
   */
  private int failNotTakenOver(String name, String otherSite) {
    Optional<SubcloudPeerGroup> group = context.stores().peerGroups().findByName(name);
    if (group.isEmpty()) {
      return 0;
    }
    String other = peerOf(otherSite).map(SystemPeer::peerName).orElse(otherSite);
    int failed = 0;
    for (Subcloud member : context.stores().subclouds().findByPeerGroup(group.get().id())) {
      if (member.deployStatus() != DeployStatus.REHOME_PENDING) {
        continue;
      }
      String why = MigrationTexts.notTakenOver(member.name(), name, other);
      if (change(
          member,
          s ->
              s.deployStatus() == DeployStatus.REHOME_PENDING
                  ? s.toBuilder()
                      .managementState(ManagementState.UNMANAGED)
                      .deployStatus(DeployStatus.REHOME_FAILED)
                      .errorDescription(why)
                      .build()
                  : s)) {
        failed++;
      }
    }
    return failed;
  }

  /**
   * Members of a group left rehome-pending here by a migration that has ended without taking them
   * over become rehome-failed (an operator can migrate them again). A migration runs only while its
   * site holds the group's lease, and hands members over to its own system peers only; so with this
   * site's copy not migrating, none is taking them over when the witness shows nobody holding the
   * lease, a site that is not this site's system peer holding it, or a system peer holding it whose
   * copy says it is neither migrating nor just completed (asked here; a completed migration is
   * settled by the audit). This site holding it is settled when it took the lease ({@link
   * #failNotTakenOver}). The site named is the holder, or the last holder when nobody holds it.
   */
  private void failLeftOverHandOvers(SubcloudPeerGroup group) {
    Optional<SubcloudPeerGroup> current = context.stores().peerGroups().findById(group.id());
    if (current.isEmpty() || current.get().migrationStatus() == MigrationStatus.MIGRATING) {
      return;
    }
    boolean anyPending =
        context.stores().subclouds().findByPeerGroup(group.id()).stream()
            .anyMatch(s -> s.deployStatus() == DeployStatus.REHOME_PENDING);
    if (!anyPending) {
      return;
    }
    String name = group.peerGroupName();
    Optional<Epoch> holder;
    Optional<Epoch> newest;
    try {
      holder = witness().holder(name);
      newest = holder.isPresent() ? holder : witness().latestEpoch(name);
    } catch (WitnessUnavailableException e) {
      return;
    }
    if (newest.isEmpty() || isMe(newest.get().site())) {
      return;
    }
    Optional<SystemPeer> peer = peerOf(newest.get().site());
    if (holder.isPresent() && peer.isPresent()) {
      MigrationStatus theirs;
      try {
        theirs =
            context
                .peerSites()
                .clientFor(peer.get())
                .getPeerGroup(Caller.OPERATOR, name)
                .migrationStatus();
      } catch (GeoredException | UnsupportedOperationException e) {
        return;
      }
      if (theirs != MigrationStatus.NONE) {
        return;
      }
    }
    int failed = failNotTakenOver(name, newest.get().site());
    if (failed > 0) {
      LOG.info(
          "members left rehome-pending by a migration that has ended peer_group={} holder={}"
              + " rehome_failed={}",
          name,
          holder.map(Epoch::toString).orElse("none"),
          failed);
    }
  }

  private static long longOf(Long value) {
    return value == null ? -1 : value;
  }

  private void clearFence(String name) {
    if (store().fenced(name).isPresent()) {
      store().removeFenced(name);
    }
    context.clearAlarm(LeaderTexts.GROUP_FENCED, LeaderTexts.entityInstance(name));
  }

  /**
   * Writes a management state the witness rules decide: the state listener hears of it and cannot
   * refuse or revert it.
   */
  private boolean setManagement(Subcloud member, ManagementState state) {
    return change(member, s -> s.toBuilder().managementState(state).build());
  }

  private boolean change(Subcloud member, UnaryOperator<Subcloud> change) {
    SubcloudStore store = context.stores().subclouds();
    Subcloud[] before = new Subcloud[1];
    Subcloud after;
    try {
      after =
          Cas.update(
              context.settings().casRetries(),
              () -> store.findById(member.id()),
              current -> {
                before[0] = current;
                Subcloud changed = change.apply(current);
                return changed.equals(current)
                    ? current
                    : changed.toBuilder().updatedAt(context.now()).build();
              },
              store::update,
              key -> new ConflictException(Messages.changedConcurrently("subcloud", member.name())),
              "subcloud",
              member.name(),
              Messages.SUBCLOUD_NOT_FOUND);
    } catch (RuntimeException e) {
      LOG.error("subcloud could not be written by the witness rules name={}", member.name(), e);
      return false;
    }
    if (after == before[0]) {
      return false;
    }
    events.subcloud(before[0], after);
    if (before[0].managementState() != after.managementState()) {
      try {
        context.stateListener().managementStateChanged(before[0], after);
      } catch (RuntimeException e) {
        LOG.warn(
            "state listener failed on a witness management change, kept name={} error_type={}",
            after.name(),
            e.getClass().getName());
      }
    }
    LOG.info(
        "subcloud changed by the witness rules name={} management_state={} deploy_status={}",
        after.name(),
        after.managementState().wire(),
        after.deployStatus().wire());
    return true;
  }

  // ------------------------------------------------------------------ following and takeover

  /** A group this site does not lead: follows a newer leader, or takes over when due. */
  private void watch(SubcloudPeerGroup group) {
    String name = group.peerGroupName();
    Optional<Epoch> holder;
    try {
      holder = witness().holder(name);
    } catch (WitnessUnavailableException e) {
      return;
    }
    if (holder.isPresent()) {
      synchronized (this) {
        freeSince.remove(name);
      }
      if (!isMe(holder.get().site())) {
        follow(group, holder.get());
      }
      return;
    }
    long now = nowNanos();
    long since;
    synchronized (this) {
      since = freeSince.computeIfAbsent(name, n -> now);
    }
    considerTakeover(group, Duration.ofNanos(now - since));
  }

  /**
   * Another site leads the group with an epoch newer than this site knows: this site's copies are
   * secondary and unmanaged (as the audit leaves copies of a group a peer migrated), the newest
   * epoch is remembered and this site's fence mark goes.
   */
  private void follow(SubcloudPeerGroup group, Epoch holder) {
    String name = group.peerGroupName();
    synchronized (this) {
      if (isMe(holder.site())
          || holder.counter() < store().highestEpoch(name)
          || holder.counter() <= followed.getOrDefault(name, 0L)) {
        return;
      }
      followed.put(name, holder.counter());
      if (held.containsKey(name)) {
        fence(name, Cause.LOST);
      }
      Optional<SubcloudPeerGroup> current = context.stores().peerGroups().findById(group.id());
      if (current.isEmpty() || current.get().migrationStatus() == MigrationStatus.MIGRATING) {
        return;
      }
      store().raiseEpoch(name, holder.counter());
      int changed = 0;
      for (Subcloud member : context.stores().subclouds().findByPeerGroup(group.id())) {
        boolean managed = member.managementState() == ManagementState.MANAGED;
        boolean complete = member.deployStatus() == DeployStatus.COMPLETE;
        if (managed || complete) {
          if (change(
              member,
              s ->
                  s.toBuilder()
                      .managementState(ManagementState.UNMANAGED)
                      .deployStatus(complete ? DeployStatus.SECONDARY : s.deployStatus())
                      .build())) {
            changed++;
          }
        }
      }
      copyLeader(current.get(), holder.site());
      clearFence(name);
      LOG.info(
          "following a newer leader peer_group={} leader={} epoch={} copies_changed={}",
          name,
          holder.site(),
          holder.counter(),
          changed);
    }
  }

  private void copyLeader(SubcloudPeerGroup group, String leaderUuid) {
    // A leader that is no system peer here (the sites holding non-primary copies are not each
    // other's peers) is named by its uuid: this site must stop counting itself as the leader.
    String leaderName = peerOf(leaderUuid).map(SystemPeer::peerName).orElse(leaderUuid);
    if (leaderUuid.equalsIgnoreCase(String.valueOf(group.systemLeaderId()))) {
      return;
    }
    SubcloudPeerGroup[] before = new SubcloudPeerGroup[1];
    try {
      SubcloudPeerGroup after =
          Cas.update(
              context.settings().casRetries(),
              () -> context.stores().peerGroups().findById(group.id()),
              current -> {
                before[0] = current;
                return current.toBuilder()
                    .systemLeaderId(leaderUuid)
                    .systemLeaderName(leaderName)
                    .updatedAt(context.now())
                    .build();
              },
              context.stores().peerGroups()::update,
              key ->
                  new ConflictException(
                      Messages.changedConcurrently("peer group", group.peerGroupName())),
              "peer group",
              group.peerGroupName(),
              Messages.PEER_GROUP_NOT_FOUND);
      events.peerGroup(before[0], after);
    } catch (RuntimeException e) {
      LOG.warn("leader not copied peer_group={}", group.peerGroupName(), e);
    }
  }

  private Optional<SystemPeer> peerOf(String uuid) {
    Optional<SystemPeer> peer = context.stores().systemPeers().findByUuid(uuid);
    if (peer.isPresent()) {
      return peer;
    }
    return context.stores().systemPeers().findAll().stream()
        .filter(p -> p.peerUuid().equalsIgnoreCase(uuid))
        .findFirst();
  }

  /**
   * The trigger of policies rehome and delegate: the lease free for the maintenance timeout (the
   * longest of this site's associations for the group), the strictest policy not alarm, the group
   * led under the witness before, and this site the best live candidate.
   */
  private void considerTakeover(SubcloudPeerGroup group, Duration freeFor) {
    String name = group.peerGroupName();
    HeartbeatFailurePolicy policy = null;
    int timeout = 0;
    for (PeerGroupAssociation association :
        context.stores().associations().findByPeerGroup(group.id())) {
      Optional<SystemPeer> peer =
          context.stores().systemPeers().findById(association.systemPeerId());
      if (peer.isEmpty()) {
        continue;
      }
      policy = stricter(policy, peer.get().heartbeatFailurePolicy());
      timeout = Math.max(timeout, peer.get().heartbeatMaintenanceTimeout());
    }
    if (policy == null || policy == HeartbeatFailurePolicy.ALARM) {
      return;
    }
    if (freeFor.compareTo(Duration.ofSeconds(timeout)) < 0) {
      return;
    }
    Optional<Epoch> lastLeader = witness().latestEpoch(name);
    if (lastLeader.isEmpty()) {
      once(
          "never-led:" + name,
          () ->
              LOG.info(
                  "no automatic takeover, the group was never led under the witness peer_group={}",
                  name));
      return;
    }
    List<Candidate> candidates = witness().candidates(name);
    if (candidates.isEmpty() || !isMe(candidates.get(0).site())) {
      return;
    }
    if (policy == HeartbeatFailurePolicy.DELEGATE) {
      FailoverDecision decision;
      try {
        decision = ports.decider().decide(name, lastLeader, freeFor);
      } catch (RuntimeException e) {
        LOG.warn("the failover decider failed, asking again later peer_group={}", name, e);
        return;
      }
      if (decision != FailoverDecision.MIGRATE_NOW) {
        once(
            "decided:" + name + ":" + decision,
            () ->
                LOG.info(
                    "automatic takeover not started peer_group={} decision={}", name, decision));
        return;
      }
    }
    Optional<String> password = ports.passwords().forGroup(name);
    if (password.isEmpty() || password.get().isBlank()) {
      once(
          "no-password:" + name,
          () ->
              LOG.warn("no automatic takeover, no sysadmin password is known peer_group={}", name));
      return;
    }
    AutoMigrate migrate;
    synchronized (this) {
      migrate = autoMigrate;
    }
    if (migrate == null) {
      return;
    }
    LOG.warn(
        "automatic takeover peer_group={} policy={} free_for={} last_leader={}",
        name,
        policy.wire(),
        freeFor,
        lastLeader.orElse(null));
    try {
      migrate.migrate(name, password.get());
    } catch (GeoredException e) {
      LOG.warn("automatic takeover refused peer_group={} reason={}", name, e.getMessage());
    }
  }

  private synchronized void once(String key, Runnable log) {
    if (toldOnce.add(key)) {
      log.run();
    }
  }

  /** The stricter of two policies: alarm, then delegate, then rehome. */
  static HeartbeatFailurePolicy stricter(HeartbeatFailurePolicy a, HeartbeatFailurePolicy b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return rank(a) >= rank(b) ? a : b;
  }

  private static int rank(HeartbeatFailurePolicy policy) {
    return switch (policy) {
      case ALARM -> 2;
      case DELEGATE -> 1;
      case REHOME -> 0;
    };
  }
}
