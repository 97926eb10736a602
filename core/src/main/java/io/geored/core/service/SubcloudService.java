package io.geored.core.service;

import io.geored.core.failover.HandOverGuard;
import io.geored.core.internal.Cas;
import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.Lookups;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.core.subcloud.PeerGroupRequest;
import io.geored.core.subcloud.RehomeDataBuilder;
import io.geored.core.subcloud.SubcloudAlarms;
import io.geored.core.subcloud.SubcloudFields;
import io.geored.core.subcloud.SubcloudUpdatePlan;
import io.geored.core.subcloud.SubcloudUpdateRules;
import io.geored.core.subcloud.UpdateFacts;
import io.geored.core.subcloud.UpdateStep;
import io.geored.core.sync.StatusPropagation;
import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.OperationFailedException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.SubcloudStore;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;

/**
 * Subclouds: register, read, update under the peer-group rules, delete. Thread-safe: every write is
 * a compare-and-set inside a transaction, and the rules are re-run on the record each attempt
 * reads.
 *
 * <p>Log lines name subclouds and states only: a subcloud's install values and rehome data may hold
 * passwords, so records are never logged whole.
 */
public class SubcloudService {

  private static final Logger LOG = EscapingLogger.of(SubcloudService.class);

  private static final String RESOURCE = "subcloud";

  private final SiteContext context;
  private final Lookups lookups;
  private final StateEvents events;
  private final List<UpdateStep> updateSteps;
  private final StatusPropagation propagation;
  private final HandOverGuard handOverGuard;

  /**
   * Creates the service.
   *
   * @param context the engine's ports
   */
  @Inject
  public SubcloudService(SiteContext context) {
    this.context = context;
    this.lookups = new Lookups(context.stores());
    this.handOverGuard = new HandOverGuard(context);
    this.events = new StateEvents(context);
    this.updateSteps = SubcloudUpdateRules.STEPS;
    this.propagation = new StatusPropagation(context);
  }

  /**
   * Registers a subcloud. Without {@code secondary} it is one the host has deployed: complete,
   * unmanaged and offline until the availability audit finds it. With {@code secondary} it is a
   * copy a peer site keeps here for a later migration: secondary, unmanaged, offline. Rehome data
   * is built from the bootstrap values when they are given.
   *
   * @param caller who asks
   * @param request the subcloud's values
   * @return the stored subcloud
   * @throws ValidationException for a missing body, a bad name or region, a text too long, or an
   *     address without bootstrap values
   * @throws ConflictException when the name or the region name is taken
   */
  public Subcloud create(Caller caller, SubcloudCreate request) {
    if (request == null) {
      throw new ValidationException(Messages.BODY_REQUIRED);
    }
    String name = SubcloudFields.requireName(request.name());
    String region = SubcloudFields.requireRegionName(request.regionName());
    SubcloudFields.optionalText("description", request.description());
    SubcloudFields.optionalText("location", request.location());
    SubcloudFields.optionalText("release", request.release());
    RehomeData rehomeData =
        RehomeDataBuilder.forCreate(
            request.bootstrapValues(), request.bootstrapAddress(), !caller.isPeerSite());
    Subcloud draft =
        Subcloud.builder()
            .name(name)
            .regionName(region)
            .description(request.description())
            .location(request.location())
            .softwareVersion(request.release())
            .managementState(ManagementState.UNMANAGED)
            .availabilityStatus(AvailabilityStatus.OFFLINE)
            .deployStatus(request.secondary() ? DeployStatus.SECONDARY : DeployStatus.COMPLETE)
            .groupId(request.groupId())
            .rehomeData(rehomeData)
            .installValues(request.installValues())
            .createdAt(context.now())
            .build();
    SubcloudStore store = context.stores().subclouds();
    Subcloud saved =
        context
            .stores()
            .transactions()
            .inTransaction(
                () -> {
                  if (store.findByName(name).isPresent()) {
                    throw new ConflictException(Messages.subcloudNameExists(name));
                  }
                  if (store.findByRegionName(region).isPresent()) {
                    throw new ConflictException(Messages.subcloudRegionExists(region));
                  }
                  return store
                      .insert(draft)
                      .orElseThrow(result -> refusedInsert(result, name, region));
                });
    events.subcloud(null, saved);
    LOG.info(
        "subcloud registered name={} region={} deploy_status={} caller={}",
        saved.name(),
        saved.regionName(),
        saved.deployStatus().wire(),
        caller);
    return saved;
  }

