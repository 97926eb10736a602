package io.geored.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ValidationException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.store.StoreResult;
import io.geored.testkit.sim.SimSite;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Updates of a subcloud in a primary group across two sites: A owns pg1 with sc1, synced to B, both
 * associations in-sync.
 */
@DisplayName("Subcloud updates on the primary site across sites")
class SubcloudUpdateAcrossSitesPrimaryTest {

  private SyncScenario s;
  private Subcloud member;
  private PeerGroupAssociation onA;
  private PeerGroupAssociation onB;

  @BeforeEach
  void setUp() {
    s = new SyncScenario();
    member = s.member("sc1");
    long id = s.associate(2).id();
    s.sites.runUntilIdle();
    onA = s.onA(id);
    onB = s.onB().orElseThrow();
    assertThat(onA.syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(onB.syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    s.sites.network().resetCalls();
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  private static List<List<?>> state(SimSite site) {
    return List.of(
        site.stores().systemPeers().findAll(),
        site.stores().peerGroups().findAll(),
        site.stores().associations().findAll(),
        site.stores().subclouds().findAll());
  }

  private Optional<Subcloud> copyOnB(String regionName) {
    return s.b.stores().subclouds().findByRegionName(regionName);
  }

  private WithInfo<Subcloud> operatorOnA(String ref, SubcloudUpdate request) {
    return s.a.api().updateSubcloud(Caller.OPERATOR, ref, request);
  }

  private static SubcloudUpdate newDescription(String value) {
    return SubcloudUpdate.builder().description(value).build();
  }

  private static PeerGroupAssociation outOfSync(PeerGroupAssociation before, java.time.Instant at) {
    return before.toBuilder()
        .syncStatus(SyncStatus.OUT_OF_SYNC)
        .syncMessage(null)
        .updatedAt(at)
        .version(before.version() + 1)
        .build();
  }

  private void syncAndSettle(long associationId) {
    s.a.api().syncAssociation(Caller.OPERATOR, associationId);
    s.sites.runUntilIdle();
  }

  private void assertBothInSync(long associationId) {
    assertThat(s.onA(associationId).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.onA(associationId).syncMessage()).isNull();
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.onB().orElseThrow().syncMessage()).isNull();
  }

  private void ledByB() {
    SubcloudPeerGroup g = s.a.stores().peerGroups().findById(s.group.id()).orElseThrow();
    s.a
        .stores()
        .peerGroups()
        .update(g.toBuilder().systemLeaderId(s.b.uuid()).systemLeaderName(s.b.name()).build());
  }

  @Nested
  @DisplayName("by the leader")
  class ByLeader {

    @Test
    @DisplayName(
        "the update is stored on A, both associations go out-of-sync, the answer names the sync"
            + " to run, and B's copy waits for that sync")
    void description() {
      Subcloud copyBefore = copyOnB(member.regionName()).orElseThrow();

      WithInfo<Subcloud> answer = operatorOnA("sc1", newDescription("moved"));

      Subcloud expected =
          member.toBuilder()
              .description("moved")
              .updatedAt(s.sites.now())
              .version(member.version() + 1)
              .build();
      assertThat(answer.value()).isEqualTo(expected);
      assertThat(s.a.stores().subclouds().findById(member.id())).contains(expected);
      assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(onA.id())));
      assertThat(s.onA(onA.id())).isEqualTo(outOfSync(onA, s.sites.now()));
      assertThat(s.onB().orElseThrow()).isEqualTo(outOfSync(onB, s.sites.now()));
      assertThat(copyOnB(member.regionName())).contains(copyBefore);

      syncAndSettle(onA.id());

      assertBothInSync(onA.id());
      Subcloud copyAfter = copyOnB(member.regionName()).orElseThrow();
      assertThat(copyAfter.description()).isEqualTo("moved");
      assertThat(copyAfter.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    }

    @Test
    @DisplayName("a corrected address reaches B on the sync that follows, with B's own gateway")
    void address() {
      WithInfo<Subcloud> answer =
          operatorOnA("sc1", SubcloudUpdate.builder().bootstrapAddress("10.10.10.99").build());

      assertThat(answer.value().rehomeData().bootstrapAddress()).contains("10.10.10.99");
      assertThat(answer.value().rehomeData().systemControllerGatewayAddress())
          .contains(SyncScenario.A_GATEWAY);
      assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(onA.id())));
      assertThat(s.onA(onA.id())).isEqualTo(outOfSync(onA, s.sites.now()));
      assertThat(s.onB().orElseThrow()).isEqualTo(outOfSync(onB, s.sites.now()));

      syncAndSettle(onA.id());

      assertBothInSync(onA.id());
      RehomeData copied = copyOnB(member.regionName()).orElseThrow().rehomeData();
      assertThat(copied.bootstrapAddress()).contains("10.10.10.99");
      assertThat(copied.systemControllerGatewayAddress()).contains(s.b.gatewayAddress());
    }

