package io.geored.core.service;

import io.geored.core.internal.Cas;
import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.Lookups;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.core.rules.FieldRules;
import io.geored.core.rules.PeerGroupRules;
import io.geored.core.rules.Require;
import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.OperationFailedException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AssociationUpdate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.WorkProgress;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.store.StoreResult;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Peer-group associations: create, read, update, delete. An association is primary on the site that
 * owns the group (priority 0) and non-primary on the peer site that holds the copy; the type
 * follows from the group, never from the request. Thread-safe; holds no state of its own.
 */
public class AssociationService {

  private static final Logger LOG = EscapingLogger.of(AssociationService.class);

  private final SiteContext context;
  private final Lookups lookups;
  private final StateEvents events;

  /**
   * Creates the service.
   *
   * @param context the engine's ports
   */
  @Inject
  public AssociationService(SiteContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.lookups = new Lookups(context.stores());
    this.events = new StateEvents(context);
  }

  /**
   * Associates a local peer group with a system peer. On the group's own site (priority 0) the
   * caller gives the priority the group gets on the peer, and the association is primary; on a site
   * holding a copy, no priority is given and it is non-primary. Either starts syncing: a primary
   * one until its sync ends, a non-primary one until the primary site reports the outcome.
   *
   * @param caller who asks
   * @param request the group, the peer and the priority, unchecked
   * @return the stored association
   * @throws ValidationException for a missing body, an unknown group or peer, a bad or misplaced
   *     priority, or an association that already exists for the pair
   */
  public PeerGroupAssociation create(Caller caller, AssociationCreate request) {
    Require.that(request != null, Messages.BODY_REQUIRED);
    Instant now = context.now();
    // Checked and inserted in one transaction so that the group and the peer cannot be deleted
    // between the check and the insert.
    PeerGroupAssociation saved =
        context
            .stores()
            .transactions()
            .inTransaction(
                () -> {
                  SubcloudPeerGroup group =
                      Require.present(
                          Optional.ofNullable(request.peerGroupId())
                              .flatMap(id -> context.stores().peerGroups().findById(id)),
                          Messages.INVALID_PEER_GROUP_ID);
                  Require.that(
                      request.systemPeerId() != null
                          && context
                              .stores()
                              .systemPeers()
                              .findById(request.systemPeerId())
                              .isPresent(),
                      Messages.INVALID_SYSTEM_PEER_ID);
                  Integer priority = request.peerGroupPriority();
                  if (priority != null) {
                    Require.that(isValidPriority(priority), Messages.INVALID_PEER_GROUP_PRIORITY);
                  }
                  boolean primary = PeerGroupRules.isPrimary(group.groupPriority());
                  Require.that(primary == (priority != null), Messages.ASSOCIATION_PRIORITY_RULE);
                  Require.that(
                      context
                          .stores()
                          .associations()
                          .findByGroupAndPeer(group.id(), request.systemPeerId())
                          .isEmpty(),
                      Messages.ASSOCIATION_EXISTS);
                  PeerGroupAssociation candidate =
                      PeerGroupAssociation.builder()
                          .peerGroupId(group.id())
                          .systemPeerId(request.systemPeerId())
                          .peerGroupPriority(priority)
                          .associationType(
                              primary ? AssociationType.PRIMARY : AssociationType.NON_PRIMARY)
                          .syncStatus(SyncStatus.SYNCING)
                          .syncMessage(null)
                          .createdAt(now)
                          .build();
                  StoreResult<PeerGroupAssociation> result =
                      context.stores().associations().insert(candidate);
                  if (result instanceof StoreResult.Duplicate<PeerGroupAssociation>) {
                    throw new ValidationException(Messages.ASSOCIATION_EXISTS);
                  }
                  return result.orElseThrow(
                      other ->
                          new OperationFailedException("Unable to create peer group association"));
                });
    events.association(null, saved);
    LOG.info(
        "association created id={} peer_group_id={} system_peer_id={} type={} priority={}"
            + " caller={}",
        saved.id(),
        saved.peerGroupId(),
        saved.systemPeerId(),
        saved.associationType().wire(),
        saved.peerGroupPriority(),
        caller);
    return saved;
  }

  /**
   * How far the association's latest sync on this engine has come.
   *
   * @param caller who asks
   * @param id the association
   * @return the progress, zero counts when this engine ran no sync of it
   */
  public WorkProgress syncProgress(Caller caller, long id) {
    PeerGroupAssociation association = lookups.association(id);
    String status = association.syncStatus().wire();
    return context
        .progress()
        .sync(association.id(), status)
        .orElseGet(() -> WorkProgress.none(status));
  }

  /**
   * One association.
   *
   * @param caller who asks
   * @param id its id
   * @return the association
   * @throws io.geored.spi.NotFoundException when there is none
   */
  public PeerGroupAssociation get(Caller caller, long id) {
    return lookups.association(id);
  }

