package io.geored.core.service;

import io.geored.core.internal.Cas;
import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.Lookups;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.core.rules.FieldRules;
import io.geored.core.rules.NameRules;
import io.geored.core.rules.PeerGroupRules;
import io.geored.core.rules.Require;
import io.geored.core.sync.GroupPush;
import io.geored.spi.ConflictException;
import io.geored.spi.ForbiddenException;
import io.geored.spi.OperationFailedException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.PeerGroupStatus;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.WorkProgress;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.StoreResult;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Subcloud peer groups: create, read, update, delete, status and members. A group with priority 0
 * is owned by this site; one with a higher priority is a copy a primary site synced here, which
 * only a peer site may change. Thread-safe; holds no state of its own.
 */
public class PeerGroupService {

  private static final Logger LOG = EscapingLogger.of(PeerGroupService.class);

  private final SiteContext context;
  private final Lookups lookups;
  private final StateEvents events;
  private final GroupPush groupPush;

  /**
   * Creates the service.
   *
   * @param context the engine's ports
   */
  @Inject
  public PeerGroupService(SiteContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.lookups = new Lookups(context.stores());
    this.events = new StateEvents(context);
    this.groupPush = new GroupPush(context);
  }

  /**
   * Creates a peer group. Without a leader, this site leads it: that is how an operator creates a
   * group of local subclouds; a primary site names itself as leader when it creates the copy here.
   *
   * @param caller who asks
   * @param request the group's fields, unchecked
   * @return the stored group
   * @throws ValidationException for a missing body or a bad field (the first one, in upstream's
   *     order)
   * @throws ConflictException when the name is taken
   */
  public SubcloudPeerGroup create(Caller caller, PeerGroupCreate request) {
    Require.that(request != null, Messages.BODY_REQUIRED);
    // Upstream's order, so that a request with several bad fields names the same one first.
    Require.that(NameRules.isValid(request.peerGroupName()), Messages.INVALID_PEER_GROUP_NAME);
    String leaderId = request.systemLeaderId();
    if (leaderId == null) {
      leaderId = context.localSystem().uuid();
    } else {
      Require.that(Lookups.isUuid(leaderId), Messages.invalidSystemLeaderIdOnCreate(leaderId));
    }
    String leaderName = request.systemLeaderName();
    if (leaderName == null) {
      leaderName = context.localSystem().name();
    } else {
      Require.that(NameRules.isValid(leaderName), Messages.INVALID_SYSTEM_LEADER_NAME);
    }
    int priority =
        request.groupPriority() == null
            ? PeerGroupRules.PRIMARY_PRIORITY
            : groupPriority(request.groupPriority());
    GroupState state =
        request.groupState() == null
            ? PeerGroupRules.DEFAULT_GROUP_STATE
            : groupState(request.groupState());
    int maxRehoming =
        request.maxSubcloudRehoming() == null
            ? PeerGroupRules.DEFAULT_SUBCLOUD_REHOMING
            : maxSubcloudRehoming(request.maxSubcloudRehoming());

    SubcloudPeerGroup candidate =
        SubcloudPeerGroup.builder()
            .peerGroupName(request.peerGroupName())
            .groupPriority(priority)
            .groupState(state)
            .maxSubcloudRehoming(maxRehoming)
            .systemLeaderId(leaderId)
            .systemLeaderName(leaderName)
            .migrationStatus(MigrationStatus.NONE)
            .createdAt(context.now())
            .build();
    StoreResult<SubcloudPeerGroup> result = context.stores().peerGroups().insert(candidate);
    if (result instanceof StoreResult.Duplicate<SubcloudPeerGroup>) {
      throw duplicate();
    }
    SubcloudPeerGroup saved =
        result.orElseThrow(
            other -> new OperationFailedException("Unable to create subcloud peer group"));
    events.peerGroup(null, saved);
    LOG.info(
        "peer group created id={} name={} priority={} leader_id={} caller={}",
        saved.id(),
        saved.peerGroupName(),
        saved.groupPriority(),
        saved.systemLeaderId(),
        caller);
    return saved;
  }

