package io.geored.spi.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.witness.LeaseOutcome.HeldBy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("a witness lease is usable from its start until its send time plus TTL minus margin")
class WitnessLeaseTest {

  private static final long SECOND = 1_000_000_000L;
  private static final Duration MARGIN = Duration.ofSeconds(15);

  @Test
  @DisplayName("the deadline runs from the send time, not the answer's arrival")
  void deadlineFromSendTime() {
    WitnessLease lease =
        new WitnessLease("g1", new Epoch(3, "site-a"), Duration.ofSeconds(60), 100 * SECOND, 100);

    assertThat(lease.deadlineNanos(MARGIN)).isEqualTo(145 * SECOND);
    assertThat(lease.usableAt(145 * SECOND - 1, MARGIN)).isTrue();
    assertThat(lease.usableAt(145 * SECOND, MARGIN)).isFalse();
  }

  @Test
  @DisplayName("a lease taken over is not usable before its wait, and renewals keep that start")
  void waitAfterTakeOver() {
    WitnessLease lease =
        new WitnessLease("g1", new Epoch(4, "site-b"), Duration.ofSeconds(60), 0, 61 * SECOND);
    WitnessLease renewed = lease.renewedAt(50 * SECOND);

    assertThat(lease.usableAt(30 * SECOND, MARGIN)).isFalse();
    assertThat(renewed)
        .isEqualTo(new WitnessLease("g1", lease.epoch(), lease.ttl(), 50 * SECOND, 61 * SECOND));
    assertThat(renewed.usableAt(61 * SECOND - 1, MARGIN)).isFalse();
    assertThat(renewed.usableAt(61 * SECOND, MARGIN)).isTrue();
    assertThat(renewed.usableAt(95 * SECOND, MARGIN)).isFalse();
  }

  @Test
  @DisplayName("ticker readings that wrap around still compare by difference")
  void wrapAround() {
    long start = Long.MAX_VALUE - 10 * SECOND;
    WitnessLease lease =
        new WitnessLease("g1", new Epoch(1, "site-a"), Duration.ofSeconds(60), start, start);

    assertThat(lease.usableAt(start + 20 * SECOND, MARGIN)).isTrue();
    assertThat(lease.usableAt(start + 45 * SECOND, MARGIN)).isFalse();
  }

  @Test
  @DisplayName("a fence margin of the TTL or more is refused")
  void marginBelowTtl() {
    WitnessLease lease =
        new WitnessLease("g1", new Epoch(1, "site-a"), Duration.ofSeconds(2), 0, 0);
    assertThatThrownBy(() -> lease.deadlineNanos(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fence margin must be from 0 to less than the TTL PT2S, was PT2S");
  }

  @Test
  @DisplayName("epochs order by counter; a refusal names the holder and its epoch")
  void epochs() {
    List<Epoch> epochs =
        new ArrayList<>(
            List.of(new Epoch(12, "site-a"), new Epoch(2, "site-b"), new Epoch(7, "site-c")));
    epochs.sort(null);

    assertThat(epochs).extracting(Epoch::counter).containsExactly(2L, 7L, 12L);
    assertThat(new Epoch(7, "site-c").isNewerThan(new Epoch(2, "site-b"))).isTrue();
    assertThat(new HeldBy(new Epoch(7, "site-c"))).hasToString("held by site site-c (epoch 7)");
    assertThatThrownBy(() -> new Epoch(0, "site-a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epoch counter must be positive, was 0");
  }

  @Test
  @DisplayName("candidates rank by priority, then by the lower site uuid")
  void candidateOrder() {
    List<Candidate> candidates =
        new ArrayList<>(
            List.of(
                new Candidate("c0000000-0000-0000-0000-000000000000", 2),
                new Candidate("B0000000-0000-0000-0000-000000000000", 1),
                new Candidate("a0000000-0000-0000-0000-000000000000", 1),
                new Candidate("f0000000-0000-0000-0000-000000000000", 0)));
    candidates.sort(Candidate.BEST_FIRST);

    assertThat(candidates)
        .extracting(Candidate::site)
        .containsExactly(
            "f0000000-0000-0000-0000-000000000000",
            "a0000000-0000-0000-0000-000000000000",
            "B0000000-0000-0000-0000-000000000000",
            "c0000000-0000-0000-0000-000000000000");
    assertThatThrownBy(() -> new Candidate("site-a", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("candidate priority must be 0 or more, was -1");
  }
}
