package io.geored.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "pgbench beside the store, and the targets read against the floors measured beside them")
class FloorTargetsTest {

  @Test
  @DisplayName("a single-host PostgreSQL URL gives host, port (5432 when absent) and database")
  void target() {
    assertThat(Pgbench.Target.of("jdbc:postgresql://127.0.0.1:54351/geored?ssl=false"))
        .contains(new Pgbench.Target("127.0.0.1", 54351, "geored"));
    assertThat(Pgbench.Target.of("jdbc:postgresql://db.example.net/geored"))
        .contains(new Pgbench.Target("db.example.net", 5432, "geored"));
  }

  @Test
  @DisplayName("several hosts, no database or another driver: no target, the rows are skipped")
  void noTarget() {
    assertThat(Pgbench.Target.of("jdbc:postgresql://a:5432,b:5432/geored")).isEmpty();
    assertThat(Pgbench.Target.of("jdbc:postgresql://a:5432/")).isEmpty();
    assertThat(Pgbench.Target.of("jdbc:h2:mem:x")).isEmpty();
    assertThat(Pgbench.Target.of(null)).isEmpty();
  }

  @Test
  @DisplayName("the script gives each client its own row of the store's table")
  void script() {
    assertThat(Pgbench.script(List.of(7L, 9L)))
        .isEqualTo(
            "\\set c :client_id\n"
                + "UPDATE geored_subcloud SET group_id = COALESCE(group_id, 0) + 1,"
                + " version = version + 1 WHERE id = (ARRAY[7,9]::bigint[])[:c + 1];\n");
  }

  @Test
  @DisplayName(
      "eight writers show grouped commits at 4x one writer, or at 0.8 of the database's own eight"
          + " clients")
  void groupedCommits() {
    assertThat(PerformanceReport.commitsGrouped(4000, 1000, OptionalDouble.empty())).isTrue();
    assertThat(PerformanceReport.commitsGrouped(3999, 1000, OptionalDouble.empty())).isFalse();
    assertThat(PerformanceReport.commitsGrouped(3000, 1000, OptionalDouble.of(3750))).isTrue();
    assertThat(PerformanceReport.commitsGrouped(2999, 1000, OptionalDouble.of(3750))).isFalse();
    assertThat(PerformanceReport.commitsGrouped(4000, 1000, OptionalDouble.of(9000))).isTrue();
  }

  @Test
  @DisplayName(
      "an absolute time target says met, MISSED, or MISSED with the floor when the floor alone"
          + " exceeds it")
  void absoluteVerdict() {
    java.time.Duration second = java.time.Duration.ofSeconds(1);
    assertThat(PerformanceReport.absoluteVerdict(947_000_000L, second, 501_000_000L))
        .isEqualTo("<= 1 s: met");
    assertThat(PerformanceReport.absoluteVerdict(1_500_000_000L, second, 600_000_000L))
        .isEqualTo("<= 1 s: MISSED");
    assertThat(PerformanceReport.absoluteVerdict(2_090_000_000L, second, 1_184_200_000L))
        .isEqualTo(
            "<= 1 s: MISSED (the floor alone takes 1184 ms on this machine; see sync / floor)");
  }
}
