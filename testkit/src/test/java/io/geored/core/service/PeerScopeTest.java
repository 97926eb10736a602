package io.geored.core.service;

import static io.geored.core.service.SubcloudFixtures.SITE_B_UUID;
import static io.geored.core.service.SubcloudFixtures.assertRefused;
import static io.geored.core.service.SubcloudFixtures.associate;
import static io.geored.core.service.SubcloudFixtures.group;
import static io.geored.core.service.SubcloudFixtures.insert;
import static io.geored.core.service.SubcloudFixtures.peer;
import static io.geored.core.service.SubcloudFixtures.primaryGroupLedHere;
import static io.geored.core.service.SubcloudFixtures.rehomeData;
import static io.geored.core.service.SubcloudFixtures.reload;
import static io.geored.core.service.SubcloudFixtures.saved;
import static io.geored.core.service.SubcloudFixtures.subcloud;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ForbiddenException;
import io.geored.spi.NotFoundException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AssociationUpdate;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("An identified peer site does peer work only, on what its associations cover")
class PeerScopeTest {

  static final String SITE_C_UUID = "cccccccc-0000-4000-8000-000000000003";

  /** Site B, identified: what the HTTP server makes of B's peer token. */
  static final Caller B = Caller.peerSite(SITE_B_UUID);

  SingleSite site;
  SystemPeer peerB;
  SystemPeer peerC;
  SubcloudPeerGroup primaryHere;
  SubcloudPeerGroup copyOfB;
  SubcloudPeerGroup copyOfC;
  PeerGroupAssociation primaryWithB;
  PeerGroupAssociation nonPrimaryWithB;
  PeerGroupAssociation nonPrimaryWithC;
  Subcloud local;
  Subcloud member;
  Subcloud copyB;
  Subcloud copyC;

  @BeforeEach
  void arrange() {
    site = SingleSite.create();
    peerB = peer(site, "site-b", PeerAvailability.AVAILABLE);
    peerC = peerC(site);
    primaryHere = primaryGroupLedHere(site, "pg-here");
    copyOfB = group(site, "pg-b", 2, SITE_B_UUID);
    copyOfC = group(site, "pg-c", 2, SITE_C_UUID);
    primaryWithB = associate(site, primaryHere, peerB, AssociationType.PRIMARY);
    nonPrimaryWithB = associate(site, copyOfB, peerB, AssociationType.NON_PRIMARY);
    nonPrimaryWithC = associate(site, copyOfC, peerC, AssociationType.NON_PRIMARY);
    local = insert(site, subcloud(site, "sc-local").rehomeData(rehomeData("10.10.10.2")));
    member =
        insert(
            site,
            subcloud(site, "sc-here")
                .managementState(ManagementState.MANAGED)
                .availabilityStatus(AvailabilityStatus.ONLINE)
                .peerGroupId(primaryHere.id())
                .rehomeData(rehomeData("10.10.10.3")));
    copyB = secondary("sc-b", copyOfB.id());
    copyC = secondary("sc-c", copyOfC.id());
  }

  private Subcloud secondary(String name, Long groupId) {
    return insert(
        site,
        subcloud(site, name)
            .deployStatus(DeployStatus.SECONDARY)
            .peerGroupId(groupId)
            .rehomeData(rehomeData("10.10.10.4")));
  }

  private static SystemPeer peerC(SingleSite site) {
    return saved(
        site.stores()
            .systemPeers()
            .insert(
                SystemPeer.builder()
                    .peerUuid(SITE_C_UUID)
                    .peerName("site-c")
                    .managerEndpoint("https://site-c:5001/v3")
                    .managerUsername("admin")
                    .peerControllerGatewayIp("192.168.204.3")
                    .administrativeState(AdministrativeState.ENABLED)
                    .heartbeatInterval(60)
                    .heartbeatFailureThreshold(3)
                    .heartbeatFailurePolicy(HeartbeatFailurePolicy.ALARM)
                    .heartbeatMaintenanceTimeout(600)
                    .availabilityState(PeerAvailability.AVAILABLE)
                    .createdAt(site.scheduler().now())
                    .build()));
  }

  private void forbidden(ThrowingCallable request) {
    assertRefused(site, request, ForbiddenException.class, Messages.PEER_REQUEST_FORBIDDEN);
  }

