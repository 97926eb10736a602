package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The leader epoch header and the hand-over call on the wire, against a stub site that records
 * every call and the caller it was made as (no engine behind it: the rules are the site's).
 */
@DisplayName("the leader epoch header and the hand-over call on the wire")
class LeaderEpochAndHandOverWireTest {

  static final String ADMIN = "t-admin";
  static final String CONF = "t-conf";
  static final String OPERATOR = "t-op";
  static final String READER = "t-read";
  static final String PEER = "t-peer";
  static final String PEER_UUID = "bbbbbbbb-0000-4000-8000-000000000002";

  static final SubcloudPeerGroup GROUP =
      SubcloudPeerGroup.builder()
          .id(3)
          .peerGroupName("pg1")
          .groupPriority(0)
          .groupState(GroupState.ENABLED)
          .maxSubcloudRehoming(10)
          .systemLeaderId("aaaaaaaa-0000-4000-8000-000000000001")
          .systemLeaderName("site-a")
          .createdAt(Instant.parse("2026-12-01T10:00:00Z"))
          .updatedAt(Instant.parse("2026-12-01T10:05:00Z"))
          .build();

  /** A call the stub site received. */
  record Call(String method, Caller caller, Object ref) {}

  final List<Call> calls = new ArrayList<>();

  /** What the stub throws from handOverPeerGroup, when set. */
  RuntimeException refusal;

  GeoredHttpHandler handler;
  Recorder recorder;

  @BeforeEach
  void setUp() throws Exception {
    SiteApi stub =
        (SiteApi)
            Proxy.newProxyInstance(
                SiteApi.class.getClassLoader(),
                new Class<?>[] {SiteApi.class},
                (proxy, method, args) -> {
                  if (method.getDeclaringClass() == Object.class) {
                    return method.getName().equals("equals")
                        ? proxy == args[0]
                        : method.getName().equals("hashCode")
                            ? System.identityHashCode(proxy)
                            : "stub site";
                  }
                  synchronized (calls) {
                    calls.add(
                        new Call(
                            method.getName(), (Caller) args[0], args.length > 1 ? args[1] : null));
                  }
                  return switch (method.getName()) {
                    case "handOverPeerGroup" -> {
                      if (refusal != null) {
                        throw refusal;
                      }
                      yield GROUP;
                    }
                    case "getPeerGroup", "updatePeerGroup" -> GROUP;
                    case "listPeerGroups" -> List.of(GROUP);
                    default -> throw new UnsupportedOperationException(method.getName());
                  };
                });
    handler =
        new GeoredHttpHandler(
            stub,
            TokenAuthenticator.builder()
                .token(ADMIN, "admin", Role.ADMIN)
                .token(CONF, "conf", Role.CONFIGURATOR)
                .token(OPERATOR, "op", Role.OPERATOR)
                .token(READER, "reader", Role.READER)
                .peerToken(PEER, "site-b", PEER_UUID)
                .build());
    recorder = new Recorder(handler);
  }

  @AfterEach
  void tearDown() {
    recorder.close();
  }

  GeoredHttpHandler.Response call(String token, String method, String path, String... headers) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Auth-Token", token);
    h.put("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    byte[] body =
        method.equals("PATCH") && !path.endsWith("/hand-over")
            ? "{\"group-priority\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)
            : null;
    return handler.handle(new GeoredHttpHandler.Request(method, "/v1.0" + path, h, body));
  }

  static void assertFault(GeoredHttpHandler.Response r, int status, String message) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.text())
        .isEqualTo(
            "{\"faultcode\":\"Client\",\"faultstring\":\"" + message + "\",\"debuginfo\":null}");
  }

  /** A client of the stub site as the peer P (its token) or as an admin. */
  SiteApi client(String token) {
    SystemPeer peer =
        SystemPeer.builder()
            .id(7)
            .peerUuid("aaaaaaaa-0000-4000-8000-000000000009")
            .peerName("stub")
            .managerEndpoint(recorder.base().toString())
            .build();
    return HttpPeerSites.builder(TokenProvider.fixed(token)).build().clientFor(peer);
  }

  @Nested
  @DisplayName("X-Geored-Leader-Epoch")
  class LeaderEpoch {

    @Test
    @DisplayName(
        "the client sends the caller's epoch, and the server hands it to the site with the peer's"
            + " caller")
    void travels() {
      client(PEER)
          .updatePeerGroup(
              Caller.peerSite("ignored-on-the-wire").withLeaderEpoch(42),
              "pg1",
              PeerGroupUpdate.builder().groupPriority(1).build());

      assertThat(recorder.last().header("X-Geored-Leader-Epoch")).isEqualTo("42");
      assertThat(calls)
          .containsExactly(
              new Call("updatePeerGroup", Caller.peerSite(PEER_UUID).withLeaderEpoch(42), "pg1"));
    }

    @Test
    @DisplayName("a caller without an epoch sends no header, and the site sees none")
    void absent() {
      client(PEER).listPeerGroups(Caller.peerSite("x"));
      client(ADMIN).getPeerGroup(Caller.OPERATOR, "pg1");

      assertThat(recorder.all())
          .allSatisfy(r -> assertThat(r.header("X-Geored-Leader-Epoch")).isNull());
      assertThat(calls)
          .containsExactly(
              new Call("listPeerGroups", Caller.peerSite(PEER_UUID), null),
              new Call("getPeerGroup", Caller.OPERATOR, "pg1"));
      assertThat(calls.get(0).caller().leaderEpoch()).isEmpty();
    }

    @Test
    @DisplayName("the largest epoch there is travels exactly")
    void largest() {
      call(PEER, "GET", "/subcloud-peer-groups", "X-Geored-Leader-Epoch", " 9223372036854775807 ");

      assertThat(calls)
          .containsExactly(
              new Call(
                  "listPeerGroups",
                  Caller.peerSite(PEER_UUID).withLeaderEpoch(Long.MAX_VALUE),
                  null));
    }

    @Test
    @DisplayName(
        "an admin sending the peer User-Agent is an unconfined peer site and may carry one")
    void adminAsPeer() {
      call(
          ADMIN,
          "GET",
          "/subcloud-peer-groups/pg1",
          "User-Agent",
          "dcmanager/1.0",
          "X-Geored-Leader-Epoch",
          "7");

      assertThat(calls)
          .containsExactly(new Call("getPeerGroup", Caller.PEER_SITE.withLeaderEpoch(7), "pg1"));
    }

    @Test
    @DisplayName(
        "a value that is not a positive integer is 400 naming the header, and the site is not"
            + " called")
    void malformed() {
      for (String bad :
          List.of(
              "0",
              "-1",
              "",
              " ",
              "abc",
              "1.5",
              "+3",
              "0x10",
              "1 2",
              "9223372036854775808",
              "99999999999999999999")) {
        assertFault(
            call(PEER, "PATCH", "/subcloud-peer-groups/pg1", "X-Geored-Leader-Epoch", bad),
            400,
            "Invalid X-Geored-Leader-Epoch header: a leader epoch is a positive integer");
      }
      assertThat(calls).isEmpty();
    }

    @Test
    @DisplayName("from a caller that is not a peer site it is 400 and the site is not called")
    void notAPeer() {
      for (String token : List.of(ADMIN, CONF, OPERATOR, READER)) {
        assertFault(
            call(token, "GET", "/subcloud-peer-groups", "X-Geored-Leader-Epoch", "5"),
            400,
            "X-Geored-Leader-Epoch header is only accepted from a peer site");
      }
      // The peer User-Agent makes only an admin a peer site.
      assertFault(
          call(
              CONF,
              "GET",
              "/subcloud-peer-groups",
              "User-Agent",
              "dcmanager/1.0",
              "X-Geored-Leader-Epoch",
              "5"),
          400,
          "X-Geored-Leader-Epoch header is only accepted from a peer site");
      assertThat(calls).isEmpty();
    }
  }

  @Nested
  @DisplayName("PATCH /subcloud-peer-groups/{ref}/hand-over")
  class HandOver {

    @Test
    @DisplayName("a peer site's token asks as that peer and gets the group as the site left it")
    void peer() {
      SubcloudPeerGroup answer = client(PEER).handOverPeerGroup(Caller.peerSite("x"), "pg 1α");

      assertThat(answer).isEqualTo(GROUP);
      assertThat(recorder.last().method()).isEqualTo("PATCH");
      assertThat(recorder.last().path())
          .isEqualTo("/v1.0/subcloud-peer-groups/pg%201%CE%B1/hand-over");
      assertThat(calls)
          .containsExactly(new Call("handOverPeerGroup", Caller.peerSite(PEER_UUID), "pg 1α"));
    }

    @Test
    @DisplayName("an admin may ask too, as an operator or with the peer User-Agent as a peer")
    void admin() {
      GeoredHttpHandler.Response plain =
          call(ADMIN, "PATCH", "/subcloud-peer-groups/pg1/hand-over");
      GeoredHttpHandler.Response asPeer =
          call(ADMIN, "PATCH", "/subcloud-peer-groups/3/hand-over", "User-Agent", "dcmanager/1.0");

      assertThat(plain.status()).isEqualTo(200);
      assertThat(plain.text())
          .isEqualTo(
              "{\"id\":3,\"peer_group_name\":\"pg1\",\"group_priority\":0,"
                  + "\"group_state\":\"enabled\",\"max_subcloud_rehoming\":10,"
                  + "\"system_leader_id\":\"aaaaaaaa-0000-4000-8000-000000000001\","
                  + "\"system_leader_name\":\"site-a\",\"migration_status\":null,"
                  + "\"created-at\":\"2026-12-01T10:00:00Z\","
                  + "\"updated-at\":\"2026-12-01T10:05:00Z\"}");
      assertThat(asPeer.status()).isEqualTo(200);
      assertThat(calls)
          .containsExactly(
              new Call("handOverPeerGroup", Caller.OPERATOR, "pg1"),
              new Call("handOverPeerGroup", Caller.PEER_SITE, "3"));
    }

    @Test
    @DisplayName("configurators, operators and readers are refused 403 and the site is not called")
    void otherRoles() {
      for (String token : List.of(CONF, OPERATOR, READER)) {
        GeoredHttpHandler.Response r = call(token, "PATCH", "/subcloud-peer-groups/pg1/hand-over");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).contains(HttpMessages.FORBIDDEN);
      }
      assertThat(calls).isEmpty();
    }

    @Test
    @DisplayName("only PATCH: another method is 405 with Allow: PATCH")
    void onlyPatch() {
      for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
        GeoredHttpHandler.Response r = call(PEER, method, "/subcloud-peer-groups/pg1/hand-over");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers()).containsEntry("Allow", "PATCH");
      }
      assertThat(calls).isEmpty();
    }

    @Test
    @DisplayName(
        "the site's refusal is a 409 with its text, and the client throws it as a conflict")
    void conflict() {
      refusal = new ConflictException(Messages.peerGroupNotLedHere("pg1"));

      assertFault(
          call(PEER, "PATCH", "/subcloud-peer-groups/pg1/hand-over"),
          409,
          "Subcloud peer group pg1 is not led by this site.");
      assertThatThrownBy(() -> client(PEER).handOverPeerGroup(Caller.peerSite("x"), "pg1"))
          .isInstanceOf(ConflictException.class)
          .hasMessage("Subcloud peer group pg1 is not led by this site.");
    }

    @Test
    @DisplayName("an unknown group is the site's 404, a not-found outcome for the client")
    void unknown() {
      refusal = new NotFoundException(Messages.PEER_GROUP_NOT_FOUND);

      assertFault(
          call(PEER, "PATCH", "/subcloud-peer-groups/nope/hand-over"),
          404,
          "Subcloud Peer Group not found");
      assertThatThrownBy(() -> client(PEER).handOverPeerGroup(Caller.peerSite("x"), "nope"))
          .isInstanceOf(NotFoundException.class)
          .hasMessage("Subcloud Peer Group not found");
    }
  }
}
