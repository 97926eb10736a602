package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.PeerTransportException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the client maps a peer's error answers to outcomes, and the rest to transport errors")
class ClientErrorMappingTest {

  static final String TOKEN = "very-secret-token-42";
  Recorder recorder;
  SiteApi client;

  @BeforeEach
  void setUp() throws Exception {
    SingleSite site = SingleSite.create();
    recorder =
        new Recorder(
            new GeoredHttpHandler(
                site.site(), TokenAuthenticator.builder().token(TOKEN, "x", Role.ADMIN).build()));
    client = peerSites().clientFor(peer(recorder.base().toString()));
  }

  static HttpPeerSites peerSites() {
    return HttpPeerSites.builder(TokenProvider.fixed(TOKEN))
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  static SystemPeer peer(String endpoint) {
    return SystemPeer.builder().id(1).peerUuid("u").peerName("b").managerEndpoint(endpoint).build();
  }

  @AfterEach
  void tearDown() {
    recorder.close();
  }

  @Test
  @DisplayName("404 with an upstream not-found text, even wrapped, is not found")
  void notFound() {
    recorder.answer(
        404, "{\"error_message\": \"{\\\"faultstring\\\": \\\"Subcloud not found\\\"}\"}");
    assertThat(catchThrowable(() -> client.getSubcloud(Caller.PEER_SITE, "r")))
        .isInstanceOf(NotFoundException.class)
        .hasMessage(Messages.SUBCLOUD_NOT_FOUND);
    recorder.answer(404, "System Peer not found");
    assertThat(catchThrowable(() -> client.getSystemPeer(Caller.OPERATOR, "u")))
        .isInstanceOf(NotFoundException.class)
        .hasMessage(Messages.SYSTEM_PEER_NOT_FOUND);
  }

  @Test
  @DisplayName("a 404 without a known text is a transport error naming the call and status")
  void unknown404() {
    recorder.answer(404, "The resource could not be found.");
    assertThat(catchThrowable(() -> client.listPeerGroups(Caller.OPERATOR)))
        .isInstanceOf(PeerTransportException.class)
        .hasMessageContaining("listPeerGroups")
        .hasMessageContaining("status 404")
        .satisfies(e -> assertThat(((PeerTransportException) e).status()).isEqualTo(404));
  }

  @Test
  @DisplayName("400 with the associated text is a validation outcome with the text; 409 a conflict")
  void associatedAndConflict() {
    recorder.answer(400, "{\"faultstring\": \"" + Messages.PEER_GROUP_ASSOCIATED + "\"}");
    assertThat(catchThrowable(() -> client.deletePeerGroup(Caller.OPERATOR, "pg1")))
        .isInstanceOf(ValidationException.class)
        .hasMessage(Messages.PEER_GROUP_ASSOCIATED);
    recorder.answer(409, "{\"faultstring\": \"Subcloud with region_name=r already exists\"}");
    assertThat(catchThrowable(() -> client.getSubcloud(Caller.PEER_SITE, "r")))
        .isInstanceOf(ConflictException.class)
        .hasMessage("Subcloud with region_name=r already exists");
  }

  @Test
  @DisplayName("a 500 is a transport error naming call and status, never the token")
  void serverError() {
    recorder.answer(500, "boom");
    Throwable e = catchThrowable(() -> client.listSubclouds(Caller.OPERATOR));
    assertThat(e)
        .isInstanceOf(PeerTransportException.class)
        .hasMessage("listSubclouds to " + recorder.base() + " answered status 500: boom")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  @DisplayName("a 200 that is not JSON is a transport error")
  void unreadable() {
    recorder.answer(200, "<html>");
    assertThat(catchThrowable(() -> client.identity(Caller.OPERATOR)))
        .isInstanceOf(PeerTransportException.class)
        .hasMessageContaining("identity");
  }

  @Test
  @DisplayName("a refused connection is a transport error with status 0")
  void refused() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    SiteApi dead = peerSites().clientFor(peer("http://127.0.0.1:" + port + "/v1.0"));
    assertThat(catchThrowable(() -> dead.listPeerGroups(Caller.OPERATOR)))
        .isInstanceOf(PeerTransportException.class)
        .hasMessageContaining("listPeerGroups")
        .hasMessageNotContaining(TOKEN)
        .satisfies(e -> assertThat(((PeerTransportException) e).status()).isZero());
  }

  @Test
  @DisplayName("a peer without a configured token fails as a transport error")
  void noToken() {
    SiteApi noToken =
        HttpPeerSites.builder(TokenProvider.perPeer(Map.of()))
            .build()
            .clientFor(peer(recorder.base().toString()));
    assertThat(catchThrowable(() -> noToken.listPeerGroups(Caller.OPERATOR)))
        .isInstanceOf(PeerTransportException.class)
        .hasMessage("no token configured for peer b (u)");
  }

  @Test
  @DisplayName("one client per peer and endpoint")
  void cached() {
    HttpPeerSites sites = peerSites();
    assertThat(sites.clientFor(peer("http://a/v1.0")))
        .isSameAs(sites.clientFor(peer("http://a/v1.0")));
    assertThat(sites.clientFor(peer("http://a/v1.0")))
        .isNotSameAs(sites.clientFor(peer("http://c/v1.0")));
  }
}
