package io.geored.testkit.sim;

import static io.geored.testkit.sim.SimHarness.SITE_A;
import static io.geored.testkit.sim.SimHarness.SITE_B;
import static io.geored.testkit.sim.SimHarness.SITE_C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.geored.spi.ConflictException;
import io.geored.spi.ForbiddenException;
import io.geored.spi.GeoredException;
import io.geored.spi.NotFoundException;
import io.geored.spi.OperationFailedException;
import io.geored.spi.PeerTransportException;
import io.geored.spi.PersistenceException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.peer.PeerSites;
import io.geored.testkit.sim.StubSite.Received;
import io.geored.testkit.time.SiteScheduler;
import io.geored.testkit.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("The in-process network")
class SimNetworkTest {

  private static final String A_URL = "http://site-a.sim/v1.0";
  private static final String B_URL = "http://site-b.sim/v1.0";
  private static final String C_URL = "http://site-c.sim/v1.0";
  private static final LocalSystem SITE_D =
      new LocalSystem("dddddddd-0000-4000-8000-000000000004", "site-d");
  private static final String D_URL = "http://site-d.sim/v1.0";
  private static final String INJECTED = "injected failure (no answer from peer)";

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Instant start = scheduler.now();
  private final SimNetwork network = new SimNetwork(scheduler.virtualClock());
  private final StubSite a = new StubSite(SITE_A, scheduler.clock());
  private final StubSite b = new StubSite(SITE_B, scheduler.clock());
  private final StubSite c = new StubSite(SITE_C, scheduler.clock());

  @BeforeEach
  void register() {
    network.register(SITE_A, A_URL, a.api());
    network.register(SITE_B, B_URL, b.api());
    network.register(SITE_C, C_URL, c.api());
  }

  /** A system peer as a site stores it: what the network routes by is its endpoint. */
  private static SystemPeer peerAt(LocalSystem system, String endpoint) {
    return SystemPeer.builder()
        .id(1)
        .peerUuid(system.uuid())
        .peerName(system.name())
        .managerEndpoint(endpoint)
        .build();
  }

  private SiteApi client(LocalSystem from, LocalSystem to, String endpoint) {
    return network.peerSitesFor(from).clientFor(peerAt(to, endpoint));
  }

  private SiteApi aToB() {
    return client(SITE_A, SITE_B, B_URL);
  }

  private SiteApi bToA() {
    return client(SITE_B, SITE_A, A_URL);
  }

  private SiteApi cToB() {
    return client(SITE_C, SITE_B, B_URL);
  }

  private static PeerTransportException transportFailure(Runnable call) {
    PeerTransportException e = catchThrowableOfType(PeerTransportException.class, call::run);
    assertThat(e).as("a peer-transport failure").isNotNull();
    return e;
  }

  @Nested
  @DisplayName("routing")
  class Routing {

    @Test
    @DisplayName("a client reaches the site at its system peer's endpoint with the same arguments")
    void routesByEndpoint() {
      b.answer("getSystemPeer", args -> peerAt(SITE_C, "http://answer.sim"));

      SystemPeer answer = aToB().getSystemPeer(Caller.PEER_SITE, "site-c");

      assertThat(answer).isEqualTo(peerAt(SITE_C, "http://answer.sim"));
      assertThat(b.received())
          .containsExactly(
              new Received(
                  Caller.peerSite(SITE_A.uuid()), "getSystemPeer", List.of("site-c"), start));
      assertThat(a.received()).isEmpty();
      assertThat(c.received()).isEmpty();
    }

    @Test
    @DisplayName(
        "an engine's client calls as the identified calling site; a bare client passes the caller")
    void callerIdentified() {
      aToB().listSubclouds(Caller.OPERATOR);
      aToB().listSubclouds(Caller.PEER_SITE);
      SiteApi bare = network.client(SITE_A, B_URL);
      bare.listSubclouds(Caller.OPERATOR);
      bare.listSubclouds(Caller.PEER_SITE);

      assertThat(b.received())
          .extracting(Received::caller)
          .containsExactly(
              Caller.peerSite(SITE_A.uuid()),
              Caller.peerSite(SITE_A.uuid()),
              Caller.OPERATOR,
              Caller.PEER_SITE);
    }