  /**
   * The witness rules this service's engine follows.
   *
   * @return the engine's leadership component
   */
  public io.geored.core.leader.Leadership leadership() {
    return context.leadership();
  }

  /**
   * Finds a subcloud.
   *
   * @param caller who asks; a peer site's non-numeric ref is a region name
   * @param ref an id (digits) or a name
   * @return the subcloud
   * @throws NotFoundException {@link Messages#SUBCLOUD_NOT_FOUND}
   */
  public Subcloud get(Caller caller, String ref) {
    return lookups.subcloud(caller, ref);
  }

  /**
   * Every subcloud of this site.
   *
   * @param caller who asks
   * @return ordered by id
   */
  public List<Subcloud> list(Caller caller) {
    return context.stores().subclouds().findAll();
  }

  /**
   * Changes a subcloud under the rules of {@link SubcloudUpdateRules}. A request whose values are
   * the current ones is answered with the subcloud unchanged (no write, no association marked). A
   * changed management state is told to the host's state listener after the write; when the
   * listener throws, the management state and deploy status are put back and the caller gets an
   * {@link OperationFailedException} carrying the listener's exception as its cause.
   *
   * <p>After a change an operator made to a subcloud of a primary group this site leads (or made by
   * adding a subcloud to such a group or taking it out), every association of the group goes
   * out-of-sync on both sites, and the answer's info message names the sync command to run for each
   * ({@link Messages#outOfSyncInfo}). This calls the peer sites, after the write has committed. The
   * seed fix's correction on a non-primary site puts that site's associations out-of-sync without
   * calling the peer, and carries no info message.
   *
   * @param caller who asks
   * @param ref an id (digits) or a name; a peer site's non-numeric ref is a region name
   * @param request what to change
   * @return the subcloud after the update, with the out-of-sync note when groups were marked
   * @throws NotFoundException when the subcloud does not exist
   * @throws ValidationException when a rule refuses the request; nothing is changed
   * @throws OperationFailedException when the state listener refused the change
   */
  public WithInfo<Subcloud> update(Caller caller, String ref, SubcloudUpdate request) {
    Subcloud found = lookups.subcloud(caller, ref);
    if (request == null) {
      throw new ValidationException(Messages.BODY_REQUIRED);
    }
    if (request.managementState() != null
        && ManagementState.fromWire(request.managementState()).orElse(null)
            == ManagementState.MANAGED) {
      // With a witness, managing a member needs this site to hold its group's lease.
      context.leadership().requireLeadToManage(found.peerGroupId());
    }
    if (Boolean.TRUE.equals(request.migrate())) {
      // Before the write, outside its transaction: the guard may ask other peer sites.
      handOverGuard.check(caller, found);
    }
    Subcloud[] read = new Subcloud[1];
    SubcloudUpdatePlan[] decided = new SubcloudUpdatePlan[1];
    SubcloudStore store = context.stores().subclouds();
    Subcloud after =
        context
            .stores()
            .transactions()
            .inTransaction(
                () ->
                    // From the record just looked up, without reading it again: a stale write
                    // reads it and retries as before, casRetries writes in all.
                    Cas.update(
                        context.settings().casRetries() - 1,
                        found,
                        () -> store.findById(found.id()),
                        current -> {
                          read[0] = current;
                          SubcloudUpdatePlan plan =
                              SubcloudUpdateRules.evaluate(
                                  facts(caller, current, request), updateSteps);
                          // The plan of the attempt that wins is the one whose marks apply.
                          decided[0] = plan;
                          return plan.applyTo(current, request, context.now());
                        },
                        // The plan hands back the record it read when nothing changes: no write.
                        candidate ->
                            candidate == read[0]
                                ? new StoreResult.Saved<>(candidate)
                                : store.update(candidate),
                        // Name and region never change here, so no uniqueness rule can refuse.
                        key ->
                            new ConflictException(
                                Messages.changedConcurrently(RESOURCE, found.name())),
                        RESOURCE,
                        found.name(),
                        Messages.SUBCLOUD_NOT_FOUND));
    Subcloud before = read[0];
    if (after == before) {
      LOG.debug("subcloud update changed nothing name={} caller={}", after.name(), caller);
      return WithInfo.of(after);
    }
    events.subcloud(before, after);
    LOG.info(
        "subcloud updated name={} management_state={} deploy_status={} peer_group_id={}"
            + " caller={}",
        after.name(),
        after.managementState().wire(),
        after.deployStatus().wire(),
        after.peerGroupId(),
        caller);
    // Marked before the state listener hears of it: the associations must reflect what is stored
    // even when the listener refuses a management change.
    String info = markOutOfSync(decided[0], after);
    if (before.managementState() != after.managementState()) {
      tellManagementChange(before, after);
    }
    if (before.availabilityStatus() != after.availabilityStatus()) {
      tellAvailabilityChange(before, after);
    }
    if (after.deployStatus() == DeployStatus.SECONDARY
        && before.deployStatus() != DeployStatus.SECONDARY) {
      clearOwnAlarms(after.name());
    }
    return new WithInfo<>(after, info);
  }

