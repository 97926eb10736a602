package io.geored.core.service;

import io.geored.core.internal.Cas;
import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.Lookups;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.StateEvents;
import io.geored.core.rules.FieldRules;
import io.geored.core.rules.NameRules;
import io.geored.core.rules.Require;
import io.geored.core.rules.SystemPeerRules;
import io.geored.core.sync.StatusPropagation;
import io.geored.spi.ConflictException;
import io.geored.spi.OperationFailedException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.SystemPeerStore;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * System peers: create, read, update, delete, with upstream's validation. Passwords go through the
 * cipher port on the way in and never come out: every answer carries {@link Secret#NONE}.
 * Thread-safe; holds no state of its own.
 */
public class SystemPeerService {

  private static final Logger LOG = EscapingLogger.of(SystemPeerService.class);

  private final SiteContext context;
  private final Lookups lookups;
  private final StateEvents events;
  private final StatusPropagation propagation;

  /**
   * Creates the service.
   *
   * @param context the engine's ports
   */
  @Inject
  public SystemPeerService(SiteContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.lookups = new Lookups(context.stores());
    this.events = new StateEvents(context);
    this.propagation = new StatusPropagation(context);
  }

  /**
   * Creates a system peer. It starts {@link PeerAvailability#CREATED}: only the monitor decides
   * whether it is available.
   *
   * @param caller who asks
   * @param request the peer's fields, unchecked
   * @return the stored peer, without its password
   * @throws ValidationException for a missing body or a bad field (the first one, in upstream's
   *     order)
   * @throws ConflictException when the uuid or the name is taken
   */
  public SystemPeer create(Caller caller, SystemPeerCreate request) {
    Require.that(request != null, Messages.BODY_REQUIRED);
    // Upstream's order, so that a request with several bad fields names the same one first.
    Require.that(Lookups.isUuid(request.peerUuid()), Messages.INVALID_PEER_UUID);
    Require.that(NameRules.isValid(request.peerName()), Messages.INVALID_PEER_NAME);
    Require.that(
        FieldRules.isHttpUrl(request.managerEndpoint(), SystemPeerRules.MAX_TEXT_LENGTH),
        Messages.INVALID_PEER_ENDPOINT);
    Require.that(
        FieldRules.isPresentAndAtMost(request.managerUsername(), SystemPeerRules.MAX_TEXT_LENGTH),
        Messages.INVALID_PEER_USERNAME);
    Require.that(
        FieldRules.isPresentAndAtMost(request.managerPassword(), SystemPeerRules.MAX_TEXT_LENGTH),
        Messages.INVALID_PEER_PASSWORD);
    Require.that(
        FieldRules.isIpAddress(
            request.peerControllerGatewayAddress(), SystemPeerRules.MAX_TEXT_LENGTH),
        Messages.INVALID_PEER_GATEWAY);
    AdministrativeState administrativeState =
        request.administrativeState() == null
            ? SystemPeerRules.DEFAULT_ADMINISTRATIVE_STATE
            : administrativeState(request.administrativeState());
    int interval =
        request.heartbeatInterval() == null
            ? SystemPeerRules.DEFAULT_HEARTBEAT_INTERVAL
            : heartbeatInterval(request.heartbeatInterval());
    int threshold =
        request.heartbeatFailureThreshold() == null
            ? SystemPeerRules.DEFAULT_FAILURE_THRESHOLD
            : failureThreshold(request.heartbeatFailureThreshold());
    HeartbeatFailurePolicy policy =
        request.heartbeatFailurePolicy() == null
            ? SystemPeerRules.DEFAULT_FAILURE_POLICY
            : failurePolicy(request.heartbeatFailurePolicy());
    int timeout =
        request.heartbeatMaintenanceTimeout() == null
            ? SystemPeerRules.DEFAULT_MAINTENANCE_TIMEOUT
            : maintenanceTimeout(request.heartbeatMaintenanceTimeout());
    requireWitnessFor(policy, request.heartbeatFailurePolicy());

    SystemPeer candidate =
        SystemPeer.builder()
            .peerUuid(request.peerUuid())
            .peerName(request.peerName())
            .managerEndpoint(request.managerEndpoint())
            .managerUsername(request.managerUsername())
            .managerPassword(encrypt(request.managerPassword()))
            .peerControllerGatewayIp(request.peerControllerGatewayAddress())
            .administrativeState(administrativeState)
            .heartbeatInterval(interval)
            .heartbeatFailureThreshold(threshold)
            .heartbeatFailurePolicy(policy)
            .heartbeatMaintenanceTimeout(timeout)
            .availabilityState(PeerAvailability.CREATED)
            .createdAt(context.now())
            .build();
    StoreResult<SystemPeer> result = context.stores().systemPeers().insert(candidate);
    if (result instanceof StoreResult.Duplicate<SystemPeer> duplicate) {
      throw duplicate(duplicate.key());
    }
    SystemPeer saved =
        result.orElseThrow(other -> new OperationFailedException("Unable to create system peer"));
    events.systemPeer(null, saved);
    LOG.info(
        "system peer created id={} peer_uuid={} peer_name={} endpoint={}",
        saved.id(),
        saved.peerUuid(),
        saved.peerName(),
        saved.managerEndpoint());
    return withoutPassword(saved);
  }

  /**
   * One system peer.
   *
   * @param caller who asks
   * @param ref its id (digits), uuid or name
   * @return the peer, without its password
   * @throws io.geored.spi.NotFoundException when there is none
   */
  public SystemPeer get(Caller caller, String ref) {
    return withoutPassword(lookups.systemPeer(ref));
  }

  /**
   * Every system peer.
   *
   * @param caller who asks
   * @return ordered by id, without passwords
   */
  public List<SystemPeer> list(Caller caller) {
    return context.stores().systemPeers().findAll().stream()
        .map(SystemPeerService::withoutPassword)
        .toList();
  }

  /**
   * Changes a system peer. Fields left null stay as they are; values equal to the current ones are
   * no change and the peer is answered as it is. A new gateway address puts this peer's primary
   * associations out of sync (their groups must be synced again so the peer's copies carry it), and
   * the answer's note lists the sync commands to run.
   *
   * @param caller who asks
   * @param ref the peer's id (digits), uuid or name
   * @param request the fields to change, unchecked
   * @return the peer, without its password, and the note when associations went out of sync
   * @throws ValidationException for a missing body, no field, or a bad field
   * @throws io.geored.spi.NotFoundException when there is no such peer
   * @throws ConflictException when the new uuid or name is taken, or the peer kept changing
   *     concurrently
   */
  public WithInfo<SystemPeer> update(Caller caller, String ref, SystemPeerUpdate request) {
    Require.that(request != null, Messages.BODY_REQUIRED);
    SystemPeer found = lookups.systemPeer(ref);
    Require.that(namesAnyField(request), Messages.NOTHING_TO_UPDATE);
    PeerChanges changes = validate(request);
    requireWitnessFor(changes.heartbeatFailurePolicy(), request.heartbeatFailurePolicy());

    // Encrypted once: a cipher with a random nonce gives a new text each time.
    Secret newPassword =
        changes.managerPassword() == null ? null : encrypt(changes.managerPassword());
    if (changes.applyTo(found, newPassword, context).equals(found)) {
      return WithInfo.of(withoutPassword(found));
    }
    Instant now = context.now();
    Outcome outcome =
        context
            .stores()
            .transactions()
            .inTransaction(
                () -> {
                  SystemPeer[] before = new SystemPeer[1];
                  SystemPeer after =
                      Cas.update(
                          context.settings().casRetries(),
                          () -> context.stores().systemPeers().findById(found.id()),
                          current -> {
                            before[0] = current;
                            SystemPeer changed = changes.applyTo(current, newPassword, context);
                            return changed.equals(current)
                                ? current
                                : changed.toBuilder().updatedAt(now).build();
                          },
                          context.stores().systemPeers()::update,
                          this::duplicate,
                          "system peer",
                          found.peerName(),
                          Messages.SYSTEM_PEER_NOT_FOUND);
                  List<PeerGroupAssociation[]> touched = new ArrayList<>();
                  if (!Objects.equals(
                      before[0].peerControllerGatewayIp(), after.peerControllerGatewayIp())) {
                    markAssociationsOutOfSync(after.id(), now, touched);
                  }
                  return new Outcome(before[0], after, touched);
                });

    // Events only after the commit: a rolled-back write must not be heard of.
    events.systemPeer(outcome.before(), outcome.after());
    List<Long> outOfSync = new ArrayList<>();
    for (PeerGroupAssociation[] pair : outcome.associations()) {
      events.association(pair[0], pair[1]);
      if (pair[1].associationType() == AssociationType.PRIMARY) {
        outOfSync.add(pair[1].id());
        if (pair[1].syncStatus() == SyncStatus.OUT_OF_SYNC) {
          // The peer's side follows once the local change stands.
          propagation.tellPeer(pair[1].id(), SyncStatus.OUT_OF_SYNC);
        }
      }
    }
    LOG.info(
        "system peer updated id={} peer_uuid={} peer_name={} out_of_sync_associations={}",
        outcome.after().id(),
        outcome.after().peerUuid(),
        outcome.after().peerName(),
        outOfSync);
    return new WithInfo<>(withoutPassword(outcome.after()), Messages.outOfSyncInfo(outOfSync));
  }

  /**
   * Deletes a system peer that no association refers to.
   *
   * @param caller who asks
   * @param ref the peer's id (digits), uuid or name
   * @throws ValidationException when an association refers to it
   * @throws io.geored.spi.NotFoundException when there is no such peer
   */
  public void delete(Caller caller, String ref) {
    SystemPeer found = lookups.systemPeer(ref);
    // Checked and deleted in one transaction so an association created meanwhile cannot be left
    // pointing at a deleted peer.
    context
        .stores()
        .transactions()
        .run(
            () -> {
              Require.that(
                  context.stores().associations().findBySystemPeer(found.id()).isEmpty(),
                  Messages.SYSTEM_PEER_ASSOCIATED);
              context.stores().systemPeers().delete(found.id());
            });
    events.systemPeer(found, null);
    LOG.info(
        "system peer deleted id={} peer_uuid={} peer_name={}",
        found.id(),
        found.peerUuid(),
        found.peerName());
  }

  /**
   * The local peer groups associated with a system peer.
   *
   * @param caller who asks
   * @param ref the peer's id (digits), uuid or name
   * @return ordered by group id
   * @throws io.geored.spi.NotFoundException when there is no such peer
   */
  public List<SubcloudPeerGroup> peerGroupsOf(Caller caller, String ref) {
    SystemPeer peer = lookups.systemPeer(ref);
    return context.stores().associations().findBySystemPeer(peer.id()).stream()
        .map(a -> context.stores().peerGroups().findById(a.peerGroupId()))
        .flatMap(Optional::stream)
        .distinct()
        .sorted(Comparator.comparingLong(SubcloudPeerGroup::id))
        .toList();
  }

  /**
   * A peer as the API answers it: everything but the password.
   *
   * @param peer the stored peer
   * @return the same peer with {@link Secret#NONE} as password
   */
  public static SystemPeer withoutPassword(SystemPeer peer) {
    return peer.managerPassword().isEmpty()
        ? peer
        : peer.toBuilder().managerPassword(Secret.NONE).build();
  }

  /**
   * The peer's copies carry the old gateway address: every association with the peer goes
   * out-of-sync here, in the same transaction as the peer's change (failed where the peer is
   * unreachable, as it cannot be told).
   */
  private void markAssociationsOutOfSync(
      long peerId, Instant now, List<PeerGroupAssociation[]> touched) {
    for (PeerGroupAssociation association :
        context.stores().associations().findBySystemPeer(peerId)) {
      boolean unreachable = association.syncStatus() == SyncStatus.UNKNOWN;
      SyncStatus status = unreachable ? SyncStatus.FAILED : SyncStatus.OUT_OF_SYNC;
      String message = unreachable ? Messages.PEER_UNREACHABLE_SYNC_STATUS : null;
      PeerGroupAssociation[] before = new PeerGroupAssociation[1];
      PeerGroupAssociation after =
          Cas.update(
              context.settings().casRetries(),
              () -> context.stores().associations().findById(association.id()),
              current -> {
                before[0] = current;
                if (current.syncStatus() == status
                    && Objects.equals(current.syncMessage(), message)) {
                  return current;
                }
                return current.toBuilder()
                    .syncStatus(status)
                    .syncMessage(message)
                    .updatedAt(now)
                    .build();
              },
              context.stores().associations()::update,
              ConflictException::new,
              "association",
              String.valueOf(association.id()),
              Messages.ASSOCIATION_NOT_FOUND);
      touched.add(new PeerGroupAssociation[] {before[0], after});
    }
  }

  private Secret encrypt(String password) {
    return Secret.of(context.cipher().encrypt(password));
  }

  private RuntimeException duplicate(String key) {
    return new ConflictException(
        SystemPeerStore.UNIQUE_UUID.equals(key)
            ? Messages.SYSTEM_PEER_UUID_EXISTS
            : Messages.SYSTEM_PEER_NAME_EXISTS);
  }

  private static boolean namesAnyField(SystemPeerUpdate r) {
    return r.peerUuid() != null
        || r.peerName() != null
        || r.managerEndpoint() != null
        || r.managerUsername() != null
        || r.managerPassword() != null
        || r.peerControllerGatewayAddress() != null
        || r.administrativeState() != null
        || r.heartbeatInterval() != null
        || r.heartbeatFailureThreshold() != null
        || r.heartbeatFailurePolicy() != null
        || r.heartbeatMaintenanceTimeout() != null;
  }

  /** Checks the given fields in upstream's order; null fields are not checked. */
  private static PeerChanges validate(SystemPeerUpdate r) {
    if (r.peerUuid() != null) {
      Require.that(Lookups.isUuid(r.peerUuid()), Messages.INVALID_PEER_UUID);
    }
    if (r.peerName() != null) {
      Require.that(NameRules.isValid(r.peerName()), Messages.INVALID_PEER_NAME);
    }
    if (r.managerEndpoint() != null) {
      Require.that(
          FieldRules.isHttpUrl(r.managerEndpoint(), SystemPeerRules.MAX_TEXT_LENGTH),
          Messages.INVALID_PEER_ENDPOINT);
    }
    if (r.managerUsername() != null) {
      Require.that(
          FieldRules.isPresentAndAtMost(r.managerUsername(), SystemPeerRules.MAX_TEXT_LENGTH),
          Messages.INVALID_PEER_USERNAME);
    }
    if (r.managerPassword() != null) {
      Require.that(
          FieldRules.isPresentAndAtMost(r.managerPassword(), SystemPeerRules.MAX_TEXT_LENGTH),
          Messages.INVALID_PEER_PASSWORD);
    }
    if (r.peerControllerGatewayAddress() != null) {
      Require.that(
          FieldRules.isIpAddress(r.peerControllerGatewayAddress(), SystemPeerRules.MAX_TEXT_LENGTH),
          Messages.INVALID_PEER_GATEWAY);
    }
    AdministrativeState administrativeState =
        r.administrativeState() == null ? null : administrativeState(r.administrativeState());
    Integer interval =
        r.heartbeatInterval() == null ? null : heartbeatInterval(r.heartbeatInterval());
    Integer threshold =
        r.heartbeatFailureThreshold() == null
            ? null
            : failureThreshold(r.heartbeatFailureThreshold());
    HeartbeatFailurePolicy policy =
        r.heartbeatFailurePolicy() == null ? null : failurePolicy(r.heartbeatFailurePolicy());
    Integer timeout =
        r.heartbeatMaintenanceTimeout() == null
            ? null
            : maintenanceTimeout(r.heartbeatMaintenanceTimeout());
    return new PeerChanges(
        r.peerUuid(),
        r.peerName(),
        r.managerEndpoint(),
        r.managerUsername(),
        r.managerPassword(),
        r.peerControllerGatewayAddress(),
        administrativeState,
        interval,
        threshold,
        policy,
        timeout);
  }

  /**
   * Policies {@code rehome} and {@code delegate} act only through a witness: on a site with none
   * they are refused (400), so that nobody believes a peer will fail over by itself when it cannot.
   *
   * @param policy the checked policy, or null when the request leaves it unchanged
   * @param given the policy as the request spelled it
   */
  private void requireWitnessFor(HeartbeatFailurePolicy policy, String given) {
    if (policy != null
        && policy != HeartbeatFailurePolicy.ALARM
        && context.witnessPorts().configured().isEmpty()) {
      throw new ValidationException(Messages.heartbeatPolicyNeedsWitness(given));
    }
  }

  private static AdministrativeState administrativeState(String value) {
    return Require.present(AdministrativeState.fromWire(value), Messages.INVALID_PEER_ADMIN_STATE);
  }

  private static int heartbeatInterval(int value) {
    Require.that(
        FieldRules.isWithin(
            value, SystemPeerRules.MIN_HEARTBEAT_INTERVAL, SystemPeerRules.MAX_HEARTBEAT_INTERVAL),
        Messages.INVALID_PEER_HEARTBEAT_INTERVAL);
    return value;
  }

  private static int failureThreshold(int value) {
    Require.that(
        FieldRules.isWithin(
            value, SystemPeerRules.MIN_FAILURE_THRESHOLD, SystemPeerRules.MAX_FAILURE_THRESHOLD),
        Messages.INVALID_PEER_FAILURE_THRESHOLD);
    return value;
  }

  private static HeartbeatFailurePolicy failurePolicy(String value) {
    return Require.present(
        HeartbeatFailurePolicy.fromWire(value), Messages.INVALID_PEER_FAILURE_POLICY);
  }

  private static int maintenanceTimeout(int value) {
    Require.that(
        FieldRules.isWithin(
            value,
            SystemPeerRules.MIN_MAINTENANCE_TIMEOUT,
            SystemPeerRules.MAX_MAINTENANCE_TIMEOUT),
        Messages.INVALID_PEER_MAINTENANCE_TIMEOUT);
    return value;
  }

  /** The checked fields of an update; null means unchanged. The password is in clear. */
  private record PeerChanges(
      String peerUuid,
      String peerName,
      String managerEndpoint,
      String managerUsername,
      String managerPassword,
      String gatewayAddress,
      AdministrativeState administrativeState,
      Integer heartbeatInterval,
      Integer heartbeatFailureThreshold,
      HeartbeatFailurePolicy heartbeatFailurePolicy,
      Integer heartbeatMaintenanceTimeout) {

    /**
     * The peer with these changes; updatedAt is not touched, so equal means no change. The stored
     * password is replaced by {@code encryptedPassword} only when the clear one differs.
     */
    SystemPeer applyTo(SystemPeer current, Secret encryptedPassword, SiteContext context) {
      SystemPeer.Builder b = current.toBuilder();
      if (peerUuid != null) {
        b.peerUuid(peerUuid);
      }
      if (peerName != null) {
        b.peerName(peerName);
      }
      if (managerEndpoint != null) {
        b.managerEndpoint(managerEndpoint);
      }
      if (managerUsername != null) {
        b.managerUsername(managerUsername);
      }
      if (managerPassword != null && !samePassword(current.managerPassword(), context)) {
        b.managerPassword(encryptedPassword);
      }
      if (gatewayAddress != null) {
        b.peerControllerGatewayIp(gatewayAddress);
      }
      if (administrativeState != null) {
        b.administrativeState(administrativeState);
      }
      if (heartbeatInterval != null) {
        b.heartbeatInterval(heartbeatInterval);
      }
      if (heartbeatFailureThreshold != null) {
        b.heartbeatFailureThreshold(heartbeatFailureThreshold);
      }
      if (heartbeatFailurePolicy != null) {
        b.heartbeatFailurePolicy(heartbeatFailurePolicy);
      }
      if (heartbeatMaintenanceTimeout != null) {
        b.heartbeatMaintenanceTimeout(heartbeatMaintenanceTimeout);
      }
      return b.build();
    }

    private boolean samePassword(Secret stored, SiteContext context) {
      if (stored.isEmpty()) {
        return false;
      }
      try {
        return context.cipher().decrypt(stored.reveal()).equals(managerPassword);
      } catch (RuntimeException e) {
        // A stored password the cipher cannot read (e.g. a changed key) is replaced.
        return false;
      }
    }
  }

  private record Outcome(
      SystemPeer before, SystemPeer after, List<PeerGroupAssociation[]> associations) {}
}