  /**
   * Every association.
   *
   * @param caller who asks
   * @return ordered by id
   */
  public List<PeerGroupAssociation> list(Caller caller) {
    return context.stores().associations().findAll();
  }

  /**
   * Changes an association: the priority of a primary one, or the sync status of a non-primary one
   * (which its primary site reports), never both at once. A failed status carries "Primary
   * association sync to current site failed."; any other status clears the message. Values equal to
   * the current ones are no change.
   *
   * @param caller who asks
   * @param id the association's id
   * @param request the field to change, unchecked
   * @return the association
   * @throws ValidationException for a missing body, no field, both fields, a bad value, or a field
   *     the association's type does not allow
   * @throws io.geored.spi.NotFoundException when there is no such association
   * @throws ConflictException when the association kept changing concurrently
   */
  public PeerGroupAssociation update(Caller caller, long id, AssociationUpdate request) {
    PeerGroupAssociation found = lookups.association(id);
    Require.that(request != null, Messages.BODY_REQUIRED);
    Integer priority = request.peerGroupPriority();
    String status = request.syncStatus();
    Require.that(priority != null || status != null, Messages.NOTHING_TO_UPDATE);
    Require.that(priority == null || status == null, Messages.ASSOCIATION_PRIORITY_AND_STATUS);
    boolean primary = found.associationType() == AssociationType.PRIMARY;
    SyncStatus syncStatus = null;
    if (priority != null) {
      Require.that(isValidPriority(priority), Messages.INVALID_PEER_GROUP_PRIORITY);
      Require.that(primary, Messages.ASSOCIATION_PRIORITY_NON_PRIMARY);
    } else {
      syncStatus = Require.present(SyncStatus.fromWire(status), Messages.INVALID_SYNC_STATUS);
      Require.that(!primary, Messages.ASSOCIATION_STATUS_PRIMARY);
    }
    Change change = new Change(priority, syncStatus);

    boolean unchanged =
        priority != null
            ? priority.equals(found.peerGroupPriority())
            : change.applyTo(found).equals(found);
    if (unchanged) {
      return found;
    }
    Instant now = context.now();
    PeerGroupAssociation[] before = new PeerGroupAssociation[1];
    PeerGroupAssociation after =
        Cas.update(
            context.settings().casRetries(),
            () -> context.stores().associations().findById(id),
            current -> {
              before[0] = current;
              PeerGroupAssociation changed = change.applyTo(current);
              return changed.equals(current) ? current : changed.toBuilder().updatedAt(now).build();
            },
            context.stores().associations()::update,
            key -> new ValidationException(Messages.ASSOCIATION_EXISTS),
            "association",
            String.valueOf(id),
            Messages.ASSOCIATION_NOT_FOUND);
    events.association(before[0], after);
    LOG.info(
        "association updated id={} priority={} sync_status={} caller={}",
        after.id(),
        after.peerGroupPriority(),
        after.syncStatus().wire(),
        caller);
    return after;
  }

  /**
   * Deletes an association here.
   *
   * @param caller who asks
   * @param id the association's id
   * @throws io.geored.spi.NotFoundException when there is no such association
   */
  public void delete(Caller caller, long id) {
    PeerGroupAssociation found = lookups.association(id);
    if (!context.stores().associations().delete(id)) {
      throw new NotFoundException(Messages.ASSOCIATION_NOT_FOUND);
    }
    context.progress().forgetSync(id);
    events.association(found, null);
    LOG.info(
        "association deleted id={} peer_group_id={} system_peer_id={} type={} caller={}",
        found.id(),
        found.peerGroupId(),
        found.systemPeerId(),
        found.associationType().wire(),
        caller);
  }

  private static boolean isValidPriority(int priority) {
    return FieldRules.isWithin(
        priority, PeerGroupRules.MIN_ASSOCIATION_PRIORITY, PeerGroupRules.MAX_ASSOCIATION_PRIORITY);
  }

  /** One checked change: a priority or a sync status. */
  private record Change(Integer peerGroupPriority, SyncStatus syncStatus) {

    /** The association with the change; updatedAt is not touched. */
    PeerGroupAssociation applyTo(PeerGroupAssociation current) {
      if (peerGroupPriority != null) {
        // The new priority must reach the peer's group: the association syncs (group only).
        return current.toBuilder()
            .peerGroupPriority(peerGroupPriority)
            .syncStatus(SyncStatus.SYNCING)
            .syncMessage(null)
            .build();
      }
      return current.toBuilder()
          .syncStatus(syncStatus)
          .syncMessage(syncStatus == SyncStatus.FAILED ? Messages.PRIMARY_SYNC_FAILED : null)
          .build();
    }
  }
}