  /**
   * Applies the plan's sync marks once the subcloud is stored.
   *
   * @return the info message for the operator, empty when no primary group was marked
   */
  private String markOutOfSync(SubcloudUpdatePlan plan, Subcloud after) {
    for (long groupId : plan.groupsOutOfSyncHere()) {
      for (PeerGroupAssociation association :
          context.stores().associations().findByPeerGroup(groupId)) {
        if (association.syncStatus() == SyncStatus.OUT_OF_SYNC
            && association.syncMessage() == null) {
          // Already says so; a write would only bump its version.
          continue;
        }
        try {
          propagation.setLocalStatus(association.id(), SyncStatus.OUT_OF_SYNC, null);
          LOG.info(
              "association out-of-sync locally after a non-primary correction association_id={}"
                  + " subcloud={}",
              association.id(),
              after.name());
        } catch (RuntimeException e) {
          // Not thrown, for the reason markGroup gives: the correction is already stored.
          LOG.warn(
              "marking association out-of-sync locally failed association_id={} subcloud={}"
                  + " error_type={}",
              association.id(),
              after.name(),
              e.getClass().getName(),
              e);
        }
      }
    }
    TreeSet<Long> associationIds = new TreeSet<>();
    for (long groupId : plan.groupsOutOfSyncOnBothSites()) {
      associationIds.addAll(markGroup(groupId, after));
    }
    if (!associationIds.isEmpty()) {
      LOG.info(
          "peer group associations out-of-sync after a subcloud update association_ids={}"
              + " subcloud={}",
          associationIds,
          after.name());
    }
    return Messages.outOfSyncInfo(List.copyOf(associationIds));
  }

  /**
   * Marks one group; a failure to write the local status is logged, not thrown: the subcloud is
   * already stored, so an error would send the operator to retry an update that then changes
   * nothing and marks nothing. The group's associations are still named in the info message, so the
   * operator runs the sync that brings the sites together again.
   */
  private List<Long> markGroup(long groupId, Subcloud after) {
    try {
      return propagation.setGroupStatus(groupId, SyncStatus.OUT_OF_SYNC);
    } catch (RuntimeException e) {
      LOG.warn(
          "marking peer group associations out-of-sync failed peer_group_id={} subcloud={}"
              + " error_type={}",
          groupId,
          after.name(),
          e.getClass().getName(),
          e);
      return context.stores().associations().findByPeerGroup(groupId).stream()
          .map(PeerGroupAssociation::id)
          .toList();
    }
  }

