package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ConflictException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimNetwork;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.RehomeScript;
import io.geored.testkit.work.ScriptedProbe;
import io.geored.testkit.work.ScriptedRehomer;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three sites without a witness, as upstream: A is primary for pg1 (priority 0) with associations
 * to B (priority 1) and C (priority 2); B and C are not each other's system peers (ADR 0028).
 * Virtual time; heartbeats every 10 s, 3 misses.
 */
@DisplayName("Three sites without a witness")
class ThreeSitesWithoutWitnessTest {

  private static final String PASSWORD =
      Base64.getEncoder().encodeToString("St8rlingX*Sysadmin".getBytes());
  private static final List<String> MEMBERS = List.of("sc01", "sc02");

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Map<String, ScriptedRehomer> rehomers = new ConcurrentHashMap<>();
  private SimHarness sites;
  private SimSite a;
  private SimSite b;
  private SimSite c;

  @BeforeEach
  void threeSites() {
    sites =
        SimHarness.builder()
            .sites(3)
            .scheduler(scheduler)
            .rehomer(
                system ->
                    rehomers.computeIfAbsent(system.uuid(), k -> new ScriptedRehomer(scheduler)))
            .probe(system -> new ScriptedProbe())
            .build();
    a = sites.a();
    b = sites.b();
    c = sites.c();
    for (SimSite peer : List.of(b, c)) {
      sites.addSystemPeer(a, peer, p -> p.heartbeatInterval(10).heartbeatFailureThreshold(3));
      sites.addSystemPeer(peer, a, p -> p.heartbeatInterval(10).heartbeatFailureThreshold(3));
    }
    sites.start();
    SubcloudPeerGroup group =
        a.api()
            .createPeerGroup(
                Caller.OPERATOR,
                PeerGroupCreate.builder().peerGroupName("pg1").maxSubcloudRehoming(5).build());
    for (String name : MEMBERS) {
      member(group, name);
    }
    int priority = 1;
    for (SimSite peer : List.of(b, c)) {
      a.api()
          .createAssociation(
              Caller.OPERATOR,
              AssociationCreate.builder()
                  .peerGroupId(group.id())
                  .systemPeerId(peerOn(a, peer).id())
                  .peerGroupPriority(priority++)
                  .build());
    }
    sites.runUntilIdle();
    assertThat(a.stores().associations().findAll())
        .extracting(x -> x.syncStatus())
        .containsOnly(SyncStatus.IN_SYNC);
  }

  @AfterEach
  void close() {
    sites.close();
  }

  @Test
  @DisplayName("a migration is refused while a site that is not a system peer leads the group")
  void migrationRefusedWhileANonPeerLeads() {
    migrate(b);
    sites.advance(Duration.ofSeconds(30));
    assertThat(group(b).systemLeaderId()).isEqualTo(b.uuid());
    assertThat(group(a).systemLeaderId()).isEqualTo(b.uuid());

    assertThatThrownBy(() -> migrate(c))
        .isInstanceOf(ConflictException.class)
        .hasMessage(
            "Subcloud peer group pg1 is led by "
                + peerOn(a, b).peerName()
                + ", which is not a system peer of this site; it cannot be migrated here now.");

    sites.advance(Duration.ofMinutes(5));
    assertThat(group(c).migrationStatus()).isEqualTo(MigrationStatus.NONE);
    for (String name : MEMBERS) {
      assertThat(state(b, name)).isEqualTo("managed/complete");
      assertThat(state(a, name)).isEqualTo("unmanaged/secondary");
      assertThat(state(c, name)).isEqualTo("unmanaged/secondary");
    }
  }

  @Test
  @DisplayName("a secondary learns the leader from the primary when the primary follows another")
  void secondaryLearnsTheLeaderFromThePrimary() {
    migrate(c);
    sites.advance(Duration.ofSeconds(30));

    assertThat(group(a).systemLeaderId()).isEqualTo(c.uuid());
    assertThat(group(c).systemLeaderId()).isEqualTo(c.uuid());
    assertThat(group(b).systemLeaderId()).isEqualTo(c.uuid());
    assertThat(group(b).systemLeaderName()).isEqualTo(peerOn(a, c).peerName());
    for (String name : MEMBERS) {
      assertThat(state(c, name)).isEqualTo("managed/complete");
      assertThat(state(a, name)).isEqualTo("unmanaged/secondary");
      assertThat(state(b, name)).isEqualTo("unmanaged/secondary");
    }
    // B now knows it cannot ask the leader: its own copy refuses a migration, even cut off from A.
    sites.network().partitionBothWays(b.system(), a.system());
    assertThatThrownBy(() -> migrate(b))
        .isInstanceOf(ConflictException.class)
        .hasMessage(
            "Subcloud peer group pg1 is led by "
                + peerOn(a, c).peerName()
                + ", which is not a system peer of this site; it cannot be migrated here now.");
  }

