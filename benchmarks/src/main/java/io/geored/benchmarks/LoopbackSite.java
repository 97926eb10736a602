package io.geored.benchmarks;

import io.geored.adapters.http.Authenticator;
import io.geored.adapters.http.GeoredHttpHandler;
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
import io.geored.spi.peer.PeerSites;
import io.geored.spi.store.Stores;
import io.geored.spi.time.Scheduler;
import io.geored.spi.work.SubcloudStateListener;
import io.geored.testkit.store.InMemoryStores;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One site as deployed: an engine behind its own loopback HTTP server, reaching its peers through
 * the HTTP client. Every request the server authenticates is counted.
 *
 * <p>Its server also serves the floor ({@link #FLOOR_PATH}): a route that answers at once, without
 * authentication, reading or parsing, with a JSON body of the size the request asks for in {@link
 * #ANSWER_BYTES}. Bare round trips to it cost what the client and server stack costs, so the
 * engine's calls can be set beside them in the same run.
 */
final class LoopbackSite implements AutoCloseable {

  /** The token both sites use. */
  static final String TOKEN = "benchmark-token";

  /** The floor's path on every loopback site's server (outside the API's base path). */
  static final String FLOOR_PATH = "/bench/floor";

  /** The request header naming the size of the floor's answer, in bytes. */
  static final String ANSWER_BYTES = "X-Floor-Answer-Bytes";

  private static final Map<Integer, byte[]> FLOOR_ANSWERS = new ConcurrentHashMap<>();

  private final LocalSystem system;
  private final Stores stores;
  private final AutoCloseable storesOwner;
  private final GeoRedundancy engine;
  private final GeoredHttpServer server;
  private final AtomicLong requests = new AtomicLong();

  /** A site on in-memory stores whose background work runs on a virtual scheduler. */
  LoopbackSite(LocalSystem system, Scheduler scheduler) {
    this(system, scheduler, InMemoryStores.create(), null, null);
  }

  /**
   * A site.
   *
   * @param system who it is
   * @param scheduler its scheduler, or null for the engine's own threads (as a deployed site runs)
   * @param stores its stores
   * @param storesOwner closed with the site, or null
   * @param peers how it reaches peers, or null for the production {@link HttpPeerSites}
   */
  LoopbackSite(
      LocalSystem system,
      Scheduler scheduler,
      Stores stores,
      AutoCloseable storesOwner,
      PeerSites peers) {
    this.system = system;
    this.stores = stores;
    this.storesOwner = storesOwner;
    GeoRedundancy.Builder builder =
        GeoRedundancy.builder(
                stores,
                LocalSystemIdentity.of(system),
                peers != null ? peers : HttpPeerSites.builder(TokenProvider.fixed(TOKEN)).build())
            .settings(GeoredSettings.DEFAULTS)
            .stateListener(SubcloudStateListener.NONE)
            .passwordCipher(new PlainTextPasswordCipher());
    if (scheduler != null) {
      builder.scheduler(scheduler);
    }
    this.engine = builder.build();
    Authenticator tokens = TokenAuthenticator.builder().token(TOKEN, "bench", Role.ADMIN).build();
    Authenticator counting =
        token -> {
          requests.incrementAndGet();
          return tokens.authenticate(token);
        };
    this.server =
        GeoredHttpServer.builder(engine.site(), counting)
            .port(0)
            .maxThreads(64)
            .route(FLOOR_PATH, LoopbackSite::floor)
            .build()
            .start();
  }

  /** The floor's answer: a JSON body of the size asked for, at once. */
  private static GeoredHttpHandler.Response floor(GeoredHttpHandler.Request request) {
    String asked = request.header(ANSWER_BYTES);
    int size = asked == null ? 2 : Integer.parseInt(asked.trim());
    return new GeoredHttpHandler.Response(
        200, "application/json", FLOOR_ANSWERS.computeIfAbsent(size, LoopbackSite::jsonOfSize));
  }

  /** {@code {"x":"aaa…"}} of exactly {@code size} bytes (JSON from 2 bytes on). */
  static byte[] jsonOfSize(int size) {
    if (size < 9) {
      byte[] braces = new byte[size];
      Arrays.fill(braces, (byte) ' ');
      if (size >= 2) {
        braces[0] = '{';
        braces[size - 1] = '}';
      }
      return braces;
    }
    byte[] out = new byte[size];
    byte[] head = "{\"x\":\"".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, out, 0, head.length);
    Arrays.fill(out, head.length, size - 2, (byte) 'a');
    out[size - 2] = '"';
    out[size - 1] = '}';
    return out;
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

  /** The API's base URL, e.g. {@code http://127.0.0.1:port/v1.0}. */
  URI baseUri() {
    return server.baseUri();
  }

  /** The floor's URL on this site's server. */
  URI floorUri() {
    URI base = server.baseUri();
    return URI.create(base.getScheme() + "://" + base.getAuthority() + FLOOR_PATH);
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

  /** A production HTTP client to {@code peer}, as a site's heartbeat uses it. */
  SiteApi clientTo(LoopbackSite peer) {
    return HttpPeerSites.builder(TokenProvider.fixed(TOKEN))
        .build()
        .clientFor(stores.systemPeers().findByUuid(peer.system.uuid()).orElseThrow());
  }

  @Override
  public void close() {
    server.close();
    engine.close();
    if (storesOwner != null) {
      try {
        storesOwner.close();
      } catch (Exception e) {
        throw new IllegalStateException("stores did not close", e);
      }
    }
  }
}
