package io.geored.core.subcloud;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

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
    List<OwnAlarm> alarms = new ArrayList<>(3);
    forEach(name, (alarmId, entity) -> alarms.add(new OwnAlarm(alarmId, entity)));
    return List.copyOf(alarms);
  }

  /**
   * Hands each of a subcloud's own alarms to {@code action}, as {@link #of} lists them, without
   * making the list: an audit clears them for every member it makes secondary.
   *
   * @param name the subcloud's name
   * @param action called with each alarm id and the entity instance it is raised on
   */
  public static void forEach(String name, BiConsumer<String, String> action) {
    String subcloud = "subcloud=" + name;
    action.accept(OFFLINE, subcloud);
    action.accept(RESOURCE_OUT_OF_SYNC, subcloud + ".resource=dc-cert");
    action.accept(BACKUP_FAILED, subcloud);
  }
}
