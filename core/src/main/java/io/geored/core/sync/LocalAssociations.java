package io.geored.core.sync;

import io.geored.core.internal.Cas;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.spi.ConflictException;
import io.geored.spi.api.Messages;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SyncStatus;
import java.util.Optional;

/** Writes an association's sync status on this site, with compare-and-set and events. */
final class LocalAssociations {

  private final SiteContext context;
  private final StateEvents events;

  LocalAssociations(SiteContext context) {
    this.context = context;
    this.events = new StateEvents(context);
  }

  /**
   * Sets the status and message of an association; in-sync and out-of-sync clear the message.
   *
   * @return the stored association, or empty when it is gone
   */
  Optional<PeerGroupAssociation> setStatus(long id, SyncStatus status, String message) {
    return write(id, status, message, current -> current.owedPeerStatus());
  }

  /**
   * Sets the status and message as {@link #setStatus} does, and the status owed to the peer's copy
   * in the same write (null: nothing owed).
   *
   * @return the stored association, or empty when it is gone
   */
  Optional<PeerGroupAssociation> setStatusOwing(
      long id, SyncStatus status, String message, SyncStatus owed) {
    return write(id, status, message, current -> owed);
  }

  /**
   * Clears the mark that a status is owed to the peer, when it still says {@code delivered} (a
   * newer mark stays); anything else is left as it is.
   */
  void clearOwed(long id, SyncStatus delivered) {
    Optional<PeerGroupAssociation> before = context.stores().associations().findById(id);
    if (before.isEmpty() || before.get().owedPeerStatus() == null) {
      return;
    }
    PeerGroupAssociation after =
        Cas.update(
            context.settings().casRetries(),
            () -> context.stores().associations().findById(id),
            current ->
                current.owedPeerStatus() == null
                        || (delivered != null && current.owedPeerStatus() != delivered)
                    ? current
                    : current.toBuilder().owedPeerStatus(null).build(),
            context.stores().associations()::update,
            ConflictException::new,
            "association",
            String.valueOf(id),
            Messages.ASSOCIATION_NOT_FOUND);
    events.association(before.get(), after);
  }

  private Optional<PeerGroupAssociation> write(
      long id,
      SyncStatus status,
      String message,
      java.util.function.Function<PeerGroupAssociation, SyncStatus> owedOf) {
    Optional<PeerGroupAssociation> before = context.stores().associations().findById(id);
    if (before.isEmpty()) {
      return Optional.empty();
    }
    String kept = status == SyncStatus.IN_SYNC || status == SyncStatus.OUT_OF_SYNC ? null : message;
    PeerGroupAssociation after =
        Cas.update(
            context.settings().casRetries(),
            () -> context.stores().associations().findById(id),
            current -> {
              SyncStatus owed = owedOf.apply(current);
              return current.syncStatus() == status
                      && java.util.Objects.equals(current.syncMessage(), kept)
                      && current.owedPeerStatus() == owed
                  ? current
                  : current.toBuilder()
                      .syncStatus(status)
                      .syncMessage(kept)
                      .owedPeerStatus(owed)
                      .updatedAt(context.now())
                      .build();
            },
            context.stores().associations()::update,
            ConflictException::new,
            "association",
            String.valueOf(id),
            Messages.ASSOCIATION_NOT_FOUND);
    events.association(before.get(), after);
    return Optional.of(after);
  }
}
