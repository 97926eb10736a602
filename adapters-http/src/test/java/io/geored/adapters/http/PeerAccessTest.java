package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.PeerTransportException;
import io.geored.spi.api.Caller;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A peer's token and URLs resolved per call ({@link PeerAccessProvider}): the 401 retry (exactly
 * one renewal, one retry, and only with a provider that can log in again), the identity URL rule,
 * and static tokens unchanged.
 */
@DisplayName("peer access: tokens and URLs per call, one retry on 401, static tokens unchanged")
class PeerAccessTest {

  static final String GOOD = "fresh-token-2";
  static final String STALE = "stale-token-1";

  Recorder recorder;
  SingleSite site;

  @BeforeEach
  void setUp() throws Exception {
    site = SingleSite.create();
    recorder =
        new Recorder(
            new GeoredHttpHandler(
                site.site(), TokenAuthenticator.builder().token(GOOD, "peer", Role.ADMIN).build()));
  }

  @AfterEach
  void tearDown() {
    recorder.close();
  }

  static SystemPeer peer(String endpoint) {
    return SystemPeer.builder()
        .id(7)
        .peerUuid("bbbbbbbb-0000-4000-8000-000000000002")
        .peerName("site-b")
        .managerEndpoint(endpoint)
        .managerUsername("geored")
        .managerPassword(Secret.of("c3RvcmVk"))
        .build();
  }

