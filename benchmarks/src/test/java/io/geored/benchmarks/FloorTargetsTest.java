package io.geored.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.Subcloud;
import io.geored.testkit.contract.Fixtures;
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
  @DisplayName(
      "the script gives each client its own row, updated with the store's statement, values as"
          + " literals")
  void script() {
    Subcloud first =
        Members.member("a'b-", 1, 3L, Members.A_GATEWAY, Fixtures.CREATED_AT).toBuilder()
            .id(7L)
            .version(1)
            .build();
    Subcloud second =
        Members.member("c-", 2, 4L, Members.A_GATEWAY, Fixtures.CREATED_AT).toBuilder()
            .id(9L)
            .version(1)
            .build();
    String script = Pgbench.script(List.of(first, second));
    assertThat(script.lines().toList())
        .hasSize(6)
        .startsWith("\\set c :client_id", "\\if :c = 0")
        .endsWith("\\endif");
    assertThat(script.lines().toList().get(3)).isEqualTo("\\elif :c = 1");
    assertThat(Pgbench.update(first))
        .isEqualTo(
            "UPDATE geored_subcloud SET name = 'a''b-"
                + first.name().substring(4)
                + "', region_name = 'region-a''b-"
                + first.name().substring(4)
                + "', description = 'edge a''b-"
                + first.name().substring(4)
                + "', location = 'rack a''b-"
                + first.name().substring(4)
                + "', software_version = '24.09', management_state = 'MANAGED',"
                + " availability_status = 'ONLINE', deploy_status = 'COMPLETE',"
                + " error_description = NULL, group_id = COALESCE(group_id, 0) + 1,"
                + " peer_group_id = 3, rehome_data = "
                + Pgbench.literal(JdbcFigure.REHOME_JSON)
                + ", install_values = '{}', rehomed = false, created_at = '"
                + Fixtures.CREATED_AT
                + "'::timestamptz, updated_at = NULL, handed_over_to = NULL,"
                + " version = version + 1 WHERE id = 7;");
    assertThat(script.lines().toList().get(4)).isEqualTo(Pgbench.update(second));
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
    assertThat(
            PerformanceReport.absoluteVerdict(2_789_100_000L, java.time.Duration.ofSeconds(2), 0))
        .isEqualTo("<= 2 s: MISSED");
  }
}
