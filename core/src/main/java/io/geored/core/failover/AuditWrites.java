package io.geored.core.failover;

import io.geored.core.internal.Cas;
import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.core.subcloud.SubcloudAlarms;
import io.geored.spi.ConflictException;
import io.geored.spi.api.Messages;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.SubcloudStore;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * The audit's own changes to this site's records. They are the engine's decisions, not requests, so
 * they are written straight to the stores (compare-and-set, events) rather than through the
 * subcloud update rules, which would refuse several of them on a non-primary site. A host listener
 * that fails is logged; it does not undo what the audit decided.
 */
final class AuditWrites {

  private static final Logger LOG = EscapingLogger.of(AuditWrites.class);

  private static final String SUBCLOUD = "subcloud";

  private final SiteContext context;
  private final StateEvents events;

  AuditWrites(SiteContext context) {
    this.context = context;
    this.events = new StateEvents(context);
  }

  /**
   * The peer is migrating the group: unmanaged and rehome-pending for that peer's migration, in one
   * write. A subcloud already handed over to another site's migration is left to it (ADR 0030).
   */
  Subcloud handOver(Subcloud subcloud, String peerUuid) {
    return change(
        subcloud,
        (s, b) -> {
          if (!handedOverElsewhere(s, peerUuid)) {
            b.managementState(ManagementState.UNMANAGED)
                .deployStatus(DeployStatus.REHOME_PENDING)
                .handedOverTo(peerUuid);
          }
        });
  }

  /**
   * Whether the subcloud is rehome-pending for the migration of a site other than the given one.
   *
   * @param subcloud the local subcloud
   * @param peerUuid the site in question
   * @return true when it is handed over to another, named site
   */
  static boolean handedOverElsewhere(Subcloud subcloud, String peerUuid) {
    String to = subcloud.handedOverTo();
    return subcloud.deployStatus() == DeployStatus.REHOME_PENDING
        && to != null
        && !to.equalsIgnoreCase(peerUuid);
  }

  /**
   * The peer manages the subcloud now: this site holds a secondary copy, unmanaged and offline,
   * whose own alarms no longer concern this site. {@code rehomeData} replaces the copy's when not
   * null.
   */
  Subcloud makeSecondary(Subcloud subcloud, RehomeData rehomeData) {
    Subcloud after =
        change(
            subcloud,
            (s, b) -> {
              b.managementState(ManagementState.UNMANAGED)
                  .availabilityStatus(AvailabilityStatus.OFFLINE)
                  .deployStatus(DeployStatus.SECONDARY);
              if (rehomeData != null) {
                b.rehomeData(rehomeData);
              }
            });
    clearOwnAlarms(after.name());
    return after;
  }

  /** Takes the peer's rehome data into a copy that is already secondary. */
  Subcloud takeRehomeData(Subcloud subcloud, RehomeData rehomeData) {
    return change(subcloud, (s, b) -> b.rehomeData(rehomeData));
  }

  /**
   * The peer failed to rehome the subcloud: it is rehome-failed here too, so its address can be
   * corrected on either site. It is left unmanaged: the peer leads the group now.
   */
  Subcloud markRehomeFailed(Subcloud subcloud) {
    return change(
        subcloud,
        (s, b) ->
            b.managementState(ManagementState.UNMANAGED).deployStatus(DeployStatus.REHOME_FAILED));
  }

  /**
   * The peer's finished migration left the subcloud unmanaged there while it was rehome-pending
   * here: it becomes rehome-failed, saying why, so that a migration from either site can take it
   * over (ADR 0012). Only a copy still rehome-pending is changed.
   */
  Subcloud markNotTakenOver(Subcloud subcloud, String why) {
    return change(
        subcloud,
        (s, b) -> {
          if (s.deployStatus() == DeployStatus.REHOME_PENDING) {
            b.managementState(ManagementState.UNMANAGED)
                .deployStatus(DeployStatus.REHOME_FAILED)
                .errorDescription(why);
          }
        });
  }

