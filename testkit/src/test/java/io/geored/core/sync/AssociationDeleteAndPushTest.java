package io.geored.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ForbiddenException;
import io.geored.spi.GeoredException;
import io.geored.spi.UnprocessableException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.testkit.sim.SimSite;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Keeping the peer in step beyond the sync")
class AssociationDeleteAndPushTest {

  private SyncScenario s;
  private PeerGroupAssociation association;

  @BeforeEach
  void setUp() {
    s = new SyncScenario();
    s.members(3);
    association = s.associate(2);
    s.sites.runUntilIdle();
    assertThat(s.onA(association.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  private void markAvailable(SimSite on, SystemPeer peer) {
    setAvailability(on, peer, PeerAvailability.AVAILABLE);
  }

  private void setAvailability(SimSite on, SystemPeer peer, PeerAvailability availability) {
    on.stores()
        .systemPeers()
        .update(
            on.stores().systemPeers().findById(peer.id()).orElseThrow().toBuilder()
                .availabilityState(availability)
                .build());
  }

  @Nested
  @DisplayName("deleting a primary association")
  class Delete {

    @Test
    @DisplayName("removes the copies, the peer's association and group, then the local association")
    void removesEverything() {
      s.a.api().deleteAssociation(Caller.OPERATOR, association.id());

      assertThat(s.a.stores().associations().findAll()).isEmpty();
      assertThat(s.b.stores().associations().findAll()).isEmpty();
      assertThat(s.b.stores().peerGroups().findAll()).isEmpty();
      assertThat(s.b.stores().subclouds().findAll()).isEmpty();
      // A keeps its group and its subclouds.
      assertThat(s.a.stores().subclouds().findByPeerGroup(s.group.id())).hasSize(3);
    }

    @Test
    @DisplayName("deletes locally only when the peer no longer has the group")
    void peerLostGroup() {
      long groupOnB = s.b.stores().peerGroups().findByName("pg1").orElseThrow().id();
      s.b
          .stores()
          .associations()
          .findByPeerGroup(groupOnB)
          .forEach(x -> s.b.stores().associations().delete(x.id()));
      s.b
          .stores()
          .subclouds()
          .findByPeerGroup(groupOnB)
          .forEach(x -> s.b.stores().subclouds().delete(x.id()));
      s.b.stores().peerGroups().delete(groupOnB);
      s.sites.network().resetCalls();

      s.a.api().deleteAssociation(Caller.OPERATOR, association.id());

      assertThat(s.a.stores().associations().findAll()).isEmpty();
      assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "deleteSubcloud")).isZero();
    }

    @Test
    @DisplayName("deletes locally only when the peer is another system now")
    void peerIsAnotherSystem() {
      // The stored record, as the monitor's first heartbeat has already updated it.
      SystemPeer stored = s.a.stores().systemPeers().findById(s.bOnA.id()).orElseThrow();
      assertThat(
              s.a
                  .stores()
                  .systemPeers()
                  .update(
                      stored.toBuilder().peerUuid("cccccccc-0000-4000-8000-000000000009").build()))
          .isInstanceOf(StoreResult.Saved.class);
      List<Subcloud> copies = s.b.stores().subclouds().findAll();

      s.a.api().deleteAssociation(Caller.OPERATOR, association.id());

      assertThat(s.a.stores().associations().findAll()).isEmpty();
      assertThat(s.b.stores().subclouds().findAll()).isEqualTo(copies);
    }

    @Test
    @DisplayName("refuses when the peer's group has priority 0, changing nothing on either site")
    void priorityZeroOnPeer() {
      SubcloudPeerGroup groupOnB = s.b.stores().peerGroups().findByName("pg1").orElseThrow();
      s.b.stores().peerGroups().update(groupOnB.toBuilder().groupPriority(0).build());
      PeerGroupAssociation before = s.onA(association.id());
      List<Subcloud> copies = s.b.stores().subclouds().findAll();

      assertThatThrownBy(() -> s.a.api().deleteAssociation(Caller.OPERATOR, association.id()))
          .isExactlyInstanceOf(ValidationException.class)
          .hasMessage(Messages.PEER_GROUP_WRONG_PRIORITY);
      assertThat(s.onA(association.id())).isEqualTo(before);
      assertThat(s.b.stores().subclouds().findAll()).isEqualTo(copies);
    }

    @Test
    @DisplayName(
        "a copy the peer manages is left alone and counts as done: the delete goes through on both"
            + " sites and the copy stays on the peer, out of the deleted group")
    void copyManagedOnPeerIsSkipped() {
      Subcloud copy = s.b.stores().subclouds().findByRegionName("region-sc0002").orElseThrow();
      s.b
          .stores()
          .subclouds()
          .update(
              copy.toBuilder()
                  .deployStatus(DeployStatus.COMPLETE)
                  .managementState(ManagementState.MANAGED)
                  .build());
      s.sites.network().resetCalls();

      s.a.api().deleteAssociation(Caller.OPERATOR, association.id());

      assertThat(s.a.stores().associations().findAll()).isEmpty();
      assertThat(s.b.stores().associations().findAll()).isEmpty();
      assertThat(s.b.stores().peerGroups().findAll()).isEmpty();
      Subcloud kept = s.b.stores().subclouds().findByRegionName("region-sc0002").orElseThrow();
      assertThat(s.b.stores().subclouds().findAll()).containsExactly(kept);
      assertThat(kept.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
      assertThat(kept.managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(kept.peerGroupId()).isNull();
      // Only the two deletable copies were asked for.
      assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "deleteSubcloud"))
          .isEqualTo(2);
    }

    @Test
    @DisplayName("a secondary-failed copy is deletable like a secondary one")
    void secondaryFailedCopyIsDeleted() {
      Subcloud copy = s.b.stores().subclouds().findByRegionName("region-sc0001").orElseThrow();
      s.b
          .stores()
          .subclouds()
          .update(copy.toBuilder().deployStatus(DeployStatus.SECONDARY_FAILED).build());

      s.a.api().deleteAssociation(Caller.OPERATOR, association.id());

      assertThat(s.a.stores().associations().findAll()).isEmpty();
      assertThat(s.b.stores().subclouds().findAll()).isEmpty();
      assertThat(s.b.stores().peerGroups().findAll()).isEmpty();
    }

    @Test
    @DisplayName(
        "a deletable copy the peer fails to delete leaves the association failed, naming it, and"
            + " the peer's group in place")
    void copyDeleteFailsOnPeer() {
      s.sites.network().to(s.b.system()).failCall("deleteSubcloud", 2);
      String message = Messages.deletionFailedOnPeer(List.of("sc0002"), "pg1");

      assertThatThrownBy(() -> s.a.api().deleteAssociation(Caller.OPERATOR, association.id()))
          .isExactlyInstanceOf(ValidationException.class)
          .hasMessage(message);
      PeerGroupAssociation after = s.onA(association.id());
      assertThat(after.syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(after.syncMessage()).isEqualTo(message);
      assertThat(s.b.stores().subclouds().findAll())
          .extracting(Subcloud::name)
          .containsExactly("sc0002");
      assertThat(s.b.stores().peerGroups().findByName("pg1")).isPresent();
      assertThat(s.onB()).isPresent();
    }

    @Test
    @DisplayName(
        "the peer refusing to delete its group (another association holds it) leaves it failed")
    void peerGroupHeldByAnotherAssociation() {
      // B associates its copy of pg1 with a third system peer as well.
      SystemPeer thirdOnB =
          s.b
              .api()
              .createSystemPeer(
                  Caller.OPERATOR,
                  io.geored.testkit.sim.SimHarness.systemPeerOf(s.a)
                      .peerUuid("dddddddd-0000-4000-8000-000000000004")
                      .peerName("site-d")
                      .managerEndpoint("http://site-d.sim/v1.0")
                      .build());
      long groupOnB = s.b.stores().peerGroups().findByName("pg1").orElseThrow().id();
      s.b
          .api()
          .createAssociation(
              Caller.PEER_SITE,
              AssociationCreate.builder()
                  .peerGroupId(groupOnB)
                  .systemPeerId(thirdOnB.id())
                  .build());
      String message = Messages.peerGroupDeleteRefusedOnPeer("pg1");

      assertThatThrownBy(() -> s.a.api().deleteAssociation(Caller.OPERATOR, association.id()))
          .isExactlyInstanceOf(ValidationException.class)
          .hasMessage(message);
      assertThat(s.onA(association.id()).syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(s.onA(association.id()).syncMessage()).isEqualTo(message);
      assertThat(s.b.stores().peerGroups().findByName("pg1")).isPresent();
    }
  }

  @Nested
  @DisplayName("deleting a primary association whose peer cannot be reached")
  class DeadPeer {

    @Test
    @DisplayName(
        "is refused (422, the peer named) and changes nothing while the system peer is enabled")
    void refusedWhileEnabled() {
      s.sites.network().down(s.b.system());
      PeerGroupAssociation before = s.onA(association.id());
      PeerGroupAssociation onB = s.onB().orElseThrow();

      assertThatThrownBy(() -> s.a.api().deleteAssociation(Caller.OPERATOR, association.id()))
          .isExactlyInstanceOf(UnprocessableException.class)
          .hasMessage("Peer site (" + s.bOnA.peerName() + ") is unreachable.")
          .satisfies(e -> assertThat(((GeoredException) e).kind().httpStatus()).isEqualTo(422));
      assertThat(s.onA(association.id())).isEqualTo(before);
      assertThat(s.onB()).contains(onB);
      assertThat(s.b.stores().subclouds().findAll()).hasSize(3);
    }

    @Test
    @DisplayName(
        "a peer lost half-way leaves the association failed, naming the peer, and is answered 422")
    void lostHalfWay() {
      s.sites.network().to(s.b.system()).failCalls("deletePeerGroup");

      assertThatThrownBy(() -> s.a.api().deleteAssociation(Caller.OPERATOR, association.id()))
          .isExactlyInstanceOf(UnprocessableException.class)
          .hasMessage("Peer site (" + s.bOnA.peerName() + ") is unreachable.");
      PeerGroupAssociation after = s.onA(association.id());
      assertThat(after.syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(after.syncMessage())
          .isEqualTo("Peer site (" + s.bOnA.peerName() + ") is unreachable.");
    }

    @Test
    @DisplayName(
        "is local only once the operator set the system peer disabled: the peer's copies stay, one"
            + " WARN line says so, and then the group and the system peer can go")
    void localOnlyWhenDisabled() {
      s.a
          .api()
          .updateSystemPeer(
              Caller.OPERATOR,
              s.b.uuid(),
              SystemPeerUpdate.builder().administrativeState("disabled").build());
      s.sites.network().down(s.b.system());
      s.sites.network().resetCalls();
      PeerGroupAssociation onB = s.onB().orElseThrow();

      String log =
          capturedStderr(() -> s.a.api().deleteAssociation(Caller.OPERATOR, association.id()));

      assertThat(s.a.stores().associations().findAll()).isEmpty();
      assertThat(s.sites.network().calls(s.a.system(), s.b.system())).isZero();
      assertThat(s.onB()).contains(onB);
      assertThat(s.b.stores().subclouds().findAll()).hasSize(3);
      assertThat(log.lines().filter(l -> l.contains("left in place")).toList())
          .singleElement()
          .asString()
          .endsWith(
              " WARN io.geored.core.sync.AssociationRemoval - peer disabled, association deleted"
                  + " here only, the peer's copies are left in place association_id="
                  + association.id()
                  + " peer="
                  + s.bOnA.peerName()
                  + " peer_group=pg1");
      // Nothing holds the group or the system peer any more.
      s.a.api().deletePeerGroup(Caller.OPERATOR, "pg1");
      s.a.api().deleteSystemPeer(Caller.OPERATOR, s.b.uuid());
      assertThat(s.a.stores().systemPeers().findById(s.bOnA.id())).isEmpty();
    }

    @Test
    @DisplayName("the WARN line escapes control characters in the peer's and the group's names")
    void warnLineEscaped() {
      SystemPeer peer = s.a.stores().systemPeers().findById(s.bOnA.id()).orElseThrow();
      s.a
          .stores()
          .systemPeers()
          .update(
              peer.toBuilder()
                  .peerName("site-b\nWARN forged")
                  .administrativeState(AdministrativeState.DISABLED)
                  .build());
      SubcloudPeerGroup group = s.a.stores().peerGroups().findById(s.group.id()).orElseThrow();
      s.a.stores().peerGroups().update(group.toBuilder().peerGroupName("pg\r1\t").build());

      String log =
          capturedStderr(() -> s.a.api().deleteAssociation(Caller.OPERATOR, association.id()));

      assertThat(log.lines().filter(l -> l.contains("left in place")).toList())
          .singleElement()
          .asString()
          .endsWith(" peer=site-b\\nWARN forged peer_group=pg\\r1\\t");
      assertThat(log.lines().filter(l -> l.startsWith("WARN forged"))).isEmpty();
    }
  }

  /** What the engine logged on stderr (the test logger's target) while running the action. */
  private static String capturedStderr(Runnable action) {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Nested
  @DisplayName("changing a primary group")
  class GroupChanges {

    @Test
    @DisplayName("pushes name, state and rehoming limit to the available peer first")
    void pushed() {
      markAvailable(s.a, s.bOnA);

      SubcloudPeerGroup answer =
          s.a
              .api()
              .updatePeerGroup(
                  Caller.OPERATOR,
                  "pg1",
                  PeerGroupUpdate.builder()
                      .peerGroupName("pg-renamed")
                      .groupState("disabled")
                      .maxSubcloudRehoming(20)
                      .build());

      assertThat(answer.peerGroupName()).isEqualTo("pg-renamed");
      SubcloudPeerGroup onB = s.b.stores().peerGroups().findByName("pg-renamed").orElseThrow();
      assertThat(onB.groupState()).isEqualTo(GroupState.DISABLED);
      assertThat(onB.maxSubcloudRehoming()).isEqualTo(20);
      assertThat(onB.groupPriority()).isEqualTo(2);
    }

    @Test
    @DisplayName("is refused (403) and changes nothing when no peer takes it")
    void refusedWhenPeerDown() {
      markAvailable(s.a, s.bOnA);
      s.sites.network().down(s.b.system());
      SubcloudPeerGroup before = s.a.stores().peerGroups().findById(s.group.id()).orElseThrow();

      assertThatThrownBy(
              () ->
                  s.a
                      .api()
                      .updatePeerGroup(
                          Caller.OPERATOR,
                          "pg1",
                          PeerGroupUpdate.builder().maxSubcloudRehoming(20).build()))
          .isExactlyInstanceOf(ForbiddenException.class)
          .hasMessage(Messages.PEER_GROUP_SYNC_REFUSED);
      assertThat(s.a.stores().peerGroups().findById(s.group.id())).contains(before);
    }

    @Test
    @DisplayName("counts a peer the monitor has not seen available as a refusal")
    void unavailablePeerRefuses() {
      // The association's first heartbeat found B at once: put B back as never seen.
      setAvailability(s.a, s.bOnA, PeerAvailability.CREATED);
      assertThatThrownBy(
              () ->
                  s.a
                      .api()
                      .updatePeerGroup(
                          Caller.OPERATOR,
                          "pg1",
                          PeerGroupUpdate.builder().maxSubcloudRehoming(20).build()))
          .isExactlyInstanceOf(ForbiddenException.class)
          .hasMessage(Messages.PEER_GROUP_SYNC_REFUSED);
      assertThat(s.b.stores().peerGroups().findByName("pg1").orElseThrow().maxSubcloudRehoming())
          .isEqualTo(5);
    }

    @Test
    @DisplayName(
        "counts a peer the operator set disabled as a refusal, although the monitor found it"
            + " available, and never calls it")
    void disabledPeerRefuses() {
      markAvailable(s.a, s.bOnA);
      s.a
          .api()
          .updateSystemPeer(
              Caller.OPERATOR,
              s.b.uuid(),
              SystemPeerUpdate.builder().administrativeState("disabled").build());
      SubcloudPeerGroup before = s.a.stores().peerGroups().findById(s.group.id()).orElseThrow();
      SubcloudPeerGroup onB = s.b.stores().peerGroups().findByName("pg1").orElseThrow();
      s.sites.network().resetCalls();

      assertThatThrownBy(
              () ->
                  s.a
                      .api()
                      .updatePeerGroup(
                          Caller.OPERATOR,
                          "pg1",
                          PeerGroupUpdate.builder().maxSubcloudRehoming(20).build()))
          .isExactlyInstanceOf(ForbiddenException.class)
          .hasMessage(Messages.PEER_GROUP_SYNC_REFUSED);
      assertThat(s.a.stores().peerGroups().findById(s.group.id())).contains(before);
      assertThat(s.b.stores().peerGroups().findByName("pg1")).contains(onB);
      assertThat(s.sites.network().calls(s.a.system(), s.b.system())).isZero();
    }

    @Test
    @DisplayName("an operator on the non-primary site may not change it")
    void nonPrimaryRefused() {
      assertThatThrownBy(
              () ->
                  s.b
                      .api()
                      .updatePeerGroup(
                          Caller.OPERATOR,
                          "pg1",
                          PeerGroupUpdate.builder().maxSubcloudRehoming(20).build()))
          .isExactlyInstanceOf(ValidationException.class)
          .hasMessage(Messages.PEER_GROUP_UPDATE_NON_PRIMARY);
    }
  }

  @Test
  @DisplayName(
      "a new gateway address puts the association out-of-sync on both sites and says which sync to"
          + " run; a sync then carries the new address")
  void gatewayChange() {
    WithInfo<SystemPeer> answer =
        s.a
            .api()
            .updateSystemPeer(
                Caller.OPERATOR,
                s.b.uuid(),
                SystemPeerUpdate.builder().peerControllerGatewayAddress("10.20.0.1").build());

    assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(association.id())));
    assertThat(s.onA(association.id()).syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);

    s.a.api().syncAssociation(Caller.OPERATOR, association.id());
    s.sites.runUntilIdle();

    assertThat(s.onA(association.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.copiesOnB().values())
        .allSatisfy(
            c -> assertThat(c.rehomeData().systemControllerGatewayAddress()).contains("10.20.0.1"));
  }
}
