package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Where the JDK client of the peer sites runs its own tasks (reading answers, completing calls).
 */
@DisplayName("the peer sites' HTTP client and its executor")
class ClientExecutorTest {

  static final String TOKEN = "executor-test-token";
  SingleSite site;
  GeoredHttpServer server;

  @BeforeEach
  void setUp() {
    site = SingleSite.create();
    server =
        GeoredHttpServer.builder(
                site.site(), TokenAuthenticator.builder().token(TOKEN, "x", Role.ADMIN).build())
            .port(0)
            .build()
            .start();
    site.site()
        .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private SystemPeer peer() {
    return SystemPeer.builder()
        .id(1)
        .peerUuid("u")
        .peerName("b")
        .managerEndpoint(server.baseUri().toString())
        .build();
  }

  private static List<String> namesOf(List<SubcloudPeerGroup> groups) {
    return groups.stream().map(SubcloudPeerGroup::peerGroupName).toList();
  }

  @Test
  @DisplayName(
      "by default the client runs its tasks inline, on no pool of its own, and calls answer")
  void inlineByDefault() {
    HttpPeerSites sites = HttpPeerSites.builder(TokenProvider.fixed(TOKEN)).build();

    assertThat(sites.http().executor()).containsSame(HttpPeerSites.INLINE);
    SiteApi client = sites.clientFor(peer());
    assertThat(namesOf(client.listPeerGroups(Caller.OPERATOR))).containsExactly("pg1");
    assertThat(namesOf(client.listPeerGroups(Caller.PEER_SITE))).containsExactly("pg1");
  }

  @Test
  @DisplayName("a configured executor runs the client's tasks")
  void configuredExecutor() {
    AtomicInteger tasks = new AtomicInteger();
    Executor counting =
        task -> {
          tasks.incrementAndGet();
          task.run();
        };
    HttpPeerSites sites =
        HttpPeerSites.builder(TokenProvider.fixed(TOKEN)).executor(counting).build();

    assertThat(sites.http().executor()).containsSame(counting);
    assertThat(namesOf(sites.clientFor(peer()).listPeerGroups(Caller.OPERATOR)))
        .containsExactly("pg1");
    assertThat(tasks.get()).isPositive();
  }

  @Test
  @DisplayName("a null executor leaves the JDK's default pool")
  void jdkDefault() {
    HttpPeerSites sites = HttpPeerSites.builder(TokenProvider.fixed(TOKEN)).executor(null).build();

    assertThat(sites.http().executor()).isEmpty();
    assertThat(namesOf(sites.clientFor(peer()).listPeerGroups(Caller.OPERATOR)))
        .containsExactly("pg1");
  }

  @Test
  @DisplayName("a client made by HttpSiteClient.create runs its tasks inline too")
  void createdClientInline() {
    HttpSiteClient client = HttpSiteClient.create(server.baseUri(), TOKEN);

    assertThat(client.httpClient().executor()).containsSame(HttpPeerSites.INLINE);
    assertThat(namesOf(client.listPeerGroups(Caller.OPERATOR))).containsExactly("pg1");
  }
}
