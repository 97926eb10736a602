package io.geored.core.failover;

import io.geored.core.internal.Cas;
import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.Lookups;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.core.internal.WorkLeases;
import io.geored.core.sync.OwedPeerStatus;
import io.geored.core.sync.StatusPropagation;
import io.geored.spi.ConflictException;
import io.geored.spi.OperationFailedException;
import io.geored.spi.PeerTransportException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.time.Cancellable;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Watches every system peer this site has an association with (docs/concepts.md, step 4): one
 * heartbeat task per peer on the scheduler, the peer's availability, alarm 280.004, the primary
 * associations' status while the peer is lost and when it is back, and the audits of the groups
 * both sites hold.
 *
 * <p>A heartbeat lists the peer's peer groups; the first one runs as soon as the watch starts (the
 * peer's first association, the engine's start), then one every heartbeat interval, so a peer left
 * unavailable by an earlier run is found again without waiting an interval. A peer the operator set
 * {@code disabled} is not watched: no heartbeat, no alarm 280.004 (one raised before is cleared),
 * and enabling it again starts a new watch. {@code heartbeat_failure_threshold} failed beats in a
 * row make the peer unavailable (and so does each further run of that many, which refreshes the
 * alarm); a successful beat resets the count. A group is audited on a beat when it is marked (a new
 * watch marks all its groups, a lost peer marks them again, an audit that ran clears the mark) or
 * when the peer reports its migration complete.
 *
 * <p>Thread-safe. Beats run on the engine's scheduler; the plan is guarded by this object's lock,
 * which is never held while a peer is called.
 */
public class PeerMonitor {

  private static final Logger LOG = EscapingLogger.of(PeerMonitor.class);

  private final SiteContext context;
  private final PeerGroupAudit audit;
  private final StatusPropagation status;
  private final StateEvents events;
  private final Lookups lookups;
  private final ReachableAgain reachableAgain;

  // Guarded by "this".
  private final Map<Long, Watch> watches = new HashMap<>();
  private boolean running;

  /**
   * Creates the monitor.
   *
   * @param context the engine's ports
   * @param audit the peer-group audit it drives
   */
  @Inject
  public PeerMonitor(SiteContext context, PeerGroupAudit audit) {
    this.context = context;
    this.audit = audit;
    this.status = new StatusPropagation(context);
    this.events = new StateEvents(context);
    this.lookups = new Lookups(context.stores());
    this.reachableAgain = new ReachableAgain(context, status);
  }

  /** One watched peer: its heartbeat task and what its beats remember. */
  private static final class Watch {
    final long peerId;
    // Refreshed by each plan: an operator may rename the peer or correct its uuid.
    volatile String peerUuid;
    volatile String peerName;
    int intervalSeconds;
    Cancellable task;
    Set<Long> groups = Set.of();
    // Only the peer's own beat touches the count; fixed-delay tasks never overlap.
    int failures;
    final Set<Long> marked = ConcurrentHashMap.newKeySet();
    volatile boolean active = true;

    Watch(SystemPeer peer) {
      this.peerId = peer.id();
      this.peerUuid = peer.peerUuid();
      this.peerName = peer.peerName();
      this.intervalSeconds = peer.heartbeatInterval();
    }
  }

  /**
   * Starts a heartbeat task for every peer that has associations. Calling it again does nothing.
   */
  public void start() {
    List<String> dropped;
    synchronized (this) {
      if (running) {
        return;
      }
      running = true;
      dropped = plan();
    }
    clearLostAlarms(dropped);
    LOG.info("peer monitor started peers={}", watchedCount());
  }

  /**
   * Stops every heartbeat task. Idempotent. The peers' alarms stay: the engine stopping says
   * nothing about the peers.
   */
  public void stop() {
    List<Watch> stopped;
    synchronized (this) {
      running = false;
      stopped = new ArrayList<>(watches.values());
      watches.clear();
    }
    for (Watch watch : stopped) {
      cancel(watch);
    }
    if (!stopped.isEmpty()) {
      LOG.info("peer monitor stopped peers={}", stopped.size());
    }
  }

