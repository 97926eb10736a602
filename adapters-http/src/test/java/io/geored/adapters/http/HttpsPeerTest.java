package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.PeerTransportException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site calling a peer over https checks the peer's certificate against its trust store and the
 * endpoint's host name before it sends anything: a peer whose certificate it cannot trust never
 * receives a request, so never the token, and the monitor counts each such beat as missed.
 */
@DisplayName("peer calls over https")
class HttpsPeerTest {

  /** What the JDK says when no certificate of the trust store signed the peer's chain. */
  private static final String UNTRUSTED = "PKIX path building failed";

  /** What the JDK says when the certificate does not name the endpoint's host. */
  private static final String WRONG_HOST =
      "No subject alternative names matching IP address 127.0.0.1 found";

  @TempDir Path folder;

  private HttpSeedSites s;

  @AfterEach
  void tearDown() {
    if (s != null) {
      s.close();
    }
  }

  @Test
  @DisplayName(
      "a peer with a certificate of the trusted CA for its address is reached over https: its"
          + " server takes the peer token, it is available, the group is synced to it")
  void trustedPeerIsReached() {
    TestPki ca = TestPki.ca("trusted-ca");
    SSLContext trust = ca.clientContext(folder);
    s =
        new HttpSeedSites(
            new HttpSeedSites.Tls(ca.serverContext(folder, "site-a", "127.0.0.1"), trust, trust),
            new HttpSeedSites.Tls(ca.serverContext(folder, "site-b", "127.0.0.1"), trust, trust));
    s.prepare("sc1");
    SystemPeer bOnA = s.a.api().getSystemPeer(Caller.OPERATOR, s.b.uuid());

    assertThat(s.a.peerSites.clientFor(bOnA).listPeerGroups(Caller.PEER_SITE))
        .extracting(SubcloudPeerGroup::peerGroupName)
        .containsExactly("pg1");

    assertThat(bOnA.managerEndpoint()).startsWith("https://127.0.0.1:");
    assertThat(s.b.peerCalls).hasPositiveValue();
    assertThat(s.a.api().getSystemPeer(Caller.OPERATOR, s.b.uuid()).availabilityState())
        .isEqualTo(PeerAvailability.AVAILABLE);
    assertThat(s.a.alarms.isRaised("280.004", "peer=" + s.b.uuid())).isFalse();
    assertThat(s.association(s.a).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.association(s.b).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
  }

  @Test
  @DisplayName(
      "a peer whose certificate comes from another CA gets no request, so no token: each beat"
          + " fails on the handshake, and after the threshold the peer is unavailable with 280.004")
  void peerOfAnotherCaGetsNoToken() {
    TestPki trusted = TestPki.ca("trusted-ca");
    TestPki other = TestPki.ca("other-ca");
    SSLContext trust = trusted.clientContext(folder);
    s =
        new HttpSeedSites(
            new HttpSeedSites.Tls(
                trusted.serverContext(folder, "site-a", "127.0.0.1"), trust, trust),
            new HttpSeedSites.Tls(
                other.serverContext(folder, "site-b", "127.0.0.1"),
                trust,
                other.clientContext(folder.resolve("other"))));

    assertRefused(UNTRUSTED);
  }

  @Test
  @DisplayName(
      "a peer whose certificate, from the trusted CA, names another host than the endpoint's gets"
          + " no request either: hostname verification is on")
  void peerCertificateForAnotherHostGetsNoToken() {
    TestPki ca = TestPki.ca("trusted-ca");
    SSLContext trust = ca.clientContext(folder);
    s =
        new HttpSeedSites(
            new HttpSeedSites.Tls(ca.serverContext(folder, "site-a", "127.0.0.1"), trust, trust),
            new HttpSeedSites.Tls(
                ca.serverContext(folder, "site-b", "site-b.example", "10.99.0.2"), trust, trust));

    assertRefused(WRONG_HOST);
  }

  @Test
  @DisplayName(
      "without a trust store the JDK's list of CAs is what is trusted: a peer with a private CA's"
          + " certificate is refused")
  void defaultTrustIsTheJdks() {
    TestPki ca = TestPki.ca("private-ca");
    SSLContext trust = ca.clientContext(folder);
    s =
        new HttpSeedSites(
            new HttpSeedSites.Tls(ca.serverContext(folder, "site-a", "127.0.0.1"), null, trust),
            new HttpSeedSites.Tls(ca.serverContext(folder, "site-b", "127.0.0.1"), null, trust));

    assertRefused(UNTRUSTED);
  }

  @Test
  @DisplayName(
      "plain http still works where configured: A serves http and calls B over https, B calls A"
          + " over http; the seed's pre-steps end in-sync on both sites")
  void plainHttpBesideHttps() {
    TestPki ca = TestPki.ca("trusted-ca");
    SSLContext trust = ca.clientContext(folder);
    s =
        new HttpSeedSites(
            new HttpSeedSites.Tls(null, trust, null),
            new HttpSeedSites.Tls(ca.serverContext(folder, "site-b", "127.0.0.1"), null, trust));
    s.prepare("sc1");

    assertThat(s.a.api().getSystemPeer(Caller.OPERATOR, s.b.uuid()).managerEndpoint())
        .startsWith("https://127.0.0.1:");
    assertThat(s.b.api().getSystemPeer(Caller.OPERATOR, s.a.uuid()).managerEndpoint())
        .startsWith("http://127.0.0.1:");
    assertThat(s.association(s.a).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.association(s.b).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.a.peerCalls).hasPositiveValue();
    assertThat(s.b.peerCalls).hasPositiveValue();
    assertThat(s.a.api().getSystemPeer(Caller.OPERATOR, s.b.uuid()).availabilityState())
        .isEqualTo(PeerAvailability.AVAILABLE);
    assertThat(s.b.api().getSystemPeer(Caller.OPERATOR, s.a.uuid()).availabilityState())
        .isEqualTo(PeerAvailability.AVAILABLE);
  }

  @Test
  @DisplayName("a host's routes (/health, /metrics) answer on the https connector beside the API")
  void hostRoutesOverHttps() throws Exception {
    TestPki ca = TestPki.ca("trusted-ca");
    SingleSite site = SingleSite.create();
    try (GeoredHttpServer server =
        GeoredHttpServer.builder(
                site.site(), TokenAuthenticator.builder().token("t", "admin", Role.ADMIN).build())
            .port(0)
            .sslContext(ca.serverContext(folder, "site", "127.0.0.1"))
            .route(
                "/health",
                r ->
                    new GeoredHttpHandler.Response(
                        200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8)))
            .build()
            .start()) {
      assertThat(server.baseUri().toString())
          .isEqualTo("https://127.0.0.1:" + server.port() + "/v1.0");
      HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext(folder)).build();
      URI root = URI.create("https://127.0.0.1:" + server.port());

      HttpResponse<String> health =
          client.send(
              HttpRequest.newBuilder(root.resolve("/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("ok");
      HttpResponse<String> api =
          client.send(
              HttpRequest.newBuilder(root.resolve("/v1.0/subclouds")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(401);
      // The JDK's default trust does not know the test CA.
      assertThatThrownBy(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(root.resolve("/health")).build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining(UNTRUSTED);
    }
  }

  /**
   * A has a system peer for B, a peer group and an association with B, and both engines run: A's
   * monitor beats B and A syncs the group to B.
   */
  private SystemPeer associateAWithB() {
    s.a.api().createSystemPeer(Caller.OPERATOR, s.peerOf(s.a, s.b));
    s.a.engine.start();
    s.b.engine.start();
    SubcloudPeerGroup group =
        s.a
            .api()
            .createPeerGroup(
                Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    SystemPeer bOnA = s.a.api().getSystemPeer(Caller.OPERATOR, s.b.uuid());
    s.a
        .api()
        .createAssociation(
            Caller.OPERATOR,
            AssociationCreate.builder()
                .peerGroupId(group.id())
                .systemPeerId(bOnA.id())
                .peerGroupPriority(2)
                .build());
    return bOnA;
  }

  /** A's calls to B fail on the TLS handshake for the reason given; B never sees a token. */
  private void assertRefused(String reason) {
    SystemPeer bOnA = associateAWithB();
    assertThat(bOnA.managerEndpoint()).startsWith("https://127.0.0.1:");

    assertThatThrownBy(() -> s.a.peerSites.clientFor(bOnA).listPeerGroups(Caller.PEER_SITE))
        .isInstanceOf(PeerTransportException.class)
        .hasMessageStartingWith("listPeerGroups to " + bOnA.managerEndpoint() + " failed: ")
        .hasMessageContaining("SSLHandshakeException")
        .hasMessageContaining(reason)
        .hasMessageNotContaining(s.b.peerToken)
        .hasCauseInstanceOf(SSLHandshakeException.class);
    // Three beats of 60 s missed: the threshold.
    s.advance(Duration.ofMinutes(1));
    assertThat(s.a.api().getSystemPeer(Caller.OPERATOR, s.b.uuid()).availabilityState())
        .isNotEqualTo(PeerAvailability.UNAVAILABLE);
    s.advance(Duration.ofMinutes(3));

    assertThat(s.a.api().getSystemPeer(Caller.OPERATOR, s.b.uuid()).availabilityState())
        .isEqualTo(PeerAvailability.UNAVAILABLE);
    assertThat(s.a.alarms.isRaised("280.004", "peer=" + s.b.uuid())).isTrue();
    // Nothing reached B's server with a token: no beat, no sync, no audit.
    assertThat(s.b.tokensSeen).hasValue(0);
    assertThat(s.b.peerCalls).hasValue(0);
    assertThat(s.b.stores.peerGroups().findAll()).isEmpty();
  }
}
