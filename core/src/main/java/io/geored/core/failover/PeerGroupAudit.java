package io.geored.core.failover;

import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.Lookups;
import io.geored.core.internal.SiteContext;
import io.geored.core.sync.OwedPeerStatus;
import io.geored.core.sync.StatusPropagation;
import io.geored.spi.ForbiddenException;
import io.geored.spi.GeoredException;
import io.geored.spi.NotFoundException;
import io.geored.spi.OperationFailedException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Audits this site's copy of a peer group against a peer's (docs/concepts.md, step 6): follows a
 * migration the peer runs or finished, takes the corrected rehome data back, copies the leader, and
 * settles the associations. Never two audits at once for one group; skipped while this site
 * migrates the group.
 *
 * <p>An audit makes the same few calls to the peer whatever the size of the group: the peer's
 * members are listed once and its association is read once.
 *
 * <p>Thread-safe: audits of different groups may run at once.
 */
public class PeerGroupAudit {

  private static final Logger LOG = EscapingLogger.of(PeerGroupAudit.class);

  private final SiteContext context;
  private final StatusPropagation status;
  private final AuditWrites writes;
  private final Set<Long> running = ConcurrentHashMap.newKeySet();

  /**
   * What the duplicate checks last found nothing left to do for, per check, group and peer: the
   * peer's copy and this site's members as they were then. A check runs again only once one of them
   * changed, so a site that manages members under another site's leadership (a migration's refused
   * hand-over) does not list the leader's members on every beat.
   */
  private final Map<String, String> settled = new ConcurrentHashMap<>();

  /**
   * Creates the audit.
   *
   * @param context the engine's ports
   */
  @Inject
  public PeerGroupAudit(SiteContext context) {
    this.context = context;
    this.status = new StatusPropagation(context);
    this.writes = new AuditWrites(context);
  }

  /**
   * Audits the local group named like the remote one against it.
   *
   * @param peer the system peer the remote group lives on
   * @param remoteGroup the group as the peer holds it
   * @return true when the audit ran (false: skipped, e.g. one already running or migrating here)
   * @throws RuntimeException when the audit failed part-way (a peer call, a store write, or a local
   *     delete that failed); what was done before stays
   */
  public boolean audit(SystemPeer peer, SubcloudPeerGroup remoteGroup) {
    Optional<SubcloudPeerGroup> local =
        context.stores().peerGroups().findByName(remoteGroup.peerGroupName());
    if (local.isEmpty()) {
      LOG.warn(
          "peer group audit skipped, no local group group={} peer={}",
          remoteGroup.peerGroupName(),
          peer.peerName());
      return false;
    }
    return audit(peer, remoteGroup, local.get().id());
  }

  /**
   * Audits a given local group against the peer's group (an audit asked by a peer names the local
   * group by its own reference).
   *
   * @param peer the system peer the remote group lives on
   * @param remoteGroup the group as the peer holds it; its name is the one the peer knows it by
   * @param localGroupId the local group
   * @return true when the audit ran (false: skipped, one already running, the group migrating here
   *     or gone)
   * @throws RuntimeException when the audit failed part-way
   */
  public boolean audit(SystemPeer peer, SubcloudPeerGroup remoteGroup, long localGroupId) {
    if (!running.add(localGroupId)) {
      LOG.info(
          "peer group audit skipped, one is running group_id={} peer={}",
          localGroupId,
          peer.peerName());
      return false;
    }
    try {
      Optional<SubcloudPeerGroup> found = context.stores().peerGroups().findById(localGroupId);
      if (found.isEmpty()) {
        return false;
      }
      SubcloudPeerGroup local = found.get();
      if (local.migrationStatus() == MigrationStatus.MIGRATING) {
        LOG.info(
            "peer group audit skipped, migrating here group={} peer={}",
            local.peerGroupName(),
            peer.peerName());
        return false;
      }
      LOG.info(
          "peer group audit group={} peer={} remote_migration_status={} remote_priority={}"
              + " local_priority={}",
          local.peerGroupName(),
          peer.peerName(),
          remoteGroup.migrationStatus().wire(),
          remoteGroup.groupPriority(),
          local.groupPriority());
      try {
        new OwedPeerStatus(context).repair(peer, local.id());
        switch (remoteGroup.migrationStatus()) {
          case MIGRATING -> {
            if (context.leadership().mayHandOverFromAudit(local.peerGroupName(), peer.peerUuid())) {
              followMigration(peer, local);
            }
          }
          case COMPLETE -> settleMigration(peer, local, remoteGroup);
          default ->
              LOG.debug("peer group audit found nothing to do group={}", local.peerGroupName());
        }
      } catch (RuntimeException e) {
        audited(local, peer, GeoredEvent.Audited.FAILED, e.getMessage());
        throw e;
      }
      audited(local, peer, GeoredEvent.Audited.SUCCEEDED, null);
      return true;
    } finally {
      running.remove(localGroupId);
    }
  }