  private static SubcloudUpdate describe(String text) {
    return SubcloudUpdate.builder().description(text).build();
  }

  private static AuditRequest audit(String peerUuid) {
    return AuditRequest.builder()
        .peerUuid(peerUuid)
        .peerGroupName("pg-here")
        .groupPriority(2)
        .groupState("enabled")
        .systemLeaderId(SITE_B_UUID)
        .systemLeaderName("site-b")
        .migrationStatus("none")
        .maxSubcloudRehoming(10)
        .build();
  }

  @Nested
  @DisplayName("today's abuses are refused, nothing changed")
  class Abuses {

    @Test
    @DisplayName("changing the priority of a primary group led here, or deleting it")
    void primaryGroup() {
      forbidden(
          () ->
              site.site()
                  .updatePeerGroup(
                      B, "pg-here", PeerGroupUpdate.builder().groupPriority(5).build()));
      forbidden(
          () ->
              site.site()
                  .updatePeerGroup(
                      B,
                      "pg-here",
                      PeerGroupUpdate.builder().migrationStatus("migrating").build()));
      forbidden(() -> site.site().deletePeerGroup(B, "pg-here"));
      forbidden(() -> site.site().deletePeerGroup(B, String.valueOf(primaryHere.id())));
    }

    @Test
    @DisplayName("creating a priority-0 group, given or by default")
    void priorityZeroGroup() {
      forbidden(
          () ->
              site.site()
                  .createPeerGroup(
                      B, PeerGroupCreate.builder().peerGroupName("evil").groupPriority(0).build()));
      forbidden(
          () ->
              site.site()
                  .createPeerGroup(B, PeerGroupCreate.builder().peerGroupName("evil").build()));
    }

    @Test
    @DisplayName("updating or deleting a local subcloud outside every peer group")
    void localSubcloud() {
      forbidden(() -> site.site().updateSubcloud(B, "sc-local", describe("mine now")));
      forbidden(() -> site.site().updateSubcloud(B, "region-sc-local", describe("mine now")));
      forbidden(
          () ->
              site.site()
                  .updateSubcloud(
                      B, "sc-local", SubcloudUpdate.builder().peerGroup("pg-b").build()));
      forbidden(
          () ->
              site.site()
                  .updateSubcloud(
                      B,
                      "sc-local",
                      SubcloudUpdate.builder()
                          .migrate(true)
                          .managementState(ManagementState.UNMANAGED.wire())
                          .build()));
      forbidden(() -> site.site().deleteSubcloud(B, "sc-local"));
    }

    @Test
    @DisplayName("sync fields on a member of a primary group, or moving a copy into one")
    void primaryMembers() {
      forbidden(() -> site.site().updateSubcloud(B, "region-sc-here", describe("x")));
      forbidden(() -> site.site().deleteSubcloud(B, "region-sc-here"));
      forbidden(
          () ->
              site.site()
                  .updateSubcloud(
                      B, "sc-b", SubcloudUpdate.builder().peerGroup("pg-here").build()));
      forbidden(
          () ->
              site.site()
                  .updateSubcloud(B, "sc-b", SubcloudUpdate.builder().peerGroup("none").build()));
      forbidden(
          () ->
              site.site()
                  .updateSubcloud(
                      B, "sc-b", SubcloudUpdate.builder().managementState("managed").build()));
      forbidden(
          () ->
              site.site()
                  .updateSubcloud(
                      B, "sc-b", SubcloudUpdate.builder().deployStatus("rehome-pending").build()));
    }

    @Test
    @DisplayName(
        "making a copy secondary, asked by a site that neither leads its group here nor syncs it")
    void yieldByNeitherLeaderNorPrimary() {
      SubcloudUpdate yield =
          SubcloudUpdate.builder().managementState("unmanaged").deployStatus("secondary").build();
      forbidden(() -> site.site().updateSubcloud(B, "region-sc-here", yield));
      forbidden(() -> site.site().updateSubcloud(Caller.peerSite(SITE_C_UUID), "sc-b", yield));
    }

