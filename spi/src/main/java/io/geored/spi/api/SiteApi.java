package io.geored.spi.api;

import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import java.util.List;

/**
 * Everything an operator, the host application or a peer site can ask of a site. A local site
 * implements it; a client for a remote site (in-process or HTTP) has the same shape, so sites talk
 * to each other through it.
 *
 * <p>Every call names its {@link Caller}. A {@code ref} is what the dcmanager dialect accepts in a
 * path: an id (digits) or a name, and for system peers also a uuid; for subclouds a peer site's
 * non-numeric ref is a region name.
 *
 * <p>Failures are exceptions of {@link io.geored.spi.GeoredException}: {@link
 * io.geored.spi.ValidationException} for bad input or a refused request, {@link
 * io.geored.spi.NotFoundException}, {@link io.geored.spi.ConflictException}, {@link
 * io.geored.spi.PersistenceException}, and for a remote site {@link
 * io.geored.spi.PeerTransportException}. Their messages are those of {@link Messages}. A refused
 * request changes nothing. Implementations are thread-safe. Answers never carry a password.
 */
public interface SiteApi {

  /**
   * The site's identity ({@code GET /isystems}).
   *
   * @param caller who asks
   * @return the uuid and name of the site
   */
  LocalSystem identity(Caller caller);

  // ---------------------------------------------------------------- system peers

  /**
   * Creates a system peer.
   *
   * @param caller who asks
   * @param request the peer's values, validated here
   * @return the stored peer, without its password
   */
  SystemPeer createSystemPeer(Caller caller, SystemPeerCreate request);

  /**
   * Reads a system peer.
   *
   * @param caller who asks
   * @param ref id, uuid or name
   * @return the peer, without its password
   */
  SystemPeer getSystemPeer(Caller caller, String ref);

  /**
   * Lists the system peers.
   *
   * @param caller who asks
   * @return every peer, by id, without passwords
   */
  List<SystemPeer> listSystemPeers(Caller caller);

  /**
   * Changes a system peer.
   *
   * @param caller who asks
   * @param ref id, uuid or name
   * @param request the fields to change
   * @return the updated peer; a note when the gateway change put groups out of sync
   */
  WithInfo<SystemPeer> updateSystemPeer(Caller caller, String ref, SystemPeerUpdate request);

  /**
   * Deletes a system peer; refused while an association refers to it.
   *
   * @param caller who asks
   * @param ref id, uuid or name
   */
  void deleteSystemPeer(Caller caller, String ref);

  /**
   * The local peer groups associated with a system peer.
   *
   * @param caller who asks
   * @param ref the system peer's id, uuid or name
   * @return the groups, by id
   */
  List<SubcloudPeerGroup> peerGroupsOfSystemPeer(Caller caller, String ref);

  // ---------------------------------------------------------------- peer groups

  /**
   * Creates a subcloud peer group.
   *
   * @param caller who asks
   * @param request the group's values
   * @return the stored group
   */
  SubcloudPeerGroup createPeerGroup(Caller caller, PeerGroupCreate request);

  /**
   * Reads a peer group.
   *
   * @param caller who asks
   * @param ref id or name
   * @return the group
   */
  SubcloudPeerGroup getPeerGroup(Caller caller, String ref);

  /**
   * Lists the peer groups (a peer's heartbeat).
   *
   * @param caller who asks
   * @return every group, by id
   */
  List<SubcloudPeerGroup> listPeerGroups(Caller caller);

  /**
   * Changes a peer group.
   *
   * @param caller who asks
   * @param ref id or name
   * @param request the fields to change
   * @return the updated group
   */
  SubcloudPeerGroup updatePeerGroup(Caller caller, String ref, PeerGroupUpdate request);

  /**
   * Deletes a peer group; its subclouds leave it. Refused while an association refers to it.
   *
   * @param caller who asks
   * @param ref id or name
   */
  void deletePeerGroup(Caller caller, String ref);

  /**
   * Counts a group's subclouds by state.
   *
   * @param caller who asks
   * @param ref id or name
   * @return the counts
   */
  PeerGroupStatus peerGroupStatus(Caller caller, String ref);

  /**
   * The subclouds of a group.
   *
   * @param caller who asks
   * @param ref id or name
   * @return the members, by id
   */
  List<Subcloud> subcloudsOfPeerGroup(Caller caller, String ref);

  /**
   * How far the latest migration of a peer group run by this site has come (running or finished).
   * Peer sites have no use for it and are refused.
   *
   * @param caller who asks
   * @param ref the group's id or name
   * @return the counts, zero when this site's engine ran no migration of the group since it started
   * @throws io.geored.spi.NotFoundException when no such group
   * @throws io.geored.spi.ForbiddenException when the caller is a confined peer site
   */
  WorkProgress migrationProgress(Caller caller, String ref);

