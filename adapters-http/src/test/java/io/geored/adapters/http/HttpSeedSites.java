package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.GeoRedundancy;
import io.geored.core.GeoredSettings;
import io.geored.core.secret.PlainTextPasswordCipher;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.peer.PeerSites;
import io.geored.spi.store.Stores;
import io.geored.spi.work.RehomeOutcome;
import io.geored.spi.work.SubcloudRehomer;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.ScriptedProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The seed commit's pre-steps over real HTTP: two full sites, each a geored engine on its own
 * in-memory stores behind its own {@link GeoredHttpServer} on a loopback port. The sites reach each
 * other only through {@link HttpPeerSites} with a peer token (confined to the other site's system
 * peer), and the test drives each site only through an {@link HttpSiteClient} with an admin token.
 * Engine time is one shared {@link VirtualScheduler}; the HTTP calls themselves are real and finish
 * at once on loopback. A site that goes down loses its server and its engine (a crash) and keeps
 * its stores; it comes back on the same port with a new engine, so its restart recovery runs.
 */
final class HttpSeedSites implements AutoCloseable {

  static final String GOOD_ADDRESS = "10.10.10.12";
  static final String WRONG_ADDRESS = "10.10.10.99";
  static final String A_GATEWAY = "192.168.204.1";
  static final Duration REHOME_TIME = Duration.ofMinutes(5);

  /** The subclouds' sysadmin password, as an operator gives it; the client base64-encodes it. */
  static final String SYSADMIN = "St8rlingX*";

  final VirtualScheduler scheduler = new VirtualScheduler();
  final Wiring wiring;
  final Site a;
  final Site b;
  SubcloudPeerGroup groupOnA;
  PeerGroupAssociation associationOnA;

  /**
   * The TLS of one site.
   *
   * @param server what its server serves https with, or null for plain http
   * @param peers what it trusts when it calls its peer, or null for the JDK's default
   * @param operator what the test's operator client trusts when it calls this site
   */
  record Tls(SSLContext server, SSLContext peers, SSLContext operator) {
    static final Tls NONE = new Tls(null, null, null);
  }

  /**
   * How the two sites authenticate to each other: how a site calls its peer, how it recognises its
   * peer's calls, and how its system peer names the other site.
   */
  interface Wiring {
    /** The peer-sites port the site's engine calls its peer with; asked at every start. */
    PeerSites peerSites(Site site);

    /** The principal of a token that is not the site's admin token, if it is its peer's. */
    Optional<Authenticator.Principal> peer(Site site, String token);

    /** The site's system peer for the other site, before its endpoint and credentials. */
    SystemPeerCreate.Builder systemPeer(Site site, Site peer);

    /** Called each time the site's server has started (its port known). */
    default void started(Site site) {}
  }

  /** Static tokens: each site calls the other with the token the other grants to its peer. */
  static final class StaticTokens implements Wiring {
    @Override
    public PeerSites peerSites(Site site) {
      return HttpPeerSites.builder(TokenProvider.perPeer(site.peerTokens))
          .sslContext(site.tls.peers())
          .build();
    }

    @Override
    public Optional<Authenticator.Principal> peer(Site site, String token) {
      return site.peerToken.equals(token)
          ? Optional.of(Authenticator.Principal.peer(site.name() + "-peer", site.peerUuid))
          : Optional.empty();
    }

    @Override
    public SystemPeerCreate.Builder systemPeer(Site site, Site peer) {
      return SystemPeerCreate.builder()
          .managerEndpoint(peer.endpoint())
          .managerUsername("admin")
          .managerPassword("Http-Peer-Passw0rd");
    }
  }

  HttpSeedSites() {
    this(new StaticTokens());
  }

  HttpSeedSites(Wiring wiring) {
    this(wiring, Tls.NONE, Tls.NONE);
  }

  HttpSeedSites(Tls aTls, Tls bTls) {
    this(new StaticTokens(), aTls, bTls);
  }

  /**
   * Both sites over https: one throwaway CA issues each site's certificate (for 127.0.0.1), and
   * each site trusts that CA only, from PKCS#12 files written to the folder.
   */
  static HttpSeedSites overHttps(Path folder) {
    TestPki ca = TestPki.ca("seed-ca");
    SSLContext trust = ca.clientContext(folder);
    return new HttpSeedSites(
        new StaticTokens(),
        new Tls(ca.serverContext(folder, "site-a", "127.0.0.1"), trust, trust),
        new Tls(ca.serverContext(folder, "site-b", "127.0.0.1"), trust, trust));
  }

  HttpSeedSites(Wiring wiring, Tls aTls, Tls bTls) {
    this.wiring = wiring;
    a = new Site(SimHarness.SITE_A, "10.10.1.1", "a-admin-token", "a-peer-token", aTls);
    b = new Site(SimHarness.SITE_B, "10.10.2.1", "b-admin-token", "b-peer-token", bTls);
    // Each site calls the other with the token the other grants to its peer.
    a.peerTokens = Map.of(b.system.uuid(), b.peerToken);
    b.peerTokens = Map.of(a.system.uuid(), a.peerToken);
    // Each site's peer token belongs to the other site's system peer: it is confined to peer work.
    a.peerUuid = b.system.uuid();
    b.peerUuid = a.system.uuid();
    a.up();
    b.up();
  }

