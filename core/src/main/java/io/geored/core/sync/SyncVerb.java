package io.geored.core.sync;

import io.geored.core.internal.Lookups;
import io.geored.core.internal.SiteContext;
import io.geored.spi.NotFoundException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import java.util.Objects;

/**
 * The sync verb: checks that this site may push the group, marks the association syncing, answers
 * it and runs the sync in the background. A sync already running is not started twice.
 */
public final class SyncVerb {

  private final SiteContext context;
  private final Lookups lookups;
  private final AssociationSync sync;
  private final LocalAssociations local;

  /**
   * Creates the verb.
   *
   * @param context the engine's ports
   * @param sync the sync it starts
   */
  public SyncVerb(SiteContext context, AssociationSync sync) {
    this.context = context;
    this.lookups = new Lookups(context.stores());
    this.sync = sync;
    this.local = new LocalAssociations(context);
  }

  /**
   * Asks for a sync of a primary association.
   *
   * @param caller who asks
   * @param id the association
   * @return the association, syncing
   */
  public PeerGroupAssociation request(Caller caller, long id) {
    PeerGroupAssociation association = lookups.association(id);
    if (!association.isPrimary()) {
      throw new ValidationException(Messages.ASSOCIATION_SYNC_NON_PRIMARY);
    }
    SubcloudPeerGroup group = lookups.peerGroup(String.valueOf(association.peerGroupId()));
    if (!Objects.equals(group.systemLeaderId(), context.localSystem().uuid())) {
      throw new ValidationException(Messages.ASSOCIATION_SYNC_NOT_LEADER);
    }
    if (association.syncStatus() == SyncStatus.SYNCING) {
      return association;
    }
    PeerGroupAssociation syncing =
        local
            .setStatus(id, SyncStatus.SYNCING, null)
            .orElseThrow(() -> new NotFoundException(Messages.ASSOCIATION_NOT_FOUND));
    sync.start(id);
    return syncing;
  }

  /**
   * Pushes a primary association's new priority to the peer's group (a group-only sync).
   *
   * @param before the association before the update
   * @param after the association after it
   */
  public void afterUpdate(PeerGroupAssociation before, PeerGroupAssociation after) {
    if (after.isPrimary()
        && after.syncStatus() == SyncStatus.SYNCING
        && !Objects.equals(before.peerGroupPriority(), after.peerGroupPriority())) {
      sync.startGroupOnly(after.id());
    }
  }

  /**
   * Starts the first sync of a primary association just created syncing.
   *
   * @param created the new association
   */
  public void afterCreate(PeerGroupAssociation created) {
    if (created.isPrimary() && created.syncStatus() == SyncStatus.SYNCING) {
      sync.start(created.id());
    }
  }
}