  /**
   * Re-plans the heartbeat tasks after associations or system peers changed: starts, stops or
   * reschedules (new interval) tasks so that exactly the enabled peers with associations are
   * watched. A peer no longer watched (its last association gone, or set disabled) has its alarm
   * 280.004 cleared. Does nothing before {@link #start()} and after {@link #stop()}.
   */
  public void replan() {
    List<String> dropped;
    synchronized (this) {
      if (!running) {
        return;
      }
      dropped = plan();
    }
    clearLostAlarms(dropped);
  }

  private synchronized int watchedCount() {
    return watches.size();
  }

  /**
   * Brings the watches in line with the associations of enabled peers; answers the peer uuids whose
   * alarm no longer stands (peers no longer watched, and a watched peer's former uuid).
   */
  private List<String> plan() {
    Map<Long, Set<Long>> wanted = new LinkedHashMap<>();
    for (PeerGroupAssociation a : context.stores().associations().findAll()) {
      wanted.computeIfAbsent(a.systemPeerId(), id -> new LinkedHashSet<>()).add(a.peerGroupId());
    }
    Map<Long, SystemPeer> peers = new HashMap<>();
    for (Long peerId : new ArrayList<>(wanted.keySet())) {
      Optional<SystemPeer> found = context.stores().systemPeers().findById(peerId);
      if (found.isEmpty() || isDisabled(found.get())) {
        wanted.remove(peerId);
      } else {
        peers.put(peerId, found.get());
      }
    }
    List<String> dropped = new ArrayList<>();
    for (Watch watch : new ArrayList<>(watches.values())) {
      if (!wanted.containsKey(watch.peerId)) {
        watches.remove(watch.peerId);
        cancel(watch);
        dropped.add(watch.peerUuid);
        LOG.info(
            "peer monitor stopped watching peer={} peer_uuid={}", watch.peerName, watch.peerUuid);
      }
    }
    for (Map.Entry<Long, Set<Long>> entry : wanted.entrySet()) {
      SystemPeer peer = peers.get(entry.getKey());
      Watch watch = watches.get(peer.id());
      if (watch == null) {
        watch = new Watch(peer);
        watches.put(peer.id(), watch);
        // A new watch beats at once: after a restart the peer answers long before an interval.
        schedule(watch, Duration.ZERO);
        LOG.info(
            "peer monitor watching peer={} peer_uuid={} interval_s={} groups={}",
            peer.peerName(),
            peer.peerUuid(),
            peer.heartbeatInterval(),
            entry.getValue().size());
      } else if (watch.intervalSeconds != peer.heartbeatInterval()) {
        watch.task.cancel();
        watch.intervalSeconds = peer.heartbeatInterval();
        schedule(watch, Duration.ofSeconds(watch.intervalSeconds));
        LOG.info(
            "peer monitor rescheduled peer={} interval_s={}",
            peer.peerName(),
            watch.intervalSeconds);
      }
      if (!watch.peerUuid.equals(peer.peerUuid())) {
        dropped.add(watch.peerUuid);
        context.leases().release(WorkLeases.monitor(watch.peerUuid));
        watch.peerUuid = peer.peerUuid();
      }
      watch.peerName = peer.peerName();
      // Groups new to the watch have never been audited against this peer.
      for (Long group : entry.getValue()) {
        if (!watch.groups.contains(group)) {
          watch.marked.add(group);
        }
      }
      watch.marked.retainAll(entry.getValue());
      watch.groups = Set.copyOf(entry.getValue());
    }
    return dropped;
  }

  private void schedule(Watch watch, Duration firstBeat) {
    Duration interval = Duration.ofSeconds(watch.intervalSeconds);
    watch.task = context.scheduler().scheduleWithFixedDelay(() -> beat(watch), firstBeat, interval);
  }

  private static boolean isDisabled(SystemPeer peer) {
    return peer.administrativeState() == AdministrativeState.DISABLED;
  }

  private void cancel(Watch watch) {
    watch.active = false;
    if (watch.task != null) {
      watch.task.cancel();
    }
    context.leases().release(WorkLeases.monitor(watch.peerUuid));
  }

