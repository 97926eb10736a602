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

  private final Map<Key, Alarm> raised = new ConcurrentHashMap<>();

  /** An alarm's identity: its id and the entity it is about. */
  private record Key(String alarmId, String entityInstance) {}

  private static Key key(String alarmId, String entityInstance) {
    return new Key(alarmId, entityInstance);
  }

  @Override
  public void raise(Alarm alarm) {
    Alarm previous = raised.put(key(alarm.alarmId(), alarm.entityInstance()), alarm);
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
    if (raised.remove(key(alarmId, entityInstance)) != null) {
      LOG.info("alarm cleared alarm_id={} entity={}", alarmId, entityInstance);
    }
  }

  @Override
  public Optional<Alarm> find(String alarmId, String entityInstance) {
    return Optional.ofNullable(raised.get(key(alarmId, entityInstance)));
  }

  @Override
  public List<Alarm> findAll(String alarmId) {
    return raised.values().stream().filter(a -> a.alarmId().equals(alarmId)).toList();
  }
}
