package io.geored.testkit.fault;

import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import io.geored.spi.fault.Alarms;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A fault manager for tests: keeps the raised alarms and a history of every raise and clear,
 * stamped with the (virtual) clock's time, and can be switched to fail every call so a test can
 * show that a broken alarm sink never breaks the flow that raised the alarm.
 *
 * <p>Thread-safe. The port methods ({@link #raise}, {@link #clear}, {@link #find}, {@link
 * #findAll}) obey the failure switch; the inspection helpers ({@link #raised()}, {@link
 * #history()}, {@link #isRaised}, ...) never fail, so a test can look at the state while the sink
 * is down.
 */
public final class RecordingAlarms implements Alarms {

  /** The message of the exception every port call throws while {@link #failEveryCall} is on. */
  public static final String FAILURE_MESSAGE = "fault manager unavailable";

  /** What a call to the fault manager did. */
  public enum Kind {
    /** {@link Alarms#raise} was called. */
    RAISE,
    /** {@link Alarms#clear} was called. */
    CLEAR
  }

  /**
   * One successful raise or clear, in call order.
   *
   * @param kind raise or clear
   * @param alarmId the alarm id
   * @param entityInstance the entity instance
   * @param severity for a raise, the alarm's severity; for a clear, the severity of the alarm it
   *     cleared, or null when none was raised (the clear did nothing)
   * @param at the clock's time of the call
   */
  public record AlarmEvent(
      Kind kind, String alarmId, String entityInstance, AlarmSeverity severity, Instant at) {}

  private record Key(String alarmId, String entityInstance) {}

  private final Clock clock;
  private final Map<Key, Alarm> raised = new LinkedHashMap<>();
  private final List<AlarmEvent> history = new ArrayList<>();
  private boolean failing;
  private int failedCalls;

  /**
   * An empty fault manager.
   *
   * @param clock stamps the history, usually the virtual scheduler's clock; not null
   */
  public RecordingAlarms(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Raises an alarm, replacing one with the same id and entity instance, and records the call.
   *
   * @param alarm the alarm, not null
   * @throws IllegalStateException with {@link #FAILURE_MESSAGE} while failing
   */
  @Override
  public synchronized void raise(Alarm alarm) {
    Objects.requireNonNull(alarm, "alarm");
    failIfSwitchedOn();
    raised.put(new Key(alarm.alarmId(), alarm.entityInstance()), alarm);
    history.add(
        new AlarmEvent(
            Kind.RAISE, alarm.alarmId(), alarm.entityInstance(), alarm.severity(), now()));
  }

  /**
   * Clears an alarm if raised, and records the call either way.
   *
   * @param alarmId the id
   * @param entityInstance the entity instance
   * @throws IllegalStateException with {@link #FAILURE_MESSAGE} while failing
   */
  @Override
  public synchronized void clear(String alarmId, String entityInstance) {
    failIfSwitchedOn();
    Alarm removed = raised.remove(new Key(alarmId, entityInstance));
    history.add(
        new AlarmEvent(
            Kind.CLEAR,
            alarmId,
            entityInstance,
            removed == null ? null : removed.severity(),
            now()));
  }

  /**
   * Finds a raised alarm.
   *
   * @throws IllegalStateException with {@link #FAILURE_MESSAGE} while failing
   */
  @Override
  public synchronized Optional<Alarm> find(String alarmId, String entityInstance) {
    failIfSwitchedOn();
    return current(alarmId, entityInstance);
  }

  /**
   * Every raised alarm with an id, in the order they were first raised.
   *
   * @throws IllegalStateException with {@link #FAILURE_MESSAGE} while failing
   */
  @Override
  public synchronized List<Alarm> findAll(String alarmId) {
    failIfSwitchedOn();
    return raised(alarmId);
  }

  /**
   * Turns the failure switch on or off. While on, every port call throws an {@link
   * IllegalStateException} and changes nothing.
   *
   * @param fail whether to fail
   */
  public synchronized void failEveryCall(boolean fail) {
    this.failing = fail;
  }

  /**
   * How many port calls failed because of the switch: shows the engine did try.
   *
   * @return the count
   */
  public synchronized int failedCalls() {
    return failedCalls;
  }

  /**
   * Every raised alarm, in the order they were first raised.
   *
   * @return an unmodifiable snapshot
   */
  public synchronized List<Alarm> raised() {
    return List.copyOf(raised.values());
  }

  /**
   * The raised alarms with an id, in the order they were first raised.
   *
   * @param alarmId the id
   * @return an unmodifiable snapshot
   */
  public synchronized List<Alarm> raised(String alarmId) {
    return raised.values().stream().filter(a -> a.alarmId().equals(alarmId)).toList();
  }

  /**
   * The raised alarm with an id and entity instance.
   *
   * @param alarmId the id
   * @param entityInstance the entity instance
   * @return the alarm or empty
   */
  public synchronized Optional<Alarm> current(String alarmId, String entityInstance) {
    return Optional.ofNullable(raised.get(new Key(alarmId, entityInstance)));
  }

  /**
   * Whether an alarm is raised.
   *
   * @param alarmId the id
   * @param entityInstance the entity instance
   * @return true when raised and not cleared since
   */
  public synchronized boolean isRaised(String alarmId, String entityInstance) {
    return raised.containsKey(new Key(alarmId, entityInstance));
  }

  /**
   * Every successful raise and clear, in call order.
   *
   * @return an unmodifiable snapshot
   */
  public synchronized List<AlarmEvent> history() {
    return List.copyOf(history);
  }

  /**
   * The raises and clears of one alarm, in call order.
   *
   * @param alarmId the id
   * @param entityInstance the entity instance
   * @return an unmodifiable snapshot
   */
  public synchronized List<AlarmEvent> history(String alarmId, String entityInstance) {
    return history.stream()
        .filter(
            e ->
                Objects.equals(e.alarmId(), alarmId)
                    && Objects.equals(e.entityInstance(), entityInstance))
        .toList();
  }

  /** Forgets every alarm, the history and the failed-call count; turns the switch off. */
  public synchronized void reset() {
    raised.clear();
    history.clear();
    failedCalls = 0;
    failing = false;
  }

  @Override
  public synchronized String toString() {
    return "RecordingAlarms[raised=" + raised.keySet() + ", events=" + history.size() + "]";
  }

  private void failIfSwitchedOn() {
    if (failing) {
      failedCalls++;
      throw new IllegalStateException(FAILURE_MESSAGE);
    }
  }

  private Instant now() {
    return clock.instant();
  }
}
