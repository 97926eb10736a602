package io.geored.adapters.micrometer;

import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.Alarms;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decorates {@link Alarms}: every alarm id the engine raises, clears or looks up gets a gauge
 * {@link MeterNames#ALARMS_RAISED} that reads how many alarms with that id the fault manager holds
 * raised (so it is right after a restart, and whoever cleared them). Calls pass through untouched.
 */
final class MeteredAlarms implements Alarms {

  private final Alarms delegate;
  private final MeterRegistry registry;
  private final Set<String> ids = ConcurrentHashMap.newKeySet();

  MeteredAlarms(Alarms delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  /** Makes sure the alarm id has its gauge. */
  void track(String alarmId) {
    if (alarmId != null && ids.add(alarmId)) {
      Gauge.builder(MeterNames.ALARMS_RAISED, () -> delegate.findAll(alarmId).size())
          .tag(MeterNames.ALARM, alarmId)
          .description("alarms raised with this id")
          .strongReference(true)
          .register(registry);
    }
  }

  @Override
  public void raise(Alarm alarm) {
    track(alarm.alarmId());
    delegate.raise(alarm);
  }

  @Override
  public void clear(String alarmId, String entityInstance) {
    track(alarmId);
    delegate.clear(alarmId, entityInstance);
  }

  @Override
  public Optional<Alarm> find(String alarmId, String entityInstance) {
    track(alarmId);
    return delegate.find(alarmId, entityInstance);
  }

  @Override
  public List<Alarm> findAll(String alarmId) {
    track(alarmId);
    return delegate.findAll(alarmId);
  }

  @Override
  public String toString() {
    return "Metered[" + delegate + "]";
  }
}
