package io.geored.spi.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every answer text of the API, exact as StarlingX operators and upstream's client read them
 * (docs/messages.md). Core throws them, adapters map them; nobody spells them twice.
 */
public final class Messages {

  private Messages() {}

  // --- any resource
  /** No body, or an empty JSON object. */
  public static final String BODY_REQUIRED = "Body required";

  /** A body that is not JSON. */
  public static final String BODY_MALFORMED = "Request body is malformed.";

  /** JSON that is not an object. */
  public static final String BODY_FORMAT = "Invalid request body format";

  /** An update that names no field it may change. */
  public static final String NOTHING_TO_UPDATE = "nothing to update";

  /** An unknown verb after a known resource. */
  public static final String INVALID_REQUEST = "Invalid request";

  /**
   * 403: an identified peer site asked for something that is not peer work on what its associations
   * cover (geored's own text: upstream does not confine a peer).
   */
  public static final String PEER_REQUEST_FORBIDDEN =
      "Forbidden: a peer site may only do peer work on what its associations cover";

  // --- system peers
  /** Unknown system peer. */
  public static final String SYSTEM_PEER_NOT_FOUND = "System Peer not found";

  /** Duplicate peer uuid. */
  public static final String SYSTEM_PEER_UUID_EXISTS =
      "A system peer with this UUID already exists";

  /** Duplicate peer name. */
  public static final String SYSTEM_PEER_NAME_EXISTS =
      "A system peer with this name already exists";

  /** Bad peer uuid. */
  public static final String INVALID_PEER_UUID = "Invalid peer uuid";

  /** Bad peer name. */
  public static final String INVALID_PEER_NAME = "Invalid peer name";

  /** Bad endpoint. */
  public static final String INVALID_PEER_ENDPOINT = "Invalid peer manager_endpoint";

  /** Bad user name. */
  public static final String INVALID_PEER_USERNAME = "Invalid peer manager_username";

  /** Bad password. */
  public static final String INVALID_PEER_PASSWORD = "Invalid peer manager_password";

  /** Bad gateway address. */
  public static final String INVALID_PEER_GATEWAY = "Invalid peer peer_controller_gateway_address";

  /** Bad administrative state. */
  public static final String INVALID_PEER_ADMIN_STATE = "Invalid peer administrative_state";

  /** Bad heartbeat interval. */
  public static final String INVALID_PEER_HEARTBEAT_INTERVAL = "Invalid peer heartbeat_interval";

  /** Bad failure threshold. */
  public static final String INVALID_PEER_FAILURE_THRESHOLD =
      "Invalid peer heartbeat_failure_threshold";

  /** Bad failure policy. */
  public static final String INVALID_PEER_FAILURE_POLICY = "Invalid peer heartbeat_failure_policy";

  /** Bad maintenance timeout. */
  public static final String INVALID_PEER_MAINTENANCE_TIMEOUT =
      "Invalid peer heartbeat_maintenance_timeout";

  /** Delete of a peer that an association refers to. */
  public static final String SYSTEM_PEER_ASSOCIATED =
      "Cannot delete a system peer which is associated with peer group.";

  // --- peer groups
  /** Unknown peer group. */
  public static final String PEER_GROUP_NOT_FOUND = "Subcloud Peer Group not found";

  /** Duplicate group name. */
  public static final String PEER_GROUP_NAME_EXISTS =
      "A subcloud peer group with this name already exists";

  /** Bad group name. */
  public static final String INVALID_PEER_GROUP_NAME = "Invalid peer-group-name";

  /** Bad priority. */
  public static final String INVALID_GROUP_PRIORITY = "Invalid group-priority";

  /** Bad group state. */
  public static final String INVALID_GROUP_STATE = "Invalid group-state";

  /** Bad rehoming limit. */
  public static final String INVALID_MAX_SUBCLOUD_REHOMING = "Invalid max-subcloud-rehoming";

  /** Bad leader id on update. */
  public static final String INVALID_SYSTEM_LEADER_ID = "Invalid system-leader-id";

  /** Bad leader name. */
  public static final String INVALID_SYSTEM_LEADER_NAME = "Invalid system-leader-name";

