package io.geored.testkit.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.time.Ticker;
import io.geored.spi.witness.LeaseOutcome;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessLease;
import io.geored.spi.witness.WitnessUnavailableException;
import io.geored.testkit.contract.WitnessContract;
import io.geored.testkit.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the in-memory witness keeps the witness contract in virtual time")
class InMemoryWitnessTest extends WitnessContract {

  private static final Duration TTL = Duration.ofSeconds(60);

  private VirtualClock time;
  private InMemoryWitness witness;

  @BeforeEach
  void freshWitness() {
    time = new VirtualClock(Instant.parse("2026-03-04T05:06:07Z"));
    witness = new InMemoryWitness(time.ticker(), TTL);
  }

  @Override
  protected Witness witness(String site) {
    return witness.client(site, ticker());
  }

  @Override
  protected Ticker ticker() {
    // The sites' ticker has an origin of its own: only differences mean anything.
    Ticker virtual = time.ticker();
    return () -> virtual.nanos() + 1_000_000_000_000L;
  }

  @Override
  protected void letTimePass(Duration step) {
    time.advance(step);
  }

  @Test
  @DisplayName("a lease lives exactly one TTL of the witness's clock after its last renewal")
  void exactExpiry() {
    Witness a = witness(siteA);
    WitnessLease lease = ((LeaseOutcome.Granted) a.acquire("g1")).lease();
    time.advance(Duration.ofSeconds(30));
    lease = ((LeaseOutcome.Granted) a.renew(lease)).lease();

    time.advance(TTL.minusNanos(1));
    assertThat(witness(siteB).acquire("g1")).isEqualTo(new LeaseOutcome.HeldBy(lease.epoch()));
    time.advance(Duration.ofNanos(1));
    assertThat(a.holder("g1")).isEmpty();
    assertThat(a.renew(lease)).isEqualTo(new LeaseOutcome.Ended(lease.epoch()));
  }

  @Test
  @DisplayName("a site cut off fails every call and changes nothing until it reconnects")
  void cutOff() {
    Witness a = witness(siteA);
    WitnessLease lease = ((LeaseOutcome.Granted) a.acquire("g1")).lease();
    witness.cutOff(siteA);

    assertThatThrownBy(() -> a.renew(lease))
        .isInstanceOf(WitnessUnavailableException.class)
        .hasMessage("witness unreachable from site " + siteA + ": renew g1");
    assertThatThrownBy(() -> a.release(lease)).isInstanceOf(WitnessUnavailableException.class);
    assertThatThrownBy(() -> a.keepAlive()).isInstanceOf(WitnessUnavailableException.class);
    assertThat(witness(siteB).holder("g1")).contains(lease.epoch());

    witness.reconnect(siteA);
    assertThat(a.renew(lease)).isInstanceOf(LeaseOutcome.Granted.class);
  }
}
