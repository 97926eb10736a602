package io.geored.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Association sync pushes a primary group to its peer")
class AssociationSyncTest {

  private SyncScenario s;

  @BeforeEach
  void setUp() {
    s = new SyncScenario();
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  private void assertCopyOf(Subcloud source, Subcloud copy) {
    SubcloudPeerGroup groupOnB = s.b.stores().peerGroups().findByName("pg1").orElseThrow();
    assertThat(copy.name()).isEqualTo(source.name());
    assertThat(copy.regionName()).isEqualTo(source.regionName());
    assertThat(copy.description()).isEqualTo(source.description());
    assertThat(copy.location()).isEqualTo(source.location());
    assertThat(copy.softwareVersion()).isEqualTo(source.softwareVersion());
    assertThat(copy.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    assertThat(copy.managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(copy.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
    assertThat(copy.peerGroupId()).isEqualTo(groupOnB.id());
    Map<String, Object> expected =
        new java.util.LinkedHashMap<>(source.rehomeData().savedPayload().orElseThrow());
    expected.put("systemcontroller_gateway_address", s.bOnA.peerControllerGatewayIp());
    assertThat(copy.rehomeData().savedPayload().orElseThrow())
        .containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  @DisplayName(
      "a new primary association answers syncing, then both sites are in-sync and B holds"
          + " secondary copies with its own gateway address")
  void firstSync() {
    List<Subcloud> members = s.members(3);

    PeerGroupAssociation created = s.associate(2);
    assertThat(created.syncStatus()).isEqualTo(SyncStatus.SYNCING);
    assertThat(created.associationType()).isEqualTo(AssociationType.PRIMARY);
    s.sites.runUntilIdle();

    assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.onA(created.id()).syncMessage()).isNull();
    SubcloudPeerGroup groupOnB = s.b.stores().peerGroups().findByName("pg1").orElseThrow();
    assertThat(groupOnB.groupPriority()).isEqualTo(2);
    assertThat(groupOnB.systemLeaderId()).isEqualTo(s.a.uuid());
    assertThat(groupOnB.systemLeaderName()).isEqualTo(s.a.name());
    assertThat(groupOnB.maxSubcloudRehoming()).isEqualTo(5);
    PeerGroupAssociation onB = s.onB().orElseThrow();
    assertThat(onB.associationType()).isEqualTo(AssociationType.NON_PRIMARY);
    assertThat(onB.syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(onB.syncMessage()).isNull();
    Map<String, Subcloud> copies = s.copiesOnB();
    assertThat(copies.keySet())
        .containsExactlyInAnyOrder("region-sc0001", "region-sc0002", "region-sc0003");
    for (Subcloud member : members) {
      assertCopyOf(member, copies.get(member.regionName()));
    }
    // The primary's own subclouds are untouched.
    assertThat(s.a.stores().subclouds().findAll()).isEqualTo(members);
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {0, 1, 10, 100, 1000})
  @DisplayName(
      "a first sync of N subclouds makes 2N + 7 calls to the peer (target: at most 2N + 8)")
  void callsPerSync(int n) {
    s.members(n);
    s.sites.network().resetCalls();

    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();

    assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.copiesOnB()).hasSize(n);
    // The monitor's first heartbeat runs at once when the association is created.
    long heartbeats = s.sites.network().calls(s.a.system(), s.b.system(), "listPeerGroups");
    assertThat(heartbeats).isEqualTo(1);
    // identity, system peer, group (404), create group, list associations, create association,
    // two per subcloud (add, then place in the group), final status.
    assertThat(s.sites.network().calls(s.a.system(), s.b.system()) - heartbeats)
        .isEqualTo(2L * n + 7);
  }

  /** What B's API was asked to add or update, in order, through the network. */
  private List<Object> requestsToB() {
    List<Object> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    io.geored.spi.api.SiteApi real = s.b.api();
    io.geored.spi.api.SiteApi recording =
        (io.geored.spi.api.SiteApi)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {io.geored.spi.api.SiteApi.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("createSubcloud")
                      || method.getName().equals("updateSubcloud")) {
                    seen.add(args[args.length - 1]);
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    s.sites.network().attach(s.b.system(), recording);
    return seen;
  }

  private static long withPayload(List<Object> requests) {
    return requests.stream()
        .filter(
            r ->
                r instanceof io.geored.spi.api.SubcloudCreate c
                    ? c.bootstrapValues() != null
                    : ((SubcloudUpdate) r).bootstrapValues() != null)
        .count();
  }

  @Test
  @DisplayName(
      "a first sync sends each subcloud's payload once (the add), and places the new copy in the"
          + " group with the group alone; a re-sync sends it once per existing copy")
  void payloadOncePerSubcloud() {
    int n = 20;
    s.members(n);
    List<Object> requests = requestsToB();

    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();

    assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    SubcloudPeerGroup groupOnB = s.b.stores().peerGroups().findByName("pg1").orElseThrow();
    assertThat(requests).hasSize(2 * n);
    assertThat(withPayload(requests)).isEqualTo(n);
    assertThat(requests.stream().filter(SubcloudUpdate.class::isInstance))
        .hasSize(n)
        .allSatisfy(
            r ->
                assertThat(r)
                    .isEqualTo(
                        SubcloudUpdate.builder().peerGroup(String.valueOf(groupOnB.id())).build()));

    requests.clear();
    s.a.api().syncAssociation(Caller.OPERATOR, created.id());
    s.sites.runUntilIdle();

    assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(requests)
        .hasSize(n)
        .allSatisfy(r -> assertThat(r).isInstanceOf(SubcloudUpdate.class));
    assertThat(withPayload(requests)).isEqualTo(n);
  }

  @Test
  @DisplayName("a re-sync of N subclouds makes N + 7 calls (the peer's group listed once)")
  void callsPerResync() {
    int n = 50;
    s.members(n);
    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();
    s.sites.network().resetCalls();

    s.a.api().syncAssociation(Caller.OPERATOR, created.id());
    s.sites.runUntilIdle();

    assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    // identity, system peer, group, list associations, mark syncing, list the group's subclouds,
    // one update per subcloud, final status.
    assertThat(s.sites.network().calls(s.a.system(), s.b.system())).isEqualTo(n + 7L);
    assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "getSubcloud")).isZero();
  }

  @Test
  @DisplayName("secondary members are skipped; members no longer in A's group are deleted on B")
  void skipsSecondaryAndRemovesExtras() {
    Subcloud keep = s.member("keep");
    Subcloud gone = s.member("gone");
    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();
    assertThat(s.copiesOnB()).containsOnlyKeys("region-keep", "region-gone");

    // A drops "gone" from the group and holds a secondary member of its own.
    s.a.stores().subclouds().update(gone.toBuilder().peerGroupId(null).build());
    s.member("twin", DeployStatus.SECONDARY, keep.rehomeData());
    s.a.api().syncAssociation(Caller.OPERATOR, created.id());
    s.sites.runUntilIdle();

    assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.copiesOnB()).containsOnlyKeys("region-keep");
    assertThat(s.b.stores().subclouds().findByRegionName("region-gone")).isEmpty();
    assertThat(s.b.stores().subclouds().findByRegionName("region-twin")).isEmpty();
  }

  @Test
  @DisplayName("a corrected bootstrap address reaches the peer on the next sync")
  void correctedAddressReachesPeer() {
    Subcloud sc = s.member("sc1");
    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();

    s.a
        .stores()
        .subclouds()
        .update(
            sc.toBuilder()
                .rehomeData(sc.rehomeData().withPayloadValue("bootstrap-address", "10.10.10.99"))
                .build());
    s.a.api().syncAssociation(Caller.OPERATOR, created.id());
    s.sites.runUntilIdle();

    assertThat(s.copiesOnB().get("region-sc1").rehomeData().bootstrapAddress())
        .contains("10.10.10.99");
    assertThat(s.copiesOnB().get("region-sc1").rehomeData().systemControllerGatewayAddress())
        .contains(s.bOnA.peerControllerGatewayIp());
  }

  @Nested
  @DisplayName("a member that cannot be synced fails the sync on both sites, naming it")
  class BadMembers {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"no rehome data", "no saved payload", "empty payload", "no address", "no gateway"})
    void badRehomeData(String defect) {
      s.member("good");
      RehomeData bad =
          switch (defect) {
            case "no rehome data" -> null;
            case "no saved payload" -> new RehomeData(Map.of("other", 1));
            case "empty payload" -> RehomeData.ofSavedPayload(Map.of());
            case "no address" ->
                RehomeData.ofSavedPayload(Map.of("systemcontroller_gateway_address", "1.2.3.4"));
            default -> RehomeData.ofSavedPayload(Map.of("bootstrap-address", "10.0.0.9"));
          };
      s.member("bad", DeployStatus.COMPLETE, bad);

      PeerGroupAssociation created = s.associate(2);
      s.sites.runUntilIdle();

      String message = Messages.failedToSync(List.of("bad"), "pg1");
      assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(s.onA(created.id()).syncMessage()).isEqualTo(message);
      assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(s.onB().orElseThrow().syncMessage()).isEqualTo(Messages.PRIMARY_SYNC_FAILED);
      assertThat(s.copiesOnB()).containsOnlyKeys("region-good");
    }

    @Test
    @DisplayName("a peer copy that is managed there is not overwritten")
    void copyInWrongState() {
      Subcloud sc = s.member("sc1");
      PeerGroupAssociation created = s.associate(2);
      s.sites.runUntilIdle();
      Subcloud copy = s.b.stores().subclouds().findByRegionName("region-sc1").orElseThrow();
      s.b
          .stores()
          .subclouds()
          .update(
              copy.toBuilder()
                  .deployStatus(DeployStatus.COMPLETE)
                  .managementState(ManagementState.MANAGED)
                  .build());

      s.a.api().syncAssociation(Caller.OPERATOR, created.id());
      s.sites.runUntilIdle();

      assertThat(s.onA(created.id()).syncMessage())
          .isEqualTo(Messages.failedToSync(List.of(sc.name()), "pg1"));
      assertThat(
              s.b.stores().subclouds().findByRegionName("region-sc1").orElseThrow().deployStatus())
          .isEqualTo(DeployStatus.COMPLETE);
    }

    @ParameterizedTest(name = "a peer copy in {0} is replaced")
    @ValueSource(strings = {"rehome-failed", "rehome-prep-failed"})
    void replaceableCopies(String state) {
      s.member("sc1");
      PeerGroupAssociation created = s.associate(2);
      s.sites.runUntilIdle();
      Subcloud copy = s.b.stores().subclouds().findByRegionName("region-sc1").orElseThrow();
      s.b
          .stores()
          .subclouds()
          .update(
              copy.toBuilder().deployStatus(DeployStatus.fromWire(state).orElseThrow()).build());

      s.a.api().syncAssociation(Caller.OPERATOR, created.id());
      s.sites.runUntilIdle();

      assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    }
  }

