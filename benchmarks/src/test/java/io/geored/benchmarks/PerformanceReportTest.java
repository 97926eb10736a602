package io.geored.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The report's options and header")
class PerformanceReportTest {

  @Test
  @DisplayName(
      "bench.only names a figure family; sync runs the latency rows too, jdbc the JMH benchmark")
  void families() {
    assertThat(PerformanceReport.sectionsOf("sync")).containsExactlyInAnyOrder("sync", "latency");
    assertThat(PerformanceReport.sectionsOf("jdbc")).containsExactlyInAnyOrder("jdbc", "cas");
    assertThat(PerformanceReport.sectionsOf("heartbeat, memory"))
        .containsExactlyInAnyOrder("heartbeat", "memory");
    assertThat(PerformanceReport.sectionsOf("")).isEmpty();
    assertThat(PerformanceReport.sectionsOf("all")).isEmpty();
    assertThat(PerformanceReport.SECTIONS)
        .containsAll(
            PerformanceReport.FAMILIES.values().stream().flatMap(l -> l.stream()).toList());
  }

  @Test
  @DisplayName("an unknown family is refused with the list of families")
  void unknownFamily() {
    assertThatThrownBy(() -> PerformanceReport.sectionsOf("cpu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown bench.only family cpu; families are audit, sync, migration, heartbeat, jdbc,"
                + " memory");
  }

  @Test
  @DisplayName("the load average is printed with the cores, and a warning only above them")
  void loadLine() {
    int cores = Runtime.getRuntime().availableProcessors();

    assertThat(PerformanceReport.loadLine("at start", 0.5))
        .isEqualTo("load average at start: 0.50 (" + cores + " cores)");
    assertThat(PerformanceReport.loadLine("at end", cores + 0.25))
        .isEqualTo(
            String.format(
                java.util.Locale.ROOT,
                "load average at end: %.2f (%d cores) -- WARNING: above the number of cores; other"
                    + " work competes with the run, the timed figures are not to be trusted",
                cores + 0.25,
                cores));
    assertThat(PerformanceReport.loadLine("at end", -1))
        .isEqualTo("load average at end: unknown on this platform");
  }
}
