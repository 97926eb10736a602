package io.geored.core.failover;

import io.geored.core.internal.Cas;
import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.Lookups;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.core.internal.WorkLeases;
import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Takes a peer group over on this site (docs/concepts.md, step 5): checks the request, then in the
 * background hands every eligible subcloud over from the peers and rehomes it, at most
 * max_subcloud_rehoming at once; whatever the outcome, this site leads the group afterwards and the
 * peers are asked to audit it.
 *
 * <p>The request is refused, changing nothing, when the password is missing, when the group is
 * already being migrated (409; upstream drops such a second request silently), when any member
 * lacks usable rehome data or is being rehomed, and when no member is secondary, rehome-failed or
 * rehome-prep-failed. The claim on the group (migration_status migrating) is a compare-and-set, so
 * two requests, or two engines on one database, never migrate a group at once. Thread-safe.
 */
public class Migration {

  private static final Logger LOG = EscapingLogger.of(Migration.class);

  /** The deploy statuses a migration rehomes; members in any other are skipped. */
  static final Set<DeployStatus> MIGRATABLE =
      EnumSet.of(
          DeployStatus.SECONDARY, DeployStatus.REHOME_FAILED, DeployStatus.REHOME_PREP_FAILED);

  /** A member in one of these is being rehomed already. */
  static final Set<DeployStatus> BEING_REHOMED =
      EnumSet.of(DeployStatus.PRE_REHOME, DeployStatus.REHOMING);

  private final SiteContext context;
  private final Lookups lookups;
  private final StateEvents events;
  private final AvailabilityWrites writes;
  private final MigrationHandover handover;
  private final MigrationEnd end;

  /**
   * Creates the migration.
   *
   * @param context the engine's ports
   */
  public Migration(SiteContext context) {
    this.context = context;
    this.lookups = new Lookups(context.stores());
    this.events = new StateEvents(context);
    this.writes = new AvailabilityWrites(context);
    this.handover = new MigrationHandover(context);
    this.end = new MigrationEnd(context);
  }

  /**
   * The migrate verb: refuses with the answers of docs/messages.md, or answers the members that
   * will be migrated and starts the batch in the background.
   *
   * @param caller who asks
   * @param ref the group's id or name
   * @param request the sysadmin password
   * @return the members that will be migrated, as they were when asked
   * @throws NotFoundException when the group does not exist
   * @throws ValidationException when the request or a member is not ready; nothing is changed
   * @throws ConflictException when the group is already being migrated; nothing is changed
   */
  public List<Subcloud> request(Caller caller, String ref, MigrateRequest request) {
    SubcloudPeerGroup group = lookups.peerGroup(ref);
    if (request == null) {
      throw new ValidationException(Messages.BODY_REQUIRED);
    }
    String password = request.sysadminPassword();
    if (password == null || password.isBlank()) {
      throw new ValidationException(Messages.migrateNeedsSysadminPassword(ref));
    }
    String name = group.peerGroupName();
    if (group.migrationStatus() == MigrationStatus.MIGRATING) {
      throw new ConflictException(Messages.peerGroupAlreadyMigrating(name));
    }
    List<Subcloud> members = context.stores().subclouds().findByPeerGroup(group.id());
    List<String> problems = new ArrayList<>();
    List<Subcloud> eligible = new ArrayList<>();
    for (Subcloud member : members) {
      Optional<String> problem = rehomeDataProblem(member);
      if (problem.isPresent()) {
        problems.add(problem.get());
      } else if (BEING_REHOMED.contains(member.deployStatus())) {
        problems.add(Messages.migrateAlreadyRehoming(name, member.name()));
      } else if (MIGRATABLE.contains(member.deployStatus())) {
        eligible.add(member);
      } else {
        LOG.info(
            "migration skips subcloud peer_group={} name={} deploy_status={}",
            name,
            member.name(),
            member.deployStatus().wire());
      }
    }
    if (!problems.isEmpty()) {
      LOG.warn("migration refused peer_group={} members_not_ready={}", name, problems.size());
      throw new ValidationException(Messages.batchMigrateErrors(problems));
    }
    if (eligible.isEmpty()) {
      throw new ValidationException(Messages.nothingToMigrate(name));
    }
    // Without a witness, the leader must be a site this one can ask to hand over (ADR 0028).
    Optional<String> beyondReach = handover.leaderBeyondReach(group);
    if (beyondReach.isPresent()) {
      LOG.warn(
          "migration refused, the leader is not a system peer peer_group={} leader={}",
          name,
          beyondReach.get());
      throw new ConflictException(Messages.peerGroupLedBeyondReach(name, beyondReach.get()));
    }
    // With a witness, leading needs the group's lease: taken now, after a hand-over by its holder.
    context.leadership().takeForMigration(group);
    // Another engine on this database runs this group's batch; the lease, taken before the claim,
    // is held until the batch ends.
    if (!context.leases().holds(WorkLeases.migrate(name))) {
      throw new ConflictException(Messages.peerGroupAlreadyMigrating(name));
    }
    SubcloudPeerGroup claimed;
    try {
      claimed = claim(group);
    } catch (RuntimeException e) {
      context.leases().release(WorkLeases.migrate(name));
      throw e;
    }
    LOG.info(
        "migration accepted peer_group={} subclouds={} skipped={} caller={}",
        name,
        eligible.size(),
        members.size() - eligible.size(),
        caller);
    new MigrationRun(context, writes, handover, end, claimed, eligible, password).start();
    return List.copyOf(eligible);
  }