  /** Bad migration status. */
  public static final String INVALID_MIGRATION_STATUS = "Invalid migration_status";

  /** An operator update of a group this site does not own. */
  public static final String PEER_GROUP_UPDATE_NON_PRIMARY =
      "Cannot update a peer group from a non-primary site.";

  /** A group update the peer sites refused. */
  public static final String PEER_GROUP_SYNC_REFUSED =
      "Unable to sync the update to the peer site(s)";

  /** Delete of a group that an association refers to. */
  public static final String PEER_GROUP_ASSOCIATED =
      "Cannot delete a peer group which is associated with a system peer.";

  // --- associations
  /** A non-integer association id. */
  public static final String ASSOCIATION_ID_NOT_INTEGER =
      "Peer Group Association ID must be an integer";

  /** Unknown association. */
  public static final String ASSOCIATION_NOT_FOUND = "Peer Group Association not found";

  /** Bad group id. */
  public static final String INVALID_PEER_GROUP_ID = "Invalid peer_group_id";

  /** Bad system peer id. */
  public static final String INVALID_SYSTEM_PEER_ID = "Invalid system_peer_id";

  /** Bad association priority. */
  public static final String INVALID_PEER_GROUP_PRIORITY = "Invalid peer_group_priority";

  /** Bad sync status. */
  public static final String INVALID_SYNC_STATUS = "Invalid sync_status";

  /** A second association for one (group, peer). */
  public static final String ASSOCIATION_EXISTS =
      "A Peer group association with same peer_group_id, system_peer_id already exists";

  /** A priority given where the group's priority forbids it, or missing where required. */
  public static final String ASSOCIATION_PRIORITY_RULE =
      "Peer Group Association create is not allowed when the subcloud peer group priority is"
          + " greater than 0 and it is required when the subcloud peer group priority is 0.";

  /** Both fields in one update. */
  public static final String ASSOCIATION_PRIORITY_AND_STATUS =
      "peer_group_priority and sync_status cannot be updated at the same time.";

  /** Priority update on a non-primary association. */
  public static final String ASSOCIATION_PRIORITY_NON_PRIMARY =
      "Peer Group Association peer_group_priority is not allowed to update when the association"
          + " type is non-primary.";

  /** Sync status update on a primary association. */
  public static final String ASSOCIATION_STATUS_PRIMARY =
      "Peer Group Association sync_status is not allowed to update when the association type is"
          + " primary.";

  /** Sync asked of a non-primary association. */
  public static final String ASSOCIATION_SYNC_NON_PRIMARY =
      "Peer Group Association sync is not allowed when the association type is non-primary. But"
          + " the peer monitor notify was triggered.";

  /** Sync asked while another site leads the group. */
  public static final String ASSOCIATION_SYNC_NOT_LEADER =
      "Peer Group Association sync is not allowed when the subcloud peer group system_leader_id is"
          + " not the current system controller UUID.";

  /** A non-primary association failed by its primary. */
  public static final String PRIMARY_SYNC_FAILED =
      "Primary association sync to current site failed.";

  /** Left syncing by a restart. */
  public static final String SERVICE_RESTART_DURING_SYNCING = "Service restart during syncing";

  /** A local update that could not reach the peer. */
  public static final String PEER_UNREACHABLE_SYNC_STATUS =
      "Failed to update sync_status, because the peer site is unreachable.";

  /** Sync failed: the peer has a priority-0 copy of the group. */
  public static final String PEER_GROUP_WRONG_PRIORITY =
      "Subcloud Peer group of peer site has wrong priority 0.";

  // --- subclouds
  /** Unknown subcloud. */
  public static final String SUBCLOUD_NOT_FOUND = "Subcloud not found";

  /** Update on a non-primary site. */
  public static final String SUBCLOUD_UPDATE_NON_PRIMARY =
      "Subcloud update is only allowed when its peer group priority value is 0.";

  /** Seed fix: other fields named. */
  public static final String SUBCLOUD_UPDATE_ONLY_BOOTSTRAP =
      "Only bootstrap values and address can be updated in the non-primary site";