  /**
   * One peer group.
   *
   * @param caller who asks
   * @param ref its id (digits) or name
   * @return the group
   * @throws io.geored.spi.NotFoundException when there is none
   */
  public SubcloudPeerGroup get(Caller caller, String ref) {
    return lookups.peerGroup(ref);
  }

  /**
   * Every peer group.
   *
   * @param caller who asks
   * @return ordered by id
   */
  public List<SubcloudPeerGroup> list(Caller caller) {
    return context.stores().peerGroups().findAll();
  }

  /**
   * Changes a peer group. Fields left null stay as they are; values equal to the current ones are
   * no change and the group is answered as it is. An operator may change only a group this site
   * owns (priority 0): a copy is changed by its primary site, which calls as a peer site.
   *
   * @param caller who asks
   * @param ref the group's id (digits) or name
   * @param request the fields to change, unchecked
   * @return the group
   * @throws ValidationException for a missing body, an operator changing a copy, no field, or a bad
   *     field
   * @throws io.geored.spi.NotFoundException when there is no such group
   * @throws ConflictException when the new name is taken, or the group kept changing concurrently
   */
  public SubcloudPeerGroup update(Caller caller, String ref, PeerGroupUpdate request) {
    SubcloudPeerGroup found = lookups.peerGroup(ref);
    Require.that(request != null, Messages.BODY_REQUIRED);
    Require.that(
        PeerGroupRules.isPrimary(found.groupPriority()) || caller.isPeerSite(),
        Messages.PEER_GROUP_UPDATE_NON_PRIMARY);
    Require.that(namesAnyField(request), Messages.NOTHING_TO_UPDATE);
    GroupChanges changes = validate(request);

    if (changes.applyTo(found).equals(found)) {
      return found;
    }
    if (!caller.isPeerSite()) {
      pushToPeers(found, changes.applyTo(found));
    }
    Instant now = context.now();
    SubcloudPeerGroup[] before = new SubcloudPeerGroup[1];
    SubcloudPeerGroup after =
        Cas.update(
            context.settings().casRetries(),
            () -> context.stores().peerGroups().findById(found.id()),
            current -> {
              before[0] = current;
              SubcloudPeerGroup changed = changes.applyTo(current);
              return changed.equals(current) ? current : changed.toBuilder().updatedAt(now).build();
            },
            context.stores().peerGroups()::update,
            key -> duplicate(),
            "peer group",
            found.peerGroupName(),
            Messages.PEER_GROUP_NOT_FOUND);
    events.peerGroup(before[0], after);
    LOG.info(
        "peer group updated id={} name={} priority={} leader_id={} migration_status={} caller={}",
        after.id(),
        after.peerGroupName(),
        after.groupPriority(),
        after.systemLeaderId(),
        after.migrationStatus().wire(),
        caller);
    return after;
  }

  /**
   * An operator's change of a primary group's name, state or rehoming limit goes to the peer sites
   * first: when none of the associated peers takes it, nothing changes here either. A change made
   * at a peer's request is not pushed further.
   */
  private void pushToPeers(SubcloudPeerGroup current, SubcloudPeerGroup wanted) {
    PeerGroupUpdate.Builder push = PeerGroupUpdate.builder();
    boolean any = false;
    if (!wanted.peerGroupName().equals(current.peerGroupName())) {
      push.peerGroupName(wanted.peerGroupName());
      any = true;
    }
    if (wanted.groupState() != current.groupState()) {
      push.groupState(wanted.groupState().wire());
      any = true;
    }
    if (wanted.maxSubcloudRehoming() != current.maxSubcloudRehoming()) {
      push.maxSubcloudRehoming(wanted.maxSubcloudRehoming());
      any = true;
    }
    if (any && groupPush.pushGroupChange(current, push.build()) == GroupPush.Outcome.REFUSED) {
      throw new ForbiddenException(Messages.PEER_GROUP_SYNC_REFUSED);
    }
  }