  /**
   * Without a witness, learns the group's leader from the group's primary site when the primary
   * follows a third site: a non-primary site is associated with the primary only, so it never hears
   * from a leader that is not its own system peer (site-c, after a migration to it, is not site-b's
   * peer), and its audit copies a leader only from the leader itself. The primary, which is
   * associated with every site holding the group, is the one site whose copy names the leader each
   * of them audited last; it never learns a leader this way itself (its peers are all non-primary),
   * so no two sites can pass a stale leader back and forth. Learned only when the primary's copy is
   * not migrating and names neither itself nor this site, this site's copy is not migrating and
   * does not name this site (a site that led last settles with the primary through the audit of
   * migrations), and the primary's leader differs from this copy's (ADR 0028).
   *
   * @param peer the system peer the remote group lives on
   * @param remoteGroup the group as the peer holds it
   * @param localGroupId the local group
   * @return true when the leader was copied
   */
  public boolean learnLeaderFromPrimary(
      SystemPeer peer, SubcloudPeerGroup remoteGroup, long localGroupId) {
    if (context.leadership().configured()
        || remoteGroup.groupPriority() != 0
        || remoteGroup.migrationStatus() == MigrationStatus.MIGRATING) {
      return false;
    }
    String leader = remoteGroup.systemLeaderId();
    String me = context.localSystem().uuid();
    if (leader == null || leader.isBlank()) {
      return false;
    }
    if (leader.equalsIgnoreCase(peer.peerUuid()) || hasRehomePending(localGroupId)) {
      return settleWithPrimary(peer, remoteGroup, localGroupId);
    }
    if (leader.equalsIgnoreCase(me)) {
      return false;
    }
    if (!running.add(localGroupId)) {
      return false;
    }
    try {
      Optional<SubcloudPeerGroup> found = context.stores().peerGroups().findById(localGroupId);
      if (found.isEmpty()) {
        return false;
      }
      SubcloudPeerGroup local = found.get();
      String named = local.systemLeaderId();
      if (local.migrationStatus() != MigrationStatus.NONE) {
        // Migrating here, or this site's finished migration still waits for the primary's audit:
        // the primary's copy may be older than this site's claim.
        return false;
      }
      // A member this site manages stays managed: the leader may not have taken it (the primary
      // refuses to hand over a member another site manages, ADR 0030), and if it did, the
      // primary's duplicate check ends one of the two (settleDuplicates).
      List<Subcloud> held = new ArrayList<>();
      for (Subcloud member : context.stores().subclouds().findByPeerGroup(local.id())) {
        if (!isSecondary(member.deployStatus())
            && !isRehomeFailed(member.deployStatus())
            && member.managementState() != ManagementState.MANAGED) {
          held.add(member);
        }
      }
      if (leader.equalsIgnoreCase(String.valueOf(named)) && held.isEmpty()) {
        return false;
      }
      LOG.info(
          "peer group leader learned from the primary group={} peer={} leader_id={} yielded={}",
          local.peerGroupName(),
          peer.peerName(),
          leader,
          held.size());
      // The primary audited this site's last migration (it reset its status) and follows another
      // site since: that site leads, and this site's copies it does not manage are secondary.
      for (Subcloud member : held) {
        writes.makeSecondary(member, null);
      }
      writes.copyLeader(local, leader, remoteGroup.systemLeaderName());
      return true;
    } finally {
      running.remove(localGroupId);
    }
  }