  /**
   * Deletes a subcloud the peer's group no longer has; its alarms go with it.
   *
   * @return true when it was deleted, false when it was already gone
   * @throws RuntimeException when the store fails (the caller decides what that means)
   */
  boolean delete(Subcloud subcloud) {
    SubcloudStore store = context.stores().subclouds();
    Optional<Subcloud> deleted =
        context
            .stores()
            .transactions()
            .inTransaction(
                () -> {
                  Optional<Subcloud> current = store.findById(subcloud.id());
                  if (current.isEmpty() || !store.delete(current.get().id())) {
                    return Optional.<Subcloud>empty();
                  }
                  return current;
                });
    if (deleted.isEmpty()) {
      return false;
    }
    events.subcloud(deleted.get(), null);
    clearOwnAlarms(deleted.get().name());
    LOG.info(
        "subcloud deleted by audit name={} region={}",
        deleted.get().name(),
        deleted.get().regionName());
    return true;
  }

  /** Records the peer's leader as this group's leader. */
  SubcloudPeerGroup copyLeader(SubcloudPeerGroup group, String leaderId, String leaderName) {
    if (Objects.equals(group.systemLeaderId(), leaderId)
        && Objects.equals(group.systemLeaderName(), leaderName)) {
      return group;
    }
    SubcloudPeerGroup[] before = new SubcloudPeerGroup[1];
    SubcloudPeerGroup after =
        Cas.update(
            context.settings().casRetries(),
            () -> context.stores().peerGroups().findById(group.id()),
            current -> {
              before[0] = current;
              return current.toBuilder()
                  .systemLeaderId(leaderId)
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
    LOG.info(
        "peer group leader copied by audit name={} leader_id={} leader_name={}",
        after.peerGroupName(),
        leaderId,
        leaderName);
    return after;
  }

  /** A change of a subcloud: sets on {@code into} (a copy of {@code current}) what it changes. */
  @FunctionalInterface
  private interface Change {
    void apply(Subcloud current, Subcloud.Builder into);
  }

  /**
   * Applies a change with compare-and-set; writes nothing when the change leaves the record as it
   * is. Tells the events and the host listener what changed.
   */
  private Subcloud change(Subcloud subcloud, Change change) {
    SubcloudStore store = context.stores().subclouds();
    Subcloud[] before = new Subcloud[1];
    // The member as the audit just read it is tried first: one change, one comparison and no
    // re-read per member when no one else wrote it meanwhile (a stale write reads it again).
    Subcloud after =
        Cas.update(
            context.settings().casRetries(),
            subcloud,
            () -> store.findById(subcloud.id()),
            current -> {
              before[0] = current;
              // One builder per member: the change, then (when it changes something) the time.
              Subcloud.Builder builder = current.toBuilder();
              change.apply(current, builder);
              Subcloud changed = builder.build();
              return changed.equals(current) ? current : builder.updatedAt(context.now()).build();
            },
            store::update,
            key -> new ConflictException(Messages.changedConcurrently(SUBCLOUD, subcloud.name())),
            SUBCLOUD,
            subcloud.name(),
            Messages.SUBCLOUD_NOT_FOUND);
    if (after == before[0]) {
      // The change leaves the record as it is: nothing was written.
      return after;
    }
    events.subcloud(before[0], after);
    tellHost(before[0], after);
    LOG.info(
        "subcloud changed by audit name={} management_state={} deploy_status={}"
            + " availability_status={}",
        after.name(),
        after.managementState().wire(),
        after.deployStatus().wire(),
        after.availabilityStatus().wire());
    return after;
  }

  private void tellHost(Subcloud before, Subcloud after) {
    if (before.managementState() != after.managementState()) {
      try {
        context.stateListener().managementStateChanged(before, after);
      } catch (RuntimeException e) {
        // The audit follows the peer site: the host hears of it, it cannot veto it.
        LOG.warn(
            "state listener failed on audit management change name={} error_type={}",
            after.name(),
            e.getClass().getName());
      }
    }
    if (before.availabilityStatus() != after.availabilityStatus()) {
      try {
        context.stateListener().availabilityChanged(before, after);
      } catch (RuntimeException e) {
        LOG.warn(
            "state listener failed on audit availability change name={} error_type={}",
            after.name(),
            e.getClass().getName());
      }
    }
  }

  private void clearOwnAlarms(String name) {
    SubcloudAlarms.forEach(name, context::clearAlarm);
  }
}
