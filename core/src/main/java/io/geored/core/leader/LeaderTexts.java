package io.geored.core.leader;

import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import java.time.Instant;

/**
 * The texts of the witness rules that have no counterpart upstream: the fenced-group alarm and the
 * answers and error descriptions the engine gives when the witness decides. docs/adr/0027 lists
 * them.
 */
public final class LeaderTexts {

  /** Alarm id: this site fenced a peer group it led (it lost, or never got, the group's lease). */
  public static final String GROUP_FENCED = "280.006";

  /** The entity type of the fenced-group alarm. */
  public static final String ENTITY_TYPE = "subcloud_peer_group";

  /** What the operator should do about a fenced group. */
  public static final String FENCED_REPAIR =
      "Check the connectivity between the current system and the witness. The group is managed"
          + " again here as soon as this site holds its lease; if another site took it over"
          + " meanwhile, that site manages it.";

  private LeaderTexts() {}

  /**
   * The entity instance of a group's fenced alarm.
   *
   * @param group the group's name
   * @return {@code peer_group=<name>}
   */
  public static String entityInstance(String group) {
    return "peer_group=" + group;
  }

  /**
   * The alarm raised when this site fences a group: major, service-affecting (its subclouds are
   * unmanaged here).
   *
   * @param group the group's name
   * @param unmanaged how many members fencing unmanaged
   * @param now when it is raised
   * @return the alarm
   */
  public static Alarm fenced(String group, int unmanaged, Instant now) {
    return new Alarm(
        GROUP_FENCED,
        ENTITY_TYPE,
        entityInstance(group),
        AlarmSeverity.MAJOR,
        "Subcloud peer group "
            + group
            + " is fenced: this site does not hold its witness lease, and "
            + unmanaged
            + " subcloud(s) were unmanaged here.",
        FENCED_REPAIR,
        true,
        now);
  }

  /**
   * The 409 of a migration when the witness cannot be reached to take the group's lease.
   *
   * @param group the group's name
   * @return the message
   */
  public static String witnessUnreachable(String group) {
    return "The witness cannot be reached; subcloud peer group "
        + group
        + " cannot be migrated now.";
  }

  /**
   * The 409 of a migration asked of an engine while another engine of this site leads the group.
   *
   * @param group the group's name
   * @return the message
   */
  public static String ledByAnotherEngine(String group) {
    return "Subcloud peer group " + group + " is led by another engine of this site.";
  }

  /**
   * The error description of a member whose rehome a fencing cancelled.
   *
   * @param subcloud the member's name
   * @return the description
   */
  public static String rehomeCancelled(String subcloud) {
    return "Rehome of subcloud " + subcloud + " cancelled: this site lost the group's lease.";
  }
}