  private void clearLostAlarms(List<String> peerUuids) {
    for (String uuid : peerUuids) {
      context.clearAlarm(MonitorAlarms.PEER_HEARTBEAT_FAILED, MonitorAlarms.entityInstance(uuid));
    }
  }

  // ------------------------------------------------------------------ one heartbeat

  private void beat(Watch watch) {
    if (!watch.active) {
      return;
    }
    try {
      Optional<SystemPeer> found = context.stores().systemPeers().findById(watch.peerId);
      if (found.isEmpty()) {
        return;
      }
      SystemPeer peer = found.get();
      if (isDisabled(peer)) {
        // Set disabled since the last plan; the re-plan that follows the change ends this watch.
        return;
      }
      // Another engine on this database beats the peer: its beats and audits happen once.
      if (!context.leases().holds(WorkLeases.monitor(peer.peerUuid()))) {
        LOG.debug("heartbeat skipped, another engine holds the peer peer={}", peer.peerName());
        return;
      }
      List<SubcloudPeerGroup> remoteGroups;
      try {
        remoteGroups = context.peerSites().clientFor(peer).listPeerGroups(Caller.OPERATOR);
      } catch (RuntimeException e) {
        failedBeat(watch, peer, e);
        return;
      }
      goodBeat(watch, peer, remoteGroups);
    } catch (RuntimeException e) {
      // A beat that breaks (a store failing) must not end the watch: the next one tries again.
      LOG.error("heartbeat handling failed peer={}", watch.peerName, e);
    }
  }

  private void failedBeat(Watch watch, SystemPeer peer, RuntimeException cause) {
    watch.failures++;
    LOG.info(
        "heartbeat failed peer={} failures={} threshold={} reason={}",
        peer.peerName(),
        watch.failures,
        peer.heartbeatFailureThreshold(),
        cause.getMessage());
    if (watch.failures < peer.heartbeatFailureThreshold()) {
      return;
    }
    watch.failures = 0;
    if (!watch.active) {
      return;
    }
    peerLost(watch, peer);
  }

  /**
   * The threshold is reached: alarm, unavailable, the primary associations unknown or failed here
   * (the peer cannot be told), and every group of the peer due for an audit once it is back.
   */
  private void peerLost(Watch watch, SystemPeer peer) {
    List<String> led =
        context.stores().peerGroups().findAll().stream()
            .filter(g -> peer.peerUuid().equals(g.systemLeaderId()))
            .map(SubcloudPeerGroup::peerGroupName)
            .toList();
    LOG.warn(
        "peer unreachable peer={} peer_uuid={} threshold={} led_groups={}",
        peer.peerName(),
        peer.peerUuid(),
        peer.heartbeatFailureThreshold(),
        led.size());
    context.raiseAlarm(MonitorAlarms.peerLost(peer, led, context.now()));
    setAvailability(peer, PeerAvailability.UNAVAILABLE);
    String message = Messages.peerSiteUnreachable(peer.peerName());
    for (PeerGroupAssociation a : context.stores().associations().findBySystemPeer(peer.id())) {
      watch.marked.add(a.peerGroupId());
      if (!a.isPrimary()) {
        continue;
      }
      SyncStatus target =
          a.syncStatus() == SyncStatus.IN_SYNC || a.syncStatus() == SyncStatus.UNKNOWN
              ? SyncStatus.UNKNOWN
              : SyncStatus.FAILED;
      if (a.syncStatus() != target || !message.equals(a.syncMessage())) {
        status.setLocalStatus(a.id(), target, message);
      }
    }
  }

  private void goodBeat(Watch watch, SystemPeer peer, List<SubcloudPeerGroup> remoteGroups) {
    watch.failures = 0;
    if (!watch.active) {
      return;
    }
    auditGroups(watch, peer, remoteGroups);
    new OwedPeerStatus(context).repair(peer);
    SystemPeer current = context.stores().systemPeers().findById(peer.id()).orElse(null);
    if (current == null || current.availabilityState() == PeerAvailability.AVAILABLE) {
      return;
    }
    setAvailability(current, PeerAvailability.AVAILABLE);
    if (current.availabilityState() != PeerAvailability.UNAVAILABLE) {
      LOG.info("peer available peer={} peer_uuid={}", current.peerName(), current.peerUuid());
      return;
    }
    LOG.info("peer reachable again peer={} peer_uuid={}", current.peerName(), current.peerUuid());
    context.clearAlarm(
        MonitorAlarms.PEER_HEARTBEAT_FAILED, MonitorAlarms.entityInstance(current.peerUuid()));
    reachableAgain.settle(current, remoteGroups);
  }