  /** Seed fix: conditions do not hold. */
  public static final String SUBCLOUD_UPDATE_BOOTSTRAP_CONDITIONS =
      "Subcloud bootstrap values or address update in the non-primary site is only allowed when"
          + " rehome failed and the primary site is unavailable.";

  /** Update of a subcloud whose group another site leads. */
  public static final String SUBCLOUD_UPDATE_NOT_LEADER =
      "Updating subcloud from a peer group not led by the current site is prohibited.";

  /** Removal from a group another site leads. */
  public static final String SUBCLOUD_REMOVE_NOT_LEADER =
      "Removing subcloud from a peer group not led by the current site is prohibited.";

  /** Removal from a non-primary group while its peer is available. */
  public static final String SUBCLOUD_REMOVE_PEER_AVAILABLE =
      "Removing subcloud from a peer group associated with an available system peer is"
          + " prohibited.";

  /** Unknown peer group named in a subcloud update. */
  public static final String INVALID_PEER_GROUP = "Invalid peer group";

  /** Joining a non-primary group. */
  public static final String SUBCLOUD_GROUP_NON_ZERO_PRIORITY =
      "Cannot set the subcloud to a peer group with non-zero priority.";

  /** Joining a group another site leads. */
  public static final String SUBCLOUD_GROUP_NOT_LEADER =
      "Update subcloud to a peer group that is not led by the current site is prohibited.";

  /** Joining while not managed, online and complete. */
  public static final String SUBCLOUD_GROUP_NOT_READY =
      "Only subclouds that are managed and online can be added to a peer group.";

  /** Joining without rehome data and without both bootstrap inputs. */
  public static final String SUBCLOUD_GROUP_NEEDS_BOOTSTRAP =
      "Cannot update the subcloud peer group: must provide both the bootstrap-values and"
          + " bootstrap-address.";

  /** Moving out of a non-primary group into another. */
  public static final String SUBCLOUD_MOVE_FROM_NON_PRIMARY =
      "Cannot move subcloud to a new peer group if the original peer group is not primary"
          + " (non-zero priority).";

  /** Management change of a grouped subcloud. */
  public static final String SUBCLOUD_MANAGEMENT_IN_GROUP =
      "Cannot update the management state of a subcloud that is associated with a peer group.";

  /** Bad management state. */
  public static final String INVALID_MANAGEMENT_STATE = "Invalid management-state";

  /** rehome-pending asked while the deploy status is not complete. */
  public static final String REHOME_PENDING_NEEDS_COMPLETE =
      "The deploy status can only be updated to 'rehome-pending' if the current deploy status is"
          + " 'complete'";

  /** rehome-pending asked while managed. */
  public static final String REHOME_PENDING_NEEDS_UNMANAGED =
      "Subcloud must be unmanaged for its deploy status to be updated to 'rehome-pending'";

  /** A bootstrap address alone while there are no bootstrap values yet. */
  public static final String BOOTSTRAP_ADDRESS_NEEDS_VALUES =
      "Cannot update bootstrap_address into rehome data, need to import bootstrap_values first";

  /** Delete of a managed subcloud. */
  public static final String SUBCLOUD_DELETE_MANAGED =
      "Cannot delete a subcloud that is \"managed\" status";

  /** Delete of a subcloud in a group. */
  public static final String SUBCLOUD_DELETE_IN_GROUP =
      "Cannot delete a subcloud that is part of a peer group on this site";

  /** An operation that needs an unmanaged subcloud. */
  public static final String SUBCLOUD_MUST_BE_UNMANAGED =
      "Subcloud must be unmanaged to perform this operation.";

  /** An operation that needs an offline subcloud. */
  public static final String SUBCLOUD_MUST_BE_POWERED_DOWN =
      "Subcloud must be powered down to perform this operation.";

  /** Managing an offline subcloud. */
  public static final String SUBCLOUD_NOT_ONLINE = "Subcloud is not online.";

  /** Delete of a subcloud while work runs on it (a transitory deploy status). */
  public static final String SUBCLOUD_DELETE_ACTIVE_OPERATION =
      "Cannot delete a subcloud during an active operation.";

  /** {@code force} given without management-state managed. */
  public static final String INVALID_FORCE_OPTION = "Invalid option: force";

