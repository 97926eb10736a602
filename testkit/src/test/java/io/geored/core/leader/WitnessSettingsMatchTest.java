package io.geored.core.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.GeoRedundancy;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.time.Ticker;
import io.geored.spi.witness.WitnessSettings;
import io.geored.testkit.lease.CountingPeerSites;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.witness.InMemoryLeadershipStore;
import io.geored.testkit.witness.InMemoryWitness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Lease deadlines and fence times come from the builder's witness settings, expiry at the witness
 * from the TTL its client was made with; an engine whose two differ would fence too late (or every
 * tick), so the builder refuses it. Found by SiteFailoverProcessTest: with the settings not passed,
 * every tick failed and the association stayed syncing.
 */
class WitnessSettingsMatchTest {

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Ticker ticker = scheduler.virtualClock().ticker();

  private GeoRedundancy.Builder builder(Duration clientTtl) {
    InMemoryWitness witness = new InMemoryWitness(ticker, clientTtl);
    return GeoRedundancy.builder(
            InMemoryStores.create(),
            LocalSystemIdentity.of(SingleSite.SITE_A),
            new CountingPeerSites())
        .scheduler(scheduler)
        .witness(witness.client(SingleSite.SITE_A.uuid(), ticker), new InMemoryLeadershipStore())
        .ticker(ticker);
  }

  @Test
  void aWitnessClientWithAnotherTtlThanTheSettingsIsRefused() {
    GeoRedundancy.Builder mismatched = builder(Duration.ofSeconds(4));

    assertThatThrownBy(mismatched::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "witnessSettings ttl PT1M differs from the witness client's ttl PT4S; give both the"
                + " same TTL");
  }

  @Test
  void theSameTtlBuilds() {
    GeoRedundancy engine =
        builder(Duration.ofSeconds(4))
            .witnessSettings(
                new WitnessSettings(
                    Duration.ofSeconds(4), Duration.ofMillis(500), Duration.ofSeconds(1)))
            .build();

    assertThat(engine).isNotNull();
    engine.close();
  }
}