  /**
   * Deletes a subcloud. Refused, in this order: while an operator asks and it is managed, while
   * work runs on it (a transitory deploy status, or rehome-pending), while an operator asks and it
   * is in a peer group, while it is managed, while it is online. A peer site may delete its copies
   * in a group: that is how a sync removes what the peer's group no longer has. The subcloud's own
   * alarms are cleared with it.
   *
   * @param caller who asks
   * @param ref an id (digits) or a name; a peer site's non-numeric ref is a region name
   * @throws NotFoundException when the subcloud does not exist
   * @throws ValidationException when a rule refuses; nothing is changed
   */
  public void delete(Caller caller, String ref) {
    Subcloud found = lookups.subcloud(caller, ref);
    SubcloudStore store = context.stores().subclouds();
    Subcloud deleted =
        context
            .stores()
            .transactions()
            .inTransaction(
                () -> {
                  // Checked again on the record read here, so a concurrent manage cannot slip in.
                  Subcloud current =
                      store
                          .findById(found.id())
                          .orElseThrow(() -> new NotFoundException(Messages.SUBCLOUD_NOT_FOUND));
                  checkDeletable(caller, current);
                  if (!store.delete(current.id())) {
                    throw new NotFoundException(Messages.SUBCLOUD_NOT_FOUND);
                  }
                  return current;
                });
    events.subcloud(deleted, null);
    clearOwnAlarms(deleted.name());
    LOG.info(
        "subcloud deleted name={} region={} caller={}",
        deleted.name(),
        deleted.regionName(),
        caller);
  }

  private static void checkDeletable(Caller caller, Subcloud subcloud) {
    boolean managed = subcloud.managementState() == ManagementState.MANAGED;
    if (managed && !caller.isPeerSite()) {
      throw new ValidationException(Messages.SUBCLOUD_DELETE_MANAGED);
    }
    if (isActiveOperation(subcloud.deployStatus())) {
      throw new ValidationException(Messages.SUBCLOUD_DELETE_ACTIVE_OPERATION);
    }
    if (subcloud.peerGroupId() != null && !caller.isPeerSite()) {
      throw new ValidationException(Messages.SUBCLOUD_DELETE_IN_GROUP);
    }
    if (managed) {
      throw new ValidationException(Messages.SUBCLOUD_MUST_BE_UNMANAGED);
    }
    if (subcloud.availabilityStatus() == AvailabilityStatus.ONLINE) {
      throw new ValidationException(Messages.SUBCLOUD_MUST_BE_POWERED_DOWN);
    }
  }

  /**
   * Whether work runs on a subcloud in this deploy status: every transitory status (deploy,
   * install, bootstrap, config, data migration, restore, pre-rehome, rehoming) and rehome-pending,
   * where a peer site is handing the subcloud over or has just taken it. Such a subcloud is never
   * deleted, by an operator or by a peer: the hand-over would lose its record half-way.
   */
  static boolean isActiveOperation(DeployStatus status) {
    return status.isTransitory() || status == DeployStatus.REHOME_PENDING;
  }

  private UpdateFacts facts(Caller caller, Subcloud current, SubcloudUpdate request) {
    Optional<SubcloudPeerGroup> group =
        current.peerGroupId() == null
            ? Optional.empty()
            : context.stores().peerGroups().findById(current.peerGroupId());
    boolean peerAvailable = group.map(this::hasAvailablePeer).orElse(false);
    return new UpdateFacts(
        caller,
        current,
        request,
        context.localSystem().uuid(),
        group,
        peerAvailable,
        PeerGroupRequest.of(request.peerGroup(), lookups::findPeerGroup),
        current.handedOverTo() == null
            ? null
            : context
                .stores()
                .systemPeers()
                .findByUuid(current.handedOverTo())
                .map(SystemPeer::peerName)
                .orElse(current.handedOverTo()));
  }

