package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("deleting a primary association whose peer cannot be reached, over HTTP")
class DeadPeerAssociationDeleteTest {

  static final String TOKEN = "admin-token-dead-peer";

  SimHarness sites;
  SimSite a;
  SimSite b;
  GeoredHttpServer server;
  PeerGroupAssociation association;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void setUp() {
    sites = SimHarness.twoSites();
    a = sites.a();
    b = sites.b();
    sites.pair(a, b);
    sites.start();
    SubcloudPeerGroup group =
        a.api()
            .createPeerGroup(
                Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    association =
        a.api()
            .createAssociation(
                Caller.OPERATOR,
                AssociationCreate.builder()
                    .peerGroupId(group.id())
                    .systemPeerId(a.api().getSystemPeer(Caller.OPERATOR, b.uuid()).id())
                    .peerGroupPriority(2)
                    .build());
    sites.runUntilIdle();
    assertThat(a.stores().associations().findById(association.id()).orElseThrow().syncStatus())
        .isEqualTo(SyncStatus.IN_SYNC);
    server =
        GeoredHttpServer.builder(
                a.api(), TokenAuthenticator.builder().token(TOKEN, "admin", Role.ADMIN).build())
            .host("127.0.0.1")
            .port(0)
            .build()
            .start();
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    sites.close();
  }

  HttpResponse<String> delete(long id) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUri() + "/peer-group-associations/" + id))
            .header("X-Auth-Token", TOKEN)
            .DELETE()
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName(
      "an enabled peer that is down: 422, the peer named in the fault body, nothing changed")
  void unreachableEnabledPeer() throws Exception {
    sites.network().down(b.system());
    PeerGroupAssociation before = a.stores().associations().findById(association.id()).get();

    HttpResponse<String> answer = delete(association.id());

    assertThat(answer.statusCode()).isEqualTo(422);
    assertThat(answer.body())
        .isEqualTo(
            "{\"faultcode\":\"Client\",\"faultstring\":\"Peer site ("
                + b.name()
                + ") is unreachable.\",\"debuginfo\":null}");
    assertThat(a.stores().associations().findById(association.id())).contains(before);
  }

  @Test
  @DisplayName("a disabled peer that is down: 200, deleted here only")
  void disabledPeer() throws Exception {
    a.api()
        .updateSystemPeer(
            Caller.OPERATOR,
            b.uuid(),
            SystemPeerUpdate.builder().administrativeState("disabled").build());
    sites.network().down(b.system());

    HttpResponse<String> answer = delete(association.id());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(a.stores().associations().findAll()).isEmpty();
    assertThat(b.stores().associations().findAll()).hasSize(1);
  }
}