  static HttpPeerSites sites(PeerAccessProvider access) {
    return HttpPeerSites.builder(access)
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Hands out tokens in order: the first on the first access, the next after each renewal. */
  static final class Logins implements PeerAccessProvider {
    final List<String> tokens;
    final URI dcmanager;
    final URI platform;
    final AtomicInteger renewals = new AtomicInteger();
    final List<String> rejected = new CopyOnWriteArrayList<>();
    volatile int current;

    Logins(URI dcmanager, URI platform, String... tokens) {
      this.dcmanager = dcmanager;
      this.platform = platform;
      this.tokens = List.of(tokens);
    }

    @Override
    public PeerAccess accessFor(SystemPeer peer) {
      return new PeerAccess(tokens.get(current), dcmanager, platform);
    }

    @Override
    public boolean renew(SystemPeer peer, PeerAccess stale) {
      renewals.incrementAndGet();
      rejected.add(stale.token());
      current = Math.min(current + 1, tokens.size() - 1);
      return true;
    }
  }

  List<String> tokensSeen() {
    return recorder.all().stream().map(s -> s.header("X-Auth-Token")).toList();
  }

  @Test
  @DisplayName("a 401 makes exactly one renewal and one retry, which succeeds")
  void retriesOnceAfterRenewal() {
    Logins logins = new Logins(recorder.base(), null, STALE, GOOD);
    var client = sites(logins).clientFor(peer("http://keystone.invalid:5000/v3"));

    assertThat(client.listPeerGroups(Caller.OPERATOR)).isEmpty();

    assertThat(logins.renewals).hasValue(1);
    assertThat(logins.rejected).containsExactly(STALE);
    assertThat(tokensSeen()).containsExactly(STALE, GOOD);
    assertThat(recorder.all())
        .extracting(Recorder.Seen::path)
        .containsExactly("/v1.0/subcloud-peer-groups", "/v1.0/subcloud-peer-groups");

    // The new token is kept: the next call goes out once, with it.
    recorder.clear();
    client.listPeerGroups(Caller.OPERATOR);
    assertThat(tokensSeen()).containsExactly(GOOD);
    assertThat(logins.renewals).hasValue(1);
  }

  @Test
  @DisplayName("a second 401 after the retry is the call's failure: never a second retry")
  void neverTwice() {
    Logins logins = new Logins(recorder.base(), null, STALE, "also-refused");
    var client = sites(logins).clientFor(peer("http://keystone.invalid:5000/v3"));

    assertThatThrownBy(() -> client.listPeerGroups(Caller.OPERATOR))
        .isInstanceOf(PeerTransportException.class)
        .hasMessage(
            "listPeerGroups to "
                + recorder.base()
                + " answered status 401: "
                + HttpMessages.AUTHENTICATION_REQUIRED)
        .satisfies(e -> assertThat(((PeerTransportException) e).status()).isEqualTo(401));
    assertThat(logins.renewals).hasValue(1);
    assertThat(tokensSeen()).containsExactly(STALE, "also-refused");
  }

  @Test
  @DisplayName("a provider that cannot log in again (renew false): one request, no retry")
  void noRetryWithoutRenewal() {
    AtomicInteger renewals = new AtomicInteger();
    PeerAccessProvider fixed =
        new PeerAccessProvider() {
          @Override
          public PeerAccess accessFor(SystemPeer peer) {
            return new PeerAccess(STALE, recorder.base(), null);
          }

          @Override
          public boolean renew(SystemPeer peer, PeerAccess rejected) {
            renewals.incrementAndGet();
            return false;
          }
        };
    var client = sites(fixed).clientFor(peer("http://keystone.invalid:5000/v3"));
    assertThatThrownBy(() -> client.listPeerGroups(Caller.OPERATOR))
        .isInstanceOf(PeerTransportException.class)
        .hasMessageContaining("answered status 401");
    assertThat(renewals).hasValue(1);
    assertThat(tokensSeen()).containsExactly(STALE);
  }

  @Test
  @DisplayName("static tokens: a 401 is one request and the same failure as before, no retry")
  void staticTokensNoRetry() {
    for (HttpPeerSites sites :
        List.of(
            ClientErrorMappingTest.peerSites(),
            sites(PeerAccessProvider.staticTokens(TokenProvider.fixed(STALE))))) {
      recorder.clear();
      var client = sites.clientFor(peer(recorder.base().toString()));
      assertThatThrownBy(() -> client.listPeerGroups(Caller.OPERATOR))
          .isInstanceOf(PeerTransportException.class)
          .hasMessage(
              "listPeerGroups to "
                  + recorder.base()
                  + " answered status 401: "
                  + HttpMessages.AUTHENTICATION_REQUIRED);
      assertThat(recorder.all()).hasSize(1);
    }
  }

  @Test
  @DisplayName("static tokens: the identity is asked at {manager_endpoint}/isystems, as before")
  void staticIdentityUnderTheBase() {
    for (PeerAccessProvider access :
        List.of(
            PeerAccessProvider.staticTokens(TokenProvider.fixed(GOOD)),
            PeerAccessProvider.staticTokens(
                TokenProvider.perPeer(
                    java.util.Map.of("bbbbbbbb-0000-4000-8000-000000000002", GOOD))))) {
      recorder.clear();
      var client = sites(access).clientFor(peer(recorder.base().toString()));
      assertThat(client.identity(Caller.PEER_SITE).uuid()).isEqualTo(SingleSite.SITE_A.uuid());
      assertThat(recorder.all()).extracting(Recorder.Seen::path).containsExactly("/v1.0/isystems");
    }
    recorder.clear();
    HttpPeerSites.builder(TokenProvider.fixed(GOOD))
        .build()
        .clientFor(peer(recorder.base().toString()))
        .identity(Caller.PEER_SITE);
    assertThat(recorder.all()).extracting(Recorder.Seen::path).containsExactly("/v1.0/isystems");
  }

  @Test
  @DisplayName(
      "with a platform endpoint the identity goes to /v1/isystems there (sysinv's rule), the"
          + " dcmanager calls to the dcmanager URL")
  void identityAtThePlatformEndpoint() {
    URI root = URI.create(recorder.base().toString().replace("/v1.0", ""));
    for (URI platform : List.of(root, URI.create(root + "/v1"), URI.create(root + "/v1/"))) {
      recorder.clear();
      Logins logins = new Logins(recorder.base(), platform, GOOD);
      var client = sites(logins).clientFor(peer("http://keystone.invalid:5000/v3"));
      assertThat(client.identity(Caller.PEER_SITE).uuid()).isEqualTo(SingleSite.SITE_A.uuid());
      client.listPeerGroups(Caller.PEER_SITE);
      assertThat(recorder.all())
          .extracting(Recorder.Seen::path)
          .as("platform endpoint %s", platform)
          .containsExactly("/v1/isystems", "/v1.0/subcloud-peer-groups");
    }
  }

  @Test
  @DisplayName("sysinv's rule: the first /v1 removed, /v1/isystems appended")
  void identityUrlRule() {
    assertThat(PeerAccess.identityUrlOf(URI.create("http://h:8119")))
        .isEqualTo(URI.create("http://h:8119/v1/isystems"));
    assertThat(PeerAccess.identityUrlOf(URI.create("http://h:8119/v1")))
        .isEqualTo(URI.create("http://h:8119/v1/isystems"));
    assertThat(PeerAccess.identityUrlOf(URI.create("https://h:6386/v1/")))
        .isEqualTo(URI.create("https://h:6386/v1/isystems"));
    // As sysinv's client does it: the /v1 of a /v1.0 base goes too, which is why a platform
    // endpoint is never registered as the dcmanager base.
    assertThat(PeerAccess.identityUrlOf(URI.create("http://h:8119/v1.0")))
        .isEqualTo(URI.create("http://h:8119.0/v1/isystems"));
    assertThat(new PeerAccess("t", URI.create("http://h:8119/v1.0/"), null).identityUrl())
        .isEqualTo(URI.create("http://h:8119/v1.0/isystems"));
  }

  @Test
  @DisplayName("an access never shows its token")
  void noTokenShown() {
    PeerAccess access =
        new PeerAccess("s3cr3t-token", URI.create("http://h/v1.0"), URI.create("http://h"));
    assertThat(access.toString())
        .isEqualTo("PeerAccess[dcmanager=http://h/v1.0, platform=http://h, token=****]");
  }

  @Test
  @DisplayName("a changed password or user name gives a new client: the old one held the old")
  void newClientForNewCredentials() {
    Logins logins = new Logins(recorder.base(), null, GOOD);
    HttpPeerSites sites = sites(logins);
    SystemPeer first = peer("http://keystone.invalid:5000/v3");
    var a = sites.clientFor(first);
    assertThat(sites.clientFor(first)).isSameAs(a);
    SystemPeer newPassword =
        SystemPeer.builder()
            .id(7)
            .peerUuid(first.peerUuid())
            .peerName(first.peerName())
            .managerEndpoint(first.managerEndpoint())
            .managerUsername("geored")
            .managerPassword(Secret.of("bmV3"))
            .build();
    assertThat(sites.clientFor(newPassword)).isNotSameAs(a);
  }
}
