package io.geored.core.sync;

import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.ProgressBoard;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.WorkLeases;
import io.geored.spi.GeoredException;
import io.geored.spi.NotFoundException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AssociationUpdate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * Pushes a peer group from the site that owns it (priority 0) to one peer site, for one primary
 * association: checks the peer's identity, makes sure the peer knows this site, gets or creates the
 * group and a non-primary association there, copies every non-secondary member as a secondary
 * subcloud (with the peer's own gateway address), removes the copies this site no longer has, and
 * ends with both associations in-sync or both failed with a message. Never leaves an association
 * syncing.
 *
 * <p>Calls to the peer: a fixed handful plus one per member that already has a copy and two per new
 * one (the peer's group is listed once, never looked up per subcloud).
 */
public final class AssociationSync {

  private static final Logger LOG = EscapingLogger.of(AssociationSync.class);

  /** Peer copies that a sync may overwrite or delete. */
  static final Set<DeployStatus> REPLACEABLE =
      EnumSet.of(
          DeployStatus.SECONDARY, DeployStatus.REHOME_FAILED, DeployStatus.REHOME_PREP_FAILED);

  private final SiteContext context;
  private final LocalAssociations local;
  private final OwedPeerStatus owed;

  /**
   * Creates the sync.
   *
   * @param context the engine's ports
   */
  public AssociationSync(SiteContext context) {
    this.context = context;
    this.local = new LocalAssociations(context);
    this.owed = new OwedPeerStatus(context);
  }

  /** Why a sync stopped before the subclouds: the message to record. */
  static final class SyncAbort extends RuntimeException {
    SyncAbort(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Runs a sync in the background. The association must already be syncing.
   *
   * @param associationId the primary association
   */
  public void start(long associationId) {
    context.scheduler().execute(() -> run(associationId, false));
  }

  /**
   * Pushes only the group (priority, leader, state, rehoming limit) in the background, e.g. after
   * the association's priority changed. The association must already be syncing.
   *
   * @param associationId the primary association
   */
  public void startGroupOnly(long associationId) {
    context.scheduler().execute(() -> run(associationId, true));
  }

  private void run(long associationId, boolean groupOnly) {
    String lease = WorkLeases.sync(associationId);
    if (!context.leases().holds(lease)) {
      // Another engine on the same database runs this association's sync.
      LOG.info("sync left to the engine holding its lease association_id={}", associationId);
      return;
    }
    try {
      runHeld(associationId, groupOnly);
    } catch (RuntimeException e) {
      context.leases().release(lease);
      throw e;
    }
  }

  private void runHeld(long associationId, boolean groupOnly) {
    Optional<PeerGroupAssociation> found = context.stores().associations().findById(associationId);
    if (found.isEmpty()) {
      context.leases().release(WorkLeases.sync(associationId));
      return;
    }
    PeerGroupAssociation association = found.get();
    Optional<SubcloudPeerGroup> group =
        context.stores().peerGroups().findById(association.peerGroupId());
    Optional<SystemPeer> peer = context.stores().systemPeers().findById(association.systemPeerId());
    if (group.isEmpty() || peer.isEmpty()) {
      local.setStatus(associationId, SyncStatus.FAILED, "Peer group or system peer is gone");
      context.leases().release(WorkLeases.sync(associationId));
      return;
    }
    new Run(association, group.get(), peer.get(), groupOnly).begin();
  }

  /** One sync of one association; its state lives until the last subcloud is done. */
  private final class Run {
    private final PeerGroupAssociation association;
    private final SubcloudPeerGroup group;
    private final SystemPeer peer;
    private final LocalSystem me = context.localSystem();
    private SiteApi client;
    private PeerGroupAssociation remoteAssociation;
    private SubcloudPeerGroup remoteGroup;
    private final List<String> failed = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger done = new AtomicInteger();
    private final boolean groupOnly;
    private int total;
    private final ProgressBoard.Tracker tracker;
    // True once the peer may hold an association this run created (even if the answer was lost).
    private boolean remoteAssociationAsked;

    Run(
        PeerGroupAssociation association,
        SubcloudPeerGroup group,
        SystemPeer peer,
        boolean groupOnly) {
      this.association = association;
      this.group = group;
      this.peer = peer;
      this.groupOnly = groupOnly;
      this.tracker = context.progress().syncStarted(association.id(), context.now());
    }

    void begin() {
      List<Subcloud> members;
      Map<String, Subcloud> remoteMembers;
      try {
        // With a witness, a group led here is pushed only while this site holds its lease.
        if (!context.leadership().mayPush(group)) {
          throw new SyncAbort(Messages.peerGroupNotLedHere(group.peerGroupName()));
        }
        client = context.peerSites().clientFor(peer, association.id());
        checkIdentity();
        long remotePeerId = remoteIdOfThisSite();
        boolean created = getOrCreateGroup();
        remoteAssociation = getOrCreateAssociation(remotePeerId);
        setRemoteStatus(SyncStatus.SYNCING);
        if (!created) {
          updateRemoteGroup();
        }
        if (groupOnly) {
          finish(null);
          return;
        }
        members = context.stores().subclouds().findByPeerGroup(group.id());
        remoteMembers = created ? Map.of() : remoteMembersByRegion();
      } catch (SyncAbort e) {
        finish(e.getMessage());
        return;
      } catch (GeoredException e) {
        LOG.warn(
            "association sync failed association_id={} peer={} reason={}",
            association.id(),
            peer.peerName(),
            e.getMessage());
        finish(e.getMessage());
        return;
      }
      List<Subcloud> toSync =
          members.stream().filter(s -> s.deployStatus() != DeployStatus.SECONDARY).toList();
      Set<String> localRegions = new java.util.HashSet<>();
      members.forEach(s -> localRegions.add(s.regionName()));
      List<Subcloud> toDelete =
          remoteMembers.values().stream()
              .filter(r -> !localRegions.contains(r.regionName()))
              .toList();
      total = toSync.size() + toDelete.size();
      tracker.total(total);
      List<Runnable> work = new ArrayList<>();
      toSync.forEach(s -> work.add(() -> syncOne(s, remoteMembers.get(s.regionName()))));
      toDelete.forEach(r -> work.add(() -> deleteOne(r)));
      BoundedFanOut.run(
          context.scheduler(),
          work,
          context.settings().syncConcurrency(),
          Runnable::run,
          () -> {
            List<String> names;
            synchronized (failed) {
              names = List.copyOf(failed);
            }
            finish(names.isEmpty() ? null : Messages.failedToSync(names, group.peerGroupName()));
          });
    }

    private void checkIdentity() {
      LocalSystem remote = client.identity(Caller.OPERATOR);
      if (!Objects.equals(remote.uuid(), peer.peerUuid())) {
        throw new SyncAbort(Messages.peerUuidMismatch(remote.uuid()));
      }
    }

    private long remoteIdOfThisSite() {
      try {
        return client.getSystemPeer(Caller.OPERATOR, me.uuid()).id();
      } catch (NotFoundException e) {
        throw new SyncAbort(Messages.systemPeerMissingOnPeer(me.uuid()));
      }
    }

    /** Returns true when the group was created now (so it is current and empty). */
    private boolean getOrCreateGroup() {
      try {
        remoteGroup = client.getPeerGroup(Caller.OPERATOR, group.peerGroupName());
      } catch (NotFoundException e) {
        remoteGroup =
            client.createPeerGroup(
                Caller.OPERATOR,
                PeerGroupCreate.builder()
                    .peerGroupName(group.peerGroupName())
                    .groupPriority(association.peerGroupPriority())
                    .groupState(group.groupState().wire())
                    .maxSubcloudRehoming(group.maxSubcloudRehoming())
                    .systemLeaderId(group.systemLeaderId())
                    .systemLeaderName(group.systemLeaderName())
                    .build());
        return true;
      }
      if (remoteGroup.groupPriority() == 0) {
        throw new SyncAbort(Messages.PEER_GROUP_WRONG_PRIORITY);
      }
      return false;
    }

    private PeerGroupAssociation getOrCreateAssociation(long remotePeerId) {
      Optional<PeerGroupAssociation> existing =
          PeerAssociations.find(client, remotePeerId, remoteGroup.id());
      if (existing.isPresent()) {
        return existing.get();
      }
      remoteAssociationAsked = true;
      return client.createAssociation(
          Caller.OPERATOR,
          AssociationCreate.builder()
              .peerGroupId(remoteGroup.id())
              .systemPeerId(remotePeerId)
              .build());
    }

    private void setRemoteStatus(SyncStatus status) {
      if (remoteAssociation.syncStatus() == status) {
        return;
      }
      remoteAssociation =
          client.updateAssociation(
              Caller.OPERATOR,
              remoteAssociation.id(),
              AssociationUpdate.builder().syncStatus(status.wire()).build());
    }

    private void updateRemoteGroup() {
      boolean same =
          Objects.equals(remoteGroup.groupPriority(), association.peerGroupPriority())
              && remoteGroup.groupState() == group.groupState()
              && remoteGroup.maxSubcloudRehoming() == group.maxSubcloudRehoming()
              && Objects.equals(remoteGroup.systemLeaderId(), group.systemLeaderId())
              && Objects.equals(remoteGroup.systemLeaderName(), group.systemLeaderName());
      if (same) {
        return;
      }
      remoteGroup =
          client.updatePeerGroup(
              context.leadership().peerCaller(group.peerGroupName()),
              remoteGroup.peerGroupName(),
              PeerGroupUpdate.builder()
                  .groupPriority(association.peerGroupPriority())
                  .groupState(group.groupState().wire())
                  .maxSubcloudRehoming(group.maxSubcloudRehoming())
                  .systemLeaderId(group.systemLeaderId())
                  .systemLeaderName(group.systemLeaderName())
                  .build());
    }

    private Map<String, Subcloud> remoteMembersByRegion() {
      Map<String, Subcloud> byRegion = new LinkedHashMap<>();
      for (Subcloud s :
          client.subcloudsOfPeerGroup(Caller.OPERATOR, String.valueOf(remoteGroup.id()))) {
        byRegion.put(s.regionName(), s);
      }
      return byRegion;
    }

    private void syncOne(Subcloud subcloud, Subcloud remoteCopy) {
      tracker.itemStarted();
      try {
        Map<String, Object> payload = payloadFor(subcloud);
        if (remoteCopy == null) {
          try {
            remoteCopy =
                client.createSubcloud(
                    context.leadership().peerCaller(group.peerGroupName()),
                    secondaryCopy(subcloud, payload));
          } catch (io.geored.spi.ConflictException exists) {
            // A copy outside the group: read it and treat it as an existing copy.
            remoteCopy =
                client.getSubcloud(
                    context.leadership().peerCaller(group.peerGroupName()), subcloud.regionName());
            requireReplaceable(subcloud, remoteCopy);
          }
        } else {
          requireReplaceable(subcloud, remoteCopy);
        }
        client.updateSubcloud(
            context.leadership().peerCaller(group.peerGroupName()),
            subcloud.regionName(),
            updateFor(subcloud, payload));
        progress(subcloud.name() + " synced", true);
      } catch (RuntimeException e) {
        failed.add(subcloud.name());
        LOG.warn(
            "subcloud sync failed association_id={} subcloud={} reason={}",
            association.id(),
            subcloud.name(),
            e.getMessage());
        progress(subcloud.name() + " failed: " + e.getMessage(), false);
      }
    }

    private void requireReplaceable(Subcloud subcloud, Subcloud remoteCopy) {
      if (!REPLACEABLE.contains(remoteCopy.deployStatus())) {
        throw new SyncAbort(
            "Subcloud " + subcloud.name() + " is not in the right state for sync on the peer site");
      }
    }

    private void deleteOne(Subcloud remoteCopy) {
      tracker.itemStarted();
      try {
        if (REPLACEABLE.contains(remoteCopy.deployStatus())) {
          client.deleteSubcloud(
              context.leadership().peerCaller(group.peerGroupName()), remoteCopy.regionName());
          progress(remoteCopy.name() + " removed from the peer", true);
        } else {
          LOG.info(
              "peer copy kept association_id={} subcloud={} deploy_status={}",
              association.id(),
              remoteCopy.name(),
              remoteCopy.deployStatus().wire());
          progress(remoteCopy.name() + " kept on the peer", true);
        }
      } catch (RuntimeException e) {
        failed.add(remoteCopy.name());
        progress(remoteCopy.name() + " removal failed: " + e.getMessage(), false);
      }
    }

    /** The saved payload as this peer must see it: its own gateway address. */
    private Map<String, Object> payloadFor(Subcloud subcloud) {
      RehomeData data = subcloud.rehomeData();
      if (data == null) {
        throw new SyncAbort("Subcloud " + subcloud.name() + " has no rehome data");
      }
      Map<String, Object> saved =
          data.savedPayload()
              .orElseThrow(
                  () ->
                      new SyncAbort(
                          "Subcloud " + subcloud.name() + " has no saved_payload in rehome data"));
      if (saved.isEmpty()) {
        throw new SyncAbort("Subcloud " + subcloud.name() + " has an empty saved_payload");
      }
      if (data.bootstrapAddress().isEmpty()) {
        throw new SyncAbort(
            "Subcloud " + subcloud.name() + " has no bootstrap-address in rehome data");
      }
      if (data.systemControllerGatewayAddress().isEmpty()) {
        throw new SyncAbort(
            "Subcloud "
                + subcloud.name()
                + " has no systemcontroller_gateway_address in rehome data");
      }
      Map<String, Object> payload = new HashMap<>(saved);
      payload.put(RehomeData.SYSTEMCONTROLLER_GATEWAY_ADDRESS, peer.peerControllerGatewayIp());
      return payload;
    }

    private SubcloudCreate secondaryCopy(Subcloud subcloud, Map<String, Object> payload) {
      return SubcloudCreate.builder()
          .name(subcloud.name())
          .regionName(subcloud.regionName())
          .description(subcloud.description())
          .location(subcloud.location())
          .bootstrapValues(payload)
          .bootstrapAddress(String.valueOf(payload.get(RehomeData.BOOTSTRAP_ADDRESS)))
          .installValues(subcloud.installValues())
          .release(subcloud.softwareVersion())
          .secondary(true)
          .build();
    }

    private SubcloudUpdate updateFor(Subcloud subcloud, Map<String, Object> payload) {
      return SubcloudUpdate.builder()
          .peerGroup(String.valueOf(remoteGroup.id()))
          .bootstrapValues(payload)
          .bootstrapAddress(String.valueOf(payload.get(RehomeData.BOOTSTRAP_ADDRESS)))
          .description(subcloud.description())
          .location(subcloud.location())
          .installValues(subcloud.installValues())
          .release(subcloud.softwareVersion())
          .build();
    }

    private void progress(String detail, boolean succeeded) {
      tracker.itemFinished(succeeded, true, context.now());
      context.emit(
          new GeoredEvent.Progress(
              context.now(), "sync", group.peerGroupName(), done.incrementAndGet(), total, detail));
    }

    /**
     * Both sides in-sync (message null) or both failed with the message. When the peer cannot be
     * told that the sync succeeded, this site records the failure to tell it, and tries once to
     * leave the peer failed rather than syncing. When the peer's copy may still be syncing after
     * that, the final status is owed to it: a mark on the association, retried with backoff and
     * repaired by the next heartbeat or audit (docs/adr/0011).
     */
    private void finish(String failure) {
      SyncStatus status = failure == null ? SyncStatus.IN_SYNC : SyncStatus.FAILED;
      boolean delivered = false;
      if (remoteAssociation != null) {
        try {
          setRemoteStatus(status);
          delivered = true;
        } catch (RuntimeException e) {
          LOG.warn(
              "could not tell the peer the sync outcome association_id={} peer={} reason={}",
              association.id(),
              peer.peerName(),
              e.getMessage());
          if (status == SyncStatus.IN_SYNC) {
            status = SyncStatus.FAILED;
            failure =
                Messages.failedToUpdatePeerSyncStatus(peer.peerUuid(), SyncStatus.IN_SYNC.wire());
            try {
              setRemoteStatus(SyncStatus.FAILED);
              delivered = true;
            } catch (RuntimeException again) {
              LOG.warn(
                  "peer association left as it was association_id={} peer={} reason={}",
                  association.id(),
                  peer.peerName(),
                  again.getMessage());
            }
          }
        }
      }
      boolean owing = !delivered && (remoteAssociation != null || remoteAssociationAsked);
      if (delivered || owing) {
        local.setStatusOwing(association.id(), status, failure, owing ? status : null);
      } else {
        // The peer's association was never touched by this run: an earlier debt, if any, stays.
        local.setStatus(association.id(), status, failure);
      }
      if (owing) {
        LOG.warn(
            "final sync status owed to the peer association_id={} peer={} status={}",
            association.id(),
            peer.peerName(),
            status.wire());
        owed.retryLater(association.id());
      }
      tracker.ended(context.now());
      context.leases().release(WorkLeases.sync(association.id()));
      LOG.info(
          "association sync done association_id={} peer={} status={} message={}",
          association.id(),
          peer.peerName(),
          status.wire(),
          failure);
    }
  }
}