  @Test
  @DisplayName(
      "a secondary that missed the primary's finished migration settles with the leading primary")
  void secondaryThatMissedThePrimarysMigrationSettles() {
    migrate(b);
    sites.advance(Duration.ofSeconds(30));
    assertThat(group(a).systemLeaderId()).isEqualTo(b.uuid());
    // A takes the group back; its rehomes take a minute, and B is cut off from A meanwhile, so
    // C's audit resets A's finished migration before B can see it.
    rehomers.get(a.uuid()).byDefault(RehomeScript.succeed().taking(Duration.ofSeconds(60)));
    migrate(a);
    sites.advance(Duration.ofSeconds(5));
    for (String name : MEMBERS) {
      assertThat(state(b, name)).isEqualTo("unmanaged/rehome-pending");
    }
    sites.network().partitionBothWays(a.system(), b.system());
    sites.advance(Duration.ofMinutes(3));
    assertThat(group(a).migrationStatus()).isEqualTo(MigrationStatus.NONE);
    assertThat(group(c).systemLeaderId()).isEqualTo(a.uuid());

    sites.network().heal(a.system(), b.system());
    sites.network().heal(b.system(), a.system());
    sites.advance(Duration.ofMinutes(2));

    assertThat(group(b).systemLeaderId()).isEqualTo(a.uuid());
    for (String name : MEMBERS) {
      assertThat(state(a, name)).isEqualTo("managed/complete");
      assertThat(state(b, name)).isEqualTo("unmanaged/secondary");
      assertThat(state(c, name)).isEqualTo("unmanaged/secondary");
    }
  }

