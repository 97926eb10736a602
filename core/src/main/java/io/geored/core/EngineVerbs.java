package io.geored.core;

import io.geored.core.sync.AssociationRemoval;
import io.geored.core.sync.SyncVerb;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import java.util.List;

/**
 * The verbs of this version of the engine: association sync runs; migration and audit are not
 * carried out yet, and each call says so plainly instead of pretending to work.
 */
final class EngineVerbs implements SiteVerbs {

  private final SyncVerb sync;
  private final AssociationRemoval removal;

  EngineVerbs(SyncVerb sync, AssociationRemoval removal) {
    this.sync = sync;
    this.removal = removal;
  }

  @Override
  public void deletePrimaryAssociation(Caller caller, PeerGroupAssociation association) {
    removal.deletePrimary(association);
  }

  @Override
  public PeerGroupAssociation sync(Caller caller, long associationId) {
    return sync.request(caller, associationId);
  }

  @Override
  public void associationUpdated(PeerGroupAssociation before, PeerGroupAssociation after) {
    sync.afterUpdate(before, after);
  }

  @Override
  public void associationCreated(PeerGroupAssociation created) {
    sync.afterCreate(created);
  }

  @Override
  public List<Subcloud> migrate(Caller caller, String ref, MigrateRequest request) {
    throw new UnsupportedOperationException(
        "peer group migration is not available in this version");
  }

  @Override
  public AuditAnswer audit(Caller caller, String ref, AuditRequest request) {
    throw new UnsupportedOperationException("peer group audit is not available in this version");
  }
}