  /**
   * Without a witness, ends a subcloud being managed on two sites, which partitions can leave
   * behind where no audit of a migration reaches (ADR 0030). Runs on a beat of a peer whose copy is
   * not migrating, with this site's copy not migrating and no member here transitory or
   * rehome-pending, in two cases, each the one state in which it can find something:
   *
   * <ul>
   *   <li>this site's copy and the peer's name the peer the leader, and this site manages a member:
   *       each member the peer manages too becomes secondary here (the leader keeps it);
   *   <li>this site leads the group and holds a member it does not manage (secondary), or holds the
   *       group's primary copy (associated with every site that holds it: site-b and site-c, each
   *       associated with the primary only, never audit each other) without leading it and holds a
   *       secondary member or manages one: for each member the peer manages, when this site manages
   *       it too, the peer's copy becomes secondary unless the peer is the leader this site's copy
   *       names (this site leads, or the primary copy has the best priority); otherwise each other
   *       associated peer whose copy is not migrating is asked for its copy, and when one manages
   *       it too, one of the two gives it up: the one that is not the leader this site's copy
   *       names, else the one with the worse priority for the group (the association's), then the
   *       higher uuid.
   * </ul>
   *
   * The peer's members are listed once. A check that found nothing left to do is not repeated until
   * the peer's copy of the group or this site's members change; a peer that cannot be read or
   * changed is left for a later beat.
   *
   * @param peer the system peer whose beat this is
   * @param remoteGroup the group as the peer holds it
   * @param localGroupId the local group
   * @return the number of copies made secondary, here and on peers
   */
  public int settleDuplicates(SystemPeer peer, SubcloudPeerGroup remoteGroup, long localGroupId) {
    if (context.leadership().configured()
        || remoteGroup.migrationStatus() != MigrationStatus.NONE) {
      return 0;
    }
    Optional<SubcloudPeerGroup> found = context.stores().peerGroups().findById(localGroupId);
    if (found.isEmpty() || found.get().migrationStatus() != MigrationStatus.NONE) {
      return 0;
    }
    SubcloudPeerGroup local = found.get();
    String me = context.localSystem().uuid();
    String leader = String.valueOf(local.systemLeaderId());
    boolean leads = me.equalsIgnoreCase(leader);
    List<Subcloud> members = context.stores().subclouds().findByPeerGroup(local.id());
    boolean managesAny = false;
    boolean holdsSecondary = false;
    for (Subcloud member : members) {
      if (member.deployStatus().isTransitory()
          || member.deployStatus() == DeployStatus.REHOME_PENDING) {
        return 0;
      }
      managesAny |= member.managementState() == ManagementState.MANAGED;
      holdsSecondary |= member.deployStatus() == DeployStatus.SECONDARY;
    }
    boolean yieldToPeer =
        managesAny
            && leader.equalsIgnoreCase(peer.peerUuid())
            && peer.peerUuid().equalsIgnoreCase(String.valueOf(remoteGroup.systemLeaderId()));
    boolean arbitrate =
        (leads && holdsSecondary)
            || (local.isPrimary() && !leads && (holdsSecondary || managesAny));
    if (!yieldToPeer && !arbitrate) {
      return 0;
    }
    String key = localGroupId + ":" + peer.peerUuid();
    String state = fingerprint(remoteGroup, local, members);
    if (state.equals(settled.get(key)) || !running.add(localGroupId)) {
      return 0;
    }
    try {
      Map<String, Subcloud> byRegion = new HashMap<>();
      for (Subcloud member : members) {
        byRegion.put(member.regionName(), member);
      }
      SiteApi client = context.peerSites().clientFor(peer);
      boolean complete = true;
      int yielded = 0;
      for (Subcloud twin :
          client.subcloudsOfPeerGroup(Caller.OPERATOR, remoteGroup.peerGroupName())) {
        Subcloud mine = byRegion.get(twin.regionName());
        if (mine == null || twin.managementState() != ManagementState.MANAGED) {
          continue;
        }
        if (mine.managementState() == ManagementState.MANAGED) {
          if (yieldToPeer) {
            LOG.warn(
                "subcloud managed here and on the group's leader, made secondary here group={}"
                    + " name={} leader={}",
                local.peerGroupName(),
                mine.name(),
                peer.peerName());
            writes.makeSecondary(mine, null);
            yielded++;
          } else if (leads || (arbitrate && !leader.equalsIgnoreCase(peer.peerUuid()))) {
            // This site leads, or holds the primary copy (priority 0, the best) while neither it
            // nor the peer leads: the peer gives the member up.
            yielded += yieldCopy(peer, client, twin, local, context.localSystem().name()) ? 1 : 0;
            complete = false;
          }
          continue;
        }
        if (!arbitrate) {
          continue;
        }
        for (SystemPeer other : otherAssociatedPeers(local.id(), peer)) {
          Optional<Boolean> alsoManaged = managesToo(other, twin, local.peerGroupName());
          if (alsoManaged.isEmpty()) {
            complete = false;
            continue;
          }
          if (!alsoManaged.get()) {
            continue;
          }
          complete = false;
          if (yields(local, peer, other)) {
            yielded += yieldCopy(peer, client, twin, local, other.peerName()) ? 1 : 0;
          } else {
            SiteApi otherClient = context.peerSites().clientFor(other);
            yielded += yieldCopy(other, otherClient, twin, local, peer.peerName()) ? 1 : 0;
          }
          break;
        }
      }
      if (complete && yielded == 0) {
        settled.put(key, state);
      }
      return yielded;
    } finally {
      running.remove(localGroupId);
    }
  }