    @Test
    @DisplayName("another peer's group, association and copies")
    void anotherPeersObjects() {
      forbidden(
          () ->
              site.site()
                  .updatePeerGroup(B, "pg-c", PeerGroupUpdate.builder().groupPriority(9).build()));
      forbidden(
          () ->
              site.site()
                  .updatePeerGroup(
                      B, "pg-c", PeerGroupUpdate.builder().migrationStatus("none").build()));
      // Another peer's copy: held by its association, so the delete itself refuses it.
      assertRefused(
          site,
          () -> site.site().deletePeerGroup(B, "pg-c"),
          io.geored.spi.ValidationException.class,
          Messages.PEER_GROUP_ASSOCIATED);
      forbidden(() -> site.site().updateSubcloud(B, "region-sc-c", describe("x")));
      forbidden(() -> site.site().deleteSubcloud(B, "region-sc-c"));
      forbidden(
          () ->
              site.site()
                  .updateAssociation(
                      B,
                      nonPrimaryWithC.id(),
                      AssociationUpdate.builder().syncStatus("failed").build()));
      forbidden(() -> site.site().deleteAssociation(B, nonPrimaryWithC.id()));
      forbidden(() -> site.site().getAssociation(B, nonPrimaryWithC.id()));
    }

    @Test
    @DisplayName("an association to another system peer, or a primary one")
    void associations() {
      SubcloudPeerGroup fresh = group(site, "pg-new", 3, SITE_B_UUID);
      forbidden(
          () ->
              site.site()
                  .createAssociation(
                      B,
                      AssociationCreate.builder()
                          .peerGroupId(fresh.id())
                          .systemPeerId(peerC.id())
                          .build()));
      SubcloudPeerGroup own = primaryGroupLedHere(site, "pg-own");
      forbidden(
          () ->
              site.site()
                  .createAssociation(
                      B,
                      AssociationCreate.builder()
                          .peerGroupId(own.id())
                          .systemPeerId(peerB.id())
                          .peerGroupPriority(1)
                          .build()));
      forbidden(
          () ->
              site.site()
                  .createAssociation(
                      B,
                      AssociationCreate.builder()
                          .peerGroupId(own.id())
                          .systemPeerId(peerB.id())
                          .build()));
      forbidden(() -> site.site().deleteAssociation(B, primaryWithB.id()));
      forbidden(
          () ->
              site.site()
                  .updateAssociation(
                      B,
                      primaryWithB.id(),
                      AssociationUpdate.builder().peerGroupPriority(7).build()));
      forbidden(
          () ->
              site.site()
                  .updateAssociation(
                      B,
                      nonPrimaryWithB.id(),
                      AssociationUpdate.builder().peerGroupPriority(7).build()));
    }

    @Test
    @DisplayName("operator calls: system peers, migration, sync, status; an audit for another peer")
    void operatorCalls() {
      forbidden(() -> site.site().listSystemPeers(B));
      forbidden(() -> site.site().getSystemPeer(B, SITE_C_UUID));
      forbidden(() -> site.site().getSystemPeer(B, "site-c"));
      forbidden(
          () ->
              site.site()
                  .updateSystemPeer(
                      B, SITE_B_UUID, SystemPeerUpdate.builder().heartbeatInterval(20).build()));
      forbidden(() -> site.site().deleteSystemPeer(B, SITE_C_UUID));
      forbidden(() -> site.site().peerGroupsOfSystemPeer(B, SITE_B_UUID));
      forbidden(() -> site.site().peerGroupStatus(B, "pg-b"));
      forbidden(() -> site.site().migratePeerGroup(B, "pg-b", new MigrateRequest("pw")));
      forbidden(() -> site.site().syncAssociation(B, primaryWithB.id()));
      forbidden(() -> site.site().auditPeerGroup(B, "pg-here", audit(SITE_C_UUID)));
      forbidden(
          () ->
              site.site()
                  .createSubcloud(
                      B,
                      SubcloudCreate.builder()
                          .name("sc-new")
                          .regionName("region-sc-new")
                          .secondary(false)
                          .build()));
    }