  /**
   * One site: stores, alarms, probe and rehomer that outlive restarts; engine and server that
   * don't.
   */
  final class Site {
    final LocalSystem system;
    final String gatewayAddress;
    final String adminToken;
    final String peerToken;
    final Tls tls;
    final Stores stores = InMemoryStores.create();
    final RecordingAlarms alarms = new RecordingAlarms(scheduler.clock());
    final ScriptedProbe probe = new ScriptedProbe().byDefault(ScriptedProbe.Answer.ONLINE);

    /** The sysadmin passwords this site's rehomer was given. */
    final List<String> passwordsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();

    final SubcloudRehomer rehomer = addressCheckingRehomer(passwordsSeen);
    Map<String, String> peerTokens;
    String peerUuid;

    /** Requests this site's servers took on the peer token: the other site's calls. */
    final AtomicLong peerCalls = new AtomicLong();

    /** Requests this site's servers took carrying any token at all. */
    final AtomicLong tokensSeen = new AtomicLong();

    PeerSites peerSites;
    GeoRedundancy engine;
    GeoredHttpServer server;
    int port;
    HttpSiteClient api;

    Site(LocalSystem system, String gatewayAddress, String adminToken, String peerToken, Tls tls) {
      this.system = system;
      this.gatewayAddress = gatewayAddress;
      this.adminToken = adminToken;
      this.peerToken = peerToken;
      this.tls = tls;
    }

    /** Builds an engine on the kept stores and serves it; the first time on a free port. */
    void up() {
      peerSites = wiring.peerSites(this);
      engine =
          GeoRedundancy.builder(stores, LocalSystemIdentity.of(system), peerSites)
              .scheduler(scheduler)
              .settings(GeoredSettings.DEFAULTS)
              .alarms(alarms)
              .probe(probe)
              .rehomer(rehomer)
              .passwordCipher(new PlainTextPasswordCipher())
              .build();
      TokenAuthenticator tokens =
          TokenAuthenticator.builder()
              .token(adminToken, system.name() + "-admin", Role.ADMIN)
              .build();
      Authenticator counting =
          token -> {
            if (token != null) {
              tokensSeen.incrementAndGet();
            }
            Optional<Authenticator.Principal> who = tokens.authenticate(token);
            if (who.isEmpty() && token != null && !token.isEmpty()) {
              who = wiring.peer(this, token);
            }
            if (who.isPresent() && who.get().isPeer()) {
              peerCalls.incrementAndGet();
            }
            return who;
          };
      server =
          GeoredHttpServer.builder(engine.site(), counting)
              .port(port)
              .sslContext(tls.server())
              // A crash, not a drain: the peer's pooled connections need not be waited for.
              .stopTimeout(Duration.ofMillis(100))
              .build()
              .start();
      port = server.port();
      api = HttpSiteClient.create(server.baseUri(), adminToken, tls.operator());
      wiring.started(this);
    }

    /** Crash: no server, no engine; the stores stay. */
    void down() {
      server.close();
      engine.close();
    }

    /** The operator's view of this site, over HTTP. */
    SiteApi api() {
      return api;
    }

    String uuid() {
      return system.uuid();
    }

    String name() {
      return system.name();
    }

    String endpoint() {
      return server.baseUri().toString();
    }
  }

  /** Rehoming takes five minutes and reaches the subcloud only at the right address. */
  private SubcloudRehomer addressCheckingRehomer(List<String> passwords) {
    return (subcloud, data, password) -> {
      passwords.add(password);
      CompletableFuture<RehomeOutcome> outcome = new CompletableFuture<>();
      scheduler.schedule(
          () ->
              outcome.complete(
                  data.bootstrapAddress().orElse("").equals(GOOD_ADDRESS)
                      ? new RehomeOutcome.Rehomed()
                      : new RehomeOutcome.Failed(
                          "subcloud unreachable at " + data.bootstrapAddress().orElse("none"))),
          REHOME_TIME);
      return (CompletionStage<RehomeOutcome>) outcome;
    };
  }

