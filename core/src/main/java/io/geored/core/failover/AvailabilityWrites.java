package io.geored.core.failover;

import io.geored.core.internal.Cas;
import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.core.subcloud.SubcloudAlarms;
import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.api.Messages;
import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.SubcloudStore;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * The subcloud writes the engine makes on its own (not for an API request), shared by the
 * availability audit and migration: a compare-and-set that re-applies the change to whatever record
 * is current, writes nothing when the change keeps the record as it is, and tells the event
 * listener what changed. On top of it, the availability and management transitions with what must
 * follow them: alarm 280.001 and the host's state listener, whose failure is logged and undoes
 * nothing.
 */
final class AvailabilityWrites {

  private static final Logger LOG = EscapingLogger.of(AvailabilityWrites.class);

  static final String ENTITY_TYPE = "subcloud";

  static final String OFFLINE_REPAIR =
      "Wait for subcloud to become online; if problem persists contact next level of support.";

  private final SiteContext context;
  private final StateEvents events;

  /** A write that changed the record. */
  record Change(Subcloud before, Subcloud after) {}

  AvailabilityWrites(SiteContext context) {
    this.context = context;
    this.events = new StateEvents(context);
  }

  /**
   * Applies a change to the current version of a subcloud.
   *
   * @param id the subcloud's id
   * @param name its name, for messages
   * @param change the new record from the current one; the same instance to change nothing
   * @return the change, or empty when nothing was written (no change, or the subcloud is gone)
   * @throws ConflictException when other writers won every compare-and-set
   * @throws io.geored.spi.PersistenceException when the store fails
   */
  Optional<Change> update(long id, String name, UnaryOperator<Subcloud> change) {
    SubcloudStore store = context.stores().subclouds();
    Subcloud[] read = new Subcloud[1];
    Subcloud after;
    try {
      after =
          Cas.update(
              context.settings().casRetries(),
              () -> store.findById(id),
              current -> {
                read[0] = current;
                Subcloud next = change.apply(current);
                return next == current
                    ? current
                    : next.toBuilder().updatedAt(context.now()).build();
              },
              candidate ->
                  candidate == read[0]
                      ? new StoreResult.Saved<>(candidate)
                      : store.update(candidate),
              key -> new ConflictException(Messages.changedConcurrently("subcloud", name)),
              "subcloud",
              name,
              Messages.SUBCLOUD_NOT_FOUND);
    } catch (NotFoundException gone) {
      return Optional.empty();
    }
    if (after == read[0]) {
      return Optional.empty();
    }
    events.subcloud(read[0], after);
    return Optional.of(new Change(read[0], after));
  }

  /**
   * Sets a subcloud online or offline when it still qualifies and is not so already; raises alarm
   * 280.001 when it goes offline, clears it when it comes online, and tells the state listener.
   *
   * @param id the subcloud's id
   * @param name its name
   * @param status the new availability
   * @param qualifies whether the current record may still take it (e.g. not secondary meanwhile)
   * @return the change, or empty when nothing was written
   */
  Optional<Change> setAvailability(
      long id, String name, AvailabilityStatus status, Predicate<Subcloud> qualifies) {
    Optional<Change> written =
        update(
            id,
            name,
            current ->
                qualifies.test(current) && current.availabilityStatus() != status
                    ? current.toBuilder().availabilityStatus(status).build()
                    : current);
    written.ifPresent(this::afterAvailabilityChange);
    return written;
  }

  private void afterAvailabilityChange(Change change) {
    Subcloud after = change.after();
    String entity = "subcloud=" + after.name();
    if (after.availabilityStatus() == AvailabilityStatus.OFFLINE) {
      context.raiseAlarm(
          new Alarm(
              SubcloudAlarms.OFFLINE,
              ENTITY_TYPE,
              entity,
              AlarmSeverity.MAJOR,
              after.name() + " is offline",
              OFFLINE_REPAIR,
              true,
              context.now()));
    } else {
      context.clearAlarm(SubcloudAlarms.OFFLINE, entity);
    }
    LOG.info(
        "subcloud availability changed name={} from={} to={}",
        after.name(),
        change.before().availabilityStatus().wire(),
        after.availabilityStatus().wire());
    try {
      context.stateListener().availabilityChanged(change.before(), after);
    } catch (RuntimeException e) {
      LOG.warn(
          "state listener failed on availability change name={} error_type={}",
          after.name(),
          e.getClass().getName());
    }
  }

  /**
   * Manages a subcloud that is deployed (complete) and unmanaged, and tells the state listener; a
   * listener failure is logged and the subcloud stays managed, as the change is the engine's own.
   *
   * @param id the subcloud's id
   * @param name its name
   * @return the change, or empty when the subcloud is gone or no longer complete and unmanaged
   */
  Optional<Change> manage(long id, String name) {
    Optional<Change> written =
        update(
            id,
            name,
            current ->
                current.deployStatus() == DeployStatus.COMPLETE
                        && current.managementState() == ManagementState.UNMANAGED
                    ? current.toBuilder().managementState(ManagementState.MANAGED).build()
                    : current);
    written.ifPresent(
        change -> {
          LOG.info("subcloud managed by the engine name={}", name);
          try {
            context.stateListener().managementStateChanged(change.before(), change.after());
          } catch (RuntimeException e) {
            LOG.warn(
                "state listener failed on an engine management change, kept name={}"
                    + " error_type={}",
                name,
                e.getClass().getName());
          }
        });
    return written;
  }
}