  /** A deploy status that names no known state. */
  public static final String INVALID_DEPLOY_STATUS = "Invalid deploy_status";

  /** Registration without a subcloud name. */
  public static final String SUBCLOUD_NAME_REQUIRED = "name required";

  /** Registration without a region name. */
  public static final String SUBCLOUD_REGION_REQUIRED = "region_name required";

  /** A subcloud name made of digits only (a ref of digits is an id). */
  public static final String SUBCLOUD_NAME_NOT_ALPHABETIC =
      "name must contain alphabetic characters";

  /** A subcloud name that could not be used safely in a URL path or a log line. */
  public static final String SUBCLOUD_NAME_UNSAFE =
      "name must not contain /, \\ or control characters, nor be . or ..";

  /** A subcloud name that is a system controller's own region. */
  public static final String SUBCLOUD_NAME_RESERVED =
      "name cannot be RegionOne or SystemController";

  // --- formatted messages

  /**
   * 400: an operator's JSON body holds a key the resource does not read (geored's own text:
   * upstream drops such a key silently, so a typo or an answer's spelling such as {@code
   * peer_group_name} for {@code peer-group-name} would change nothing without a word). Peer sites'
   * requests are not refused for it.
   *
   * @param key the key as the body spells it
   * @param suggestion the key the resource reads that it most likely means, or null for none
   * @return {@code Unknown key <key>; did you mean <suggestion>?}, or {@code Unknown key <key>}
   *     when there is no suggestion
   */
  public static String unknownKey(String key, String suggestion) {
    return suggestion == null
        ? "Unknown key " + key
        : "Unknown key " + key + "; did you mean " + suggestion + "?";
  }

  /**
   * A bad leader id on create.
   *
   * @param value the value given
   * @return {@code Invalid system-leader-id [<value>]}
   */
  public static String invalidSystemLeaderIdOnCreate(String value) {
    return "Invalid system-leader-id [" + value + "]";
  }

  /**
   * A peer's audit request that lacks a key.
   *
   * @param group the local group's name
   * @param key the first missing key, as the request spells it
   * @return {@code Unable to audit peer group <group>, missing <key>}
   */
  public static String auditMissingKey(String group, String key) {
    return "Unable to audit peer group " + group + ", missing " + key;
  }

  /**
   * The audit a peer asked for failed (500).
   *
   * @param group the local group's name
   * @return {@code Unable to audit peer group <group>}
   */
  public static String auditFailed(String group) {
    return "Unable to audit peer group " + group;
  }

  /**
   * An audit asked by a peer this site does not monitor.
   *
   * @param peerUuid the uuid the request named
   * @param group the local group's name
   * @return the answer's message
   */
  public static String auditPeerNotMonitored(String peerUuid, String group) {
    return "System peer with UUID="
        + peerUuid
        + " is not under monitoring. Skipping audit for peer group "
        + group;
  }

  /**
   * An audit asked in the name of a system peer this site does not know.
   *
   * @param peerUuid the uuid the request named
   * @return the answer's message
   */
  public static String auditSystemPeerMissing(String peerUuid) {
    return "System Peer with peer_uuid " + peerUuid + " doesn't exist.";
  }

  /**
   * An audit of a group the asking (monitored) peer has no association with.
   *
   * @param group the local group's name
   * @return the answer's message
   */
  public static String auditGroupNotMonitored(String group) {
    return "No peer group id " + group + " found";
  }

  /**
   * An audit of a group that is gone by the time the audit looks it up.
   *
   * @param group the group's name
   * @return the answer's message
   */
  public static String auditGroupMissing(String group) {
    return "Subcloud Peer Group with name " + group + " doesn't exist.";
  }

  /**
   * Unmanaging an unmanaged subcloud.
   *
   * @param name the subcloud
   * @return the message
   */
  public static String alreadyUnmanaged(String name) {
    return "Subcloud " + name + " already unmanaged";
  }

  /**
   * Managing a managed subcloud.
   *
   * @param name the subcloud
   * @return the message
   */
  public static String alreadyManaged(String name) {
    return "Subcloud " + name + " already managed";
  }