  private List<SystemPeer> otherAssociatedPeers(long groupId, SystemPeer except) {
    List<SystemPeer> others =
        new ArrayList<>(new Lookups(context.stores()).associatedPeers(groupId));
    others.removeIf(p -> p.peerUuid().equalsIgnoreCase(except.peerUuid()));
    return others;
  }

  /**
   * Whether another peer manages its copy too, with its group copy not migrating: empty when
   * unknown (the peer could not be read, or it is migrating: asked again on a later beat).
   */
  private Optional<Boolean> managesToo(SystemPeer other, Subcloud twin, String group) {
    try {
      SiteApi client = context.peerSites().clientFor(other);
      Subcloud copy = client.getSubcloud(Caller.PEER_SITE, twin.regionName());
      if (copy.managementState() != ManagementState.MANAGED) {
        return Optional.of(false);
      }
      if (client.getPeerGroup(Caller.OPERATOR, group).migrationStatus() != MigrationStatus.NONE) {
        return Optional.empty();
      }
      return Optional.of(true);
    } catch (NotFoundException none) {
      return Optional.of(false);
    } catch (RuntimeException unknown) {
      LOG.info(
          "peer copy not read while settling a duplicate name={} peer={} reason={}",
          twin.name(),
          other.peerName(),
          unknown.getMessage());
      return Optional.empty();
    }
  }

  /** The peer's copy of the group and this site's members, as a duplicate check saw them. */
  private static String fingerprint(
      SubcloudPeerGroup remote, SubcloudPeerGroup local, List<Subcloud> members) {
    long h = 17;
    for (Subcloud member : members) {
      h = 31 * h + member.id();
      h = 31 * h + member.version();
    }
    return remote.systemLeaderId()
        + "|"
        + remote.migrationStatus()
        + "|"
        + remote.updatedAt()
        + "|"
        + local.version()
        + "|"
        + members.size()
        + "|"
        + h;
  }