  /**
   * Finishes, after a restart, a migration this site left running: the group was closed by restart
   * recovery (complete, led here); the peers are asked to audit it and alarm 280.005 is cleared
   * when its priority is 0.
   *
   * @param group the group as recovery left it
   */
  public void completeInterrupted(SubcloudPeerGroup group) {
    try {
      LOG.info("finishing a migration a restart interrupted peer_group={}", group.peerGroupName());
      end.announce(group);
    } catch (RuntimeException e) {
      LOG.error(
          "finishing an interrupted migration failed peer_group={}", group.peerGroupName(), e);
    }
  }

  /** Marks the group migrating, unless another request got there first. */
  private SubcloudPeerGroup claim(SubcloudPeerGroup group) {
    String name = group.peerGroupName();
    SubcloudPeerGroup[] before = new SubcloudPeerGroup[1];
    SubcloudPeerGroup after =
        Cas.update(
            context.settings().casRetries(),
            () -> context.stores().peerGroups().findById(group.id()),
            current -> {
              if (current.migrationStatus() == MigrationStatus.MIGRATING) {
                throw new ConflictException(Messages.peerGroupAlreadyMigrating(name));
              }
              before[0] = current;
              return current.toBuilder()
                  .migrationStatus(MigrationStatus.MIGRATING)
                  .updatedAt(context.now())
                  .build();
            },
            context.stores().peerGroups()::update,
            key -> new ConflictException(Messages.changedConcurrently("peer group", name)),
            "peer group",
            name,
            Messages.PEER_GROUP_NOT_FOUND);
    events.peerGroup(before[0], after);
    return after;
  }

  /**
   * What keeps a subcloud from being rehomed, checked in upstream's order: no rehome data, no
   * saved_payload, an empty one, no bootstrap-address. A blank address counts as missing: nothing
   * could be rehomed to it.
   *
   * @param subcloud the member
   * @return the message naming the problem, or empty when the rehome data is usable
   */
  static Optional<String> rehomeDataProblem(Subcloud subcloud) {
    RehomeData data = subcloud.rehomeData();
    String name = subcloud.name();
    if (data == null) {
      return Optional.of(Messages.migrateRehomeDataMissing(name));
    }
    if (!data.content().containsKey(RehomeData.SAVED_PAYLOAD)) {
      return Optional.of(Messages.migrateSavedPayloadMissing(name));
    }
    if (isEmpty(data.content().get(RehomeData.SAVED_PAYLOAD))) {
      return Optional.of(Messages.migrateSavedPayloadEmpty(name));
    }
    if (data.bootstrapAddress().isEmpty()) {
      return Optional.of(Messages.migrateBootstrapAddressMissing(name));
    }
    return Optional.empty();
  }

  private static boolean isEmpty(Object payload) {
    return payload == null
        || (payload instanceof Map<?, ?> map && map.isEmpty())
        || (payload instanceof Collection<?> list && list.isEmpty())
        || (payload instanceof CharSequence text && text.isEmpty());
  }
}
