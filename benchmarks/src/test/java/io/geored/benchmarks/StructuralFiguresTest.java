package io.geored.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guards the figures of docs/PERFORMANCE.md that are counted, not timed, on the same scenarios the
 * measured run uses, at sizes that keep a normal build fast. testkit's own tests guard the engine
 * (AssociationSyncTest, PeerGroupAuditTest, MigrationMakespanTest); these guard the benchmark's
 * arrangements, so a report row cannot drift away from what the tests hold.
 */
@DisplayName("The benchmark scenarios' structural figures")
class StructuralFiguresTest {

  @Nested
  @DisplayName("audit")
  class Audit {

    @Test
    @DisplayName("an audit makes 8 peer calls whether the group holds 1, 100 or 1,000 subclouds")
    void constantInN() {
      assertThat(AuditFigure.run(1).peerCalls()).isEqualTo(8);
      assertThat(AuditFigure.run(100).peerCalls()).isEqualTo(8);
      assertThat(AuditFigure.run(1_000).peerCalls()).isEqualTo(8);
    }

    @Test
    @DisplayName(
        "an audit of 1,000 members allocates at most 1,100 bytes per member on the auditing thread"
            + " (1,433 before the third speed pass)")
    void heapPerMember() {
      // Counted, not timed: the bytes the thread allocated, which other load does not change. The
      // first audit of a JVM also loads and links classes; from the second on the figure is the
      // same every time (940 bytes on JDK 17 after the third speed pass: one builder per member
      // instead of three, no alarm key or list per member, no box or capture per store write).
      AuditFigure.run(1_000);
      AuditFigure.run(1_000);
      long allocated = AuditFigure.run(1_000).allocatedBytes();
      assumeTrue(allocated >= 0, "this JVM does not count a thread's allocations");

      assertThat(allocated / 1_000).isLessThanOrEqualTo(1_100);
    }
  }

  @Nested
  @DisplayName("association sync")
  class Sync {

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {0, 1, 100, 1_000})
    @DisplayName("a first sync on the in-process network makes at most 2N + 8 peer calls")
    void inProcess(int n) {
      long calls = SyncFigure.inProcess(n).peerCalls();

      assertThat(calls).isLessThanOrEqualTo(2L * n + 8);
      // Exactly what the engine's own test counts: a change here is a change of the scenario.
      assertThat(calls).isEqualTo(2L * n + 7);
    }

    @Test
    @DisplayName("over loopback HTTP the peer's server sees the same 2N + 7 requests, N = 100")
    void overHttp() {
      assertThat(SyncFigure.overHttp(100).peerCalls()).isEqualTo(2L * 100 + 7);
    }

    @Test
    @DisplayName(
        "the floor replays the sync's 2N + 7 calls, 2N of them (one create and one update per"
            + " subcloud) in parallel, N = 100")
    void floorReplaysTheSyncsCalls() {
      RecordingHttpClient recorder = new RecordingHttpClient(FloorFigure.peerSitesClient());

      SyncFigure.overHttp(100, SyncFigure.Storage.IN_MEMORY, recorder);

      List<RecordingHttpClient.Call> calls = recorder.calls();
      assertThat(calls).hasSize(2 * 100 + 7);
      List<RecordingHttpClient.Call> perSubcloud =
          calls.stream().filter(FloorFigure::perSubcloud).toList();
      assertThat(perSubcloud).hasSize(2 * 100);
      assertThat(perSubcloud.stream().filter(c -> c.method().equals("POST"))).hasSize(100);
      assertThat(perSubcloud.stream().filter(c -> c.method().equals("PATCH"))).hasSize(100);
      assertThat(perSubcloud).allSatisfy(c -> assertThat(c.requestBytes()).isPositive());
      assertThat(calls).allSatisfy(c -> assertThat(c.answerBytes()).isPositive());
    }
  }

  @Nested
  @DisplayName("migration")
  class Migration {

    @ParameterizedTest(name = "N = {0}, P = {1}, d = {2} min")
    @CsvSource({"100, 50, 5", "101, 50, 5", "100, 7, 3"})
    @DisplayName("the makespan in virtual time is within ceil(N/P)·d plus one probe interval")
    void makespan(int n, int places, int minutes) {
      Duration d = Duration.ofMinutes(minutes);
      long rounds = (n + places - 1) / places;

      MigrationFigure.Result result = MigrationFigure.run(n, places, d);

      assertThat(result.ideal()).isEqualTo(d.multipliedBy(rounds));
      assertThat(result.bound())
          .isEqualTo(d.multipliedBy(rounds).plus(MigrationFigure.SETTINGS.onlineWaitPoll()));
      assertThat(result.makespan()).isLessThanOrEqualTo(result.bound());
      assertThat(result.makespan()).isGreaterThanOrEqualTo(result.ideal());
    }
  }
}