  /**
   * Whether {@code a} gives a member up to {@code b} when both manage it: the site this site's copy
   * names the leader keeps it; otherwise the better priority for the group, then the lower uuid.
   */
  private boolean yields(SubcloudPeerGroup local, SystemPeer a, SystemPeer b) {
    String leader = String.valueOf(local.systemLeaderId());
    if (leader.equalsIgnoreCase(a.peerUuid()) || leader.equalsIgnoreCase(b.peerUuid())) {
      return leader.equalsIgnoreCase(b.peerUuid());
    }
    int pa = priorityOf(local.id(), a);
    int pb = priorityOf(local.id(), b);
    if (pa != pb) {
      return pa > pb;
    }
    return a.peerUuid().compareToIgnoreCase(b.peerUuid()) > 0;
  }

  private int priorityOf(long groupId, SystemPeer peer) {
    for (PeerGroupAssociation a : context.stores().associations().findByPeerGroup(groupId)) {
      if (a.systemPeerId() == peer.id() && a.peerGroupPriority() != null) {
        return a.peerGroupPriority();
      }
    }
    return Integer.MAX_VALUE;
  }

  /** Makes the loser's copy unmanaged and secondary; false when it could not be changed. */
  private boolean yieldCopy(
      SystemPeer loser, SiteApi client, Subcloud twin, SubcloudPeerGroup local, String keptOn) {
    try {
      client.updateSubcloud(
          Caller.PEER_SITE,
          twin.regionName(),
          SubcloudUpdate.builder()
              .managementState(ManagementState.UNMANAGED.wire())
              .deployStatus(DeployStatus.SECONDARY.wire())
              .build());
    } catch (RuntimeException failed) {
      LOG.warn(
          "duplicate not settled, the peer copy stays managed group={} name={} peer={} reason={}",
          local.peerGroupName(),
          twin.name(),
          loser.peerName(),
          failed.getMessage());
      return false;
    }
    LOG.warn(
        "subcloud managed on two sites, the peer copy made secondary group={} name={} peer={}"
            + " kept_on={}",
        local.peerGroupName(),
        twin.name(),
        loser.peerName(),
        keptOn);
    return true;
  }

  /**
   * The primary's migration status already reset (another secondary audited its finished migration
   * first, so this site never saw it complete): when the primary leads the group itself and this
   * site's copy names another leader, or when this site holds a member rehome-pending (handed over
   * to a migration that has ended, since the primary is not migrating), this site settles with the
   * primary as after a finished migration. Not while this site's own finished migration waits for
   * the primary's audit (its status still complete), nor while it migrates.
   */
  private boolean settleWithPrimary(
      SystemPeer peer, SubcloudPeerGroup remoteGroup, long localGroupId) {
    Optional<SubcloudPeerGroup> found = context.stores().peerGroups().findById(localGroupId);
    if (found.isEmpty()) {
      return false;
    }
    SubcloudPeerGroup local = found.get();
    if (local.migrationStatus() != MigrationStatus.NONE) {
      return false;
    }
    boolean pending = hasRehomePending(localGroupId);
    boolean primaryLeads = peer.peerUuid().equalsIgnoreCase(remoteGroup.systemLeaderId());
    if (!pending && (!primaryLeads || peer.peerUuid().equalsIgnoreCase(local.systemLeaderId()))) {
      return false;
    }
    LOG.info(
        "peer group settled with the primary group={} peer={} primary_leads={} rehome_pending={}",
        local.peerGroupName(),
        peer.peerName(),
        primaryLeads,
        pending);
    return audit(
        peer,
        remoteGroup.toBuilder().migrationStatus(MigrationStatus.COMPLETE).build(),
        localGroupId);
  }

  private boolean hasRehomePending(long localGroupId) {
    return context.stores().subclouds().findByPeerGroup(localGroupId).stream()
        .anyMatch(s -> s.deployStatus() == DeployStatus.REHOME_PENDING);
  }

  private void audited(SubcloudPeerGroup local, SystemPeer peer, String outcome, String detail) {
    context.emit(
        new GeoredEvent.Audited(
            context.now(), local.peerGroupName(), peer.peerName(), outcome, detail));
  }

  // ------------------------------------------------------------------ remote migrating