    @Test
    @DisplayName(
        "a leader epoch travels with the identified caller, as the HTTP header does; the hand-over"
            + " call is routed like any other")
    void leaderEpochTravels() {
      b.answer("handOverPeerGroup", args -> null);

      aToB().updatePeerGroup(Caller.PEER_SITE.withLeaderEpoch(12), "pg1", null);
      aToB().handOverPeerGroup(Caller.OPERATOR, "pg1");
      network
          .client(SITE_A, B_URL)
          .handOverPeerGroup(Caller.peerSite("x").withLeaderEpoch(3), "pg2");

      assertThat(b.received())
          .extracting(Received::caller, Received::kind)
          .containsExactly(
              tuple(Caller.peerSite(SITE_A.uuid()).withLeaderEpoch(12), "updatePeerGroup"),
              tuple(Caller.peerSite(SITE_A.uuid()), "handOverPeerGroup"),
              tuple(Caller.peerSite("x").withLeaderEpoch(3), "handOverPeerGroup"));
      assertThat(network.calls(SITE_A, SITE_B, "handOverPeerGroup")).isEqualTo(2);
    }

    @Test
    @DisplayName("the target is found by the endpoint, whatever uuid the system peer names")
    void endpointWinsOverUuid() {
      SiteApi client = client(SITE_A, SITE_C, B_URL);

      assertThat(client.identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
      assertThat(c.received()).isEmpty();
    }

    @Test
    @DisplayName("a system peer with an endpoint no site serves is unreachable")
    void unknownEndpointIsUnreachable() {
      SiteApi client = client(SITE_A, SITE_B, "http://site-b.example/v1.0");

      PeerTransportException e = transportFailure(() -> client.identity(Caller.PEER_SITE));

      assertThat(e)
          .hasMessage(
              "identity to http://site-b.example/v1.0: no site answers at this endpoint"
                  + " (unreachable)")
          .hasNoCause();
      assertThat(e.status()).isZero();
      assertThat(e.kind()).isEqualTo(GeoredException.Kind.PEER_TRANSPORT);
      assertThat(b.received()).isEmpty();
    }

    @Test
    @DisplayName("trailing slashes of an endpoint do not matter")
    void trailingSlashIgnored() {
      assertThat(client(SITE_A, SITE_B, B_URL + "/").identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
      assertThat(network.endpointOf(SITE_B)).contains(B_URL);
    }

    @Test
    @DisplayName("a client looks its target up on every call, so a site that joins later answers")
    void resolvedPerCall() {
      SiteApi client = client(SITE_A, SITE_D, D_URL);
      transportFailure(() -> client.identity(Caller.PEER_SITE));
      StubSite d = new StubSite(SITE_D, scheduler.clock());

      network.register(SITE_D, D_URL, d.api());

      assertThat(client.identity(Caller.PEER_SITE)).isEqualTo(SITE_D);
    }

    @Test
    @DisplayName("a registered site answers only once its API is attached")
    void registeredButNotAttached() {
      network.register(SITE_D, D_URL);
      SiteApi client = client(SITE_A, SITE_D, D_URL);

      assertThat(transportFailure(() -> client.identity(Caller.PEER_SITE)))
          .hasMessage("identity to http://site-d.sim/v1.0: site-d is unreachable (stopped)");
      assertThat(network.isReachable(SITE_D)).isFalse();

      StubSite d = new StubSite(SITE_D, scheduler.clock());
      network.attach(SITE_D, d.api());

      assertThat(client.identity(Caller.PEER_SITE)).isEqualTo(SITE_D);
      assertThat(network.isReachable(SITE_D)).isTrue();
    }

    @Test
    @DisplayName("a second site with a registered uuid or endpoint is refused")
    void duplicateRegistrationRefused() {
      assertThatThrownBy(() -> network.register(SITE_B, D_URL))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("site already registered: " + SITE_B.uuid());
      assertThatThrownBy(() -> network.register(SITE_D, B_URL + "/"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("endpoint already registered: " + B_URL);
      assertThat(network.endpointOf(SITE_D)).isEmpty();
      assertThat(aToB().identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
    }

    @Test
    @DisplayName("a site that is not registered gets no clients and no faults")
    void unregisteredSiteRefused() {
      assertThatThrownBy(() -> network.peerSitesFor(SITE_D))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("site not registered: " + SITE_D.uuid());
      assertThatThrownBy(() -> network.down(SITE_D))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("site not registered: " + SITE_D.uuid());
      assertThatThrownBy(() -> network.partition(SITE_A, SITE_D))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("site not registered: " + SITE_D.uuid());
    }

    @Test
    @DisplayName("a client describes itself without calling anyone")
    void objectMethodsStayLocal() {
      SiteApi client = aToB();

      assertThat(client.toString()).isEqualTo("SimNetwork client site-a -> " + B_URL);
      assertThat(client).isEqualTo(client).isNotEqualTo(aToB());
      assertThat(client.hashCode()).isEqualTo(System.identityHashCode(client));
      assertThat(network.calls()).isZero();
    }
  }

  @Nested
  @DisplayName("call counts")
  class Counting {

    @Test
    @DisplayName("calls are counted in total, by kind, by directed link and by both")
    void countsByKindAndLink() {
      aToB().listPeerGroups(Caller.PEER_SITE);
      aToB().listPeerGroups(Caller.PEER_SITE);
      aToB().getPeerGroup(Caller.PEER_SITE, "g1");
      bToA().listPeerGroups(Caller.PEER_SITE);
      cToB().identity(Caller.PEER_SITE);

      assertThat(network.calls()).isEqualTo(5);
      assertThat(network.calls("listPeerGroups")).isEqualTo(3);
      assertThat(network.calls("deleteSubcloud")).isZero();
      assertThat(network.calls(SITE_A, SITE_B)).isEqualTo(3);
      assertThat(network.calls(SITE_B, SITE_A)).isEqualTo(1);
      assertThat(network.calls(SITE_C, SITE_B)).isEqualTo(1);
      assertThat(network.calls(SITE_A, SITE_C)).isZero();
      assertThat(network.calls(SITE_A, SITE_B, "listPeerGroups")).isEqualTo(2);
      assertThat(network.calls(SITE_A, SITE_B, "getPeerGroup")).isEqualTo(1);
      assertThat(network.calls(SITE_B, SITE_A, "getPeerGroup")).isZero();
      assertThat(network.callsByKind(SITE_A, SITE_B))
          .isEqualTo(Map.of("listPeerGroups", 2L, "getPeerGroup", 1L));
    }

    @Test
    @DisplayName("failed calls count too, and calls to nowhere count in total and by kind only")
    void failedCallsCount() {
      network.down(SITE_B);
      transportFailure(() -> aToB().identity(Caller.PEER_SITE));
      SiteApi nowhere = client(SITE_A, SITE_D, D_URL);
      transportFailure(() -> nowhere.identity(Caller.PEER_SITE));

      assertThat(network.calls()).isEqualTo(2);
      assertThat(network.calls("identity")).isEqualTo(2);
      assertThat(network.calls(SITE_A, SITE_B)).isEqualTo(1);
      assertThat(network.callsByKind(SITE_A, SITE_B)).isEqualTo(Map.of("identity", 1L));
    }

    @Test
    @DisplayName("a reset forgets every count and counting starts again")
    void reset() {
      aToB().identity(Caller.PEER_SITE);
      bToA().identity(Caller.PEER_SITE);

      network.resetCalls();

      assertThat(network.calls()).isZero();
      assertThat(network.calls(SITE_A, SITE_B)).isZero();
      assertThat(network.callsByKind(SITE_A, SITE_B)).isEmpty();
      aToB().identity(Caller.PEER_SITE);
      assertThat(network.calls()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("a site that is down")
  class Down {

    @Test
    @DisplayName("answers nothing: every call to it fails as unreachable, other sites still answer")
    void callsToItFail() {
      network.down(SITE_B);

      assertThat(transportFailure(() -> aToB().listPeerGroups(Caller.PEER_SITE)))
          .hasMessage("listPeerGroups to http://site-b.sim/v1.0: site-b is unreachable (down)");
      assertThat(transportFailure(() -> cToB().identity(Caller.PEER_SITE)))
          .hasMessage("identity to http://site-b.sim/v1.0: site-b is unreachable (down)");
      assertThat(b.received()).isEmpty();
      assertThat(network.isReachable(SITE_B)).isFalse();
      assertThat(client(SITE_A, SITE_C, C_URL).identity(Caller.PEER_SITE)).isEqualTo(SITE_C);
    }

    @Test
    @DisplayName("cannot call out either")
    void callsFromItFail() {
      network.down(SITE_B);

      assertThat(transportFailure(() -> bToA().identity(Caller.PEER_SITE)))
          .hasMessage(
              "identity to http://site-a.sim/v1.0: site-b is cut off from the network (down)");
      assertThat(a.received()).isEmpty();
    }

    @Test
    @DisplayName("answers again once up, in both directions")
    void upHeals() {
      network.down(SITE_B);
      network.down(SITE_B);

      network.up(SITE_B);

      assertThat(aToB().identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
      assertThat(bToA().identity(Caller.PEER_SITE)).isEqualTo(SITE_A);
      assertThat(network.isReachable(SITE_B)).isTrue();
    }
  }

  @Nested
  @DisplayName("a one-way partition")
  class Partition {

    @Test
    @DisplayName("from A to B fails A's calls to B and lets B's calls to A through")
    void aToBCut() {
      network.partition(SITE_A, SITE_B);

      assertThat(transportFailure(() -> aToB().identity(Caller.PEER_SITE)))
          .hasMessage(
              "identity to http://site-b.sim/v1.0: site-b is unreachable"
                  + " (link site-a -> site-b partitioned)");
      assertThat(b.received()).isEmpty();
      assertThat(bToA().identity(Caller.PEER_SITE)).isEqualTo(SITE_A);
      assertThat(cToB().identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
    }

    @Test
    @DisplayName("from B to A fails B's calls to A and lets A's calls to B through")
    void bToACut() {
      network.partition(SITE_B, SITE_A);

      assertThat(transportFailure(() -> bToA().identity(Caller.PEER_SITE)))
          .hasMessage(
              "identity to http://site-a.sim/v1.0: site-a is unreachable"
                  + " (link site-b -> site-a partitioned)");
      assertThat(a.received()).isEmpty();
      assertThat(aToB().identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
    }

    @Test
    @DisplayName("healed in one direction leaves the other direction cut")
    void healOneDirection() {
      network.partitionBothWays(SITE_A, SITE_B);
      transportFailure(() -> aToB().identity(Caller.PEER_SITE));
      transportFailure(() -> bToA().identity(Caller.PEER_SITE));

      network.heal(SITE_A, SITE_B);

      assertThat(aToB().identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
      assertThat(transportFailure(() -> bToA().identity(Caller.PEER_SITE)))
          .hasMessage(
              "identity to http://site-a.sim/v1.0: site-a is unreachable"
                  + " (link site-b -> site-a partitioned)");

      network.heal(SITE_B, SITE_A);

      assertThat(bToA().identity(Caller.PEER_SITE)).isEqualTo(SITE_A);
    }
  }

  @Nested
  @DisplayName("injected failures")
  class InjectedFailures {

    @Test
    @DisplayName("failing the next N calls to a site fails exactly N calls from any caller")
    void failNextToSite() {
      network.to(SITE_B).failNext(2);

      assertThat(transportFailure(() -> aToB().identity(Caller.PEER_SITE)))
          .hasMessage("identity to http://site-b.sim/v1.0: " + INJECTED);
      assertThat(transportFailure(() -> cToB().listSubclouds(Caller.PEER_SITE)))
          .hasMessage("listSubclouds to http://site-b.sim/v1.0: " + INJECTED);
      assertThat(b.received()).isEmpty();

      assertThat(aToB().identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
      assertThat(b.received()).extracting(Received::kind).containsExactly("identity");
    }

    @Test
    @DisplayName("failing the next N calls of a link leaves other links alone")
    void failNextOnLink() {
      network.link(SITE_A, SITE_B).failNext(1);

      assertThat(cToB().identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
      assertThat(bToA().identity(Caller.PEER_SITE)).isEqualTo(SITE_A);
      transportFailure(() -> aToB().identity(Caller.PEER_SITE));
      assertThat(aToB().identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
    }

    @Test
    @DisplayName("failing a call kind fails every call of that kind and no other, until cleared")
    void failKind() {
      network.to(SITE_B).failCalls("createSubcloud");
      SubcloudCreate request = SubcloudCreate.builder().name("subcloud1").build();

      for (int i = 0; i < 3; i++) {
        assertThat(transportFailure(() -> aToB().createSubcloud(Caller.PEER_SITE, request)))
            .hasMessage("createSubcloud to http://site-b.sim/v1.0: " + INJECTED);
      }
      aToB().getSubcloud(Caller.PEER_SITE, "subcloud1");
      assertThat(b.received()).extracting(Received::kind).containsExactly("getSubcloud");

      network.to(SITE_B).clear();

      aToB().createSubcloud(Caller.PEER_SITE, request);
      assertThat(b.received())
          .extracting(Received::kind)
          .containsExactly("getSubcloud", "createSubcloud");
    }

    @Test
    @DisplayName("failing only the n-th call of a kind lets the ones before and after through")
    void failNthOccurrence() {
      network.to(SITE_B).failCall("createSubcloud", 2);
      SubcloudCreate request = SubcloudCreate.builder().name("subcloud1").build();

      aToB().createSubcloud(Caller.PEER_SITE, request);
      aToB().listSubclouds(Caller.PEER_SITE);
      assertThat(transportFailure(() -> cToB().createSubcloud(Caller.PEER_SITE, request)))
          .hasMessage("createSubcloud to http://site-b.sim/v1.0: " + INJECTED);
      aToB().createSubcloud(Caller.PEER_SITE, request);

      assertThat(b.received())
          .extracting(Received::kind)
          .containsExactly("createSubcloud", "listSubclouds", "createSubcloud");
    }

    @Test
    @DisplayName("clearing one scope keeps the faults of the others")
    void clearIsScoped() {
      network.to(SITE_B).failCalls("identity");
      network.link(SITE_A, SITE_B).failCalls("listSubclouds");

      network.link(SITE_A, SITE_B).clear();

      aToB().listSubclouds(Caller.PEER_SITE);
      transportFailure(() -> aToB().identity(Caller.PEER_SITE));
    }

    @Test
    @DisplayName("a failure rule with a nonsensical count or kind is refused")
    void badRulesRefused() {
      assertThatThrownBy(() -> network.to(SITE_B).failNext(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("calls must be at least 1: 0");
      assertThatThrownBy(() -> network.to(SITE_B).failCall("createSubcloud", 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("occurrence must be at least 1: 0");
      assertThatThrownBy(() -> network.to(SITE_B).failCalls("createSubclouds"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not a SiteApi call: createSubclouds");
      assertThatThrownBy(() -> network.to(SITE_B).delay(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("delay must be positive: PT0S");
      assertThatThrownBy(() -> network.to(SITE_B).delay(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("delay must be positive: PT-1S");

      assertThat(aToB().identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
    }
  }

  @Nested
  @DisplayName("delays")
  class Delays {

    @Test
    @DisplayName("a delayed call takes that long in virtual time and runs no scheduler task")
    void delayMovesTheClock() {
      AtomicBoolean ran = new AtomicBoolean();
      scheduler.schedule(() -> ran.set(true), Duration.ofSeconds(5));
      network.to(SITE_B).delay(Duration.ofSeconds(30));

      aToB().identity(Caller.PEER_SITE);

      assertThat(scheduler.now()).isEqualTo(start.plusSeconds(30));
      assertThat(b.received())
          .containsExactly(
              new Received(
                  Caller.peerSite(SITE_A.uuid()), "identity", List.of(), start.plusSeconds(30)));
      assertThat(ran).isFalse();
      assertThat(scheduler.pendingTasks()).isEqualTo(1);

      scheduler.runUntilIdle();

      assertThat(ran).isTrue();
    }

    @Test
    @DisplayName("delays of the target and of the link add up")
    void delaysAddUp() {
      network.to(SITE_B).delay(Duration.ofSeconds(10));
      network.link(SITE_A, SITE_B).delay(Duration.ofSeconds(5));

      aToB().identity(Caller.PEER_SITE);
      assertThat(scheduler.now()).isEqualTo(start.plusSeconds(15));

      cToB().identity(Caller.PEER_SITE);
      assertThat(scheduler.now()).isEqualTo(start.plusSeconds(25));

      bToA().identity(Caller.PEER_SITE);
      assertThat(scheduler.now()).isEqualTo(start.plusSeconds(25));
    }

    @Test
    @DisplayName("a delayed call that then fails still takes its time, as a timeout does")
    void delayedFailure() {
      network.to(SITE_B).delay(Duration.ofSeconds(60)).failNext(1);

      assertThat(transportFailure(() -> aToB().identity(Caller.PEER_SITE)))
          .hasMessage("identity to http://site-b.sim/v1.0: " + INJECTED);

      assertThat(scheduler.now()).isEqualTo(start.plusSeconds(60));
    }

    @Test
    @DisplayName(
        "on a scheduler whose waits overlap, the delayed calls of tasks in flight at once take the"
            + " delay once, together; a call from outside a task still moves the clock")
    void overlappingDelays() {
      VirtualScheduler overlapping = VirtualScheduler.overlappingWaits();
      Instant t0 = overlapping.now();
      SimNetwork wan = new SimNetwork(overlapping);
      StubSite siteA = new StubSite(SITE_A, overlapping.clock());
      StubSite siteB = new StubSite(SITE_B, overlapping.clock());
      wan.register(SITE_A, A_URL, siteA.api());
      wan.register(SITE_B, B_URL, siteB.api());
      wan.to(SITE_B).delay(Duration.ofMillis(20));
      SiteApi client = wan.peerSitesFor(SITE_A).clientFor(peerAt(SITE_B, B_URL));
      for (int i = 0; i < 10; i++) {
        overlapping.execute(
            () -> {
              client.identity(Caller.PEER_SITE);
              client.identity(Caller.PEER_SITE);
            });
      }

      overlapping.runUntilIdle();

      assertThat(overlapping.now()).isEqualTo(t0.plusMillis(40));
      assertThat(siteB.received()).hasSize(20);
      assertThat(siteB.received().subList(0, 10))
          .allSatisfy(r -> assertThat(r.at()).isEqualTo(t0.plusMillis(20)));
      assertThat(siteB.received().subList(10, 20))
          .allSatisfy(r -> assertThat(r.at()).isEqualTo(t0.plusMillis(40)));
      assertThat(wan.calls(SITE_A, SITE_B, "identity")).isEqualTo(20);

      client.identity(Caller.PEER_SITE);

      assertThat(overlapping.now()).isEqualTo(t0.plusMillis(60));
    }

    @Test
    @DisplayName("a cleared delay no longer moves the clock")
    void clearedDelay() {
      network.to(SITE_B).delay(Duration.ofSeconds(60));
      network.to(SITE_B).clear();

      aToB().identity(Caller.PEER_SITE);

      assertThat(scheduler.now()).isEqualTo(start);
    }
  }

  @Test
  @DisplayName("healing everything clears down sites, partitions, failures and delays")
  void healAll() {
    network.down(SITE_B);
    network.partition(SITE_A, SITE_C);
    network.to(SITE_C).failNext(5);
    network.to(SITE_A).failCalls("identity");
    network.to(SITE_A).delay(Duration.ofSeconds(10));

    network.healAll();

    assertThat(aToB().identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
    assertThat(client(SITE_A, SITE_C, C_URL).identity(Caller.PEER_SITE)).isEqualTo(SITE_C);
    assertThat(bToA().identity(Caller.PEER_SITE)).isEqualTo(SITE_A);
    assertThat(scheduler.now()).isEqualTo(start);
  }

  @Nested
  @DisplayName("answers of the target")
  class Answers {

    static Stream<GeoredException> siteAnswers() {
      return Stream.of(
          new ValidationException(Messages.INVALID_PEER_GROUP_NAME),
          new NotFoundException(Messages.SUBCLOUD_NOT_FOUND),
          new ConflictException(Messages.PEER_GROUP_NAME_EXISTS),
          new ForbiddenException("forbidden"),
          new OperationFailedException("failed"),
          new PersistenceException("store down", null),
          new PeerTransportException("site-c did not answer", 0, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("siteAnswers")
    @DisplayName("a geored exception of the target passes through unchanged as its answer")
    void geoRedExceptionsPassThrough(GeoredException answer) {
      b.failWith("getPeerGroup", answer);

      assertThatThrownBy(() -> aToB().getPeerGroup(Caller.PEER_SITE, "g1")).isSameAs(answer);
    }

    @Test
    @DisplayName("any other runtime exception becomes a peer-transport failure naming the call")
    void otherExceptionsWrapped() {
      IllegalStateException bug = new IllegalStateException("boom");
      b.failWith("createSubcloud", bug);

      PeerTransportException e =
          transportFailure(
              () ->
                  aToB()
                      .createSubcloud(
                          Caller.PEER_SITE, SubcloudCreate.builder().name("subcloud1").build()));

      assertThat(e)
          .hasMessage(
              "createSubcloud to http://site-b.sim/v1.0: site-b answered 500"
                  + " (IllegalStateException: boom)")
          .hasCause(bug);
      assertThat(e.getCause()).isSameAs(bug);
      assertThat(e.status()).isEqualTo(500);
    }

    @Test
    @DisplayName("a runtime exception without a message is named by its type")
    void wrappedWithoutMessage() {
      b.failWith("listSubclouds", new UnsupportedOperationException());

      assertThat(transportFailure(() -> aToB().listSubclouds(Caller.PEER_SITE)))
          .hasMessage(
              "listSubclouds to http://site-b.sim/v1.0: site-b answered 500"
                  + " (UnsupportedOperationException)");
    }

    @Test
    @DisplayName("an error (a failed assertion inside a site) passes through unchanged")
    void errorsPassThrough() {
      AssertionError failed = new AssertionError("inside site-b");
      b.failWithError("listSubclouds", failed);

      assertThatThrownBy(() -> aToB().listSubclouds(Caller.PEER_SITE)).isSameAs(failed);
    }
  }

  @Nested
  @DisplayName("a detached (stopped) site")
  class Detached {

    @Test
    @DisplayName("is unreachable until attached again")
    void unreachableUntilAttached() {
      network.detach(SITE_B);

      assertThat(transportFailure(() -> aToB().identity(Caller.PEER_SITE)))
          .hasMessage("identity to http://site-b.sim/v1.0: site-b is unreachable (stopped)");
      assertThat(network.isReachable(SITE_B)).isFalse();

      network.attach(SITE_B, b.api());

      assertThat(aToB().identity(Caller.PEER_SITE)).isEqualTo(SITE_B);
    }

    @Test
    @DisplayName("loses its old clients for good; a new peer-sites port calls out again")
    void oldClientsCutOff() {
      PeerSites before = network.peerSitesFor(SITE_B);
      SiteApi oldClient = before.clientFor(peerAt(SITE_A, A_URL));

      network.detach(SITE_B);
      network.attach(SITE_B, b.api());

      String cutOff =
          "identity to http://site-a.sim/v1.0: site-b is cut off from the network (stopped)";
      assertThat(transportFailure(() -> oldClient.identity(Caller.PEER_SITE))).hasMessage(cutOff);
      assertThat(
              transportFailure(
                  () -> before.clientFor(peerAt(SITE_A, A_URL)).identity(Caller.PEER_SITE)))
          .hasMessage(cutOff);
      assertThat(a.received()).isEmpty();
      assertThat(bToA().identity(Caller.PEER_SITE)).isEqualTo(SITE_A);
    }

    @Test
    @DisplayName("detached twice, keeps the clients taken between the two")
    void detachIdempotent() {
      network.detach(SITE_B);
      PeerSites between = network.peerSitesFor(SITE_B);
      network.detach(SITE_B);
      network.attach(SITE_B, b.api());

      assertThat(between.clientFor(peerAt(SITE_A, A_URL)).identity(Caller.PEER_SITE))
          .isEqualTo(SITE_A);
    }
  }

  @Test
  @DisplayName("calls from many threads are all counted and a fail-next rule fails exactly N")
  void threadSafe() throws Exception {
    network.to(SITE_B).failNext(100);
    SiteApi client = aToB();
    int threads = 8;
    int callsPerThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Integer>> failures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        failures.add(
            pool.submit(
                () -> {
                  int failed = 0;
                  for (int i = 0; i < callsPerThread; i++) {
                    try {
                      client.listSubclouds(Caller.PEER_SITE);
                    } catch (PeerTransportException e) {
                      failed++;
                    }
                  }
                  return failed;
                }));
      }
      int failed = 0;
      for (Future<Integer> f : failures) {
        failed += f.get(1, TimeUnit.MINUTES);
      }

      assertThat(failed).isEqualTo(100);
      assertThat(network.calls(SITE_A, SITE_B, "listSubclouds")).isEqualTo(4000);
      assertThat(b.received()).hasSize(3900);
    } finally {
      pool.shutdownNow();
    }
  }

  @Nested
  @DisplayName("calls in flight")
  class InFlight {

    private final VirtualScheduler timed = new VirtualScheduler();
    private final SimNetwork net = new SimNetwork(timed);
    private final StubSite x = new StubSite(SITE_A, timed.clock());
    private final StubSite y = new StubSite(SITE_B, timed.clock());
    private final List<SimNetwork.Delivery> seen = new ArrayList<>();

    @BeforeEach
    void join() {
      net.register(SITE_A, A_URL, x.api());
      net.register(SITE_B, B_URL, y.api());
      net.observe(seen::add);
    }

    private SiteApi xToY() {
      return net.peerSitesFor(SITE_A).clientFor(peerAt(SITE_B, B_URL));
    }

    @Test
    @DisplayName("a late call times out for its caller and reaches the target later")
    void deliveredLate() {
      net.link(SITE_A, SITE_B).deliverLate(1, Duration.ofSeconds(30));

      PeerTransportException e =
          transportFailure(() -> xToY().deleteSubcloud(Caller.PEER_SITE, "sc1"));
      assertThat(e.getMessage())
          .isEqualTo(
              "deleteSubcloud to "
                  + B_URL
                  + ": timed out (no answer, the request is delivered later)");
      timed.advance(Duration.ofSeconds(29));
      assertThat(y.received()).isEmpty();
      timed.advance(Duration.ofSeconds(1));

      assertThat(y.received())
          .containsExactly(
              new Received(
                  Caller.peerSite(SITE_A.uuid()), "deleteSubcloud", List.of("sc1"), timed.now()));
      assertThat(seen)
          .containsExactly(
              new SimNetwork.Delivery(
                  SITE_A.uuid(),
                  SITE_B.uuid(),
                  "deleteSubcloud",
                  Caller.peerSite(SITE_A.uuid()),
                  List.of("sc1"),
                  true,
                  Duration.ofSeconds(30)));
      xToY().deleteSubcloud(Caller.PEER_SITE, "sc2");
      assertThat(y.received()).hasSize(2);
    }

    @Test
    @DisplayName("a late call to a site restarted meanwhile is dropped")
    void droppedAfterRestart() {
      net.link(SITE_A, SITE_B).deliverLate(1, Duration.ofSeconds(30));
      transportFailure(() -> xToY().deleteSubcloud(Caller.PEER_SITE, "sc1"));
      net.detach(SITE_B);
      net.attach(SITE_B, y.api());
      timed.advance(Duration.ofSeconds(60));

      assertThat(y.received()).isEmpty();
    }

    @Test
    @DisplayName("a call to a paused site times out and waits in its inbox until it runs again")
    void pausedTarget() {
      SiteScheduler inbox = new SiteScheduler(timed, 1.0);
      net.inbox(SITE_B, inbox);
      inbox.pause();
      net.pause(SITE_B);

      PeerTransportException e =
          transportFailure(() -> xToY().deleteSubcloud(Caller.PEER_SITE, "sc1"));
      assertThat(e.getMessage())
          .isEqualTo(
              "deleteSubcloud to "
                  + B_URL
                  + ": timed out (site-b stands still (paused), the request waits for it)");
      timed.advance(Duration.ofMinutes(5));
      assertThat(y.received()).isEmpty();

      net.resume(SITE_B);
      inbox.resume();
      timed.runUntilIdle();
      assertThat(y.received()).extracting(Received::kind).containsExactly("deleteSubcloud");
    }

    @Test
    @DisplayName("the leader epoch an engine's caller carries reaches the target")
    void epochTravels() {
      xToY().deleteSubcloud(Caller.PEER_SITE.withLeaderEpoch(7), "sc1");

      assertThat(y.received())
          .extracting(Received::caller)
          .containsExactly(Caller.peerSite(SITE_A.uuid()).withLeaderEpoch(7));
      assertThat(seen.get(0).late()).isFalse();
    }
  }
}
