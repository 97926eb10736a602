package io.geored.spi.fault;

import java.time.Instant;
import java.util.Objects;

/**
 * A fault raised by the engine, as operators' tooling sees it.
 *
 * @param alarmId e.g. {@code 280.004}
 * @param entityType e.g. {@code system_peer}
 * @param entityInstance e.g. {@code peer=<uuid>}; with the id it identifies the alarm
 * @param severity how serious
 * @param reason the reason text (docs/concepts.md, exact)
 * @param proposedRepair what to do
 * @param serviceAffecting whether service is affected (false for geored's alarms)
 * @param raisedAt when it was raised
 */
public record Alarm(
    String alarmId,
    String entityType,
    String entityInstance,
    AlarmSeverity severity,
    String reason,
    String proposedRepair,
    boolean serviceAffecting,
    Instant raisedAt) {

  /**
   * Checks the identifying parts are present.
   *
   * @param alarmId e.g. {@code 280.004}
   * @param entityType e.g. {@code system_peer}
   * @param entityInstance e.g. {@code peer=<uuid>}; with the id it identifies the alarm
   * @param severity how serious
   * @param reason the reason text (docs/concepts.md, exact)
   * @param proposedRepair what to do
   * @param serviceAffecting whether service is affected (false for geored's alarms)
   * @param raisedAt when it was raised
   */
  public Alarm {
    Objects.requireNonNull(alarmId, "alarmId");
    Objects.requireNonNull(entityInstance, "entityInstance");
    Objects.requireNonNull(severity, "severity");
  }
}
