package io.geored.core.fault;

import io.geored.core.internal.EscapingLogger;
import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.Alarms;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * The default fault manager when the host gives none: keeps raised alarms in memory and logs each
 * raise and clear. Thread-safe.
 */
public final class InMemoryAlarms implements Alarms {

  private static final Logger LOG = EscapingLogger.of(InMemoryAlarms.class);

  // Raised alarms by alarm id, then by entity instance. A clear of an alarm id with nothing raised
  // (the common case: an audit clears three alarms of every member it makes secondary) is one
  // lookup of a constant id, without hashing the entity or making a key.
  private final Map<String, Map<String, Alarm>> raised = new ConcurrentHashMap<>();

  @Override
  public void raise(Alarm alarm) {
    Alarm previous =
        raised
            .computeIfAbsent(alarm.alarmId(), id -> new ConcurrentHashMap<>())
            .put(alarm.entityInstance(), alarm);
    if (previous == null || previous.severity() != alarm.severity()) {
      LOG.warn(
          "alarm raised alarm_id={} entity={} severity={} reason={}",
          alarm.alarmId(),
          alarm.entityInstance(),
          alarm.severity(),
          alarm.reason());
    }
  }

  @Override
  public void clear(String alarmId, String entityInstance) {
    if (alarmId == null || entityInstance == null) {
      return; // no alarm is ever raised without both
    }
    Map<String, Alarm> byEntity = raised.get(alarmId);
    if (byEntity != null && byEntity.remove(entityInstance) != null) {
      LOG.info("alarm cleared alarm_id={} entity={}", alarmId, entityInstance);
    }
  }

  @Override
  public Optional<Alarm> find(String alarmId, String entityInstance) {
    if (alarmId == null || entityInstance == null) {
      return Optional.empty();
    }
    Map<String, Alarm> byEntity = raised.get(alarmId);
    return byEntity == null ? Optional.empty() : Optional.ofNullable(byEntity.get(entityInstance));
  }

  @Override
  public List<Alarm> findAll(String alarmId) {
    Map<String, Alarm> byEntity = alarmId == null ? null : raised.get(alarmId);
    return byEntity == null ? List.of() : List.copyOf(byEntity.values());
  }
}
