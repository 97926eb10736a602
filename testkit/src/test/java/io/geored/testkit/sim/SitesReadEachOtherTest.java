package io.geored.testkit.sim;

import static io.geored.testkit.sim.SimHarness.SITE_A;
import static io.geored.testkit.sim.SimHarness.SITE_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ForbiddenException;
import io.geored.spi.NotFoundException;
import io.geored.spi.PeerTransportException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test of the in-process network: two real sites, one creates resources through its
 * operator API, the other reads them through the client its engine opens for its system peer.
 */
@DisplayName("Two sites through the in-process network")
class SitesReadEachOtherTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final String GROUP = "dc-group-1";

  private SimHarness sites;
  private SimSite a;
  private SimSite b;

  /** Site B as site A stores it after the harness's addSystemPeer, as every answer shows it. */
  private static SystemPeer siteBOnA(Instant createdAt) {
    return SystemPeer.builder()
        .id(1)
        .peerUuid(SITE_B.uuid())
        .peerName("site-b")
        .managerEndpoint("http://site-b.sim/v1.0")
        .managerUsername("admin")
        .managerPassword(Secret.NONE)
        .peerControllerGatewayIp("10.10.2.1")
        .administrativeState(AdministrativeState.ENABLED)
        .heartbeatInterval(60)
        .heartbeatFailureThreshold(3)
        .heartbeatFailurePolicy(HeartbeatFailurePolicy.ALARM)
        .heartbeatMaintenanceTimeout(600)
        .availabilityState(PeerAvailability.CREATED)
        .createdAt(createdAt)
        .updatedAt(null)
        .version(1)
        .build();
  }

  /** The group site A creates, led by A. */
  private static SubcloudPeerGroup groupOnA(Instant createdAt) {
    return SubcloudPeerGroup.builder()
        .id(1)
        .peerGroupName(GROUP)
        .groupPriority(0)
        .groupState(GroupState.ENABLED)
        .maxSubcloudRehoming(5)
        .systemLeaderId(SITE_A.uuid())
        .systemLeaderName("site-a")
        .migrationStatus(MigrationStatus.NONE)
        .createdAt(createdAt)
        .updatedAt(null)
        .version(1)
        .build();
  }

  @BeforeEach
  void setUp() {
    sites = SimHarness.twoSites();
    a = sites.a();
    b = sites.b();
  }

  @AfterEach
  void tearDown() {
    sites.close();
  }

  /** Site A's operator creates system peer B and a peer group; B learns A as a system peer. */
  private SiteApi arrange() {
    sites.addSystemPeer(a, b);
    a.api()
        .createPeerGroup(
            Caller.OPERATOR,
            PeerGroupCreate.builder().peerGroupName(GROUP).maxSubcloudRehoming(5).build());
    sites.addSystemPeer(b, a);
    sites.start();
    sites.network().resetCalls();
    return sites.peerClient(b, a);
  }

  @Test
  @DisplayName("site A creates a system peer and a peer group and site B reads them")
  void siteBReadsWhatSiteACreated() {
    SiteApi bToA = arrange();

    assertThat(bToA.identity(Caller.PEER_SITE)).isEqualTo(SITE_A);
    // B's engine calls as site B: it reads its own system peer, not A's list of them.
    assertThatThrownBy(() -> bToA.listSystemPeers(Caller.PEER_SITE))
        .isExactlyInstanceOf(ForbiddenException.class)
        .hasMessage(Messages.PEER_REQUEST_FORBIDDEN);
    assertThat(bToA.getSystemPeer(Caller.PEER_SITE, SITE_B.uuid())).isEqualTo(siteBOnA(START));
    assertThat(bToA.getSystemPeer(Caller.PEER_SITE, "site-b")).isEqualTo(siteBOnA(START));
    assertThat(bToA.listPeerGroups(Caller.PEER_SITE)).containsExactly(groupOnA(START));
    assertThat(bToA.getPeerGroup(Caller.PEER_SITE, GROUP)).isEqualTo(groupOnA(START));

    // The answers are A's own, as its operator reads them.
    assertThat(a.api().listSystemPeers(Caller.OPERATOR)).containsExactly(siteBOnA(START));
    assertThat(a.api().listPeerGroups(Caller.OPERATOR)).containsExactly(groupOnA(START));
    assertThat(sites.network().callsByKind(SITE_B, SITE_A))
        .isEqualTo(
            Map.of(
                "identity", 1L,
                "listSystemPeers", 1L,
                "getSystemPeer", 2L,
                "listPeerGroups", 1L,
                "getPeerGroup", 1L));
    assertThat(sites.network().calls(SITE_A, SITE_B)).isZero();
  }

  @Test
  @DisplayName("site A's answers to B's mistakes pass through as A gave them")
  void siteARefusalsPassThrough() {
    SiteApi bToA = arrange();

    assertThatThrownBy(() -> bToA.getPeerGroup(Caller.PEER_SITE, "no-such-group"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage(Messages.PEER_GROUP_NOT_FOUND);
    assertThatThrownBy(() -> bToA.getSystemPeer(Caller.PEER_SITE, "site-z"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage(Messages.SYSTEM_PEER_NOT_FOUND);
    assertThatThrownBy(
            () ->
                bToA.createPeerGroup(
                    Caller.PEER_SITE,
                    PeerGroupCreate.builder()
                        .peerGroupName("dc-group-2")
                        .groupPriority(-1)
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage(Messages.INVALID_GROUP_PRIORITY);
    assertThat(a.api().listPeerGroups(Caller.OPERATOR)).containsExactly(groupOnA(START));
  }

  @Nested
  @DisplayName("the same reads with a site down get a peer-transport failure")
  class Down {

    @Test
    @DisplayName("site A down: B's calls cannot reach it")
    void targetDown() {
      SiteApi bToA = arrange();
      sites.network().down(SITE_A);

      String unreachable = "to http://site-a.sim/v1.0: site-a is unreachable (down)";
      assertThatThrownBy(() -> bToA.listSystemPeers(Caller.PEER_SITE))
          .isInstanceOf(PeerTransportException.class)
          .hasMessage("listSystemPeers " + unreachable);
      assertThatThrownBy(() -> bToA.getSystemPeer(Caller.PEER_SITE, SITE_B.uuid()))
          .isInstanceOf(PeerTransportException.class)
          .hasMessage("getSystemPeer " + unreachable);
      assertThatThrownBy(() -> bToA.getPeerGroup(Caller.PEER_SITE, GROUP))
          .isInstanceOf(PeerTransportException.class)
          .hasMessage("getPeerGroup " + unreachable);
      assertThat(sites.network().calls(SITE_B, SITE_A)).isEqualTo(3);

      sites.network().up(SITE_A);

      assertThat(bToA.getPeerGroup(Caller.PEER_SITE, GROUP)).isEqualTo(groupOnA(START));
    }

    @Test
    @DisplayName("site B down: B is cut off and its calls go nowhere")
    void callerDown() {
      SiteApi bToA = arrange();
      sites.network().down(SITE_B);

      assertThatThrownBy(() -> bToA.listSystemPeers(Caller.PEER_SITE))
          .isInstanceOf(PeerTransportException.class)
          .hasMessage(
              "listSystemPeers to http://site-a.sim/v1.0: site-b is cut off from the network"
                  + " (down)");
      assertThatThrownBy(() -> bToA.getPeerGroup(Caller.PEER_SITE, GROUP))
          .isInstanceOf(PeerTransportException.class)
          .hasMessage(
              "getPeerGroup to http://site-a.sim/v1.0: site-b is cut off from the network (down)");
    }

    @Test
    @DisplayName("site A stopped: unreachable; restarted: B reads the same records again")
    void targetStoppedAndRestarted() {
      SiteApi bToA = arrange();
      sites.stop(a);

      assertThatThrownBy(() -> bToA.getPeerGroup(Caller.PEER_SITE, GROUP))
          .isInstanceOf(PeerTransportException.class)
          .hasMessage("getPeerGroup to http://site-a.sim/v1.0: site-a is unreachable (stopped)");

      sites.advance(Duration.ofMinutes(1));
      sites.restart(a);

      assertThat(bToA.getPeerGroup(Caller.PEER_SITE, GROUP)).isEqualTo(groupOnA(START));
      assertThat(bToA.getSystemPeer(Caller.PEER_SITE, SITE_B.uuid())).isEqualTo(siteBOnA(START));
    }
  }

  @Test
  @DisplayName("a system peer stored with a wrong endpoint cannot reach the site")
  void wrongEndpoint() {
    sites.addSystemPeer(b, a, r -> r.managerEndpoint("http://site-a.example/v1.0"));

    SiteApi bToA = sites.peerClient(b, a);

    assertThatThrownBy(() -> bToA.identity(Caller.PEER_SITE))
        .isInstanceOf(PeerTransportException.class)
        .hasMessage(
            "identity to http://site-a.example/v1.0: no site answers at this endpoint"
                + " (unreachable)");
  }

  @Nested
  @DisplayName("arranging system peers")
  class Arranging {

    @Test
    @DisplayName("addSystemPeer stores the peer site's identity, endpoint, user and gateway")
    void addSystemPeer() {
      sites.advance(Duration.ofSeconds(30));

      SystemPeer created = sites.addSystemPeer(a, b);

      assertThat(created).isEqualTo(siteBOnA(START.plusSeconds(30)));
      SystemPeer stored = a.stores().systemPeers().findByUuid(SITE_B.uuid()).orElseThrow();
      assertThat(stored.toBuilder().managerPassword(Secret.NONE).build())
          .isEqualTo(siteBOnA(START.plusSeconds(30)));
      assertThat(stored.managerPassword().isEmpty()).isFalse();
      assertThat(b.stores().systemPeers().findAll()).isEmpty();
    }

    @Test
    @DisplayName("addSystemPeer applies changes to the request")
    void addSystemPeerWithChanges() {
      SystemPeer created =
          sites.addSystemPeer(a, b, r -> r.heartbeatInterval(10).heartbeatFailureThreshold(1));

      assertThat(created.heartbeatInterval()).isEqualTo(10);
      assertThat(created.heartbeatFailureThreshold()).isEqualTo(1);
    }

    @Test
    @DisplayName("pair makes each site know the other")
    void pair() {
      sites.pair(a, b);

      assertThat(a.stores().systemPeers().findAll())
          .extracting(SystemPeer::peerUuid, SystemPeer::managerEndpoint)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(SITE_B.uuid(), b.endpoint()));
      assertThat(b.stores().systemPeers().findAll())
          .extracting(SystemPeer::peerUuid, SystemPeer::managerEndpoint)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(SITE_A.uuid(), a.endpoint()));
      assertThat(List.of(sites.peerClient(a, b), sites.peerClient(b, a)))
          .extracting(client -> client.identity(Caller.PEER_SITE))
          .containsExactly(SITE_B, SITE_A);
    }
  }
}