  /**
   * Deletes a peer group that no association refers to. Its subclouds stay, outside any group.
   *
   * @param caller who asks
   * @param ref the group's id (digits) or name
   * @throws ValidationException when an association refers to it
   * @throws io.geored.spi.NotFoundException when there is no such group
   * @throws ConflictException when a member kept changing concurrently (nothing is deleted)
   */
  public void delete(Caller caller, String ref) {
    SubcloudPeerGroup found = lookups.peerGroup(ref);
    Instant now = context.now();
    // One transaction: the association check, the group and its members' release stand or fall
    // together, so no subcloud is left pointing at a deleted group.
    List<Subcloud[]> released =
        context
            .stores()
            .transactions()
            .inTransaction(
                () -> {
                  Require.that(
                      context.stores().associations().findByPeerGroup(found.id()).isEmpty(),
                      Messages.PEER_GROUP_ASSOCIATED);
                  List<Subcloud[]> pairs = new ArrayList<>();
                  for (Subcloud member : context.stores().subclouds().findByPeerGroup(found.id())) {
                    pairs.add(leaveGroup(member, found.id(), now));
                  }
                  context.stores().peerGroups().delete(found.id());
                  return pairs;
                });
    for (Subcloud[] pair : released) {
      events.subcloud(pair[0], pair[1]);
    }
    events.peerGroup(found, null);
    LOG.info(
        "peer group deleted id={} name={} released_subclouds={} caller={}",
        found.id(),
        found.peerGroupName(),
        released.size(),
        caller);
  }

  /**
   * How far the group's latest migration on this engine has come.
   *
   * @param caller who asks
   * @param ref id or name
   * @return the progress, zero counts when this engine ran no migration of the group
   */
  public WorkProgress migrationProgress(Caller caller, String ref) {
    SubcloudPeerGroup group = lookups.peerGroup(ref);
    String status = group.migrationStatus().wire();
    return context
        .progress()
        .migration(group.id(), status)
        .orElseGet(() -> WorkProgress.none(status));
  }

  /**
   * Counts of a group's subclouds by state.
   *
   * @param caller who asks
   * @param ref the group's id (digits) or name
   * @return the counts, read in one pass over the members
   * @throws io.geored.spi.NotFoundException when there is no such group
   */
  public PeerGroupStatus status(Caller caller, String ref) {
    SubcloudPeerGroup group = lookups.peerGroup(ref);
    List<Subcloud> members = context.stores().subclouds().findByPeerGroup(group.id());
    int complete = 0;
    int waiting = 0;
    int rehoming = 0;
    int failed = 0;
    int managed = 0;
    for (Subcloud member : members) {
      if (member.managementState() == ManagementState.MANAGED) {
        managed++;
      }
      switch (member.deployStatus()) {
        case COMPLETE -> complete++;
        case SECONDARY -> waiting++;
        case REHOMING -> rehoming++;
        case REHOME_FAILED, REHOME_PREP_FAILED -> failed++;
        default -> {
          // Other states are counted in the total only.
        }
      }
    }
    return new PeerGroupStatus(
        group.id(),
        group.peerGroupName(),
        members.size(),
        complete,
        waiting,
        rehoming,
        failed,
        managed,
        members.size() - managed);
  }

  /**
   * The subclouds of a group.
   *
   * @param caller who asks
   * @param ref the group's id (digits) or name
   * @return ordered by id
   * @throws io.geored.spi.NotFoundException when there is no such group
   */
  public List<Subcloud> subclouds(Caller caller, String ref) {
    SubcloudPeerGroup group = lookups.peerGroup(ref);
    return context.stores().subclouds().findByPeerGroup(group.id());
  }

  private Subcloud[] leaveGroup(Subcloud member, long groupId, Instant now) {
    Subcloud[] before = new Subcloud[1];
    Subcloud after =
        Cas.update(
            context.settings().casRetries(),
            () -> context.stores().subclouds().findById(member.id()),
            current -> {
              before[0] = current;
              // A member that moved to another group meanwhile keeps its new group.
              if (!Objects.equals(current.peerGroupId(), groupId)) {
                return current;
              }
              return current.toBuilder().peerGroupId(null).updatedAt(now).build();
            },
            context.stores().subclouds()::update,
            ConflictException::new,
            "subcloud",
            member.name(),
            Messages.SUBCLOUD_NOT_FOUND);
    return new Subcloud[] {before[0], after};
  }