    @Test
    @DisplayName("a peer site this site does not know as a system peer may change nothing")
    void unknownPeer() {
      Caller stranger = Caller.peerSite("dddddddd-0000-4000-8000-000000000004");
      forbidden(
          () ->
              site.site()
                  .createPeerGroup(
                      stranger,
                      PeerGroupCreate.builder().peerGroupName("pg-x").groupPriority(2).build()));
      forbidden(() -> site.site().deleteSubcloud(stranger, "region-sc-b"));
      assertThat(site.site().identity(stranger)).isEqualTo(SingleSite.SITE_A);
    }
  }

  @Nested
  @DisplayName("peer work goes through")
  class PeerWork {

    @Test
    @DisplayName("the first sync: a non-primary group, its association with B, a secondary copy")
    void firstSync() {
      SubcloudPeerGroup created =
          site.site()
              .createPeerGroup(
                  B,
                  PeerGroupCreate.builder()
                      .peerGroupName("pg1")
                      .groupPriority(2)
                      .groupState("enabled")
                      .systemLeaderId(SITE_B_UUID)
                      .systemLeaderName("site-b")
                      .maxSubcloudRehoming(10)
                      .build());
      PeerGroupAssociation association =
          site.site()
              .createAssociation(
                  B,
                  AssociationCreate.builder()
                      .peerGroupId(created.id())
                      .systemPeerId(peerB.id())
                      .build());
      assertThat(association.associationType()).isEqualTo(AssociationType.NON_PRIMARY);

      Map<String, Object> payload =
          Map.of(
              "name", "sc9",
              "bootstrap-address", "10.10.10.9",
              "systemcontroller_gateway_address", "192.168.204.101");
      Subcloud copy =
          site.site()
              .createSubcloud(
                  B,
                  SubcloudCreate.builder()
                      .name("sc9")
                      .regionName("region-sc9")
                      .bootstrapValues(payload)
                      .bootstrapAddress("10.10.10.9")
                      .secondary(true)
                      .build());
      assertThat(copy.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      Subcloud joined =
          site.site()
              .updateSubcloud(
                  B,
                  "region-sc9",
                  SubcloudUpdate.builder()
                      .peerGroup(String.valueOf(created.id()))
                      .bootstrapValues(payload)
                      .bootstrapAddress("10.10.10.9")
                      .description("synced")
                      .build())
              .value();
      assertThat(joined.peerGroupId()).isEqualTo(created.id());
      assertThat(joined.description()).isEqualTo("synced");

      PeerGroupAssociation inSync =
          site.site()
              .updateAssociation(
                  B, association.id(), AssociationUpdate.builder().syncStatus("in-sync").build());
      assertThat(inSync.syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      SubcloudPeerGroup pushed =
          site.site()
              .updatePeerGroup(
                  B,
                  "pg1",
                  PeerGroupUpdate.builder().groupPriority(4).maxSubcloudRehoming(20).build());
      assertThat(pushed.groupPriority()).isEqualTo(4);
      assertThat(pushed.maxSubcloudRehoming()).isEqualTo(20);
    }

    @Test
    @DisplayName("the unmanage-for-migration of a member of a primary group associated with B")
    void handover() {
      Subcloud pending =
          site.site()
              .updateSubcloud(
                  B,
                  "region-sc-here",
                  SubcloudUpdate.builder()
                      .migrate(true)
                      .managementState(ManagementState.UNMANAGED.wire())
                      .build())
              .value();
      assertThat(pending.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(pending.deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
    }

    @Test
    @DisplayName("the primary that syncs a copy here makes a member of it secondary (ADR 0030)")
    void yieldAskedByThePrimary() {
      site.stores()
          .subclouds()
          .update(
              copyB.toBuilder()
                  .managementState(ManagementState.MANAGED)
                  .availabilityStatus(AvailabilityStatus.ONLINE)
                  .deployStatus(DeployStatus.COMPLETE)
                  .build());

      Subcloud yielded =
          site.site()
              .updateSubcloud(
                  B,
                  "region-sc-b",
                  SubcloudUpdate.builder()
                      .managementState("unmanaged")
                      .deployStatus("secondary")
                      .build())
              .value();

      assertThat(yielded.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(yielded.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(yielded.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
    }

    @Test
    @DisplayName("the migration-status reset of a primary group associated with B")
    void migrationReset() {
      site.site()
          .updatePeerGroup(
              Caller.OPERATOR,
              "pg-here",
              PeerGroupUpdate.builder().migrationStatus("complete").build());
      SubcloudPeerGroup reset =
          site.site()
              .updatePeerGroup(
                  B, "pg-here", PeerGroupUpdate.builder().migrationStatus("none").build());
      assertThat(reset.migrationStatus()).isEqualTo(MigrationStatus.NONE);
    }

    @Test
    @DisplayName("removal: B's copy, B's non-primary association, then B's group")
    void removal() {
      site.site().deleteSubcloud(B, "region-sc-b");
      assertThat(site.stores().subclouds().findById(copyB.id())).isEmpty();
      site.site().deleteAssociation(B, nonPrimaryWithB.id());
      site.site().deletePeerGroup(B, "pg-b");
      assertThat(site.stores().peerGroups().findById(copyOfB.id())).isEmpty();
      assertThat(reload(site, copyC)).isEqualTo(copyC);
    }

    @Test
    @DisplayName("the audit request from B, and the reads")
    void auditAndReads() {
      // The engine is not started, so nothing monitors B: the audit is let through and skipped.
      assertThat(site.site().auditPeerGroup(B, "pg-here", audit(SITE_B_UUID)).message())
          .isEqualTo(Messages.auditPeerNotMonitored(SITE_B_UUID, "pg-here"));
      assertThat(site.site().identity(B)).isEqualTo(SingleSite.SITE_A);
      assertThat(site.site().getSystemPeer(B, SITE_B_UUID).id()).isEqualTo(peerB.id());
      assertThatThrownBy(() -> site.site().getSystemPeer(B, "eeeeeeee-0000-4000-8000-000000000005"))
          .isExactlyInstanceOf(NotFoundException.class)
          .hasMessage(Messages.SYSTEM_PEER_NOT_FOUND);
      assertThat(site.site().listPeerGroups(B)).hasSize(3);
      assertThat(site.site().listSubclouds(B)).hasSize(4);
      assertThat(site.site().listAssociations(B)).hasSize(3);
      assertThat(site.site().subcloudsOfPeerGroup(B, "pg-b")).containsExactly(copyB);
      assertThat(site.site().getSubcloud(B, "region-sc-here").id()).isEqualTo(member.id());
      assertThat(site.site().getAssociation(B, nonPrimaryWithB.id()).id())
          .isEqualTo(nonPrimaryWithB.id());
    }
  }

  @Nested
  @DisplayName("callers that are not confined")
  class NotConfined {

    @Test
    @DisplayName("an unidentified peer site keeps the peer rules without the object checks")
    void unidentifiedPeerSite() {
      site.site().deleteSubcloud(Caller.PEER_SITE, "region-sc-c");
      assertThat(site.stores().subclouds().findById(copyC.id())).isEmpty();
      assertThat(site.site().listSystemPeers(Caller.PEER_SITE)).hasSize(2);
    }

    @Test
    @DisplayName("an operator is held by the operator rules only")
    void operator() {
      assertThat(site.site().updateSubcloud(Caller.OPERATOR, "sc-local", describe("ops")).value())
          .extracting(Subcloud::description)
          .isEqualTo("ops");
      assertThat(local.description()).isNull();
    }
  }

  @Test
  @DisplayName("a caller is equal by kind and system peer; its text never hides which peer")
  void callerValues() {
    assertThat(Caller.peerSite(SITE_B_UUID.toUpperCase())).isEqualTo(B).hasSameHashCodeAs(B);
    assertThat(B).isNotEqualTo(Caller.PEER_SITE).isNotEqualTo(Caller.peerSite(SITE_C_UUID));
    assertThat(B.isPeerSite()).isTrue();
    assertThat(B.isConfined()).isTrue();
    assertThat(Caller.PEER_SITE.isConfined()).isFalse();
    assertThat(Caller.OPERATOR.isPeerSite()).isFalse();
    assertThat(B.systemPeerUuid()).contains(SITE_B_UUID);
    assertThat(B).hasToString("PEER_SITE[system_peer_uuid=" + SITE_B_UUID + "]");
    assertThat(Caller.PEER_SITE).hasToString("PEER_SITE");
    assertThat(Caller.OPERATOR).hasToString("OPERATOR");
    assertThatThrownBy(() -> Caller.peerSite(" "))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }
}
