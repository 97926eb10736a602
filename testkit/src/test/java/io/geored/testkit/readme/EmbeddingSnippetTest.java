package io.geored.testkit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.GeoRedundancy;
import io.geored.core.secret.AesGcmPasswordCipher;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.peer.PeerSites;
import io.geored.spi.store.Stores;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import java.security.SecureRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The engine builds, starts, answers and closes on in-memory ports")
class EmbeddingSnippetTest {

  @Test
  @DisplayName("an engine built as README.md shows starts, answers and closes")
  void readmeSnippet() {
    Stores stores = InMemoryStores.create();
    PeerSites peerSites = SingleSite.NO_PEERS;
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    VirtualScheduler scheduler = new VirtualScheduler();

    // --- the builder on in-memory ports (README.md shows the same on H2 and HTTP: examples module)
    LocalSystem me = new LocalSystem("6c5b1a5e-7d0e-4c1e-9f49-3f0a7d1f0c11", "site-a");
    GeoRedundancy engine =
        GeoRedundancy.builder(stores, LocalSystemIdentity.of(me), peerSites)
            .passwordCipher(new AesGcmPasswordCipher(key))
            .scheduler(scheduler) // optional: default is the engine's own threads
            .build();
    engine.start(); // restart recovery, then periodic work
    SiteApi site = engine.site();
    // ... site.createSystemPeer(Caller.OPERATOR, ...), site.listSubclouds(Caller.OPERATOR), ...
    engine.close();
    // --- end of the builder code

    assertThat(site.identity(Caller.OPERATOR)).isEqualTo(me);
    assertThat(engine.isRunning()).isFalse();
  }
}
