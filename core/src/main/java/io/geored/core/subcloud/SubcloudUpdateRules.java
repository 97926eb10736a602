package io.geored.core.subcloud;

import io.geored.spi.ConflictException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of a subcloud update, pure and in the order upstream checks them: the first rule a
 * request breaks answers it.
 *
 * <p>Order: {@link #REQUEST_SHAPE}, {@link #PEER_GROUP_MEMBERSHIP}, {@link #PEER_GROUP_OWNERSHIP},
 * {@link #DEPLOY_STATUS_REQUEST}, {@link #MANAGEMENT_REQUEST}, {@link #MANAGEMENT_TRANSITION},
 * {@link #REHOME_DATA}, {@link #DEPLOY_STATUS_TRANSITION}, {@link #SYNC_MARKS}. The ownership rule
 * sits right after the membership rule, as upstream's checks do: a request that names a peer group
 * is judged by the membership rule alone, and the owner of the group refuses before any state rule
 * answers. The sync marks come last, as they only record what an accepted update must tell the
 * group's associations.
 */
public final class SubcloudUpdateRules {

  /** Deploy statuses an operator may ask for: handing a subcloud over to another site. */
  public static final Set<DeployStatus> OPERATOR_DEPLOY_STATUSES =
      EnumSet.of(DeployStatus.REHOME_PENDING);

  /**
   * Deploy statuses a peer site may ask for: the geo-redundancy states its sync, migration and
   * audit set on this site's copy.
   */
  public static final Set<DeployStatus> PEER_DEPLOY_STATUSES =
      EnumSet.of(
          DeployStatus.COMPLETE,
          DeployStatus.SECONDARY,
          DeployStatus.REHOME_PENDING,
          DeployStatus.REHOME_FAILED,
          DeployStatus.REHOME_PREP_FAILED);

  private SubcloudUpdateRules() {}

  /** The request names something to change; free-text fields fit their columns. */
  public static final UpdateStep REQUEST_SHAPE =
      (facts, plan) -> {
        SubcloudUpdate r = facts.request();
        boolean named =
            r.managementState() != null
                || Boolean.TRUE.equals(r.force())
                || Boolean.TRUE.equals(r.migrate())
                || r.peerGroup() != null
                || RehomeDataBuilder.hasValues(r.bootstrapValues())
                || RehomeDataBuilder.blankToNull(r.bootstrapAddress()) != null
                || r.description() != null
                || r.location() != null
                || r.groupId() != null
                || r.installValues() != null
                || r.release() != null
                || r.deployStatus() != null;
        if (!named) {
          throw new ValidationException(Messages.NOTHING_TO_UPDATE);
        }
        SubcloudFields.optionalText("description", r.description());
        SubcloudFields.optionalText("location", r.location());
        SubcloudFields.optionalText("release", r.release());
      };

  /**
   * Joining and leaving a peer group. Leaving needs this site to lead the group and, for a
   * non-primary group, no available system peer. Joining needs rehome data (saved or given with
   * both bootstrap values and address), may not move a subcloud out of a non-primary group, and
   * needs a known group; an operator may only add a managed, online, deployed subcloud to a primary
   * group this site leads. A peer site's sync adds its copies to non-primary groups, so those last
   * checks do not apply to it.
   */
  public static final UpdateStep PEER_GROUP_MEMBERSHIP =
      (facts, plan) -> {
        Optional<SubcloudPeerGroup> currentGroup = facts.currentGroup();
        if (facts.peerGroup() instanceof PeerGroupRequest.Leave) {
          if (currentGroup.isPresent()) {
            SubcloudPeerGroup group = currentGroup.get();
            if (!facts.ledHere(group)) {
              throw new ValidationException(Messages.SUBCLOUD_REMOVE_NOT_LEADER);
            }
            if (facts.currentGroupPeerAvailable() && !group.isPrimary()) {
              throw new ValidationException(Messages.SUBCLOUD_REMOVE_PEER_AVAILABLE);
            }
          }
          if (facts.current().peerGroupId() != null) {
            plan.leavePeerGroup();
          }
        } else if (facts.peerGroup() instanceof PeerGroupRequest.Join join) {
          SubcloudUpdate r = facts.request();
          boolean bootstrapGiven =
              RehomeDataBuilder.hasValues(r.bootstrapValues())
                  && RehomeDataBuilder.blankToNull(r.bootstrapAddress()) != null;
          if (facts.current().rehomeData() == null && !bootstrapGiven) {
            throw new ValidationException(Messages.SUBCLOUD_GROUP_NEEDS_BOOTSTRAP);
          }
          // Compared by id, not by the text given, so naming the current group by its name is
          // no move.
          boolean moving =
              !(join.group().isPresent()
                  && currentGroup.isPresent()
                  && join.group().get().id() == currentGroup.get().id());
          if (currentGroup.isPresent() && !currentGroup.get().isPrimary() && moving) {
            throw new ValidationException(Messages.SUBCLOUD_MOVE_FROM_NON_PRIMARY);
          }
          SubcloudPeerGroup target =
              join.group().orElseThrow(() -> new ValidationException(Messages.INVALID_PEER_GROUP));
          if (!facts.fromPeerSite()) {
            if (!target.isPrimary()) {
              throw new ValidationException(Messages.SUBCLOUD_GROUP_NON_ZERO_PRIORITY);
            }
            if (!facts.ledHere(target)) {
              throw new ValidationException(Messages.SUBCLOUD_GROUP_NOT_LEADER);
            }
            if (!readyForGroup(facts.current())) {
              throw new ValidationException(Messages.SUBCLOUD_GROUP_NOT_READY);
            }
          }
          plan.joinPeerGroup(target.id());
        }
      };

  /**
   * Who may change a subcloud of a peer group, for a request that leaves its membership alone
   * (joining and leaving are {@link #PEER_GROUP_MEMBERSHIP}'s to judge). A peer site always may:
   * its sync, migration and audit keep this site's copies. On a non-primary site (group priority
   * above 0) an operator may only correct the bootstrap values and address, and only of a subcloud
   * whose rehome failed while the primary site is unavailable: that is how an address that made a
   * migration fail is fixed while the primary is down (the seed fix); the correction puts this
   * site's associations of the group out-of-sync, here only, since the primary cannot be told. On
   * the primary site only the group's leader may change its subclouds: the sync that must follow
   * can only run there.
   *
   * <p>Answers as upstream does: on a non-primary site a request without any bootstrap value or
   * address hears the non-primary refusal; one with them hears first about any other field it
   * names, then about the conditions. Empty values and a blank address count as not given, while
   * any other field counts as soon as it is given, even false or empty.
   */
  public static final UpdateStep PEER_GROUP_OWNERSHIP =
      (facts, plan) -> {
        Optional<SubcloudPeerGroup> currentGroup = facts.currentGroup();
        if (facts.fromPeerSite()
            || currentGroup.isEmpty()
            || !(facts.peerGroup() instanceof PeerGroupRequest.Unchanged)) {
          return;
        }
        SubcloudPeerGroup group = currentGroup.get();
        if (!group.isPrimary()) {
          SubcloudUpdate r = facts.request();
          if (!bootstrapGiven(r)) {
            throw new ValidationException(Messages.SUBCLOUD_UPDATE_NON_PRIMARY);
          }
          if (!onlyBootstrapFields(r)) {
            throw new ValidationException(Messages.SUBCLOUD_UPDATE_ONLY_BOOTSTRAP);
          }
          if (facts.current().deployStatus() != DeployStatus.REHOME_FAILED
              || facts.currentGroupPeerAvailable()) {
            throw new ValidationException(Messages.SUBCLOUD_UPDATE_BOOTSTRAP_CONDITIONS);
          }
          plan.outOfSyncHere(group.id());
          return;
        }
        if (!facts.ledHere(group)) {
          throw new ValidationException(Messages.SUBCLOUD_UPDATE_NOT_LEADER);
        }
      };

  /**
   * The deploy status asked for, directly or with the migrate option. An operator may only ask for
   * rehome-pending; a peer site also for the other geo-redundancy states. Rehome-pending needs the
   * subcloud unmanaged or being unmanaged and, for an operator, deployed (complete); a peer site
   * may ask it of a copy in any state, as a site migrating a group back finds its twin
   * rehome-failed after an earlier attempt. Asking for the status the subcloud already has changes
   * nothing and is no error.
   */
  public static final UpdateStep DEPLOY_STATUS_REQUEST =
      (facts, plan) -> {
        SubcloudUpdate r = facts.request();
        Subcloud current = facts.current();
        DeployStatus asked = null;
        if (r.deployStatus() != null) {
          asked =
              DeployStatus.fromWire(r.deployStatus())
                  .orElseThrow(() -> new ValidationException(Messages.INVALID_DEPLOY_STATUS));
        }
        if (Boolean.TRUE.equals(r.migrate())) {
          if (asked != null && asked != DeployStatus.REHOME_PENDING) {
            throw new ValidationException(Messages.migrateWithDeployStatus(asked.wire()));
          }
          asked = DeployStatus.REHOME_PENDING;
        }
        if (asked == null) {
          return;
        }
        Set<DeployStatus> allowed =
            facts.fromPeerSite() ? PEER_DEPLOY_STATUSES : OPERATOR_DEPLOY_STATUSES;
        if (!allowed.contains(asked)) {
          throw new ValidationException(Messages.deployStatusNotAllowed(asked.wire()));
        }
        if (asked == DeployStatus.REHOME_PENDING) {
          handOverTarget(facts, plan);
        }
        if (asked == current.deployStatus()) {
          return;
        }
        if (asked == DeployStatus.REHOME_PENDING) {
          String message = null;
          if (!facts.fromPeerSite() && current.deployStatus() != DeployStatus.COMPLETE) {
            message = Messages.REHOME_PENDING_NEEDS_COMPLETE;
          }
          Optional<ManagementState> wanted = ManagementState.fromWire(r.managementState());
          boolean staysManaged =
              r.managementState() != null
                  ? wanted.orElse(null) != ManagementState.UNMANAGED
                  : current.managementState() != ManagementState.UNMANAGED;
          if (staysManaged) {
            // Being managed is the more basic obstacle, so it is the one the caller hears.
            message = Messages.REHOME_PENDING_NEEDS_UNMANAGED;
          }
          if (message != null) {
            throw new ValidationException(message);
          }
        }
        plan.deployStatus(asked);
      };

  /**
   * To whom a subcloud asked to be rehome-pending is handed over (ADR 0030). A site that identified
   * itself ({@link Caller#peerSite(String)}) takes it for its migration; without a witness, one
   * whose subcloud is already handed over to another site's migration is refused with 409 (that
   * migration may be rehoming it), and asking again for its own hand-over changes nothing. With a
   * witness the newest leader epoch decides instead: a caller carrying one takes the subcloud over
   * from an older tenure's migration. An operator asking for rehome-pending releases it to
   * whichever site migrates the group next (the way out when the site it was handed over to is
   * gone); a peer site not identified keeps what is recorded.
   */
  private static void handOverTarget(UpdateFacts facts, SubcloudUpdatePlan plan) {
    Caller caller = facts.caller();
    if (!caller.isPeerSite()) {
      plan.handedOverTo(null);
      return;
    }
    Optional<String> asker = caller.systemPeerUuid();
    if (asker.isEmpty()) {
      return;
    }
    Subcloud current = facts.current();
    String held =
        current.deployStatus() == DeployStatus.REHOME_PENDING ? current.handedOverTo() : null;
    if (held != null && !held.equalsIgnoreCase(asker.get()) && caller.leaderEpoch().isEmpty()) {
      throw new ConflictException(
          Messages.subcloudHandedOverElsewhere(current.name(), facts.handedOverToName()));
    }
    plan.handedOverTo(asker.get());
  }

  /**
   * The management state asked for: it must be managed or unmanaged; an operator may not change it
   * for a subcloud in a peer group (the group's leader and migration decide); {@code force} goes
   * only with managed.
   */
  public static final UpdateStep MANAGEMENT_REQUEST =
      (facts, plan) -> {
        SubcloudUpdate r = facts.request();
        ManagementState wanted = null;
        if (r.managementState() != null) {
          wanted =
              ManagementState.fromWire(r.managementState())
                  .orElseThrow(() -> new ValidationException(Messages.INVALID_MANAGEMENT_STATE));
          if (facts.current().peerGroupId() != null && !facts.fromPeerSite()) {
            throw new ValidationException(Messages.SUBCLOUD_MANAGEMENT_IN_GROUP);
          }
        }
        if (Boolean.TRUE.equals(r.force()) && wanted != ManagementState.MANAGED) {
          throw new ValidationException(Messages.INVALID_FORCE_OPTION);
        }
        plan.managementState(wanted);
      };

  /**
   * Whether the subcloud may take the asked management state: not the one it has; managing needs it
   * deployed (complete, or rehome-pending, which then returns to complete) and online unless
   * rehome-pending; {@code force} skips both.
   */
  public static final UpdateStep MANAGEMENT_TRANSITION =
      (facts, plan) -> {
        ManagementState wanted = plan.managementState();
        if (wanted == null) {
          return;
        }
        Subcloud current = facts.current();
        if (wanted == ManagementState.UNMANAGED) {
          if (current.managementState() == ManagementState.UNMANAGED) {
            throw new ValidationException(Messages.alreadyUnmanaged(current.name()));
          }
          return;
        }
        if (current.managementState() == ManagementState.MANAGED) {
          throw new ValidationException(Messages.alreadyManaged(current.name()));
        }
        boolean rehomePending = current.deployStatus() == DeployStatus.REHOME_PENDING;
        if (rehomePending && plan.deployStatus() == null) {
          plan.deployStatus(DeployStatus.COMPLETE);
        }
        if (Boolean.TRUE.equals(facts.request().force())) {
          return;
        }
        boolean handedBack = rehomePending && plan.deployStatus() == DeployStatus.COMPLETE;
        if (current.deployStatus() != DeployStatus.COMPLETE && !handedBack) {
          throw new ValidationException(Messages.unableToManage(current.name()));
        }
        if (current.availabilityStatus() != AvailabilityStatus.ONLINE && !rehomePending) {
          throw new ValidationException(Messages.SUBCLOUD_NOT_ONLINE);
        }
      };

  /**
   * New bootstrap values and address go into the rehome data. An operator uploads admin_password in
   * clear, so it is encoded; a peer site sends its own saved payload, already encoded.
   */
  public static final UpdateStep REHOME_DATA =
      (facts, plan) -> {
        SubcloudUpdate r = facts.request();
        if (!RehomeDataBuilder.hasValues(r.bootstrapValues())
            && RehomeDataBuilder.blankToNull(r.bootstrapAddress()) == null) {
          return;
        }
        plan.rehomeData(
            RehomeDataBuilder.forUpdate(
                facts.current().rehomeData(),
                r.bootstrapValues(),
                r.bootstrapAddress(),
                !facts.fromPeerSite()));
      };

  /**
   * A deploy status changes only while the subcloud is or becomes unmanaged, and a subcloud being
   * managed can only become complete: a managed secondary or rehome-pending subcloud would be
   * managed from two sites.
   */
  public static final UpdateStep DEPLOY_STATUS_TRANSITION =
      (facts, plan) -> {
        DeployStatus status = plan.deployStatus();
        if (status == null) {
          return;
        }
        Subcloud current = facts.current();
        if (plan.managementState() != ManagementState.UNMANAGED
            && current.managementState() != ManagementState.UNMANAGED) {
          throw new ValidationException(
              Messages.deployStatusNeedsUnmanaged(current.name(), status.wire()));
        }
        if (plan.managementState() == ManagementState.MANAGED && status != DeployStatus.COMPLETE) {
          throw new ValidationException(
              Messages.manageWithDeployStatus(current.name(), status.wire()));
        }
      };

  /**
   * Which primary groups an operator's accepted update puts out-of-sync with their peers: the group
   * the subcloud is in when this site leads it, and the group it joins (which the membership rule
   * only lets an operator join when this site leads it). Leaving or moving out of a group counts
   * for the group left, since the peer still holds a copy there. A peer site's request marks
   * nothing: it is itself the sync or the audit that keeps the sites alike. Nothing is marked
   * unless the update changes the subcloud; the service checks that after the write.
   */
  public static final UpdateStep SYNC_MARKS =
      (facts, plan) -> {
        if (facts.fromPeerSite()) {
          return;
        }
        facts
            .currentGroup()
            .filter(group -> group.isPrimary() && facts.ledHere(group))
            .ifPresent(group -> plan.outOfSyncOnBothSites(group.id()));
        if (facts.peerGroup() instanceof PeerGroupRequest.Join join) {
          join.group()
              .filter(group -> group.isPrimary() && facts.ledHere(group))
              .ifPresent(group -> plan.outOfSyncOnBothSites(group.id()));
        }
      };

  /** Every rule, in the order they run. */
  public static final List<UpdateStep> STEPS =
      List.of(
          REQUEST_SHAPE,
          PEER_GROUP_MEMBERSHIP,
          PEER_GROUP_OWNERSHIP,
          DEPLOY_STATUS_REQUEST,
          MANAGEMENT_REQUEST,
          MANAGEMENT_TRANSITION,
          REHOME_DATA,
          DEPLOY_STATUS_TRANSITION,
          SYNC_MARKS);

  /**
   * Runs rules over the facts.
   *
   * @param facts what the rules look at
   * @param steps the rules, in order
   * @return the decisions
   * @throws io.geored.spi.GeoredException from the first rule that refuses
   */
  public static SubcloudUpdatePlan evaluate(UpdateFacts facts, List<UpdateStep> steps) {
    SubcloudUpdatePlan plan = new SubcloudUpdatePlan();
    for (UpdateStep step : steps) {
      step.apply(facts, plan);
    }
    return plan;
  }

  /** Whether the request carries bootstrap values or an address (empty ones do not count). */
  private static boolean bootstrapGiven(SubcloudUpdate r) {
    return RehomeDataBuilder.hasValues(r.bootstrapValues())
        || RehomeDataBuilder.blankToNull(r.bootstrapAddress()) != null;
  }

  /**
   * Whether the request names no field but the bootstrap ones. A field counts when it is given at
   * all, even as false or empty, as upstream counts every key of the request body.
   */
  private static boolean onlyBootstrapFields(SubcloudUpdate r) {
    return r.managementState() == null
        && r.force() == null
        && r.migrate() == null
        && r.peerGroup() == null
        && r.description() == null
        && r.location() == null
        && r.groupId() == null
        && r.installValues() == null
        && r.release() == null
        && r.deployStatus() == null;
  }

  private static boolean readyForGroup(Subcloud subcloud) {
    return subcloud.deployStatus() == DeployStatus.COMPLETE
        && subcloud.managementState() == ManagementState.MANAGED
        && subcloud.availabilityStatus() == AvailabilityStatus.ONLINE;
  }
}
