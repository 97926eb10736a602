package io.geored.testkit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("VirtualClock")
class VirtualClockTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  @DisplayName("stands at its start instant, in UTC, until moved")
  void standsStill() {
    VirtualClock clock = new VirtualClock(START);

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  @DisplayName("advance moves it forward by exactly the duration, zero included")
  void advanceMovesForward() {
    VirtualClock clock = new VirtualClock(START);

    clock.advance(Duration.ofSeconds(90).plusNanos(1));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(90).plusNanos(1));

    clock.advance(Duration.ZERO);
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(90).plusNanos(1));
  }

  @Test
  @DisplayName("setInstant accepts the current instant and later ones")
  void setInstantForward() {
    VirtualClock clock = new VirtualClock(START);

    clock.setInstant(START);
    assertThat(clock.instant()).isEqualTo(START);

    clock.setInstant(START.plusSeconds(3600));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(3600));
  }

  @Test
  @DisplayName("never goes back: an earlier instant is refused and the clock stays where it was")
  void neverGoesBack() {
    VirtualClock clock = new VirtualClock(START);

    assertThatThrownBy(() -> clock.setInstant(START.minusNanos(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a virtual clock never goes back: 2026-03-01T09:59:59.999999999Z < 2026-03-01T10:00:00Z");
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  @DisplayName("withZone gives a view in that zone that moves with the clock")
  void zonedViewMovesWithClock() {
    VirtualClock clock = new VirtualClock(START);
    ZoneId paris = ZoneId.of("Europe/Paris");

    Clock view = clock.withZone(paris);
    clock.advance(Duration.ofMinutes(5));

    assertThat(view.getZone()).isEqualTo(paris);
    assertThat(view.instant()).isEqualTo(START.plusSeconds(300));
    assertThat(ZonedDateTime.now(view).getHour()).isEqualTo(11);
    assertThat(view.withZone(ZoneOffset.UTC)).isSameAs(clock);
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
  }

  @Test
  @DisplayName("refuses a null start")
  void refusesNullStart() {
    assertThatThrownBy(() -> new VirtualClock(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("start");
  }
}
