package io.geored.examples;

import io.geored.adapters.http.GeoredHttpServer;
import io.geored.adapters.http.HttpPeerSites;
import io.geored.adapters.http.Role;
import io.geored.adapters.http.TokenAuthenticator;
import io.geored.adapters.http.TokenProvider;
import io.geored.adapters.jdbc.JdbcStores;
import io.geored.core.GeoRedundancy;
import io.geored.core.secret.AesGcmPasswordCipher;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.work.SubcloudProbe;
import io.geored.spi.work.SubcloudRehomer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The code of README.md's "Embedding geored" section, compiled and run by {@code
 * EmbeddingExampleTest}, which also checks that README.md shows it unchanged.
 */
public final class EmbeddingExample {

  private EmbeddingExample() {}

  /**
   * Embeds a site the way a host application would: H2 files, HTTP to its peers, its own HTTP
   * server, the host's rehomer and probe; starts it, asks it who it is, stops it.
   *
   * @param dataFolder where the embedded database lives
   * @param key the AES key for stored peer passwords (16, 24 or 32 bytes)
   * @param rehomer how the host rehomes a subcloud
   * @param probe how the host learns whether a subcloud is online
   * @return the identity the site answered over its API
   */
  public static LocalSystem run(
      Path dataFolder, byte[] key, SubcloudRehomer rehomer, SubcloudProbe probe) {
    // --- README: embedding
    LocalSystem me = new LocalSystem("6c5b1a5e-7d0e-4c1e-9f49-3f0a7d1f0c11", "site-a");
    try (JdbcStores database = JdbcStores.embedded(dataFolder)) {
      HttpPeerSites peers =
          HttpPeerSites.builder(
                  TokenProvider.perPeer(Map.of("bbbbbbbb-0000-4000-8000-00000000000b", "to-b")))
              .build();
      GeoRedundancy engine =
          GeoRedundancy.builder(database.stores(), LocalSystemIdentity.of(me), peers)
              .passwordCipher(new AesGcmPasswordCipher(key))
              .rehomer(rehomer) // the host's deployment tooling
              .probe(probe) // the host's view of subcloud availability
              .build(); // default scheduler: the engine's own threads
      TokenAuthenticator tokens =
          TokenAuthenticator.builder()
              .token("ops-token", "ops", Role.ADMIN)
              .peerToken("from-b", "site-b", "bbbbbbbb-0000-4000-8000-00000000000b")
              .build();
      try (GeoredHttpServer server =
          GeoredHttpServer.builder(engine.site(), tokens).port(0).build().start()) {
        engine.start(); // restart recovery, then periodic work
        SiteApi site = engine.site();
        // ... site.createSystemPeer(Caller.OPERATOR, ...), site.listSubclouds(...), ...
        return site.identity(Caller.OPERATOR);
      } finally {
        engine.close();
      }
    }
    // --- end
  }
}
