package io.geored.core.failover;

import io.geored.core.internal.Cas;
import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.Lookups;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.spi.ConflictException;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.fault.Alarm;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * What ends every migration, whatever became of its subclouds (the seed fix's leader rule): this
 * site leads the group and its migration is complete; then every available associated peer is asked
 * to audit the group, so it gives up the subclouds this site now manages; and when the group is
 * this site's own (priority 0), alarm 280.005 ("managed by a lower-priority site") is cleared.
 */
final class MigrationEnd {

  private static final Logger LOG = EscapingLogger.of(MigrationEnd.class);

  /** Alarm id: the group is managed by a peer with a lower priority. */
  static final String GROUP_MANAGED_BY_LOWER_PRIORITY = "280.005";

  private final SiteContext context;
  private final StateEvents events;

  MigrationEnd(SiteContext context) {
    this.context = context;
    this.events = new StateEvents(context);
  }

  /**
   * Makes this site the group's leader and its migration complete.
   *
   * @param groupId the group
   * @param name its name, for messages
   * @return the stored group
   * @throws io.geored.spi.NotFoundException when the group is gone
   */
  SubcloudPeerGroup close(long groupId, String name) {
    LocalSystem me = context.localSystem();
    SubcloudPeerGroup[] before = new SubcloudPeerGroup[1];
    SubcloudPeerGroup after =
        Cas.update(
            context.settings().casRetries(),
            () -> context.stores().peerGroups().findById(groupId),
            current -> {
              before[0] = current;
              return current.toBuilder()
                  .systemLeaderId(me.uuid())
                  .systemLeaderName(me.name())
                  .migrationStatus(MigrationStatus.COMPLETE)
                  .updatedAt(context.now())
                  .build();
            },
            context.stores().peerGroups()::update,
            key -> new ConflictException(Messages.changedConcurrently("peer group", name)),
            "peer group",
            name,
            Messages.PEER_GROUP_NOT_FOUND);
    events.peerGroup(before[0], after);
    LOG.info(
        "migration closed peer_group={} leader={} migration_status={}",
        name,
        me.name(),
        after.migrationStatus().wire());
    return after;
  }

  /**
   * Closes the migration of a group this site fenced while migrating it (docs/adr/0027): the
   * migration status goes back to none and no peer is told. The leader stays as it was, unless this
   * site's tenure rehomed members (its fence mark lists them) and is still the witness's newest:
   * then this site names itself the leader (the other sites followed that tenure), takes the lease
   * again on its next tick and manages those members again (ADR 0027, "A fenced migration that
   * rehomed members").
   *
   * @param groupId the group
   * @param name its name, for messages
   */
  void closeFenced(long groupId, String name) {
    // A tenure that rehomed members, and that no other site's tenure followed, leads the group:
    // the others follow it; named here, the site takes its lease again and manages those members.
    boolean claim = context.leadership().leadsAfterFencedMigration(name);
    LocalSystem me = context.localSystem();
    SubcloudPeerGroup[] before = new SubcloudPeerGroup[1];
    SubcloudPeerGroup after =
        Cas.update(
            context.settings().casRetries(),
            () -> context.stores().peerGroups().findById(groupId),
            current -> {
              before[0] = current;
              SubcloudPeerGroup.Builder b =
                  current.toBuilder()
                      .migrationStatus(MigrationStatus.NONE)
                      .updatedAt(context.now());
              if (claim) {
                b.systemLeaderId(me.uuid()).systemLeaderName(me.name());
              }
              return b.build();
            },
            context.stores().peerGroups()::update,
            key -> new ConflictException(Messages.changedConcurrently("peer group", name)),
            "peer group",
            name,
            Messages.PEER_GROUP_NOT_FOUND);
    events.peerGroup(before[0], after);
    LOG.warn("migration closed fenced peer_group={} leader={}", name, after.systemLeaderName());
  }

  /**
   * Asks the available associated peers to audit the group, and clears 280.005 for a priority-0
   * group. A peer that fails to answer is logged: its own monitor audits the group once it hears
   * this site again.
   *
   * @param group the group as closed
   */
  void announce(SubcloudPeerGroup group) {
    List<SystemPeer> associated = associatedPeers(group.id());
    AuditRequest request = auditRequestFor(group);
    for (SystemPeer peer : associated) {
      if (!peer.isAvailable()) {
        continue;
      }
      try {
        AuditAnswer answer =
            context
                .peerSites()
                .clientFor(peer)
                .auditPeerGroup(Caller.PEER_SITE, group.peerGroupName(), request);
        LOG.info(
            "peer asked to audit peer_group={} peer={} answer={}",
            group.peerGroupName(),
            peer.peerName(),
            answer == null ? null : answer.message());
      } catch (RuntimeException e) {
        LOG.warn(
            "peer could not be asked to audit peer_group={} peer={} reason={}",
            group.peerGroupName(),
            peer.peerName(),
            e.getMessage());
      }
    }
    if (group.isPrimary()) {
      clearLowerPriorityAlarms(group, associated);
    }
  }

  /** The group as this site holds it, with this site's uuid: what a peer's audit compares. */
  AuditRequest auditRequestFor(SubcloudPeerGroup group) {
    return AuditRequest.builder()
        .peerUuid(context.localSystem().uuid())
        .peerGroupName(group.peerGroupName())
        .groupPriority(group.groupPriority())
        .groupState(group.groupState() == null ? null : group.groupState().wire())
        .systemLeaderId(group.systemLeaderId())
        .systemLeaderName(group.systemLeaderName())
        .migrationStatus(group.migrationStatus().wire())
        .maxSubcloudRehoming(group.maxSubcloudRehoming())
        .build();
  }

  private List<SystemPeer> associatedPeers(long groupId) {
    return new Lookups(context.stores()).associatedPeers(groupId);
  }

  /**
   * Clears the alarm for every associated peer, and any other raised for this group (a peer whose
   * association is gone), found by its entity: {@code peer_group=<name>,peer=<uuid>}.
   */
  private void clearLowerPriorityAlarms(SubcloudPeerGroup group, List<SystemPeer> associated) {
    String prefix = "peer_group=" + group.peerGroupName() + ",peer=";
    Set<String> entities = new LinkedHashSet<>();
    for (SystemPeer peer : associated) {
      entities.add(prefix + peer.peerUuid());
    }
    try {
      for (Alarm raised : context.alarms().findAll(GROUP_MANAGED_BY_LOWER_PRIORITY)) {
        String entity = raised.entityInstance();
        if (entity.startsWith(prefix) && Lookups.isUuid(entity.substring(prefix.length()))) {
          entities.add(entity);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "raised alarms could not be listed alarm_id={} peer_group={}",
          GROUP_MANAGED_BY_LOWER_PRIORITY,
          group.peerGroupName(),
          e);
    }
    for (String entity : entities) {
      context.clearAlarm(GROUP_MANAGED_BY_LOWER_PRIORITY, entity);
    }
  }
}
