package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The two-site failover walk-through")
class WalkThroughTest {

  @TempDir Path work;

  @Test
  @Timeout(60)
  @DisplayName("plays the whole story over HTTP and reaches every expected state")
  void reachesEveryExpectedState() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int code = new WalkThrough(work, out).run();

    String timeline = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(timeline);
    assertThat(code).as(timeline).isZero();
    assertThat(timeline)
        .contains("step 1: System peers both ways")
        .contains("step 8: Site A comes back; its audit takes B's data")
        .contains("ok   B raised peer-down alarm 280.004")
        .contains("ok   B cleared peer-down alarm 280.004")
        .contains("PASS: every expected state was reached")
        .doesNotContain("FAIL");
  }
}