    @Test
    @DisplayName("an update that changes nothing marks nothing and calls nobody")
    void unchanged() {
      List<List<?>> aBefore = state(s.a);
      List<List<?>> bBefore = state(s.b);

      WithInfo<Subcloud> answer = operatorOnA("sc1", newDescription(member.description()));

      assertThat(answer.value()).isEqualTo(member);
      assertThat(answer.infoMessage()).isNull();
      assertThat(state(s.a)).isEqualTo(aBefore);
      assertThat(state(s.b)).isEqualTo(bBefore);
      assertThat(s.sites.network().calls(s.a.system(), s.b.system())).isZero();
    }

    @Test
    @DisplayName("adding a subcloud marks both sites; the sync copies it to B")
    void join() {
      Subcloud ready =
          ((StoreResult.Saved<Subcloud>)
                  s.a
                      .stores()
                      .subclouds()
                      .insert(
                          member.toBuilder()
                              .id(0)
                              .version(0)
                              .name("sc2")
                              .regionName("region-sc2")
                              .peerGroupId(null)
                              .rehomeData(
                                  RehomeData.ofSavedPayload(
                                      SyncScenario.payload("sc2", "10.10.10.8")))
                              .build()))
              .value();

      WithInfo<Subcloud> answer =
          operatorOnA("sc2", SubcloudUpdate.builder().peerGroup("pg1").build());

      assertThat(answer.value().peerGroupId()).isEqualTo(s.group.id());
      assertThat(answer.value().version()).isEqualTo(ready.version() + 1);
      assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(onA.id())));
      assertThat(s.onA(onA.id())).isEqualTo(outOfSync(onA, s.sites.now()));
      assertThat(s.onB().orElseThrow()).isEqualTo(outOfSync(onB, s.sites.now()));
      assertThat(copyOnB("region-sc2")).isEmpty();

      syncAndSettle(onA.id());

      assertBothInSync(onA.id());
      assertThat(copyOnB("region-sc2").orElseThrow().deployStatus())
          .isEqualTo(DeployStatus.SECONDARY);
    }

    @Test
    @DisplayName("taking a subcloud out marks both sites; the sync deletes B's copy")
    void leave() {
      WithInfo<Subcloud> answer =
          operatorOnA("sc1", SubcloudUpdate.builder().peerGroup("none").build());

      assertThat(answer.value().peerGroupId()).isNull();
      assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(onA.id())));
      assertThat(s.onA(onA.id())).isEqualTo(outOfSync(onA, s.sites.now()));
      assertThat(s.onB().orElseThrow()).isEqualTo(outOfSync(onB, s.sites.now()));
      assertThat(copyOnB(member.regionName())).isPresent();

      syncAndSettle(onA.id());

      assertBothInSync(onA.id());
      assertThat(copyOnB(member.regionName())).isEmpty();
    }

    @Test
    @DisplayName("moving a subcloud to another primary group marks both groups on both sites")
    void move() {
      SubcloudPeerGroup pg2 =
          s.a
              .api()
              .createPeerGroup(
                  Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg2").build());
      long secondId =
          s.a
              .api()
              .createAssociation(
                  Caller.OPERATOR,
                  AssociationCreate.builder()
                      .peerGroupId(pg2.id())
                      .systemPeerId(s.bOnA.id())
                      .peerGroupPriority(2)
                      .build())
              .id();
      s.sites.runUntilIdle();
      PeerGroupAssociation secondOnA = s.onA(secondId);
      SubcloudPeerGroup pg2OnB = s.b.stores().peerGroups().findByName("pg2").orElseThrow();
      PeerGroupAssociation secondOnB =
          s.b.stores().associations().findByGroupAndPeer(pg2OnB.id(), s.aOnB.id()).orElseThrow();
      assertThat(secondOnA.syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(secondOnB.syncStatus()).isEqualTo(SyncStatus.IN_SYNC);

      WithInfo<Subcloud> answer =
          operatorOnA("sc1", SubcloudUpdate.builder().peerGroup("pg2").build());

      assertThat(answer.value().peerGroupId()).isEqualTo(pg2.id());
      assertThat(answer.infoMessage())
          .isEqualTo(Messages.outOfSyncInfo(List.of(onA.id(), secondId)));
      assertThat(s.onA(onA.id())).isEqualTo(outOfSync(onA, s.sites.now()));
      assertThat(s.onA(secondId)).isEqualTo(outOfSync(secondOnA, s.sites.now()));
      assertThat(s.onB().orElseThrow()).isEqualTo(outOfSync(onB, s.sites.now()));
      assertThat(s.b.stores().associations().findById(secondOnB.id()))
          .contains(outOfSync(secondOnB, s.sites.now()));
    }
  }

  @Nested
  @DisplayName("when the peer cannot be told")
  class PeerNotTold {

    @Test
    @DisplayName(
        "an unknown association is failed on A as unreachable without calling B, and B is"
            + " untouched")
    void unknown() {
      s.a
          .stores()
          .associations()
          .update(s.onA(onA.id()).toBuilder().syncStatus(SyncStatus.UNKNOWN).build());
      PeerGroupAssociation unknown = s.onA(onA.id());
      List<List<?>> bBefore = state(s.b);

      WithInfo<Subcloud> answer = operatorOnA("sc1", newDescription("moved"));

      assertThat(answer.value().description()).isEqualTo("moved");
      assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(onA.id())));
      assertThat(s.onA(onA.id()))
          .isEqualTo(
              unknown.toBuilder()
                  .syncStatus(SyncStatus.FAILED)
                  .syncMessage(Messages.PEER_UNREACHABLE_SYNC_STATUS)
                  .updatedAt(s.sites.now())
                  .version(unknown.version() + 1)
                  .build());
      assertThat(state(s.b)).isEqualTo(bBefore);
      assertThat(s.sites.network().calls(s.a.system(), s.b.system())).isZero();
    }

    @Test
    @DisplayName(
        "B unreachable while in-sync: A's association fails naming B and the status it could not"
            + " set; B is untouched; back up, a sync converges")
    void unreachable() {
      s.sites.network().down(s.b.system());
      List<List<?>> bBefore = state(s.b);

      WithInfo<Subcloud> answer = operatorOnA("sc1", newDescription("moved"));

      assertThat(answer.value().description()).isEqualTo("moved");
      assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(onA.id())));
      assertThat(s.onA(onA.id()))
          .isEqualTo(
              onA.toBuilder()
                  .syncStatus(SyncStatus.FAILED)
                  .syncMessage(Messages.failedToUpdatePeerSyncStatus(s.b.uuid(), "out-of-sync"))
                  .updatedAt(s.sites.now())
                  .version(onA.version() + 1)
                  .build());
      assertThat(state(s.b)).isEqualTo(bBefore);

      s.sites.network().up(s.b.system());
      syncAndSettle(onA.id());

      assertBothInSync(onA.id());
      assertThat(copyOnB(member.regionName()).orElseThrow().description()).isEqualTo("moved");
    }
  }

  @Test
  @DisplayName("a site that no longer leads the group refuses, and neither site changes")
  void notLeader() {
    ledByB();
    List<List<?>> aBefore = state(s.a);
    List<List<?>> bBefore = state(s.b);

    assertThatThrownBy(() -> operatorOnA("sc1", newDescription("moved")))
        .isExactlyInstanceOf(ValidationException.class)
        .hasMessage(Messages.SUBCLOUD_UPDATE_NOT_LEADER);

    assertThat(state(s.a)).isEqualTo(aBefore);
    assertThat(state(s.b)).isEqualTo(bBefore);
    assertThat(s.sites.network().calls(s.a.system(), s.b.system())).isZero();
  }

  @Nested
  @DisplayName("a peer site's request skips the rules and marks nothing")
  class FromPeerSite {

    @Test
    @DisplayName("B, not identified, updates A's subcloud of a group A leads")
    void onPrimary() {
      // An identified B is confined to peer work and may not do this (PeerScopeTest); a caller
      // speaking for B without naming it gets the peer rules alone.
      WithInfo<Subcloud> answer =
          s.sites
              .network()
              .client(s.b.system(), s.a.endpoint())
              .updateSubcloud(Caller.PEER_SITE, member.regionName(), newDescription("from B"));

      assertThat(answer.value())
          .isEqualTo(
              member.toBuilder()
                  .description("from B")
                  .updatedAt(s.sites.now())
                  .version(member.version() + 1)
                  .build());
      assertThat(answer.infoMessage()).isNull();
      assertThat(s.onA(onA.id())).isEqualTo(onA);
      assertThat(s.onB()).contains(onB);
      assertThat(s.sites.network().calls(s.a.system(), s.b.system())).isZero();
    }

    @Test
    @DisplayName("B unmanages A's subcloud of a group B now leads, as a migration to B does")
    void onPrimaryLedByPeer() {
      ledByB();

      WithInfo<Subcloud> answer =
          s.sites
              .peerClient(s.b, s.a)
              .updateSubcloud(
                  Caller.PEER_SITE,
                  member.regionName(),
                  SubcloudUpdate.builder().managementState("unmanaged").migrate(true).build());

      assertThat(answer.value().managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(answer.value().deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
      assertThat(answer.value().availabilityStatus()).isEqualTo(AvailabilityStatus.ONLINE);
      assertThat(answer.infoMessage()).isNull();
      assertThat(s.onA(onA.id())).isEqualTo(onA);
      assertThat(s.onB()).contains(onB);
    }

    @Test
    @DisplayName("A updates B's secondary copy in B's non-primary group")
    void onNonPrimary() {
      Subcloud copy = copyOnB(member.regionName()).orElseThrow();

      WithInfo<Subcloud> answer =
          s.sites
              .peerClient(s.a, s.b)
              .updateSubcloud(Caller.PEER_SITE, copy.regionName(), newDescription("from A"));

      assertThat(answer.value())
          .isEqualTo(
              copy.toBuilder()
                  .description("from A")
                  .updatedAt(s.sites.now())
                  .version(copy.version() + 1)
                  .build());
      assertThat(answer.infoMessage()).isNull();
      assertThat(s.onB()).contains(onB);
      assertThat(s.onA(onA.id())).isEqualTo(onA);
    }
  }
}