  @Nested
  @DisplayName("the peer is checked before anything is written there")
  class PeerChecks {

    @Test
    @DisplayName("a peer reporting another uuid fails the sync with the uuid it reported")
    void uuidMismatch() {
      s.member("sc1");
      s.a
          .stores()
          .systemPeers()
          .update(s.bOnA.toBuilder().peerUuid("cccccccc-0000-4000-8000-000000000009").build());

      PeerGroupAssociation created = s.associate(2);
      s.sites.runUntilIdle();

      assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(s.onA(created.id()).syncMessage())
          .isEqualTo(Messages.peerUuidMismatch(s.b.uuid()));
      assertThat(s.b.stores().peerGroups().findAll()).isEmpty();
    }

    @Test
    @DisplayName("a peer that does not know this site fails the sync")
    void unknownOnPeer() {
      s.member("sc1");
      s.b.api().deleteSystemPeer(Caller.OPERATOR, s.a.uuid());

      PeerGroupAssociation created = s.associate(2);
      s.sites.runUntilIdle();

      assertThat(s.onA(created.id()).syncMessage())
          .isEqualTo(Messages.systemPeerMissingOnPeer(s.a.uuid()));
      assertThat(s.b.stores().peerGroups().findAll()).isEmpty();
    }

    @Test
    @DisplayName("a priority-0 group of the same name on the peer fails the sync")
    void priorityZeroOnPeer() {
      s.member("sc1");
      s.b
          .api()
          .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());

