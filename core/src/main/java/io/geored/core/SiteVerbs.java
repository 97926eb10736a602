package io.geored.core;

import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import java.util.List;

/**
 * The long-running verbs of a site: association sync, peer-group migration and audit. Separate from
 * the resources so the peer-sync and failover parts of the engine can be developed and replaced on
 * their own.
 */
public interface SiteVerbs {

  /**
   * Starts a sync of a primary association.
   *
   * @param caller who asks
   * @param associationId the association
   * @return the association, syncing
   */
  PeerGroupAssociation sync(Caller caller, long associationId);

  /**
   * Hears that an association was created, so a primary one starts its first sync.
   *
   * @param created the stored association
   */
  void associationCreated(PeerGroupAssociation created);

  /**
   * Hears that an association was updated, so a primary one pushes a new priority to its peer.
   *
   * @param before the association before
   * @param after the association after
   */
  void associationUpdated(PeerGroupAssociation before, PeerGroupAssociation after);

  /**
   * Deletes a primary association together with what it put on the peer site.
   *
   * @param caller who asks
   * @param association the primary association
   */
  void deletePrimaryAssociation(Caller caller, PeerGroupAssociation association);

  /** Hears that associations or system peers changed, so the peer monitor re-plans its work. */
  void peersChanged();

  /**
   * Starts a migration of a peer group to this site.
   *
   * @param caller who asks
   * @param ref the group's id or name
   * @param request the sysadmin password
   * @return the members that will be migrated
   */
  List<Subcloud> migrate(Caller caller, String ref, MigrateRequest request);

  /**
   * Audits a group at a peer's request.
   *
   * @param caller who asks
   * @param ref the group's name or id
   * @param request the group as the peer holds it
   * @return whether it ran
   */
  AuditAnswer audit(Caller caller, String ref, AuditRequest request);
}
