package io.geored.core.internal;

import io.geored.core.rules.PeerGroupRules;
import io.geored.spi.ForbiddenException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AssociationUpdate;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.Stores;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an identified peer site ({@link Caller#peerSite(String)}) may do here: exactly the calls a
 * peer site makes, with the fields they carry, on what an association with that system peer covers.
 * Every check runs before the call touches anything, so a refusal changes nothing; an object that
 * does not exist is left to the call itself, which answers its usual 404 or 400.
 *
 * <p>Operators and the unidentified {@link Caller#PEER_SITE} pass every check: they are not
 * confined (see ADR 0014).
 *
 * <p>What a peer P may change:
 *
 * <ul>
 *   <li>a peer group it creates with a priority of 1 or more (the copy a sync creates here);
 *   <li>a non-primary group associated with P: its fields, the priority staying above 0; it may
 *       delete a non-primary group, which the delete refuses while any association holds it;
 *   <li>the migration status of any group associated with P, reset to none only;
 *   <li>a non-primary association with P: its sync status; and it may delete it; it may create one
 *       between a non-primary group and P itself;
 *   <li>a secondary subcloud it creates; the sync fields of a subcloud in a non-primary group
 *       associated with P, or of a secondary, rehome-failed or rehome-prep-failed subcloud outside
 *       every group that the same request puts into such a group; the deletion of a subcloud of
 *       such a group;
 *   <li>the unmanage-for-migration ({@code migrate} and {@code management-state unmanaged} alone)
 *       of a subcloud in any group associated with P;
 *   <li>an audit request that names P as the sender.
 * </ul>
 *
 * Reads: the identity, P's own system peer, groups, subclouds, members and the association list.
 * Nothing else: no system peer change, no migration, no sync request, no group status.
 *
 * <p>Thread-safe; reads the stores at each check.
 */
public final class PeerScope {

  private static final Logger LOG = LoggerFactory.getLogger(PeerScope.class);

  /** Deploy states of a copy outside every group that a sync may take into its group. */
  private static final Set<DeployStatus> ADOPTABLE =
      Set.of(DeployStatus.SECONDARY, DeployStatus.REHOME_FAILED, DeployStatus.REHOME_PREP_FAILED);

  private final Stores stores;
  private final Lookups lookups;

  /**
   * Checks against the site's stores.
   *
   * @param context the engine's ports
   */
  @Inject
  public PeerScope(SiteContext context) {
    this.stores = context.stores();
    this.lookups = new Lookups(stores);
  }

  // ---------------------------------------------------------------- system peers

  /** Only the caller's own system peer may be read. */
  public void getSystemPeer(Caller caller, String ref) {
    if (!caller.isConfined()) {
      return;
    }
    Optional<SystemPeer> found = lookups.findSystemPeer(ref);
    if (found.isPresent() && !isCaller(caller, found.get())) {
      refuse(caller, "getSystemPeer", "another system peer");
    }
  }

  /** A call no peer site makes: system peer changes and lists, migration, sync, status. */
  public void notPeerWork(Caller caller, String call) {
    if (caller.isConfined()) {
      refuse(caller, call, "not a peer call");
    }
  }

  // ---------------------------------------------------------------- peer groups

  /** A peer creates only a non-primary copy. */
  public void createPeerGroup(Caller caller, PeerGroupCreate request) {
    if (!caller.isConfined() || request == null) {
      return;
    }
    peer(caller, "createPeerGroup");
    Integer priority = request.groupPriority();
    if (priority == null || PeerGroupRules.isPrimary(priority)) {
      refuse(caller, "createPeerGroup", "a primary group (priority 0)");
    }
  }

  /**
   * A migration-status reset on a group associated with the peer; other fields only on a
   * non-primary group associated with it, the priority staying above 0.
   */
  public void updatePeerGroup(Caller caller, String ref, PeerGroupUpdate request) {
    if (!caller.isConfined() || request == null) {
      return;
    }
    SystemPeer peer = peer(caller, "updatePeerGroup");
    Optional<SubcloudPeerGroup> found = lookups.findPeerGroup(ref);
    if (found.isEmpty()) {
      return;
    }
    SubcloudPeerGroup group = found.get();
    if (!associated(group, peer)) {
      refuse(caller, "updatePeerGroup", "group " + group.peerGroupName() + " not associated");
    }
    if (request.migrationStatus() != null
        && MigrationStatus.fromWire(request.migrationStatus()).orElse(null)
            != MigrationStatus.NONE) {
      refuse(caller, "updatePeerGroup", "a migration status other than none");
    }
    boolean onlyReset =
        request.peerGroupName() == null
            && request.groupPriority() == null
            && request.groupState() == null
            && request.maxSubcloudRehoming() == null
            && request.systemLeaderId() == null
            && request.systemLeaderName() == null;
    if (onlyReset) {
      return;
    }
    if (PeerGroupRules.isPrimary(group.groupPriority())) {
      refuse(caller, "updatePeerGroup", "primary group " + group.peerGroupName());
    }
    if (request.groupPriority() != null && PeerGroupRules.isPrimary(request.groupPriority())) {
      refuse(caller, "updatePeerGroup", "priority 0 for group " + group.peerGroupName());
    }
  }

  /** A non-primary group; while an association holds it, the delete itself refuses. */
  public void deletePeerGroup(Caller caller, String ref) {
    if (!caller.isConfined()) {
      return;
    }
    peer(caller, "deletePeerGroup");
    Optional<SubcloudPeerGroup> found = lookups.findPeerGroup(ref);
    if (found.isEmpty()) {
      return;
    }
    SubcloudPeerGroup group = found.get();
    if (PeerGroupRules.isPrimary(group.groupPriority())) {
      refuse(caller, "deletePeerGroup", "primary group " + group.peerGroupName());
    }
    // A non-primary group that any association still holds is refused by the delete itself (400,
    // the text the primary site reads as "associated with system peer on peer site"), so another
    // peer's copy cannot be deleted through this call.
  }

  /** A hand-over of a group the caller's association covers. */
  public void handOverPeerGroup(Caller caller, String ref) {
    if (!caller.isConfined()) {
      return;
    }
    SystemPeer peer = peer(caller, "handOverPeerGroup");
    Optional<SubcloudPeerGroup> found = lookups.findPeerGroup(ref);
    if (found.isPresent() && !associated(found.get(), peer)) {
      refuse(caller, "handOverPeerGroup", "group " + found.get().peerGroupName());
    }
  }

  /** The audit request must name the caller as the sender. */
  public void auditPeerGroup(Caller caller, AuditRequest request) {
    if (!caller.isConfined() || request == null || request.peerUuid() == null) {
      return;
    }
    if (!request.peerUuid().strip().equalsIgnoreCase(caller.systemPeerUuid().orElseThrow())) {
      refuse(caller, "auditPeerGroup", "an audit for another peer");
    }
  }

  // ---------------------------------------------------------------- associations

  /** A non-primary association between a non-primary group and the caller's own system peer. */
  public void createAssociation(Caller caller, AssociationCreate request) {
    if (!caller.isConfined() || request == null) {
      return;
    }
    SystemPeer peer = peer(caller, "createAssociation");
    if (request.systemPeerId() == null || request.systemPeerId() != peer.id()) {
      refuse(caller, "createAssociation", "an association with another system peer");
    }
    if (request.peerGroupPriority() != null) {
      refuse(caller, "createAssociation", "a primary association (peer_group_priority)");
    }
    Optional<SubcloudPeerGroup> group =
        Optional.ofNullable(request.peerGroupId()).flatMap(id -> stores.peerGroups().findById(id));
    if (group.isPresent() && PeerGroupRules.isPrimary(group.get().groupPriority())) {
      refuse(caller, "createAssociation", "primary group " + group.get().peerGroupName());
    }
  }

  /** Only the caller's own associations. */
  public void getAssociation(Caller caller, long id) {
    if (!caller.isConfined()) {
      return;
    }
    SystemPeer peer = peer(caller, "getAssociation");
    Optional<PeerGroupAssociation> found = stores.associations().findById(id);
    if (found.isPresent() && found.get().systemPeerId() != peer.id()) {
      refuse(caller, "getAssociation", "association " + id + " of another peer");
    }
  }

  /** The sync status of a non-primary association with the caller. */
  public void updateAssociation(Caller caller, long id, AssociationUpdate request) {
    if (!caller.isConfined() || request == null) {
      return;
    }
    ownNonPrimary(caller, "updateAssociation", id);
    if (request.peerGroupPriority() != null) {
      refuse(caller, "updateAssociation", "peer_group_priority of association " + id);
    }
  }

  /** A non-primary association with the caller. */
  public void deleteAssociation(Caller caller, long id) {
    if (caller.isConfined()) {
      ownNonPrimary(caller, "deleteAssociation", id);
    }
  }

  private void ownNonPrimary(Caller caller, String call, long id) {
    SystemPeer peer = peer(caller, call);
    Optional<PeerGroupAssociation> found = stores.associations().findById(id);
    if (found.isEmpty()) {
      return;
    }
    if (found.get().systemPeerId() != peer.id()) {
      refuse(caller, call, "association " + id + " of another peer");
    }
    if (found.get().isPrimary()) {
      refuse(caller, call, "primary association " + id);
    }
  }

  // ---------------------------------------------------------------- subclouds

  /** Only a secondary copy, in no subcloud group. */
  public void createSubcloud(Caller caller, SubcloudCreate request) {
    if (!caller.isConfined() || request == null) {
      return;
    }
    peer(caller, "createSubcloud");
    if (!request.secondary()) {
      refuse(caller, "createSubcloud", "a subcloud that is not secondary");
    }
    if (request.groupId() != null) {
      refuse(caller, "createSubcloud", "group_id");
    }
  }

  /** The sync fields on the peer's copies, or the unmanage-for-migration in its groups. */
  public void updateSubcloud(Caller caller, String ref, SubcloudUpdate request) {
    if (!caller.isConfined() || request == null) {
      return;
    }
    SystemPeer peer = peer(caller, "updateSubcloud");
    Optional<Subcloud> found = lookups.findSubcloud(caller, ref);
    if (found.isEmpty()) {
      return;
    }
    Subcloud subcloud = found.get();
    Optional<SubcloudPeerGroup> group =
        subcloud.peerGroupId() == null
            ? Optional.empty()
            : stores.peerGroups().findById(subcloud.peerGroupId());
    if (isHandover(request)) {
      if (group.isEmpty() || !associated(group.get(), peer)) {
        refuse(caller, "updateSubcloud", "unmanage of " + subcloud.name() + " outside its groups");
      }
      return;
    }
    if (isYield(request)) {
      // The group's leader or primary ends a subcloud managed on two sites (ADR 0030): only the
      // site this site's copy names the leader, or the primary that syncs this copy.
      if (group.isEmpty()
          || !associated(group.get(), peer)
          || !(peer.peerUuid().equalsIgnoreCase(String.valueOf(group.get().systemLeaderId()))
              || isPeersCopy(group.get(), peer))) {
        refuse(
            caller,
            "updateSubcloud",
            "secondary " + subcloud.name() + " asked by neither leader nor primary");
      }
      return;
    }
    boolean onlySyncFields =
        request.managementState() == null
            && request.force() == null
            && request.migrate() == null
            && request.deployStatus() == null;
    if (!onlySyncFields) {
      refuse(caller, "updateSubcloud", "fields a peer does not send, on " + subcloud.name());
    }
    if (request.peerGroup() != null) {
      Optional<SubcloudPeerGroup> target =
          request.peerGroup().strip().equalsIgnoreCase("none")
              ? Optional.empty()
              : lookups.findPeerGroup(request.peerGroup());
      if (target.isEmpty() || !isPeersCopy(target.get(), peer)) {
        refuse(caller, "updateSubcloud", "moving " + subcloud.name() + " out of the peer's groups");
      }
    }
    if (group.isPresent()) {
      if (!isPeersCopy(group.get(), peer)) {
        refuse(caller, "updateSubcloud", subcloud.name() + " in a group not synced by the peer");
      }
    } else if (request.peerGroup() == null || !ADOPTABLE.contains(subcloud.deployStatus())) {
      refuse(
          caller, "updateSubcloud", "local subcloud " + subcloud.name() + " outside every group");
    }
  }

  /** A subcloud of a non-primary group associated with the caller. */
  public void deleteSubcloud(Caller caller, String ref) {
    if (!caller.isConfined()) {
      return;
    }
    SystemPeer peer = peer(caller, "deleteSubcloud");
    Optional<Subcloud> found = lookups.findSubcloud(caller, ref);
    if (found.isEmpty()) {
      return;
    }
    Subcloud subcloud = found.get();
    Optional<SubcloudPeerGroup> group =
        subcloud.peerGroupId() == null
            ? Optional.empty()
            : stores.peerGroups().findById(subcloud.peerGroupId());
    if (group.isEmpty() || !isPeersCopy(group.get(), peer)) {
      refuse(caller, "deleteSubcloud", subcloud.name() + " is not the peer's copy");
    }
  }

  // ---------------------------------------------------------------- helpers

  /** {@code migrate=true}, with at most {@code management-state unmanaged}, and nothing else. */
  private static boolean isHandover(SubcloudUpdate r) {
    return Boolean.TRUE.equals(r.migrate())
        && (r.managementState() == null
            || is(ManagementState.UNMANAGED.wire(), r.managementState()))
        && r.deployStatus() == null
        && onlyStates(r);
  }

  /** {@code management-state unmanaged} with {@code deploy-status secondary}, and nothing else. */
  private static boolean isYield(SubcloudUpdate r) {
    return r.migrate() == null
        && is(ManagementState.UNMANAGED.wire(), r.managementState())
        && is(DeployStatus.SECONDARY.wire(), r.deployStatus())
        && onlyStates(r);
  }

  private static boolean is(String wire, String given) {
    return given != null && wire.equals(given.toLowerCase(Locale.ROOT));
  }

  /** No field besides migrate, the management state and the deploy status. */
  private static boolean onlyStates(SubcloudUpdate r) {
    return r.force() == null
        && r.peerGroup() == null
        && r.bootstrapValues() == null
        && r.bootstrapAddress() == null
        && r.description() == null
        && r.location() == null
        && r.groupId() == null
        && r.installValues() == null
        && r.release() == null;
  }

  /** A non-primary group the peer syncs here. */
  private boolean isPeersCopy(SubcloudPeerGroup group, SystemPeer peer) {
    return !PeerGroupRules.isPrimary(group.groupPriority()) && associated(group, peer);
  }

  private boolean associated(SubcloudPeerGroup group, SystemPeer peer) {
    return stores.associations().findByGroupAndPeer(group.id(), peer.id()).isPresent();
  }

  private static boolean isCaller(Caller caller, SystemPeer peer) {
    return peer.peerUuid().equalsIgnoreCase(caller.systemPeerUuid().orElseThrow());
  }

  /** The system peer the caller is; a caller this site does not know may change nothing. */
  private SystemPeer peer(Caller caller, String call) {
    String uuid = caller.systemPeerUuid().orElseThrow();
    Optional<SystemPeer> peer = stores.systemPeers().findByUuid(uuid);
    if (peer.isEmpty()) {
      peer =
          stores.systemPeers().findAll().stream()
              .filter(p -> p.peerUuid().equalsIgnoreCase(uuid))
              .findFirst();
    }
    if (peer.isEmpty()) {
      refuse(caller, call, "no system peer with this uuid here");
    }
    return peer.get();
  }

  private static void refuse(Caller caller, String call, String reason) {
    LOG.info(
        "peer request refused system_peer_uuid={} call={} reason={}",
        caller.systemPeerUuid().orElse("none"),
        call,
        reason);
    throw new ForbiddenException(Messages.PEER_REQUEST_FORBIDDEN);
  }
}
