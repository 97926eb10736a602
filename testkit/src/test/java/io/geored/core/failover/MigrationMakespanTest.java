package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.Subcloud;
import io.geored.testkit.work.RehomeScript;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@DisplayName("A migration's makespan, counted in virtual time")
class MigrationMakespanTest {

  private static final Logger LOG = LoggerFactory.getLogger(MigrationMakespanTest.class);

  @ParameterizedTest(name = "N = {0}, P = {1}, d = {2} min")
  @CsvSource({"100, 10, 5", "100, 7, 3", "1000, 50, 5", "1000, 250, 7"})
  @DisplayName(
      "N subclouds, rehome time d, P places: done within ceil(N/P)·d plus one probe interval,"
          + " with 2N + 1 calls to the peer")
  void makespan(int n, int places, int minutes) {
    Duration d = Duration.ofMinutes(minutes);
    try (MigrationScenario s =
        new MigrationScenario(MigrationBatchTest.QUIET_AUDIT).withGroup(places, n)) {
      s.rehomer(s.b).byDefault(RehomeScript.succeed().taking(d));
      s.sites.network().resetCalls();
      Instant start = s.now();

      List<Subcloud> answer = s.migrate(s.b);
      s.sites.advance(d.multipliedBy((n + places - 1) / places).plusHours(1));

      GeoredEvent.Progress last = s.progress(s.b).get(s.progress(s.b).size() - 1);
      assertThat(last.detail()).isEqualTo(MigrationTexts.FINISHED);
      Duration makespan = Duration.between(start, last.at());
      long rounds = (n + places - 1) / places;
      Duration bound = d.multipliedBy(rounds).plus(MigrationBatchTest.QUIET_AUDIT.onlineWaitPoll());
      LOG.info(
          "migration makespan n={} places={} rehome_time={} makespan={} bound={} peer_calls={}",
          n,
          places,
          d,
          makespan,
          bound,
          s.sites.network().calls(s.b.system(), s.a.system()));
      assertThat(makespan).isLessThanOrEqualTo(bound);
      // Nothing can be faster than the rehomes themselves, one round after the other.
      assertThat(makespan).isEqualTo(d.multipliedBy(rounds));
      assertThat(answer).hasSize(n);
      assertThat(s.b.stores().subclouds().findAll())
          .allSatisfy(
              sc -> {
                assertThat(sc.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
                assertThat(sc.managementState()).isEqualTo(ManagementState.MANAGED);
              });
      assertThat(s.group(s.b).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
      assertThat(s.rehomer(s.b).maxInFlight()).isEqualTo(Math.min(n, places));
      // The migration's own calls (the peers' heartbeats run beside it and are not counted):
      // one read and one hand-over per subcloud, one audit request at the end.
      long migrationCalls =
          s.sites.network().calls(s.b.system(), s.a.system(), "getSubcloud")
              + s.sites.network().calls(s.b.system(), s.a.system(), "updateSubcloud")
              + s.sites.network().calls(s.b.system(), s.a.system(), "auditPeerGroup");
      assertThat(migrationCalls).isEqualTo(2L * n + 1);
    }
  }
}