  /** A group without any association counts as having its peer available (refuse, to be safe). */
  private boolean hasAvailablePeer(SubcloudPeerGroup group) {
    List<PeerGroupAssociation> associations =
        context.stores().associations().findByPeerGroup(group.id());
    if (associations.isEmpty()) {
      return true;
    }
    return associations.stream()
        .map(a -> context.stores().systemPeers().findById(a.systemPeerId()))
        .flatMap(Optional::stream)
        .anyMatch(SystemPeer::isAvailable);
  }

  /**
   * Tells the host; when it refuses, puts the management state and deploy status back (a managed
   * subcloud the host does not know it manages, or a managed secondary, must not stay).
   */
  private void tellManagementChange(Subcloud before, Subcloud after) {
    try {
      context.stateListener().managementStateChanged(before, after);
      return;
    } catch (RuntimeException refused) {
      // The listener's own message may carry host details; only its type is logged here, and the
      // exception itself travels as the cause.
      LOG.warn(
          "state listener refused management change, reverting name={} from={} to={}"
              + " error_type={}",
          after.name(),
          before.managementState().wire(),
          after.managementState().wire(),
          refused.getClass().getName());
      try {
        revertManagement(before, after);
      } catch (RuntimeException revertFailed) {
        refused.addSuppressed(revertFailed);
        LOG.error(
            "reverting management change failed name={} error_type={}",
            after.name(),
            revertFailed.getClass().getName());
        throw new OperationFailedException(
            Messages.managementStateRevertFailed(after.name()), refused);
      }
      throw new OperationFailedException(Messages.managementStateReverted(after.name()), refused);
    }
  }

  private void revertManagement(Subcloud before, Subcloud after) {
    SubcloudStore store = context.stores().subclouds();
    Subcloud[] read = new Subcloud[1];
    Subcloud reverted =
        Cas.update(
            context.settings().casRetries(),
            () -> store.findById(after.id()),
            current -> {
              read[0] = current;
              return current.toBuilder()
                  .managementState(before.managementState())
                  .deployStatus(before.deployStatus())
                  .updatedAt(context.now())
                  .build();
            },
            store::update,
            key -> new ConflictException(Messages.changedConcurrently(RESOURCE, after.name())),
            RESOURCE,
            after.name(),
            Messages.SUBCLOUD_NOT_FOUND);
    events.subcloud(read[0], reverted);
    LOG.info(
        "subcloud management change reverted name={} management_state={} deploy_status={}",
        reverted.name(),
        reverted.managementState().wire(),
        reverted.deployStatus().wire());
  }

  /** An availability change is told for information; a refusal does not undo it. */
  private void tellAvailabilityChange(Subcloud before, Subcloud after) {
    try {
      context.stateListener().availabilityChanged(before, after);
    } catch (RuntimeException e) {
      LOG.warn(
          "state listener failed on availability change name={} error_type={}",
          after.name(),
          e.getClass().getName());
    }
  }

  private void clearOwnAlarms(String name) {
    for (SubcloudAlarms.OwnAlarm alarm : SubcloudAlarms.of(name)) {
      context.clearAlarm(alarm.alarmId(), alarm.entityInstance());
    }
  }

  private static RuntimeException refusedInsert(
      StoreResult<Subcloud> result, String name, String region) {
    if (result instanceof StoreResult.Duplicate<Subcloud> duplicate) {
      return new ConflictException(
          SubcloudStore.UNIQUE_REGION.equals(duplicate.key())
              ? Messages.subcloudRegionExists(region)
              : Messages.subcloudNameExists(name));
    }
    return new ConflictException(Messages.changedConcurrently(RESOURCE, name));
  }
}
