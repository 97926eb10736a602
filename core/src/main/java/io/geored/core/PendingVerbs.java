package io.geored.core;

import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import java.util.List;

/**
 * The verbs that this version of the engine does not carry out yet (association sync, migration,
 * audit): each call says so plainly instead of pretending to work.
 */
final class PendingVerbs implements SiteVerbs {

  @Override
  public PeerGroupAssociation sync(Caller caller, long associationId) {
    throw new UnsupportedOperationException("association sync is not available in this version");
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
