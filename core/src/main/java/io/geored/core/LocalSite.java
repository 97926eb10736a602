package io.geored.core;

import io.geored.core.internal.PeerScope;
import io.geored.core.leader.Leadership;
import io.geored.core.service.AssociationService;
import io.geored.core.service.PeerGroupService;
import io.geored.core.service.SubcloudService;
import io.geored.core.service.SystemPeerService;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AssociationUpdate;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.PeerGroupStatus;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.api.WorkProgress;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.peer.LocalSystemIdentity;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Objects;

/**
 * This site, as operators and peer sites see it: the {@link SiteApi} over the engine's services. An
 * identified peer site ({@link Caller#peerSite(String)}) is confined by {@link PeerScope} before
 * any service runs: a call that is not peer work on what its associations cover is refused with
 * {@link io.geored.spi.ForbiddenException} and changes nothing. Thread-safe; holds no state of its
 * own.
 */
public class LocalSite implements SiteApi {

  private final LocalSystemIdentity identity;
  private final SystemPeerService systemPeers;
  private final PeerGroupService peerGroups;
  private final AssociationService associations;
  private final SubcloudService subclouds;
  private final PeerScope scope;
  private final SiteVerbs verbs;
  private final Leadership leadership;

  /**
   * Wires the site.
   *
   * @param identity this site's identity
   * @param systemPeers system peer resources
   * @param peerGroups peer group resources
   * @param associations association resources
   * @param subclouds subcloud resources
   * @param scope what an identified peer site may do
   * @param verbs sync, migrate and audit
   */
  @Inject
  public LocalSite(
      LocalSystemIdentity identity,
      SystemPeerService systemPeers,
      PeerGroupService peerGroups,
      AssociationService associations,
      SubcloudService subclouds,
      PeerScope scope,
      SiteVerbs verbs) {
    this.identity = Objects.requireNonNull(identity);
    this.systemPeers = Objects.requireNonNull(systemPeers);
    this.peerGroups = Objects.requireNonNull(peerGroups);
    this.associations = Objects.requireNonNull(associations);
    this.subclouds = Objects.requireNonNull(subclouds);
    this.scope = Objects.requireNonNull(scope);
    this.verbs = Objects.requireNonNull(verbs);
    this.leadership = subclouds.leadership();
  }

  @Override
  public LocalSystem identity(Caller caller) {
    return identity.localSystem();
  }

  @Override
  public SystemPeer createSystemPeer(Caller caller, SystemPeerCreate request) {
    scope.notPeerWork(caller, "createSystemPeer");
    return systemPeers.create(caller, request);
  }

  @Override
  public SystemPeer getSystemPeer(Caller caller, String ref) {
    scope.getSystemPeer(caller, ref);
    return systemPeers.get(caller, ref);
  }

  @Override
  public List<SystemPeer> listSystemPeers(Caller caller) {
    scope.notPeerWork(caller, "listSystemPeers");
    return systemPeers.list(caller);
  }

  @Override
  public WithInfo<SystemPeer> updateSystemPeer(
      Caller caller, String ref, SystemPeerUpdate request) {
    scope.notPeerWork(caller, "updateSystemPeer");
    WithInfo<SystemPeer> updated = systemPeers.update(caller, ref, request);
    verbs.peersChanged();
    return updated;
  }

  @Override
  public void deleteSystemPeer(Caller caller, String ref) {
    scope.notPeerWork(caller, "deleteSystemPeer");
    systemPeers.delete(caller, ref);
    verbs.peersChanged();
  }

  @Override
  public List<SubcloudPeerGroup> peerGroupsOfSystemPeer(Caller caller, String ref) {
    scope.notPeerWork(caller, "peerGroupsOfSystemPeer");
    return systemPeers.peerGroupsOf(caller, ref);
  }

  @Override
  public SubcloudPeerGroup createPeerGroup(Caller caller, PeerGroupCreate request) {
    scope.createPeerGroup(caller, request);
    leadership.admit(caller, request == null ? null : request.peerGroupName());
    return peerGroups.create(caller, request);
  }

  @Override
  public SubcloudPeerGroup getPeerGroup(Caller caller, String ref) {
    return peerGroups.get(caller, ref);
  }

  @Override
  public List<SubcloudPeerGroup> listPeerGroups(Caller caller) {
    return peerGroups.list(caller);
  }

  @Override
  public SubcloudPeerGroup updatePeerGroup(Caller caller, String ref, PeerGroupUpdate request) {
    scope.updatePeerGroup(caller, ref, request);
    leadership.admit(caller, leadership.groupNamed(ref));
    return peerGroups.update(caller, ref, request);
  }

