package io.geored.spi.fault;

import java.util.List;
import java.util.Optional;

/**
 * The host's fault manager. The engine never lets an exception from here break the flow that raised
 * or cleared the alarm: it logs it and goes on.
 */
public interface Alarms {

  /**
   * Raises an alarm, replacing one with the same id and entity instance. Idempotent.
   *
   * @param alarm the alarm
   */
  void raise(Alarm alarm);

  /**
   * Clears an alarm. Clearing one that is not raised does nothing.
   *
   * @param alarmId the id
   * @param entityInstance the entity instance
   */
  void clear(String alarmId, String entityInstance);

  /**
   * Finds a raised alarm.
   *
   * @param alarmId the id
   * @param entityInstance the entity instance
   * @return the alarm or empty
   */
  Optional<Alarm> find(String alarmId, String entityInstance);

  /**
   * Every raised alarm with an id.
   *
   * @param alarmId the id
   * @return the alarms, in no particular order
   */
  List<Alarm> findAll(String alarmId);
}
