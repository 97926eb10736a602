package io.geored.core.service;

import io.geored.core.internal.Cas;
import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.core.internal.WorkLeases;
import io.geored.spi.ConflictException;
import io.geored.spi.api.Messages;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;

/**
 * Runs when the engine starts: work that a stop or crash interrupted can no longer finish, so no
 * record may stay in a transitory state. Subclouds in a transitory deploy state take its failed
 * state; associations left syncing become failed with "Service restart during syncing"; a peer
 * group left migrating on this site ends its migration as a finished batch does: complete, with
 * this site as leader.
 */
public class RestartRecovery {

  private static final Logger LOG = EscapingLogger.of(RestartRecovery.class);

  private final SiteContext context;
  private final StateEvents events;
  private final java.util.List<SubcloudPeerGroup> closedGroups =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Creates the recovery.
   *
   * @param context the engine's ports
   */
  @Inject
  public RestartRecovery(SiteContext context) {
    this.context = context;
    this.events = new StateEvents(context);
  }

  /**
   * What recovery changed.
   *
   * @param subclouds subclouds moved to a failed state
   * @param associations associations moved from syncing to failed
   * @param peerGroups peer groups whose migration was closed
   */
  public record Report(int subclouds, int associations, int peerGroups) {}

  /**
   * Moves every interrupted record out of its transitory state.
   *
   * @return counts of what changed
   */
  public Report recover() {
    // Work whose lease a live engine holds (several engines on one database) is that engine's, not
    // interrupted: it is left alone. A lease this engine can take had no live owner.
    java.util.Set<String> taken = new java.util.HashSet<>();
    try {
      return recover(taken);
    } finally {
      taken.forEach(context.leases()::release);
    }
  }

  private boolean ownerless(String lease, java.util.Set<String> taken) {
    if (taken.contains(lease)) {
      return true;
    }
    if (context.leases().holds(lease)) {
      taken.add(lease);
      return true;
    }
    return false;
  }

  private Report recover(java.util.Set<String> taken) {
    List<DeployStatus> transitory =
        Arrays.stream(DeployStatus.values()).filter(DeployStatus::isTransitory).toList();
    java.util.Map<Long, String> groupNames = new java.util.HashMap<>();
    for (SubcloudPeerGroup group : context.stores().peerGroups().findAll()) {
      groupNames.put(group.id(), group.peerGroupName());
    }
    int subclouds = 0;
    for (Subcloud stuck : context.stores().subclouds().findByDeployStatus(transitory)) {
      boolean rehome =
          stuck.deployStatus() == DeployStatus.PRE_REHOME
              || stuck.deployStatus() == DeployStatus.REHOMING;
      String group = stuck.peerGroupId() == null ? null : groupNames.get(stuck.peerGroupId());
      if (rehome && group != null && !ownerless(WorkLeases.migrate(group), taken)) {
        continue;
      }
      if (failSubcloud(stuck)) {
        subclouds++;
      }
    }
    int associations = 0;
    for (PeerGroupAssociation association : context.stores().associations().findAll()) {
      if (association.syncStatus() == SyncStatus.SYNCING
          && ownerless(WorkLeases.sync(association.id()), taken)
          && failAssociation(association)) {
        associations++;
      }
    }
    int groups = 0;
    closedGroups.clear();
    for (SubcloudPeerGroup group : context.stores().peerGroups().findAll()) {
      if (group.migrationStatus() == MigrationStatus.MIGRATING
          && ownerless(WorkLeases.migrate(group.peerGroupName()), taken)
          && closeMigration(group)) {
        groups++;
      }
    }
    Report report = new Report(subclouds, associations, groups);
    LOG.info(
        "restart recovery done subclouds={} associations={} peer_groups={}",
        report.subclouds(),
        report.associations(),
        report.peerGroups());
    return report;
  }

  /**
   * The peer groups whose migration the last {@link #recover()} closed, as it left them.
   *
   * @return the groups, possibly empty
   */
  public List<SubcloudPeerGroup> closedGroups() {
    return List.copyOf(closedGroups);
  }

  private boolean failSubcloud(Subcloud stuck) {
    try {
      Subcloud[] before = new Subcloud[1];
      Subcloud after =
          Cas.update(
              context.settings().casRetries(),
              () -> context.stores().subclouds().findById(stuck.id()),
              current -> {
                before[0] = current;
                DeployStatus target =
                    current.deployStatus().failedState().orElse(current.deployStatus());
                return current.toBuilder().deployStatus(target).updatedAt(context.now()).build();
              },
              context.stores().subclouds()::update,
              key -> new ConflictException(key),
              "subcloud",
              stuck.name(),
              Messages.SUBCLOUD_NOT_FOUND);
      events.subcloud(before[0], after);
      LOG.info(
          "recovered subcloud name={} from={} to={}",
          stuck.name(),
          before[0].deployStatus().wire(),
          after.deployStatus().wire());
      return before[0].deployStatus() != after.deployStatus();
    } catch (RuntimeException e) {
      LOG.error("recovery of subcloud failed name={}", stuck.name(), e);
      return false;
    }
  }

  private boolean failAssociation(PeerGroupAssociation stuck) {
    try {
      PeerGroupAssociation after =
          Cas.update(
              context.settings().casRetries(),
              () -> context.stores().associations().findById(stuck.id()),
              current ->
                  current.syncStatus() != SyncStatus.SYNCING
                      ? current
                      : current.toBuilder()
                          .syncStatus(SyncStatus.FAILED)
                          .syncMessage(Messages.SERVICE_RESTART_DURING_SYNCING)
                          // The sync that ended here may have left the peer's copy syncing.
                          .owedPeerStatus(
                              current.isPrimary() ? SyncStatus.FAILED : current.owedPeerStatus())
                          .updatedAt(context.now())
                          .build(),
              context.stores().associations()::update,
              key -> new ConflictException(key),
              "association",
              String.valueOf(stuck.id()),
              Messages.ASSOCIATION_NOT_FOUND);
      events.association(stuck, after);
      return true;
    } catch (RuntimeException e) {
      LOG.error("recovery of association failed id={}", stuck.id(), e);
      return false;
    }
  }

  private boolean closeMigration(SubcloudPeerGroup stuck) {
    try {
      SubcloudPeerGroup after =
          Cas.update(
              context.settings().casRetries(),
              () -> context.stores().peerGroups().findById(stuck.id()),
              current ->
                  current.migrationStatus() != MigrationStatus.MIGRATING
                      ? current
                      : current.toBuilder()
                          .migrationStatus(MigrationStatus.COMPLETE)
                          .systemLeaderId(context.localSystem().uuid())
                          .systemLeaderName(context.localSystem().name())
                          .updatedAt(context.now())
                          .build(),
              context.stores().peerGroups()::update,
              key -> new ConflictException(key),
              "peer group",
              stuck.peerGroupName(),
              Messages.PEER_GROUP_NOT_FOUND);
      events.peerGroup(stuck, after);
      closedGroups.add(after);
      return true;
    } catch (RuntimeException e) {
      LOG.error("recovery of peer group failed name={}", stuck.peerGroupName(), e);
      return false;
    }
  }
}