  @Test
  @DisplayName(
      "after migrations on both secondaries, the one the primary audited first gives its members up")
  void secondaryYieldsToTheLeaderThePrimaryFollows() {
    // B migrates while cut off from A (upstream's disaster recovery: A still manages the members).
    sites.network().partitionBothWays(a.system(), b.system());
    sites.advance(Duration.ofMinutes(1));
    migrate(b);
    sites.advance(Duration.ofMinutes(1));
    assertThat(group(b).migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    // C migrates with A reachable: A hands its members over and follows C.
    migrate(c);
    sites.advance(Duration.ofMinutes(1));
    assertThat(group(a).systemLeaderId()).isEqualTo(c.uuid());
    for (String name : MEMBERS) {
      assertThat(state(b, name)).isEqualTo("managed/complete");
      assertThat(state(c, name)).isEqualTo("managed/complete");
    }

    // Healed, A audits B's finished migration after C's and follows B: C learns it from A.
    sites.network().heal(a.system(), b.system());
    sites.network().heal(b.system(), a.system());
    sites.advance(Duration.ofMinutes(2));

    assertSettledOn(b);
  }

  @Test
  @DisplayName(
      "a secondary's audit request delivered after the primary settled its migration and the"
          + " secondary followed another leader changes nothing")
  void aLateAuditRequestOfASettledMigrationChangesNothing() {
    List<SimNetwork.Delivery> asked = new CopyOnWriteArrayList<>();
    sites
        .network()
        .observe(
            d -> {
              if (d.kind().equals("auditPeerGroup") && d.from().equals(c.uuid())) {
                asked.add(d);
              }
            });
    // As above: B migrates cut off from A, C migrates with A reachable and asks A to audit.
    sites.network().partitionBothWays(a.system(), b.system());
    sites.advance(Duration.ofMinutes(1));
    migrate(b);
    sites.advance(Duration.ofMinutes(1));
    migrate(c);
    sites.advance(Duration.ofMinutes(1));
    assertThat(asked).hasSize(1);
    AuditRequest request = (AuditRequest) asked.get(0).args().get(1);
    assertThat(request.migrationStatus()).isEqualTo("complete");
    assertThat(request.systemLeaderId()).isEqualTo(c.uuid());
    sites.network().heal(a.system(), b.system());
    sites.network().heal(b.system(), a.system());
    sites.advance(Duration.ofMinutes(2));
    for (SimSite site : List.of(a, b, c)) {
      assertThat(group(site).systemLeaderId()).as("leader on %s", site.name()).isEqualTo(b.uuid());
    }

    // C's request reaches A once more, late (a retry, or a copy whose answer was lost): C's
    // migration was settled and C follows B since, so its claim is withdrawn.
    AuditAnswer answer =
        a.api().auditPeerGroup(asked.get(0).caller(), (String) asked.get(0).args().get(0), request);
    sites.advance(Duration.ofMinutes(2));

    assertThat(answer).isEqualTo(AuditAnswer.RAN);
    assertSettledOn(b);
  }

  @Test
  @DisplayName(
      "migrations to both secondaries at the same instant: the primary hands each member to one")
  void simultaneousMigrationsHandEachMemberToOneSite() {
    migrate(b);
    migrate(c);
    sites.advance(Duration.ofMinutes(5));

    for (String name : MEMBERS) {
      List<SimSite> managing =
          List.of(a, b, c).stream().filter(s -> state(s, name).startsWith("managed/")).toList();
      assertThat(managing).as("sites managing %s", name).hasSize(1);
      SimSite winner = managing.get(0);
      SimSite loser = winner == b ? c : b;
      assertThat(subcloud(loser, name).managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(subcloud(loser, name).errorDescription())
          .isEqualTo(
              "Unable to hand over subcloud "
                  + name
                  + " from peer site "
                  + peerOn(loser, a).peerName()
                  + ": Subcloud "
                  + name
                  + " is handed over to the migration on "
                  + peerOn(a, winner).peerName()
                  + "; it cannot be handed over to another site now.");
    }
  }

  @Test
  @DisplayName(
      "a peer's hand-over is refused with 409 while the member is handed over to another site's"
          + " migration; the same site may ask again; an operator's rehome-pending releases it")
  void aMemberHandedOverToOneSiteIsRefusedToAnother() {
    Caller fromB = Caller.peerSite(b.uuid());
    Caller fromC = Caller.peerSite(c.uuid());
    a.api()
        .updateSubcloud(
            fromB,
            "region-sc01",
            SubcloudUpdate.builder().migrate(true).managementState("unmanaged").build());
    Subcloud handed = subcloud(a, "sc01");
    assertThat(handed.deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
    assertThat(handed.handedOverTo()).isEqualTo(b.uuid());

    assertHandOverRefused(
        fromC,
        SubcloudUpdate.builder().migrate(true).build(),
        "Subcloud sc01 is handed over to the migration on "
            + peerOn(a, b).peerName()
            + "; it cannot be handed over to another site now.");
    assertThat(subcloud(a, "sc01")).isEqualTo(handed);

    a.api().updateSubcloud(fromB, "region-sc01", SubcloudUpdate.builder().migrate(true).build());
    assertThat(subcloud(a, "sc01")).isEqualTo(handed);

    a.api()
        .updateSubcloud(
            Caller.OPERATOR,
            "sc01",
            SubcloudUpdate.builder().deployStatus("rehome-pending").build());
    assertThat(subcloud(a, "sc01").handedOverTo()).isNull();
    assertThat(subcloud(a, "sc01").deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);

    a.api().updateSubcloud(fromC, "region-sc01", SubcloudUpdate.builder().migrate(true).build());
    assertThat(subcloud(a, "sc01").handedOverTo()).isEqualTo(c.uuid());

    // A site writing under a witness's leader epoch takes it over: the lease decides then.
    a.api()
        .updateSubcloud(
            fromB.withLeaderEpoch(7),
            "region-sc01",
            SubcloudUpdate.builder().migrate(true).build());
    assertThat(subcloud(a, "sc01").handedOverTo()).isEqualTo(b.uuid());
  }

  @Test
  @DisplayName(
      "a member another secondary manages is not handed over to a migration: 409, unless that"
          + " secondary cannot be reached")
  void aMemberManagedOnTheOtherSecondaryIsNotHandedOver() {
    // C manages sc01 while every copy names A the leader (a migration to A that C refused).
    setState(a, "sc01", ManagementState.UNMANAGED, DeployStatus.SECONDARY);
    setState(c, "sc01", ManagementState.MANAGED, DeployStatus.COMPLETE);
    Subcloud before = subcloud(a, "sc01");
    Caller fromB = Caller.peerSite(b.uuid());

    assertHandOverRefused(
        fromB,
        SubcloudUpdate.builder().migrate(true).build(),
        "Subcloud sc01 is managed on "
            + peerOn(a, c).peerName()
            + "; it cannot be handed over to another site now.");
    assertThat(subcloud(a, "sc01")).isEqualTo(before);

    // B's migration: sc01 stays where it is, sc02 (managed on A) moves to B.
    migrate(b);
    sites.advance(Duration.ofMinutes(2));
    assertThat(state(c, "sc01")).isEqualTo("managed/complete");
    assertThat(state(b, "sc01")).isEqualTo("unmanaged/secondary");
    assertThat(subcloud(b, "sc01").errorDescription())
        .isEqualTo(
            "Unable to hand over subcloud sc01 from peer site "
                + peerOn(b, a).peerName()
                + ": Subcloud sc01 is managed on "
                + peerOn(a, c).peerName()
                + "; it cannot be handed over to another site now.");
    assertThat(state(b, "sc02")).isEqualTo("managed/complete");

    // With C cut off from A, A cannot ask it and lets the member go (migrating away from a site
    // that is gone, as upstream).
    sites.network().partitionBothWays(a.system(), c.system());
    a.api().updateSubcloud(fromB, "region-sc01", SubcloudUpdate.builder().migrate(true).build());
    assertThat(state(a, "sc01")).isEqualTo("unmanaged/rehome-pending");
    assertThat(subcloud(a, "sc01").handedOverTo()).isEqualTo(b.uuid());
  }

  @Test
  @DisplayName(
      "a member the primary manages is not handed over while the other secondary manages it too")
  void aMemberManagedHereAndOnTheOtherSecondaryIsNotHandedOver() {
    // A partition left sc01 managed on A and on C.
    setState(c, "sc01", ManagementState.MANAGED, DeployStatus.COMPLETE);
    Subcloud before = subcloud(a, "sc01");

    assertHandOverRefused(
        Caller.peerSite(b.uuid()),
        SubcloudUpdate.builder().migrate(true).managementState("unmanaged").build(),
        "Subcloud sc01 is managed on "
            + peerOn(a, c).peerName()
            + "; it cannot be handed over to another site now.");
    assertThat(subcloud(a, "sc01")).isEqualTo(before);
  }

  @Test
  @DisplayName(
      "the leading primary ends a member managed on both secondaries: the worse priority yields")
  void theLeaderEndsADuplicateBetweenTheSecondaries() {
    setState(a, "sc01", ManagementState.UNMANAGED, DeployStatus.SECONDARY);
    setState(b, "sc01", ManagementState.MANAGED, DeployStatus.COMPLETE);
    setState(c, "sc01", ManagementState.MANAGED, DeployStatus.COMPLETE);

    sites.advance(Duration.ofMinutes(1));

    assertThat(group(a).systemLeaderId()).isEqualTo(a.uuid());
    assertThat(state(b, "sc01")).isEqualTo("managed/complete");
    assertThat(state(c, "sc01")).isEqualTo("unmanaged/secondary");
    assertThat(state(a, "sc01")).isEqualTo("unmanaged/secondary");
    assertThat(state(a, "sc02")).isEqualTo("managed/complete");
  }

  @Test
  @DisplayName("a secondary managing a member the leader manages too gives it up")
  void aSecondaryYieldsAMemberTheLeaderManages() {
    setState(c, "sc01", ManagementState.MANAGED, DeployStatus.COMPLETE);

    sites.advance(Duration.ofMinutes(1));

    assertThat(state(a, "sc01")).isEqualTo("managed/complete");
    assertThat(state(c, "sc01")).isEqualTo("unmanaged/secondary");
    assertThat(state(b, "sc01")).isEqualTo("unmanaged/secondary");
  }

  @Test
  @DisplayName(
      "the primary, leading nothing it manages, ends a member it manages that a secondary manages"
          + " too: the secondary yields")
  void thePrimaryKeepsAMemberWhenNeitherItNorTheSecondaryLeads() {
    // B leads (a migration cut off from both that took nothing), A and C manage sc01.
    for (SimSite site : List.of(a, b, c)) {
      SubcloudPeerGroup g = group(site);
      site.stores()
          .peerGroups()
          .update(g.toBuilder().systemLeaderId(b.uuid()).systemLeaderName(b.name()).build());
    }
    setState(c, "sc01", ManagementState.MANAGED, DeployStatus.COMPLETE);

    sites.advance(Duration.ofMinutes(1));

    assertThat(state(a, "sc01")).isEqualTo("managed/complete");
    assertThat(state(c, "sc01")).isEqualTo("unmanaged/secondary");
    assertThat(state(b, "sc01")).isEqualTo("unmanaged/secondary");
    assertThat(group(a).systemLeaderId()).isEqualTo(b.uuid());
  }

  /**
   * Every site names {@code leader} the group's leader with its migration status none; the leader
   * manages every member, the two others hold them unmanaged and secondary.
   */
  private void assertSettledOn(SimSite leader) {
    for (SimSite site : List.of(a, b, c)) {
      assertThat(group(site).systemLeaderId())
          .as("leader on %s", site.name())
          .isEqualTo(leader.uuid());
      assertThat(group(site).migrationStatus()).isEqualTo(MigrationStatus.NONE);
      for (String name : MEMBERS) {
        assertThat(state(site, name))
            .as("%s on %s", name, site.name())
            .isEqualTo(site == leader ? "managed/complete" : "unmanaged/secondary");
      }
    }
  }

  /** Site A refuses a peer's hand-over of sc01 with 409 and the given message. */
  private void assertHandOverRefused(Caller caller, SubcloudUpdate request, String message) {
    assertThatThrownBy(() -> a.api().updateSubcloud(caller, "region-sc01", request))
        .isInstanceOf(ConflictException.class)
        .hasMessage(message);
  }

  private Subcloud subcloud(SimSite site, String name) {
    return site.stores().subclouds().findByName(name).orElseThrow();
  }

  private void setState(
      SimSite site, String name, ManagementState management, DeployStatus status) {
    Subcloud s = subcloud(site, name);
    site.stores()
        .subclouds()
        .update(
            s.toBuilder()
                .managementState(management)
                .deployStatus(status)
                .availabilityStatus(
                    management == ManagementState.MANAGED
                        ? AvailabilityStatus.ONLINE
                        : AvailabilityStatus.OFFLINE)
                .build());
  }

  private void migrate(SimSite site) {
    site.api().migratePeerGroup(Caller.OPERATOR, "pg1", new MigrateRequest(PASSWORD));
  }

  private SubcloudPeerGroup group(SimSite site) {
    return site.stores().peerGroups().findByName("pg1").orElseThrow();
  }

  private String state(SimSite site, String name) {
    Subcloud s = site.stores().subclouds().findByName(name).orElseThrow();
    return s.managementState().wire() + "/" + s.deployStatus().wire();
  }

  private static SystemPeer peerOn(SimSite on, SimSite peer) {
    return on.stores().systemPeers().findByUuid(peer.uuid()).orElseThrow();
  }

  private void member(SubcloudPeerGroup group, String name) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", name);
    payload.put("bootstrap-address", "10.20.0." + name.substring(2));
    payload.put("systemcontroller_gateway_address", a.gatewayAddress());
    payload.put("admin_password", "TGk2OW51eCo=");
    payload.put("management_subnet", "192.168.101.0/24");
    a.stores()
        .subclouds()
        .insert(
            Subcloud.builder()
                .name(name)
                .regionName("region-" + name)
                .description("edge " + name)
                .location("rack " + name)
                .softwareVersion("24.09")
                .managementState(ManagementState.MANAGED)
                .availabilityStatus(AvailabilityStatus.ONLINE)
                .deployStatus(DeployStatus.COMPLETE)
                .peerGroupId(group.id())
                .rehomeData(RehomeData.ofSavedPayload(payload))
                .createdAt(sites.now())
                .build());
  }
}