  /** Audits the groups both sites hold that are marked, or that the peer finished migrating. */
  private void auditGroups(Watch watch, SystemPeer peer, List<SubcloudPeerGroup> remoteGroups) {
    Map<String, SubcloudPeerGroup> remoteByName = new HashMap<>();
    for (SubcloudPeerGroup remote : remoteGroups) {
      remoteByName.put(remote.peerGroupName(), remote);
    }
    Set<Long> groupIds = new LinkedHashSet<>();
    for (PeerGroupAssociation a : context.stores().associations().findBySystemPeer(peer.id())) {
      groupIds.add(a.peerGroupId());
    }
    for (Long groupId : groupIds) {
      Optional<SubcloudPeerGroup> local = context.stores().peerGroups().findById(groupId);
      if (local.isEmpty()) {
        continue;
      }
      SubcloudPeerGroup remote = remoteByName.get(local.get().peerGroupName());
      if (remote == null) {
        LOG.warn(
            "peer group missing on peer, a sync is needed group={} peer={}",
            local.get().peerGroupName(),
            peer.peerName());
        continue;
      }
      if (remote.migrationStatus() == MigrationStatus.NONE) {
        audit.learnLeaderFromPrimary(peer, remote, groupId);
        settleDuplicates(peer, remote, groupId);
      }
      if (!watch.marked.contains(groupId) && remote.migrationStatus() != MigrationStatus.COMPLETE) {
        continue;
      }
      try {
        if (audit.audit(peer, remote, groupId)) {
          watch.marked.remove(groupId);
        }
      } catch (PeerTransportException e) {
        // Expected while the peer is unreachable: one line, no stack trace. The mark stays.
        watch.marked.add(groupId);
        LOG.warn(
            "peer unreachable call=audit group={} peer={} reason={}",
            local.get().peerGroupName(),
            peer.peerName(),
            e.getMessage());
      } catch (RuntimeException e) {
        // The mark stays, so the next beat audits the group again.
        watch.marked.add(groupId);
        LOG.warn(
            "peer group audit failed group={} peer={} reason={}",
            local.get().peerGroupName(),
            peer.peerName(),
            e.getMessage(),
            e);
      }
    }
  }

  private void settleDuplicates(SystemPeer peer, SubcloudPeerGroup remote, long groupId) {
    try {
      audit.settleDuplicates(peer, remote, groupId);
    } catch (RuntimeException e) {
      // Tried again on the next beat.
      LOG.warn(
          "duplicates not settled group={} peer={} reason={}",
          remote.peerGroupName(),
          peer.peerName(),
          e.getMessage());
    }
  }

  private void setAvailability(SystemPeer peer, PeerAvailability availability) {
    if (peer.availabilityState() == availability) {
      return;
    }
    SystemPeer[] before = new SystemPeer[1];
    SystemPeer after =
        Cas.update(
            context.settings().casRetries(),
            () -> context.stores().systemPeers().findById(peer.id()),
            current -> {
              before[0] = current;
              return current.availabilityState() == availability
                  ? current
                  : current.toBuilder()
                      .availabilityState(availability)
                      .updatedAt(context.now())
                      .build();
            },
            context.stores().systemPeers()::update,
            key ->
                new ConflictException(Messages.changedConcurrently("system peer", peer.peerName())),
            "system peer",
            peer.peerName(),
            Messages.SYSTEM_PEER_NOT_FOUND);
    events.systemPeer(before[0], after);
  }

  // ------------------------------------------------------------------ audit asked by a peer

