package io.geored.spi.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("witness settings state what the fence margin tolerates")
class WitnessSettingsTest {

  @Test
  @DisplayName("the defaults are a 60 s TTL renewed every 10 s with a 15 s fence margin")
  void defaults() {
    assertThat(WitnessSettings.DEFAULTS)
        .isEqualTo(
            new WitnessSettings(
                Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(15)));
  }

  @Test
  @DisplayName("with the defaults and 1000 ppm of clock drift, pauses up to 14.895 s are tolerated")
  void adrNumbers() {
    // 60/1.001 - 45/0.999 = 59.940060 - 45.045045 = 14.895015 s (docs/adr/0027).
    assertThat(WitnessSettings.DEFAULTS.longestTolerablePause(0.001))
        .isBetween(Duration.ofMillis(14_895), Duration.ofMillis(14_896));
    assertThat(WitnessSettings.DEFAULTS.longestTolerablePause(0)).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  @DisplayName("a margin too small for the drift tolerates no pause at all")
  void marginTooSmall() {
    WitnessSettings tight =
        new WitnessSettings(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ZERO);
    assertThat(tight.longestTolerablePause(0.001)).isNegative();
  }

  @Test
  @DisplayName("refuses durations out of range, naming the limit")
  void refusesBadDurations() {
    Duration minute = Duration.ofSeconds(60);
    assertThatThrownBy(() -> new WitnessSettings(Duration.ZERO, minute, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("witness TTL must be positive, was PT0S");
    assertThatThrownBy(() -> new WitnessSettings(minute, Duration.ofSeconds(10), minute))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("witness fence margin must be from 0 to less than the TTL PT1M, was PT1M");
    assertThatThrownBy(
            () -> new WitnessSettings(minute, Duration.ofSeconds(45), Duration.ofSeconds(15)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "witness renewal interval must be positive and shorter than the TTL minus the fence"
                + " margin PT45S, was PT45S");
    assertThatThrownBy(() -> WitnessSettings.DEFAULTS.longestTolerablePause(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clock rate bound must be from 0 to less than 1, was 1.0");
  }
}