  @Override
  public void deletePeerGroup(Caller caller, String ref) {
    scope.deletePeerGroup(caller, ref);
    peerGroups.delete(caller, ref);
  }

  @Override
  public PeerGroupStatus peerGroupStatus(Caller caller, String ref) {
    scope.notPeerWork(caller, "peerGroupStatus");
    return peerGroups.status(caller, ref);
  }

  @Override
  public WorkProgress migrationProgress(Caller caller, String ref) {
    scope.notPeerWork(caller, "migrationProgress");
    return peerGroups.migrationProgress(caller, ref);
  }

  @Override
  public List<Subcloud> subcloudsOfPeerGroup(Caller caller, String ref) {
    return peerGroups.subclouds(caller, ref);
  }

  @Override
  public List<Subcloud> migratePeerGroup(Caller caller, String ref, MigrateRequest request) {
    scope.notPeerWork(caller, "migratePeerGroup");
    return verbs.migrate(caller, ref, request);
  }

  @Override
  public AuditAnswer auditPeerGroup(Caller caller, String ref, AuditRequest request) {
    scope.auditPeerGroup(caller, request);
    return verbs.audit(caller, ref, request);
  }

  /**
   * Hands a group this site leads over to a peer about to migrate it (docs/adr/0027): fences the
   * group, releases its witness lease and answers the group. A confined peer may ask only for a
   * group its association covers.
   */
  @Override
  public SubcloudPeerGroup handOverPeerGroup(Caller caller, String ref) {
    scope.handOverPeerGroup(caller, ref);
    return leadership.handOver(ref);
  }

  @Override
  public PeerGroupAssociation createAssociation(Caller caller, AssociationCreate request) {
    scope.createAssociation(caller, request);
    PeerGroupAssociation created = associations.create(caller, request);
    verbs.associationCreated(created);
    verbs.peersChanged();
    return created;
  }

  @Override
  public PeerGroupAssociation getAssociation(Caller caller, long id) {
    scope.getAssociation(caller, id);
    return associations.get(caller, id);
  }

  @Override
  public List<PeerGroupAssociation> listAssociations(Caller caller) {
    return associations.list(caller);
  }

  @Override
  public PeerGroupAssociation updateAssociation(Caller caller, long id, AssociationUpdate request) {
    scope.updateAssociation(caller, id, request);
    PeerGroupAssociation before = associations.get(caller, id);
    PeerGroupAssociation after = associations.update(caller, id, request);
    verbs.associationUpdated(before, after);
    return after;
  }

  @Override
  public PeerGroupAssociation syncAssociation(Caller caller, long id) {
    scope.notPeerWork(caller, "syncAssociation");
    return verbs.sync(caller, id);
  }

  @Override
  public WorkProgress syncProgress(Caller caller, long id) {
    scope.notPeerWork(caller, "syncProgress");
    return associations.syncProgress(caller, id);
  }

  @Override
  public void deleteAssociation(Caller caller, long id) {
    scope.deleteAssociation(caller, id);
    PeerGroupAssociation association = associations.get(caller, id);
    if (association.isPrimary()) {
      verbs.deletePrimaryAssociation(caller, association);
    } else {
      associations.delete(caller, id);
    }
    verbs.peersChanged();
  }

  @Override
  public Subcloud createSubcloud(Caller caller, SubcloudCreate request) {
    scope.createSubcloud(caller, request);
    return subclouds.create(caller, request);
  }

  @Override
  public Subcloud getSubcloud(Caller caller, String ref) {
    return subclouds.get(caller, ref);
  }

  @Override
  public List<Subcloud> listSubclouds(Caller caller) {
    return subclouds.list(caller);
  }

  @Override
  public WithInfo<Subcloud> updateSubcloud(Caller caller, String ref, SubcloudUpdate request) {
    scope.updateSubcloud(caller, ref, request);
    String group = leadership.groupOfSubcloud(caller, ref);
    if (group == null && request != null && request.peerGroup() != null) {
      // The write that puts a peer's copy into the group.
      group = leadership.groupNamed(request.peerGroup());
    }
    leadership.admit(caller, group);
    return subclouds.update(caller, ref, request);
  }

  @Override
  public void deleteSubcloud(Caller caller, String ref) {
    scope.deleteSubcloud(caller, ref);
    leadership.admit(caller, leadership.groupOfSubcloud(caller, ref));
    subclouds.delete(caller, ref);
  }
}