  /**
   * A peer asks this site to audit a group (the audit verb of SiteApi). The audit runs before the
   * answer; when one already runs for the group, or this site migrates it, the group is marked so
   * the peer's next heartbeat audits it, and the answer is the same as for an audit that ran.
   *
   * @param caller who asks
   * @param ref the group's name or id
   * @param request the group as the peer holds it, with the peer's uuid
   * @return null message when the audit ran, else why not (docs/messages.md)
   * @throws io.geored.spi.NotFoundException when no group answers to {@code ref}
   * @throws ValidationException naming the first key the request lacks
   * @throws OperationFailedException when the audit failed
   */
  public AuditAnswer onAuditRequest(Caller caller, String ref, AuditRequest request) {
    SubcloudPeerGroup group = lookups.peerGroup(ref);
    String name = group.peerGroupName();
    String missing = firstMissingKey(request);
    if (missing != null) {
      throw new ValidationException(Messages.auditMissingKey(name, missing));
    }
    Optional<SubcloudPeerGroup> local = context.stores().peerGroups().findByName(name);
    if (local.isEmpty()) {
      return answer(Messages.auditGroupMissing(name));
    }
    Optional<SystemPeer> peer = context.stores().systemPeers().findByUuid(request.peerUuid());
    if (peer.isEmpty()) {
      return answer(Messages.auditSystemPeerMissing(request.peerUuid()));
    }
    Watch watch;
    synchronized (this) {
      watch = watches.get(peer.get().id());
    }
    if (watch == null) {
      return answer(Messages.auditPeerNotMonitored(request.peerUuid(), name));
    }
    long groupId = local.get().id();
    if (context.stores().associations().findByGroupAndPeer(groupId, peer.get().id()).isEmpty()) {
      return answer(Messages.auditGroupNotMonitored(name));
    }
    LOG.info(
        "peer group audit asked group={} peer={} remote_migration_status={} caller={}",
        name,
        peer.get().peerName(),
        request.migrationStatus(),
        caller);
    try {
      if (audit.audit(peer.get(), remoteGroupOf(request), groupId)) {
        watch.marked.remove(groupId);
      } else {
        watch.marked.add(groupId);
      }
    } catch (PeerTransportException e) {
      // Expected while the peer cannot be reached back: one line, no stack trace.
      watch.marked.add(groupId);
      LOG.warn(
          "peer unreachable call=audit-request group={} peer={} reason={}",
          name,
          peer.get().peerName(),
          e.getMessage());
      throw new OperationFailedException(Messages.auditFailed(name), e);
    } catch (RuntimeException e) {
      watch.marked.add(groupId);
      LOG.error(
          "peer group audit asked by peer failed group={} peer={}", name, peer.get().peerName(), e);
      throw new OperationFailedException(Messages.auditFailed(name), e);
    }
    return AuditAnswer.RAN;
  }

  private static AuditAnswer answer(String message) {
    LOG.info("peer group audit not run reason={}", message);
    return new AuditAnswer(message);
  }

  /** The keys upstream requires, in the order it checks them; null when none is missing. */
  private static String firstMissingKey(AuditRequest r) {
    if (r == null || r.peerUuid() == null) {
      return "peer_uuid";
    }
    if (r.peerGroupName() == null) {
      return "peer_group_name";
    }
    if (r.groupPriority() == null) {
      return "group_priority";
    }
    if (r.groupState() == null) {
      return "group_state";
    }
    if (r.systemLeaderId() == null) {
      return "system_leader_id";
    }
    if (r.systemLeaderName() == null) {
      return "system_leader_name";
    }
    if (r.migrationStatus() == null) {
      return "migration_status";
    }
    return null;
  }

  /** The peer's group as the request describes it; a status it does not name counts as none. */
  private static SubcloudPeerGroup remoteGroupOf(AuditRequest r) {
    return SubcloudPeerGroup.builder()
        .peerGroupName(r.peerGroupName())
        .groupPriority(r.groupPriority())
        .groupState(GroupState.fromWire(r.groupState()).orElse(null))
        .maxSubcloudRehoming(r.maxSubcloudRehoming() == null ? 0 : r.maxSubcloudRehoming())
        .systemLeaderId(r.systemLeaderId())
        .systemLeaderName(r.systemLeaderName())
        .migrationStatus(MigrationStatus.fromWire(r.migrationStatus()).orElse(MigrationStatus.NONE))
        .build();
  }
}