  private static ConflictException duplicate() {
    return new ConflictException(Messages.PEER_GROUP_NAME_EXISTS);
  }

  private static boolean namesAnyField(PeerGroupUpdate r) {
    return r.peerGroupName() != null
        || r.groupPriority() != null
        || r.groupState() != null
        || r.maxSubcloudRehoming() != null
        || r.systemLeaderId() != null
        || r.systemLeaderName() != null
        || r.migrationStatus() != null;
  }

  /** Checks the given fields in upstream's order; null fields are not checked. */
  private static GroupChanges validate(PeerGroupUpdate r) {
    if (r.peerGroupName() != null) {
      Require.that(NameRules.isValid(r.peerGroupName()), Messages.INVALID_PEER_GROUP_NAME);
    }
    Integer priority = r.groupPriority() == null ? null : groupPriority(r.groupPriority());
    GroupState state = r.groupState() == null ? null : groupState(r.groupState());
    Integer maxRehoming =
        r.maxSubcloudRehoming() == null ? null : maxSubcloudRehoming(r.maxSubcloudRehoming());
    if (r.systemLeaderId() != null) {
      Require.that(Lookups.isUuid(r.systemLeaderId()), Messages.INVALID_SYSTEM_LEADER_ID);
    }
    if (r.systemLeaderName() != null) {
      Require.that(NameRules.isValid(r.systemLeaderName()), Messages.INVALID_SYSTEM_LEADER_NAME);
    }
    MigrationStatus migration =
        r.migrationStatus() == null
            ? null
            : Require.present(
                MigrationStatus.fromWire(r.migrationStatus()), Messages.INVALID_MIGRATION_STATUS);
    return new GroupChanges(
        r.peerGroupName(),
        priority,
        state,
        maxRehoming,
        r.systemLeaderId(),
        r.systemLeaderName(),
        migration);
  }

  private static int groupPriority(int value) {
    Require.that(
        FieldRules.isWithin(
            value, PeerGroupRules.PRIMARY_PRIORITY, PeerGroupRules.MAX_GROUP_PRIORITY),
        Messages.INVALID_GROUP_PRIORITY);
    return value;
  }

  private static GroupState groupState(String value) {
    return Require.present(GroupState.fromWire(value), Messages.INVALID_GROUP_STATE);
  }

  private static int maxSubcloudRehoming(int value) {
    Require.that(
        FieldRules.isWithin(
            value, PeerGroupRules.MIN_SUBCLOUD_REHOMING, PeerGroupRules.MAX_SUBCLOUD_REHOMING),
        Messages.INVALID_MAX_SUBCLOUD_REHOMING);
    return value;
  }

  /** The checked fields of an update; null means unchanged. */
  private record GroupChanges(
      String peerGroupName,
      Integer groupPriority,
      GroupState groupState,
      Integer maxSubcloudRehoming,
      String systemLeaderId,
      String systemLeaderName,
      MigrationStatus migrationStatus) {

    /** The group with these changes; updatedAt is not touched, so equal means no change. */
    SubcloudPeerGroup applyTo(SubcloudPeerGroup current) {
      SubcloudPeerGroup.Builder b = current.toBuilder();
      if (peerGroupName != null) {
        b.peerGroupName(peerGroupName);
      }
      if (groupPriority != null) {
        b.groupPriority(groupPriority);
      }
      if (groupState != null) {
        b.groupState(groupState);
      }
      if (maxSubcloudRehoming != null) {
        b.maxSubcloudRehoming(maxSubcloudRehoming);
      }
      if (systemLeaderId != null) {
        b.systemLeaderId(systemLeaderId);
      }
      if (systemLeaderName != null) {
        b.systemLeaderName(systemLeaderName);
      }
      if (migrationStatus != null) {
        b.migrationStatus(migrationStatus);
      }
      return b.build();
    }
  }
}