  /**
   * Takes the group over on this site: rehomes its secondary, rehome-failed and rehome-prep-failed
   * members in the background.
   *
   * @param caller who asks
   * @param ref id or name
   * @param request the sysadmin password
   * @return the members that will be migrated
   */
  List<Subcloud> migratePeerGroup(Caller caller, String ref, MigrateRequest request);

  /**
   * A peer site asks this site to audit its copy of a group against the peer's.
   *
   * @param caller who asks
   * @param ref the group's name or id
   * @param request the group as the peer holds it
   * @return whether the audit ran, and why not
   */
  AuditAnswer auditPeerGroup(Caller caller, String ref, AuditRequest request);

  /**
   * A peer site that is about to migrate a group asks this site, which holds the group's witness
   * lease, to hand the group over: this site fences the group (stops its batch, pushes nothing,
   * unmanages its members locally and keeps a stored mark), releases the lease, and answers the
   * group as it left it. Only with a witness configured.
   *
   * <p>The default refuses: a site that cannot hand over (no witness, or an implementation that
   * predates the call) is then never asked to give a group up; the migrating site refuses the
   * migration with {@link Messages#peerGroupLedElsewhere}.
   *
   * @param caller who asks (a peer site)
   * @param ref the group's name or id
   * @return the group as this site left it after fencing
   * @throws io.geored.spi.ConflictException when this site does not hold the group's lease ({@link
   *     Messages#peerGroupNotLedHere}) or cannot hand it over now
   * @throws UnsupportedOperationException by default
   */
  default SubcloudPeerGroup handOverPeerGroup(Caller caller, String ref) {
    throw new UnsupportedOperationException("this site cannot hand a peer group over");
  }

  // ---------------------------------------------------------------- associations

  /**
   * Associates a local peer group with a system peer. A primary association answers syncing and its
   * sync runs in the background.
   *
   * @param caller who asks
   * @param request group, peer and priority
   * @return the stored association
   */
  PeerGroupAssociation createAssociation(Caller caller, AssociationCreate request);

  /**
   * Reads an association.
   *
   * @param caller who asks
   * @param id its id
   * @return the association
   */
  PeerGroupAssociation getAssociation(Caller caller, long id);

  /**
   * Lists the associations.
   *
   * @param caller who asks
   * @return every association, by id
   */
  List<PeerGroupAssociation> listAssociations(Caller caller);

  /**
   * Changes an association's priority (primary) or sync status (non-primary).
   *
   * @param caller who asks
   * @param id its id
   * @param request the change
   * @return the updated association
   */
  PeerGroupAssociation updateAssociation(Caller caller, long id, AssociationUpdate request);

  /**
   * Pushes the group to the peer again. Answers syncing; the sync runs in the background.
   *
   * @param caller who asks
   * @param id the primary association's id
   * @return the association, syncing
   */
  PeerGroupAssociation syncAssociation(Caller caller, long id);

  /**
   * How far the latest sync of an association run by this site has come (running or finished). Peer
   * sites have no use for it and are refused.
   *
   * @param caller who asks
   * @param id the association's id
   * @return the counts, zero when this site's engine ran no sync of it since it started
   * @throws io.geored.spi.NotFoundException when no such association
   * @throws io.geored.spi.ForbiddenException when the caller is a confined peer site
   */
  WorkProgress syncProgress(Caller caller, long id);

  /**
   * Deletes an association (a primary one also removes the group from the peer). A primary
   * association whose system peer is disabled is deleted here only: the peer is not called and
   * keeps its copies.
   *
   * @param caller who asks
   * @param id its id
   * @throws io.geored.spi.UnprocessableException when the (enabled) peer of a primary association
   *     cannot be reached: {@code Peer site (<peer name>) is unreachable.}
   */
  void deleteAssociation(Caller caller, long id);

  // ---------------------------------------------------------------- subclouds

  /**
   * Registers a subcloud, or (from a peer site) adds a secondary copy.
   *
   * @param caller who asks
   * @param request the subcloud's values
   * @return the stored subcloud
   */
  Subcloud createSubcloud(Caller caller, SubcloudCreate request);

  /**
   * Reads a subcloud.
   *
   * @param caller who asks
   * @param ref id or name; from a peer site a non-numeric ref is a region name
   * @return the subcloud
   */
  Subcloud getSubcloud(Caller caller, String ref);

  /**
   * Lists the subclouds.
   *
   * @param caller who asks
   * @return every subcloud, by id
   */
  List<Subcloud> listSubclouds(Caller caller);

  /**
   * Changes a subcloud under the update rules of docs/concepts.md.
   *
   * @param caller who asks
   * @param ref id or name; from a peer site a non-numeric ref is a region name
   * @param request the change
   * @return the updated subcloud, with a note when its group went out of sync
   */
  WithInfo<Subcloud> updateSubcloud(Caller caller, String ref, SubcloudUpdate request);

  /**
   * Deletes a subcloud; refused while managed, online, or (operator) in a group.
   *
   * @param caller who asks
   * @param ref id or name (from a peer site: or region name)
   */
  void deleteSubcloud(Caller caller, String ref);
}