  /**
   * Managing a subcloud whose deploy status forbids it.
   *
   * @param name the subcloud
   * @return the message
   */
  public static String unableToManage(String name) {
    return "Unable to manage "
        + name
        + ": its deploy_status must be either 'complete' or 'rehome-pending'";
  }

  /**
   * A deploy status the caller may not set.
   *
   * @param status the wire value asked for
   * @return the message
   */
  public static String deployStatusNotAllowed(String status) {
    return "Only a peer site may update the deploy status to '" + status + "'";
  }

  /**
   * The migrate option combined with another deploy status.
   *
   * @param status the wire value asked for with it
   * @return the message
   */
  public static String migrateWithDeployStatus(String status) {
    return "The migrate option sets the deploy status to 'rehome-pending' and cannot be combined"
        + " with deploy_status '"
        + status
        + "'";
  }

  /**
   * A deploy status change while the subcloud stays managed.
   *
   * @param name the subcloud
   * @param status the wire value asked for
   * @return the message
   */
  public static String deployStatusNeedsUnmanaged(String name, String status) {
    return "Unable to update deploy_status of subcloud "
        + name
        + " to "
        + status
        + ": subcloud must also be unmanaged";
  }

  /**
   * Managing a subcloud while setting a deploy status other than complete.
   *
   * @param name the subcloud
   * @param status the wire value asked for
   * @return the message
   */
  public static String manageWithDeployStatus(String name, String status) {
    return "Unable to manage "
        + name
        + " while also updating its deploy_status to "
        + status
        + ": not allowed";
  }

  /**
   * The host refused a management state change, which was undone.
   *
   * @param name the subcloud
   * @return the message
   */
  public static String managementStateReverted(String name) {
    return "Unable to update the management state of subcloud "
        + name
        + ": the host refused the change and it was reverted";
  }

  /**
   * The host refused a management state change and undoing it failed too.
   *
   * @param name the subcloud
   * @return the message
   */
  public static String managementStateRevertFailed(String name) {
    return "Unable to update the management state of subcloud "
        + name
        + ": the host refused the change and reverting it failed";
  }

  /**
   * A text longer than its column allows.
   *
   * @param field the field as the API spells it
   * @param max the most characters allowed
   * @return the message
   */
  public static String fieldTooLong(String field, int max) {
    return field + " must be at most " + max + " characters";
  }

  /**
   * A duplicate subcloud name.
   *
   * @param name the name
   * @return the message
   */
  public static String subcloudNameExists(String name) {
    return "Subcloud with name=" + name + " already exists";
  }

  /**
   * A duplicate region name.
   *
   * @param region the region name
   * @return the message
   */
  public static String subcloudRegionExists(String region) {
    return "Subcloud with region_name=" + region + " already exists";
  }

  /**
   * A lost compare-and-set race that retries did not win.
   *
   * @param resource the resource kind, e.g. {@code subcloud}
   * @param name its name
   * @return the message
   */
  public static String changedConcurrently(String resource, String name) {
    return "Conflict: " + resource + " " + name + " was changed concurrently; retry";
  }

  /**
   * The info message after an update that put a group out of sync; one line per association.
   *
   * @param associationIds the ids of the group's associations
   * @return the text, empty when there are none
   */
  public static String outOfSyncInfo(List<Long> associationIds) {
    if (associationIds.isEmpty()) {
      return "";
    }
    return "The operation has caused the SPG to be out-of-sync. Please run"
        + " peer-group-association sync command to push the subcloud peer group changes to the"
        + " peer site:\n"
        + associationIds.stream()
            .map(id -> "$ dcmanager peer-group-association sync " + id + "\n")
            .collect(Collectors.joining());
  }

