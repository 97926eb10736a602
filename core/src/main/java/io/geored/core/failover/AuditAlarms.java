package io.geored.core.failover;

import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import java.time.Instant;

/**
 * Alarm 280.005, raised by the peer-group audit when a group is led by a peer site whose priority
 * number for it is higher (worse) than this site's: the texts exactly as docs/concepts.md gives
 * them.
 */
public final class AuditAlarms {

  /** The alarm id of a group managed by a lower-priority site. */
  public static final String PEER_GROUP_NOT_MANAGED = "280.005";

  /** The entity type the alarm is raised on. */
  public static final String ENTITY_TYPE = "subcloud_peer_group";

  /** What the operator should do. */
  public static final String PROPOSED_REPAIR =
      "Check the reported peer group state. Migrate it back to the current system if the state is"
          + " 'rehomed' and the current system is stable. Otherwise, wait until these conditions"
          + " are met.";

  private AuditAlarms() {}

  /**
   * The entity instance of a group's alarm.
   *
   * @param groupName the local group's name
   * @param peerUuid the leading peer's uuid
   * @return {@code peer_group=<name>,peer=<uuid>}
   */
  public static String entityInstance(String groupName, String peerUuid) {
    return "peer_group=" + groupName + ",peer=" + peerUuid;
  }

  /**
   * The alarm for a group led by a lower-priority peer: major, not service-affecting.
   *
   * @param groupName the local group's name
   * @param peerUuid the leading peer's uuid
   * @param now when it is raised
   * @return the alarm
   */
  public static Alarm managedByLowerPriority(String groupName, String peerUuid, Instant now) {
    return new Alarm(
        PEER_GROUP_NOT_MANAGED,
        ENTITY_TYPE,
        entityInstance(groupName, peerUuid),
        AlarmSeverity.MAJOR,
        "Subcloud peer group (peer_group_name="
            + groupName
            + ") is managed by remote system (peer_uuid="
            + peerUuid
            + ") with a lower priority.",
        PROPOSED_REPAIR,
        false,
        now);
  }
}
