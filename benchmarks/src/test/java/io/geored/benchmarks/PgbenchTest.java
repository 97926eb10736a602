package io.geored.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PostgreSQL's own client beside the store's figures, and the targets read against it")
class PgbenchTest {

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
      "eight writers must reach 4x one writer, or 0.8 of the database's own gain when that is less")
  void groupedCommits() {
    assertThat(PerformanceReport.groupedCommitsNeeded(OptionalDouble.empty())).isEqualTo(4.0);
    assertThat(PerformanceReport.groupedCommitsNeeded(OptionalDouble.of(5.5))).isEqualTo(4.0);
    assertThat(PerformanceReport.groupedCommitsNeeded(OptionalDouble.of(4.0))).isEqualTo(4.0);
    assertThat(PerformanceReport.groupedCommitsNeeded(OptionalDouble.of(3.0)))
        .isCloseTo(2.4, org.assertj.core.data.Offset.offset(1e-9));
  }
}