  /**
   * The peer takes the group over: nothing here may keep managing its subclouds. A primary
   * association tells both sites a sync is due; a non-primary one is the primary's to change.
   */
  private void followMigration(SystemPeer peer, SubcloudPeerGroup local) {
    List<Subcloud> members = context.stores().subclouds().findByPeerGroup(local.id());
    for (Subcloud member : members) {
      writes.handOver(member, peer.peerUuid());
    }
    LOG.info(
        "peer group handed over to migrating peer group={} peer={} subclouds={}",
        local.peerGroupName(),
        peer.peerName(),
        members.size());
    association(local, peer)
        .filter(PeerGroupAssociation::isPrimary)
        .ifPresent(a -> status.setStatus(a.id(), SyncStatus.OUT_OF_SYNC));
  }

  // ------------------------------------------------------------------ remote complete

  private void settleMigration(
      SystemPeer peer, SubcloudPeerGroup local, SubcloudPeerGroup remoteGroup) {
    SiteApi client =
        association(local, peer)
            .map(a -> context.peerSites().clientFor(peer, a.id()))
            .orElseGet(() -> context.peerSites().clientFor(peer));
    // Everything the audit needs from the peer is read before anything changes here, so a peer
    // that fails part-way leaves this site as it was.
    SubcloudPeerGroup current =
        remoteGroup.id() > 0 ? remoteGroup : currentCopy(peer, client, remoteGroup);
    if (current != remoteGroup && current != null && withdrawn(peer, current)) {
      LOG.info(
          "peer group audit found the peer's finished migration settled, and the peer following"
              + " another leader since group={} peer={} leader_id={}",
          local.peerGroupName(),
          peer.peerName(),
          current.systemLeaderId());
      return;
    }
    List<Subcloud> remoteMembers =
        client.subcloudsOfPeerGroup(Caller.OPERATOR, remoteGroup.peerGroupName());
    List<Subcloud> localMembers = context.stores().subclouds().findByPeerGroup(local.id());
    if (remoteMembers.isEmpty() && !localMembers.isEmpty()) {
      // A finished migration never leaves the migrating site's group empty; deleting every local
      // member on the strength of an empty answer could lose the group. Leave it for the next
      // audit and the operator.
      LOG.error(
          "peer group audit stopped, the peer's group is empty group={} peer={} local_subclouds={}",
          local.peerGroupName(),
          peer.peerName(),
          localMembers.size());
      throw new OperationFailedException(
          "peer group " + local.peerGroupName() + " is empty on peer " + peer.peerName());
    }
    SyncStatus peerStatus =
        current == null
            ? null
            : peerAssociationStatus(peer, client, remoteGroup.peerGroupName(), current.id());
    boolean takeRehomeData = peerStatus == SyncStatus.OUT_OF_SYNC;

    // Sized for the peer's members: no rehashing while a large group is indexed.
    Map<String, Subcloud> twins = new HashMap<>(remoteMembers.size() * 4 / 3 + 1);
    boolean anyRehomeFailed = false;
    for (Subcloud twin : remoteMembers) {
      twins.put(twin.regionName(), twin);
      anyRehomeFailed |= isRehomeFailed(twin.deployStatus());
    }

    List<Subcloud> absent = new ArrayList<>();
    int secondary = 0;
    int failed = 0;
    for (Subcloud member : localMembers) {
      Subcloud twin = twins.get(member.regionName());
      if (twin == null) {
        absent.add(member);
      } else if (twin.managementState() == ManagementState.MANAGED) {
        RehomeData taken = takeRehomeData ? keepOwnGateway(twin, member) : null;
        if (!isSecondary(member.deployStatus())) {
          writes.makeSecondary(member, taken);
          secondary++;
        } else if (taken != null) {
          writes.takeRehomeData(member, taken);
        }
      } else if (isRehomeFailed(twin.deployStatus())) {
        writes.markRehomeFailed(member);
        failed++;
      } else if (member.deployStatus() == DeployStatus.REHOME_PENDING
          && !twin.deployStatus().isTransitory()
          && !AuditWrites.handedOverElsewhere(member, peer.peerUuid())) {
        // The peer's finished migration did not take this subcloud over (it skipped it, could not
        // hand it over, or rehomed it without ever managing it). Left rehome-pending, no site
        // could migrate it again: it becomes rehome-failed, which either site can. One handed
        // over to another site's migration is that migration's to settle (ADR 0030).
        writes.markNotTakenOver(
            member,
            MigrationTexts.notTakenOver(member.name(), local.peerGroupName(), peer.peerName()));
        failed++;
      }
    }
    for (Subcloud member : absent) {
      removeAbsent(peer, local, member);
    }

    if (peer.peerUuid().equals(remoteGroup.systemLeaderId())
        && context
            .leadership()
            .mayTakeLeaderFromAudit(local.peerGroupName(), remoteGroup.systemLeaderId())) {
      writes.copyLeader(local, remoteGroup.systemLeaderId(), remoteGroup.systemLeaderName());
      raiseOrClearPriorityAlarm(peer, local, remoteGroup);
    }

    try {
      client.updatePeerGroup(
          Caller.PEER_SITE,
          remoteGroup.peerGroupName(),
          PeerGroupUpdate.builder().migrationStatus(MigrationStatus.NONE.wire()).build());
    } catch (ForbiddenException e) {
      // A peer that no longer associates the group with this site refuses the reset to this
      // site's token; what this site does with its own copies does not depend on it.
      LOG.warn(
          "peer refused the migration status reset group={} peer={} reason={}",
          local.peerGroupName(),
          peer.peerName(),
          e.getMessage());
    }

    // The peer's association out-of-sync with a subcloud that failed to rehome: the operator is
    // correcting that subcloud, and both associations keep the statuses that say so.
    boolean keepStatuses = takeRehomeData && anyRehomeFailed;
    if (!keepStatuses) {
      association(local, peer).ifPresent(a -> status.setStatus(a.id(), SyncStatus.IN_SYNC));
    }
    LOG.info(
        "peer group audit settled migration group={} peer={} secondary={} rehome_failed={}"
            + " deleted={} peer_association={} association={}",
        local.peerGroupName(),
        peer.peerName(),
        secondary,
        failed,
        absent.size(),
        peerStatus == null ? "unknown" : peerStatus.wire(),
        keepStatuses ? "kept" : SyncStatus.IN_SYNC.wire());
  }