  /**
   * A list of names as the messages spell it: {@code ['sc1', 'sc2']}.
   *
   * @param names the names
   * @return the list text
   */
  public static String nameList(List<String> names) {
    return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * Sync failed for some subclouds.
   *
   * @param names the subclouds that failed
   * @param group the peer group
   * @return the message
   */
  public static String failedToSync(List<String> names, String group) {
    return "Failed to sync " + nameList(names) + " in the Subcloud Peer Group " + group + ".";
  }

  /**
   * The peer reported another uuid than the system peer's.
   *
   * @param reportedUuid the uuid the peer reported
   * @return the message
   */
  public static String peerUuidMismatch(String reportedUuid) {
    return "Peer Group Association with peer site controller UUID "
        + reportedUuid
        + " doesn't match.";
  }

  /**
   * The peer does not know this site as a system peer.
   *
   * @param localUuid this site's uuid
   * @return the message
   */
  public static String systemPeerMissingOnPeer(String localUuid) {
    return "System Peer " + localUuid + " does not exist on peer site.";
  }

  /**
   * Some copies could not be deleted from the peer.
   *
   * @param names the subclouds
   * @param group the peer group
   * @return the message
   */
  public static String deletionFailedOnPeer(List<String> names, String group) {
    return "Deletion of "
        + nameList(names)
        + " from the Subcloud Peer Group "
        + group
        + " on the peer site failed.";
  }

  /**
   * The peer refused to delete its group because another association holds it.
   *
   * @param group the peer group
   * @return the message
   */
  public static String peerGroupDeleteRefusedOnPeer(String group) {
    return "Subcloud Peer Group "
        + group
        + " delete failed as it is associated with system peer"
        + " on peer site.";
  }

  /**
   * The peer's association status could not be set.
   *
   * @param peerUuid the peer's uuid
   * @param status the wire value of the status
   * @return the message
   */
  public static String failedToUpdatePeerSyncStatus(String peerUuid, String status) {
    return "Failed to Update Peer Site ("
        + peerUuid
        + ") Association sync_status to "
        + status
        + ".";
  }

  /**
   * The peer is unreachable (set by the monitor).
   *
   * @param peerName the peer's name
   * @return the message
   */
  public static String peerSiteUnreachable(String peerName) {
    return "Peer site (" + peerName + ") is unreachable.";
  }

  // --- migrate (PATCH /subcloud-peer-groups/{ref}/migrate)

  /**
   * A migrate request without the sysadmin password.
   *
   * @param groupRef the group as the request named it (upstream echoes the reference given)
   * @return the message
   */
  public static String migrateNeedsSysadminPassword(String groupRef) {
    return "Unable to migrate subcloud peer group: " + groupRef + " need sysadmin_password";
  }

  /**
   * A member without rehome data.
   *
   * @param subcloud the member's name
   * @return the message
   */
  public static String migrateRehomeDataMissing(String subcloud) {
    return "Unable to migrate subcloud: " + subcloud + " required rehoming data is missing";
  }

  /**
   * A member whose rehome data has no saved_payload.
   *
   * @param subcloud the member's name
   * @return the message
   */
  public static String migrateSavedPayloadMissing(String subcloud) {
    return "Unable to migrate subcloud: " + subcloud + " saved_payload is missing in rehoming data";
  }

  /**
   * A member whose saved_payload is empty.
   *
   * @param subcloud the member's name
   * @return the message
   */
  public static String migrateSavedPayloadEmpty(String subcloud) {
    return "Unable to migrate subcloud: " + subcloud + " saved_payload is empty";
  }

  /**
   * A member whose saved_payload has no bootstrap-address.
   *
   * @param subcloud the member's name
   * @return the message
   */
  public static String migrateBootstrapAddressMissing(String subcloud) {
    return "Unable to migrate subcloud: "
        + subcloud
        + ", bootstrap-address is missing in rehoming data";
  }

  /**
   * A member already being rehomed (pre-rehome or rehoming).
   *
   * @param group the peer group's name
   * @param subcloud the member's name
   * @return the message
   */
  public static String migrateAlreadyRehoming(String group, String subcloud) {
    return "Unable to migrate subcloud peer group "
        + group
        + ", subcloud "
        + subcloud
        + " already in rehoming process";
  }

  /**
   * The answer when some members are not ready: every member's message, as upstream renders a list
   * of texts ({@code ['first', 'second']}; a text holding a single quote and no double quote is
   * wrapped in double quotes, otherwise quotes and backslashes are escaped).
   *
   * @param messages the members' messages, in member order
   * @return {@code Batch migrate subclouds error: [<messages>]}
   */
  public static String batchMigrateErrors(List<String> messages) {
    return "Batch migrate subclouds error: "
        + messages.stream().map(Messages::quoted).collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * No member is secondary, rehome-failed or rehome-prep-failed.
   *
   * @param group the peer group's name
   * @return the message
   */
  public static String nothingToMigrate(String group) {
    return "Nothing to migrate, no secondary, rehome-failed or rehome-prep-failed subcloud in peer"
        + " group "
        + group;
  }

  /**
   * A second migrate request while the group is being migrated.
   *
   * @param group the peer group's name
   * @return the message
   */
  public static String peerGroupAlreadyMigrating(String group) {
    return "Subcloud peer group " + group + " is already being migrated";
  }

  // --- automatic failover (witness)
  /**
   * {@code rehome} or {@code delegate} asked of a system peer on a site with no witness.
   *
   * @param policy the policy as given ({@code rehome} or {@code delegate})
   * @return the message
   */
  public static String heartbeatPolicyNeedsWitness(String policy) {
    return "Heartbeat failure policy "
        + policy
        + " needs a witness; none is configured on this site.";
  }

  /**
   * A peer write for a group carrying an older leader epoch than this site has seen.
   *
   * @param epoch the epoch counter the write carried
   * @param group the peer group's name
   * @return the message
   */
  public static String staleLeaderEpoch(long epoch, String group) {
    return "Stale leader epoch " + epoch + " for subcloud peer group " + group + ".";
  }

  /**
   * A migration refused because another site leads the group and could not be asked, or refused, to
   * hand it over.
   *
   * @param group the peer group's name
   * @param siteName the leading site's name (its uuid when this site does not know its name)
   * @param epoch the leader's epoch counter
   * @return the message
   */
  public static String peerGroupLedElsewhere(String group, String siteName, long epoch) {
    return "Subcloud peer group "
        + group
        + " is led by "
        + siteName
        + " (epoch "
        + epoch
        + ") and cannot be handed over now.";
  }

  /**
   * A migration refused, without a witness, because the group's copy on this site or on a reachable
   * system peer names a leader that is not a system peer of this site: the migration could not ask
   * that leader to hand its subclouds over.
   *
   * @param group the peer group's name
   * @param siteName the leading site's name as the copy names it (its uuid when it has no name)
   * @return the message
   */
  public static String peerGroupLedBeyondReach(String group, String siteName) {
    return "Subcloud peer group "
        + group
        + " is led by "
        + siteName
        + ", which is not a system peer of this site; it cannot be migrated here now.";
  }

  /**
   * A peer site asked, without a witness, for a subcloud that another system peer of this site
   * manages or is rehoming (409): handing it over would leave it managed on two sites.
   *
   * @param subcloud the subcloud's name
   * @param siteName the system peer that holds it, as this site names it
   * @return the message
   */
  public static String subcloudManagedElsewhere(String subcloud, String siteName) {
    return "Subcloud "
        + subcloud
        + " is managed on "
        + siteName
        + "; it cannot be handed over to another site now.";
  }

  /**
   * A peer site asked, without a witness, for a subcloud already handed over to the migration of
   * another site (409): two migrations of the group on two sites must not both rehome it.
   *
   * @param subcloud the subcloud's name
   * @param siteName the site it is handed over to, as this site names that system peer (its uuid
   *     when this site has no system peer with it)
   * @return the message
   */
  public static String subcloudHandedOverElsewhere(String subcloud, String siteName) {
    return "Subcloud "
        + subcloud
        + " is handed over to the migration on "
        + siteName
        + "; it cannot be handed over to another site now.";
  }

  /**
   * Managing a member, or handing a group over, on a site that does not hold the group's lease
   * while a witness is configured.
   *
   * @param group the peer group's name
   * @return the message
   */
  public static String peerGroupNotLedHere(String group) {
    return "Subcloud peer group " + group + " is not led by this site.";
  }

  /** A text as a Python list shows it: upstream formats its lists of messages with repr. */
  private static String quoted(String text) {
    char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder out = new StringBuilder().append(quote);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c == quote) {
            out.append('\\');
          }
          out.append(c);
        }
      }
    }
    return out.append(quote).toString();
  }
}
