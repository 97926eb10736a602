package io.geored.benchmarks;

import io.geored.adapters.http.Authenticator;
import io.geored.adapters.http.GeoredHttpServer;
import io.geored.adapters.http.HttpPeerSites;
import io.geored.adapters.http.Role;
import io.geored.adapters.http.TokenAuthenticator;
import io.geored.adapters.http.TokenProvider;
import io.geored.core.GeoRedundancy;
import io.geored.core.GeoredSettings;
import io.geored.core.secret.PlainTextPasswordCipher;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.store.Stores;
import io.geored.spi.work.SubcloudStateListener;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One site as deployed, minus the database: an engine on in-memory stores behind its own loopback
 * HTTP server, reaching its peers through the HTTP client. Every request the server authenticates
 * is counted.
 */
final class LoopbackSite implements AutoCloseable {

  private static final String TOKEN = "benchmark-token";

  private final LocalSystem system;
  private final Stores stores = InMemoryStores.create();
  private final GeoRedundancy engine;
  private final GeoredHttpServer server;
  private final HttpPeerSites peers;
  private final AtomicLong requests = new AtomicLong();

  LoopbackSite(LocalSystem system, VirtualScheduler scheduler) {
    this.system = system;
    this.peers = HttpPeerSites.builder(TokenProvider.fixed(TOKEN)).build();
    this.engine =
        GeoRedundancy.builder(stores, LocalSystemIdentity.of(system), peers)
            .scheduler(scheduler)
            .settings(GeoredSettings.DEFAULTS)
            .stateListener(SubcloudStateListener.NONE)
            .passwordCipher(new PlainTextPasswordCipher())
            .build();
    Authenticator tokens = TokenAuthenticator.builder().token(TOKEN, "bench", Role.ADMIN).build();
    Authenticator counting =
        token -> {
          requests.incrementAndGet();
          return tokens.authenticate(token);
        };
    this.server =
        GeoredHttpServer.builder(engine.site(), counting).port(0).maxThreads(64).build().start();
  }

  SiteApi api() {
    return engine.site();
  }

  Stores stores() {
    return stores;
  }

  long requests() {
    return requests.get();
  }

  /** Registers {@code peer} as a system peer of this site, and answers the stored record. */
  SystemPeer knows(LoopbackSite peer) {
    api()
        .createSystemPeer(
            Caller.OPERATOR,
            SystemPeerCreate.builder()
                .peerUuid(peer.system.uuid())
                .peerName(peer.system.name())
                .managerEndpoint(peer.server.baseUri().toString())
                .managerUsername("admin")
                .managerPassword("benchmark-password")
                .peerControllerGatewayAddress(Members.A_GATEWAY)
                .build());
    return stores.systemPeers().findByUuid(peer.system.uuid()).orElseThrow();
  }

  /** This site's HTTP client to {@code peer}, as its heartbeat uses it. */
  SiteApi clientTo(LoopbackSite peer) {
    return peers.clientFor(stores.systemPeers().findByUuid(peer.system.uuid()).orElseThrow());
  }

  @Override
  public void close() {
    server.close();
    engine.close();
  }
}
