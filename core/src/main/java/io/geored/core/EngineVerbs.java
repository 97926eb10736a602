package io.geored.core;

import io.geored.core.failover.Migration;
import io.geored.core.failover.PeerMonitor;
import io.geored.core.sync.AssociationRemoval;
import io.geored.core.sync.SyncVerb;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import java.util.List;

/** The verbs of the engine: association sync, migration and audit, and the hooks they need. */
final class EngineVerbs implements SiteVerbs {

  private final SyncVerb sync;
  private final AssociationRemoval removal;
  private final PeerMonitor monitor;
  private final Migration migration;

  EngineVerbs(SyncVerb sync, AssociationRemoval removal, PeerMonitor monitor, Migration migration) {
    this.sync = sync;
    this.removal = removal;
    this.monitor = monitor;
    this.migration = migration;
  }

  @Override
  public void peersChanged() {
    monitor.replan();
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
    return migration.request(caller, ref, request);
  }

  @Override
  public AuditAnswer audit(Caller caller, String ref, AuditRequest request) {
    return monitor.onAuditRequest(caller, ref, request);
  }
}