  static Map<String, Object> bootstrapValues(String name) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("name", name);
    values.put("system_mode", "simplex");
    values.put("management_subnet", "192.168.101.0/24");
    values.put("systemcontroller_gateway_address", A_GATEWAY);
    values.put("admin_password", "Li69nux*");
    values.put("sysadmin_password", "Li69nux*");
    return values;
  }

  SystemPeerCreate peerOf(Site site, Site peer) {
    return wiring
        .systemPeer(site, peer)
        .peerUuid(peer.uuid())
        .peerName(peer.name())
        .peerControllerGatewayAddress(peer.gatewayAddress)
        .build();
  }

  /** Pre-steps 1–6 over HTTP with the given subclouds (each with the wrong address). */
  HttpSeedSites prepare(String... subclouds) {
    a.api().createSystemPeer(Caller.OPERATOR, peerOf(a, b));
    b.api().createSystemPeer(Caller.OPERATOR, peerOf(b, a));
    a.engine.start();
    b.engine.start();
    groupOnA =
        a.api()
            .createPeerGroup(
                Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    for (String name : subclouds) {
      a.api()
          .createSubcloud(
              Caller.OPERATOR,
              SubcloudCreate.builder()
                  .name(name)
                  .regionName("region-" + name)
                  .bootstrapValues(bootstrapValues(name))
                  .bootstrapAddress(WRONG_ADDRESS)
                  .release("24.09")
                  .build());
    }
    // The availability audit brings them online.
    advance(Duration.ofMinutes(1));
    for (String name : subclouds) {
      a.api()
          .updateSubcloud(
              Caller.OPERATOR, name, SubcloudUpdate.builder().managementState("managed").build());
      a.api()
          .updateSubcloud(Caller.OPERATOR, name, SubcloudUpdate.builder().peerGroup("pg1").build());
    }
    SystemPeer bOnA = a.api().getSystemPeer(Caller.OPERATOR, b.uuid());
    associationOnA =
        a.api()
            .createAssociation(
                Caller.OPERATOR,
                AssociationCreate.builder()
                    .peerGroupId(groupOnA.id())
                    .systemPeerId(bOnA.id())
                    .peerGroupPriority(2)
                    .build());
    advance(Duration.ofMinutes(2));
    return this;
  }

  void advance(Duration duration) {
    scheduler.advance(duration);
  }

  List<Subcloud> migrateOn(Site site) {
    return site.api().migratePeerGroup(Caller.OPERATOR, "pg1", new MigrateRequest(SYSADMIN));
  }

  /** Lets a migration (and the audits it asks for) run to its end. */
  void settle() {
    advance(Duration.ofMinutes(30));
  }

  /**
   * A subcloud as the site answers it over HTTP, after checking that the rehome data on the wire is
   * what the site stores (so the answer can be trusted for addresses).
   */
  Subcloud read(Site site, String name) {
    Subcloud answered = site.api().getSubcloud(Caller.OPERATOR, name);
    RehomeData kept = stored(site, name).rehomeData();
    assertThat(answered.rehomeData() == null ? null : answered.rehomeData().content())
        .as("rehome data of %s on %s, over HTTP and in the store", name, site.name())
        .isEqualTo(kept == null ? null : kept.content());
    return answered;
  }

  /** A subcloud as the site's own store holds it, for a site that is down. */
  Subcloud stored(Site site, String name) {
    return site.stores.subclouds().findByName(name).orElseThrow();
  }

  SubcloudPeerGroup group(Site site) {
    return site.api().getPeerGroup(Caller.OPERATOR, "pg1");
  }

  PeerGroupAssociation association(Site site) {
    long groupId = site.stores.peerGroups().findByName("pg1").orElseThrow().id();
    long id = site.stores.associations().findByPeerGroup(groupId).get(0).id();
    return site.api().getAssociation(Caller.OPERATOR, id);
  }

  static String address(Subcloud s) {
    RehomeData d = s.rehomeData();
    return d == null ? null : d.bootstrapAddress().orElse(null);
  }

  static String gateway(Subcloud s) {
    RehomeData d = s.rehomeData();
    return d == null ? null : d.systemControllerGatewayAddress().orElse(null);
  }

  /**
   * Takes A's server and engine down and lets B's monitor find it gone (3 missed beats of 60 s).
   */
  void siteADown() {
    a.down();
    advance(Duration.ofMinutes(4));
  }

  /** A comes back on the same port with a new engine on its stores; restart recovery runs. */
  void siteAUp() {
    a.up();
    a.engine.start();
    advance(Duration.ofMinutes(3));
  }

  /**
   * A comes back on another free port, as after a move; B's operator points B's system peer at the
   * new endpoint before A's engine starts, so both monitors find each other.
   *
   * @return A's old port
   */
  int siteAUpOnNewPort() {
    int old = a.port;
    do {
      if (a.port == old) {
        // The system handed the old port back: not a move; try again.
        a.down();
      }
      a.port = 0;
      a.up();
    } while (a.port == old);
    b.api()
        .updateSystemPeer(
            Caller.OPERATOR,
            a.uuid(),
            SystemPeerUpdate.builder().managerEndpoint(a.endpoint()).build());
    a.engine.start();
    advance(Duration.ofMinutes(3));
    return old;
  }

  @Override
  public void close() {
    for (Site site : List.of(a, b)) {
      try {
        site.down();
      } catch (RuntimeException e) {
        // Closing twice is harmless; keep closing the other site.
      }
    }
  }
}
