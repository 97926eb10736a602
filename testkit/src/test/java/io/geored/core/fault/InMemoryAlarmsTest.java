package io.geored.core.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The default fault manager: alarms kept by their id and entity, as the Alarms port describes. */
@DisplayName("The in-memory fault manager")
class InMemoryAlarmsTest {

  private static final Instant AT = Instant.parse("2026-12-02T08:00:00Z");

  private static Alarm alarm(String id, String entity, AlarmSeverity severity) {
    return new Alarm(id, "subcloud", entity, severity, "reason", "repair", false, AT);
  }

  @Test
  @DisplayName("finds an alarm by its id and entity, and lists an id's alarms")
  void raiseAndFind() {
    InMemoryAlarms alarms = new InMemoryAlarms();
    Alarm sc1 = alarm("280.001", "subcloud=sc1", AlarmSeverity.MAJOR);
    Alarm sc2 = alarm("280.001", "subcloud=sc2", AlarmSeverity.MAJOR);
    Alarm other = alarm("280.003", "subcloud=sc1", AlarmSeverity.MAJOR);
    alarms.raise(sc1);
    alarms.raise(sc2);
    alarms.raise(other);

    assertThat(alarms.find("280.001", "subcloud=sc1")).contains(sc1);
    assertThat(alarms.find("280.003", "subcloud=sc1")).contains(other);
    assertThat(alarms.find("280.003", "subcloud=sc2")).isEmpty();
    assertThat(alarms.find("280.002", "subcloud=sc1")).isEmpty();
    assertThat(alarms.findAll("280.001")).containsExactlyInAnyOrder(sc1, sc2);
    assertThat(alarms.findAll("280.002")).isEmpty();
  }

  @Test
  @DisplayName("a raise of the same id and entity replaces the alarm")
  void raiseReplaces() {
    InMemoryAlarms alarms = new InMemoryAlarms();
    Alarm major = alarm("280.001", "subcloud=sc1", AlarmSeverity.MAJOR);
    Alarm critical = alarm("280.001", "subcloud=sc1", AlarmSeverity.CRITICAL);
    alarms.raise(major);
    alarms.raise(critical);

    assertThat(alarms.find("280.001", "subcloud=sc1")).contains(critical);
    assertThat(alarms.findAll("280.001")).containsExactly(critical);
  }

  @Test
  @DisplayName(
      "a clear removes only its id and entity; clearing what is not raised changes nothing")
  void clear() {
    InMemoryAlarms alarms = new InMemoryAlarms();
    Alarm sc1 = alarm("280.001", "subcloud=sc1", AlarmSeverity.MAJOR);
    Alarm sc2 = alarm("280.001", "subcloud=sc2", AlarmSeverity.MAJOR);
    Alarm other = alarm("280.003", "subcloud=sc1", AlarmSeverity.MAJOR);
    alarms.raise(sc1);
    alarms.raise(sc2);
    alarms.raise(other);

    alarms.clear("280.001", "subcloud=sc1");
    alarms.clear("280.002", "subcloud=sc1");
    alarms.clear("280.001", "subcloud=sc9");
    alarms.clear(null, "subcloud=sc2");
    alarms.clear("280.001", null);

    assertThat(alarms.find("280.001", "subcloud=sc1")).isEmpty();
    assertThat(alarms.findAll("280.001")).containsExactly(sc2);
    assertThat(alarms.find("280.003", "subcloud=sc1")).contains(other);
    assertThat(alarms.find(null, "subcloud=sc2")).isEmpty();
    assertThat(alarms.findAll(null)).isEmpty();
  }
}