  /**
   * A local subcloud the peer's group no longer has: made secondary, then deleted. A failed delete
   * leaves the group out of sync and stops the audit, which runs again later.
   */
  private void removeAbsent(SystemPeer peer, SubcloudPeerGroup local, Subcloud member) {
    writes.makeSecondary(member, null);
    try {
      writes.delete(member);
    } catch (RuntimeException e) {
      LOG.error(
          "peer group audit could not delete subcloud missing on peer group={} peer={}"
              + " subcloud={}",
          local.peerGroupName(),
          peer.peerName(),
          member.name(),
          e);
      association(local, peer).ifPresent(a -> status.setStatus(a.id(), SyncStatus.OUT_OF_SYNC));
      throw new OperationFailedException(
          "subcloud " + member.name() + " missing on peer " + peer.peerName() + " not deleted", e);
    }
  }

  private void raiseOrClearPriorityAlarm(
      SystemPeer peer, SubcloudPeerGroup local, SubcloudPeerGroup remoteGroup) {
    String entity = AuditAlarms.entityInstance(local.peerGroupName(), peer.peerUuid());
    if (local.groupPriority() < remoteGroup.groupPriority()) {
      LOG.warn(
          "peer group managed by a lower-priority peer group={} peer={} local_priority={}"
              + " remote_priority={}",
          local.peerGroupName(),
          peer.peerName(),
          local.groupPriority(),
          remoteGroup.groupPriority());
      context.raiseAlarm(
          AuditAlarms.managedByLowerPriority(
              local.peerGroupName(), peer.peerUuid(), context.now()));
    } else {
      context.clearAlarm(AuditAlarms.PEER_GROUP_NOT_MANAGED, entity);
    }
  }

