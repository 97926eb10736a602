package io.geored.core.subcloud;

import java.util.List;

/**
 * The alarms a subcloud carries under its own name, cleared when it stops being this site's to
 * watch: when it becomes a secondary copy and when it is deleted.
 */
public final class SubcloudAlarms {

  /** The subcloud is offline. */
  public static final String OFFLINE = "280.001";

  /** A resource of the subcloud is out of sync. */
  public static final String RESOURCE_OUT_OF_SYNC = "280.002";

  /** The subcloud's backup failed. */
  public static final String BACKUP_FAILED = "280.003";

  private SubcloudAlarms() {}

  /**
   * One alarm of a subcloud.
   *
   * @param alarmId the alarm id
   * @param entityInstance the entity instance it is raised on
   */
  public record OwnAlarm(String alarmId, String entityInstance) {}

  /**
   * A subcloud's own alarms.
   *
   * @param name the subcloud's name
   * @return offline, dc-cert out of sync and backup failed, on the entities docs/concepts.md names
   */
  public static List<OwnAlarm> of(String name) {
    String subcloud = "subcloud=" + name;
    return List.of(
        new OwnAlarm(OFFLINE, subcloud),
        new OwnAlarm(RESOURCE_OUT_OF_SYNC, subcloud + ".resource=dc-cert"),
        new OwnAlarm(BACKUP_FAILED, subcloud));
  }
}
