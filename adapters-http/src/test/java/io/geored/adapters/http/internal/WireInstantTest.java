package io.geored.adapters.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Times read back from an answer")
class WireInstantTest {

  @Test
  @DisplayName("a time as a site writes it reads back as the same instant, 0 to 9 fraction digits")
  void canonical() {
    List<Instant> times =
        List.of(
            Instant.EPOCH,
            Instant.parse("2026-12-02T01:35:08Z"),
            Instant.parse("2026-12-02T01:35:08.400Z"),
            Instant.parse("2026-12-02T01:35:08.448812Z"),
            Instant.parse("2026-12-02T01:35:08.448812001Z"),
            Instant.parse("2024-02-29T23:59:59.999999999Z"),
            Instant.parse("9999-12-31T23:59:59.5Z"));
    for (Instant time : times) {
      assertThat(Wire.canonicalInstant(time.toString())).isEqualTo(time);
      assertThat(Wire.instant(time.toString())).isEqualTo(time);
    }
    assertThat(Wire.canonicalInstant("2026-12-02T01:35:08.4Z"))
        .isEqualTo(Instant.parse("2026-12-02T01:35:08.4Z"));
    assertThat(Wire.canonicalInstant("2026-12-02T01:35:08.12345678Z"))
        .isEqualTo(Instant.parse("2026-12-02T01:35:08.12345678Z"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "2016-12-31T23:59:60Z",
        "2026-02-30T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-12-02T24:00:00Z",
        "2026-12-02T01:35:08.Z",
        "2026-12-02T01:35:08.1234567891Z",
        "2026-12-02T01:35:08+01:00",
        "2026-12-02 01:35:08.448812",
        "2026-12-02T01:35:08z",
        "+12026-12-02T01:35:08Z",
        "2026-1a-02T01:35:08Z",
        "not a time"
      })
  @DisplayName("any other form is read the general way, with the same answer as before")
  void otherForms(String text) {
    assertThat(Wire.canonicalInstant(text)).isNull();
    assertThat(Wire.instant(text)).isEqualTo(general(text));
  }

  /** What reading a time answered before the canonical form was read apart. */
  private static Instant general(String text) {
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      } catch (java.time.format.DateTimeParseException again) {
        return null;
      }
    }
  }
}