  /**
   * The peer's copy of the group as it is now, for an audit asked by the peer: the request names no
   * id, and is the peer's copy as it was when sent, possibly long before (a request delivered
   * late). Null (unknown) when the peer has no such group or it cannot be read: the audit goes on
   * with the request alone.
   */
  private SubcloudPeerGroup currentCopy(
      SystemPeer peer, SiteApi client, SubcloudPeerGroup remoteGroup) {
    try {
      return client.getPeerGroup(Caller.OPERATOR, remoteGroup.peerGroupName());
    } catch (NotFoundException e) {
      return null;
    } catch (GeoredException e) {
      LOG.warn(
          "peer group copy not readable, the peer association status taken as unknown group={}"
              + " peer={} reason={}",
          remoteGroup.peerGroupName(),
          peer.peerName(),
          e.getMessage());
      return null;
    }
  }

  /**
   * Without a witness, whether the peer has withdrawn the finished migration a request describes:
   * its copy is no longer complete (an audit reset it: for a non-primary peer, only this site, the
   * primary, does) and names another leader than the peer (it has followed another site since, ADR
   * 0028's learning from the primary, or its audit of another's migration). Auditing the request
   * then would copy a leader the peer itself no longer names, over the newer one (ADR 0030). With a
   * witness, the lease decides whose leader is copied (ADR 0027).
   */
  private boolean withdrawn(SystemPeer peer, SubcloudPeerGroup current) {
    return !context.leadership().configured()
        && current.migrationStatus() == MigrationStatus.NONE
        && !peer.peerUuid().equalsIgnoreCase(String.valueOf(current.systemLeaderId()));
  }

  /**
   * The sync status of the peer's association for its group with this site, read with a fixed
   * number of calls; null (unknown) when the peer has no such association or system peer, or when
   * it cannot be read: the audit goes on without it.
   */
  private SyncStatus peerAssociationStatus(
      SystemPeer peer, SiteApi client, String group, long remoteGroupId) {
    try {
      long me = client.getSystemPeer(Caller.OPERATOR, context.localSystem().uuid()).id();
      return client.listAssociations(Caller.OPERATOR).stream()
          .filter(a -> a.systemPeerId() == me && a.peerGroupId() == remoteGroupId)
          .map(PeerGroupAssociation::syncStatus)
          .findFirst()
          .orElse(null);
    } catch (NotFoundException e) {
      return null;
    } catch (GeoredException e) {
      LOG.warn(
          "peer association status not readable, taken as unknown group={} peer={} reason={}",
          group,
          peer.peerName(),
          e.getMessage());
      return null;
    }
  }

  private Optional<PeerGroupAssociation> association(SubcloudPeerGroup local, SystemPeer peer) {
    return context.stores().associations().findByGroupAndPeer(local.id(), peer.id());
  }

  /**
   * The peer's rehome data with this site's own gateway address: that address belongs to each site
   * and is never taken from another. Null when the peer has no saved payload to give.
   */
  static RehomeData keepOwnGateway(Subcloud twin, Subcloud member) {
    if (twin.rehomeData() == null || twin.rehomeData().savedPayload().isEmpty()) {
      return null;
    }
    Map<String, Object> payload = new LinkedHashMap<>(twin.rehomeData().savedPayload().get());
    Object own =
        member.rehomeData() == null
            ? null
            : member
                .rehomeData()
                .savedPayload()
                .map(p -> p.get(RehomeData.SYSTEMCONTROLLER_GATEWAY_ADDRESS))
                .orElse(null);
    if (own == null) {
      payload.remove(RehomeData.SYSTEMCONTROLLER_GATEWAY_ADDRESS);
    } else {
      payload.put(RehomeData.SYSTEMCONTROLLER_GATEWAY_ADDRESS, own);
    }
    Map<String, Object> content = new LinkedHashMap<>(twin.rehomeData().content());
    content.put(RehomeData.SAVED_PAYLOAD, payload);
    return new RehomeData(content);
  }

  private static boolean isSecondary(DeployStatus status) {
    return status == DeployStatus.SECONDARY || status == DeployStatus.SECONDARY_FAILED;
  }

  private static boolean isRehomeFailed(DeployStatus status) {
    return status == DeployStatus.REHOME_FAILED || status == DeployStatus.REHOME_PREP_FAILED;
  }
}