      PeerGroupAssociation created = s.associate(2);
      s.sites.runUntilIdle();

      assertThat(s.onA(created.id()).syncMessage()).isEqualTo(Messages.PEER_GROUP_WRONG_PRIORITY);
      assertThat(s.b.stores().subclouds().findAll()).isEmpty();
    }
  }

  @Nested
  @DisplayName("the peer failing at any step leaves nothing syncing, and a later sync converges")
  class Faults {

    @ParameterizedTest(name = "{0} #{1}")
    @CsvSource({
      "identity,1",
      "getSystemPeer,1",
      "getPeerGroup,1",
      "createPeerGroup,1",
      "listAssociations,1",
      "createAssociation,1",
      "updateAssociation,1",
      "createSubcloud,1",
      "createSubcloud,3",
      "createSubcloud,5",
      "updateSubcloud,1",
      "updateSubcloud,5"
    })
    void failAtStep(String call, int occurrence) {
      List<Subcloud> members = s.members(5);
      s.sites.network().to(s.b.system()).failCall(call, occurrence);

      PeerGroupAssociation created = s.associate(2);
      s.sites.runUntilIdle();

      PeerGroupAssociation failed = s.onA(created.id());
      assertThat(failed.syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(failed.syncMessage()).isNotBlank();
      s.onB().ifPresent(b -> assertThat(b.syncStatus()).isNotEqualTo(SyncStatus.SYNCING));

      s.sites.network().healAll();
      s.a.api().syncAssociation(Caller.OPERATOR, created.id());
      s.sites.runUntilIdle();

      assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      Map<String, Subcloud> copies = s.copiesOnB();
      assertThat(copies).hasSize(members.size());
      members.forEach(m -> assertCopyOf(m, copies.get(m.regionName())));
    }

    @ParameterizedTest(name = "{0} on a re-sync")
    @ValueSource(
        strings = {
          "subcloudsOfPeerGroup",
          "updatePeerGroup",
          "deleteSubcloud",
          "updateAssociation"
        })
    void failOnResync(String call) {
      s.members(3);
      Subcloud extra = s.member("extra");
      PeerGroupAssociation created = s.associate(2);
      s.sites.runUntilIdle();
      s.a.stores().subclouds().update(extra.toBuilder().peerGroupId(null).build());
      s.a
          .stores()
          .peerGroups()
          .update(
              s.a.stores().peerGroups().findById(s.group.id()).orElseThrow().toBuilder()
                  .maxSubcloudRehoming(7)
                  .build());
      s.sites.network().to(s.b.system()).failCalls(call);

      s.a.api().syncAssociation(Caller.OPERATOR, created.id());
      s.sites.runUntilIdle();
      assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.FAILED);

      s.sites.network().healAll();
      s.a.api().syncAssociation(Caller.OPERATOR, created.id());
      s.sites.runUntilIdle();
      assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.copiesOnB()).hasSize(3).doesNotContainKey("region-extra");
      assertThat(s.b.stores().peerGroups().findByName("pg1").orElseThrow().maxSubcloudRehoming())
          .isEqualTo(7);
    }

    @Test
    @DisplayName("a peer that is down fails the sync with its error; back up, a sync converges")
    void peerDown() {
      s.members(2);
      s.sites.network().down(s.b.system());

      PeerGroupAssociation created = s.associate(2);
      s.sites.runUntilIdle();
      assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(s.onA(created.id()).syncMessage()).contains("unreachable");

      s.sites.network().up(s.b.system());
      s.a.api().syncAssociation(Caller.OPERATOR, created.id());
      s.sites.runUntilIdle();
      assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.copiesOnB()).hasSize(2);
    }
  }

  @Test
  @DisplayName(
      "when the peer cannot be told the sync succeeded, A records that and B is left failed, not"
          + " syncing")
  void finalStatusNotDelivered() {
    s.members(2);
    s.sites.network().to(s.b.system()).failCall("updateAssociation", 1);

    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();

    assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(s.onA(created.id()).syncMessage())
        .isEqualTo(Messages.failedToUpdatePeerSyncStatus(s.b.uuid(), "in-sync"));
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(s.onB().orElseThrow().syncMessage()).isEqualTo(Messages.PRIMARY_SYNC_FAILED);
  }

  @Nested
  @DisplayName("the sync verb")
  class Verb {

    @Test
    @DisplayName("refuses a non-primary association")
    void nonPrimary() {
      s.member("sc1");
      s.associate(2);
      s.sites.runUntilIdle();
      long onB = s.onB().orElseThrow().id();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> s.b.api().syncAssociation(Caller.OPERATOR, onB))
          .isExactlyInstanceOf(io.geored.spi.ValidationException.class)
          .hasMessage(Messages.ASSOCIATION_SYNC_NON_PRIMARY);
    }

    @Test
    @DisplayName("refuses while another site leads the group, changing nothing")
    void notLeader() {
      PeerGroupAssociation created = s.associate(2);
      s.sites.runUntilIdle();
      SubcloudPeerGroup g = s.a.stores().peerGroups().findById(s.group.id()).orElseThrow();
      s.a
          .stores()
          .peerGroups()
          .update(g.toBuilder().systemLeaderId(s.b.uuid()).systemLeaderName(s.b.name()).build());
      PeerGroupAssociation before = s.onA(created.id());

      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> s.a.api().syncAssociation(Caller.OPERATOR, created.id()))
          .isExactlyInstanceOf(io.geored.spi.ValidationException.class)
          .hasMessage(Messages.ASSOCIATION_SYNC_NOT_LEADER);
      assertThat(s.onA(created.id())).isEqualTo(before);
    }

    @Test
    @DisplayName("a changed priority reaches the peer's group (group only)")
    void priorityChange() {
      s.member("sc1");
      PeerGroupAssociation created = s.associate(2);
      s.sites.runUntilIdle();
      s.sites.network().resetCalls();

      PeerGroupAssociation answer =
          s.a
              .api()
              .updateAssociation(
                  Caller.OPERATOR,
                  created.id(),
                  io.geored.spi.api.AssociationUpdate.builder().peerGroupPriority(9).build());
      assertThat(answer.syncStatus()).isEqualTo(SyncStatus.SYNCING);
      s.sites.runUntilIdle();

      assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.b.stores().peerGroups().findByName("pg1").orElseThrow().groupPriority())
          .isEqualTo(9);
      assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "updateSubcloud")).isZero();
    }
  }

  @Test
  @DisplayName("a peer update of a copy goes through the peer's rules (peer-site caller)")
  void peerCopyUpdatedAsPeer() {
    s.member("sc1");
    s.associate(2);
    s.sites.runUntilIdle();
    // B's copy is in a non-primary group: an operator on B may not move it out.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                s.b
                    .api()
                    .updateSubcloud(
                        Caller.OPERATOR, "sc1", SubcloudUpdate.builder().peerGroup("none").build()))
        .isInstanceOf(io.geored.spi.ValidationException.class);
  }
}
