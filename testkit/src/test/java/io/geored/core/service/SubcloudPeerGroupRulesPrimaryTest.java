package io.geored.core.service;

import static io.geored.core.service.SubcloudFixtures.SITE_B_UUID;
import static io.geored.core.service.SubcloudFixtures.assertRefused;
import static io.geored.core.service.SubcloudFixtures.associate;
import static io.geored.core.service.SubcloudFixtures.bootstrapValues;
import static io.geored.core.service.SubcloudFixtures.group;
import static io.geored.core.service.SubcloudFixtures.insert;
import static io.geored.core.service.SubcloudFixtures.peer;
import static io.geored.core.service.SubcloudFixtures.primaryGroupLedHere;
import static io.geored.core.service.SubcloudFixtures.rehomeData;
import static io.geored.core.service.SubcloudFixtures.reload;
import static io.geored.core.service.SubcloudFixtures.saved;
import static io.geored.core.service.SubcloudFixtures.subcloud;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.PersistenceException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.AssociationStore;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Subcloud updates in a primary peer group on one site. The site's peers are unreachable, so an
 * association the update marks ends failed with the push failure, or failed as unreachable when it
 * was unknown; the multi-site tests show the in-sync peer side.
 */
@DisplayName("Subcloud updates in a primary peer group")
class SubcloudPeerGroupRulesPrimaryTest {

  private SingleSite site;
  private SubcloudPeerGroup group;
  private SystemPeer peerB;
  private PeerGroupAssociation association;
  private Subcloud member;

  @BeforeEach
  void setUp() {
    site = SingleSite.create();
    setUpOn(site);
  }

  private void setUpOn(SingleSite on) {
    site = on;
    group = primaryGroupLedHere(site, "pg1");
    peerB = peer(site, "site-b", PeerAvailability.AVAILABLE);
    association = associate(site, group, peerB, AssociationType.PRIMARY);
    member = inGroup("sc1", group);
  }

  private Subcloud inGroup(String name, SubcloudPeerGroup in) {
    return insert(
        site,
        subcloud(site, name)
            .managementState(ManagementState.MANAGED)
            .availabilityStatus(AvailabilityStatus.ONLINE)
            .peerGroupId(in.id())
            .rehomeData(rehomeData("10.10.10.2")));
  }

  private WithInfo<Subcloud> update(Caller caller, String ref, SubcloudUpdate request) {
    return site.site().updateSubcloud(caller, ref, request);
  }

  private static SubcloudUpdate newDescription(String value) {
    return SubcloudUpdate.builder().description(value).build();
  }

  private PeerGroupAssociation now(PeerGroupAssociation a) {
    return site.stores().associations().findById(a.id()).orElseThrow();
  }

  /** What marking does to an in-sync association whose peer cannot be told. */
  private PeerGroupAssociation pushFailed(PeerGroupAssociation before) {
    return before.toBuilder()
        .syncStatus(SyncStatus.FAILED)
        .syncMessage(Messages.failedToUpdatePeerSyncStatus(SITE_B_UUID, "out-of-sync"))
        .updatedAt(site.scheduler().now())
        .version(before.version() + 1)
        .build();
  }

  private void leadGroupFrom(String uuid, String name) {
    group =
        saved(
            site.stores()
                .peerGroups()
                .update(group.toBuilder().systemLeaderId(uuid).systemLeaderName(name).build()));
  }

  private SystemPeer peerC() {
    return saved(
        site.stores()
            .systemPeers()
            .insert(
                peerB.toBuilder()
                    .id(0)
                    .version(0)
                    .peerUuid("cccccccc-0000-4000-8000-000000000003")
                    .peerName("site-c")
                    .build()));
  }

  @Nested
  @DisplayName("by the leader: accepted, the group's associations marked out-of-sync")
  class ByLeader {

    @Test
    @DisplayName(
        "a new description is stored and the answer tells the operator which sync to run; the"
            + " association is failed because the peer could not be told")
    void description() {
      WithInfo<Subcloud> answer = update(Caller.OPERATOR, "sc1", newDescription("moved"));

      Subcloud expected =
          member.toBuilder()
              .description("moved")
              .updatedAt(site.scheduler().now())
              .version(member.version() + 1)
              .build();
      assertThat(answer.value()).isEqualTo(expected);
      assertThat(reload(site, member)).isEqualTo(expected);
      assertThat(answer.infoMessage())
          .isEqualTo(Messages.outOfSyncInfo(List.of(association.id())))
          .isEqualTo(
              "The operation has caused the SPG to be out-of-sync. Please run"
                  + " peer-group-association sync command to push the subcloud peer group changes"
                  + " to the peer site:\n$ dcmanager peer-group-association sync "
                  + association.id()
                  + "\n");
      assertThat(now(association)).isEqualTo(pushFailed(association));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "description",
          "location",
          "group_id",
          "install_values",
          "release",
          "bootstrap_address",
          "bootstrap_values",
          "migrate"
        })
    @DisplayName("every field an operator may change counts as an update")
    void everyField(String field) {
      if (field.equals("migrate")) {
        // rehome-pending needs an unmanaged, complete subcloud
        member =
            saved(
                site.stores()
                    .subclouds()
                    .update(member.toBuilder().managementState(ManagementState.UNMANAGED).build()));
      }
      SubcloudUpdate.Builder request = SubcloudUpdate.builder();
      switch (field) {
        case "description" -> request.description("moved");
        case "location" -> request.location("rack 9");
        case "group_id" -> request.groupId(7L);
        case "install_values" -> request.installValues(Map.of("bootstrap_interface", "eno1"));
        case "release" -> request.release("25.09");
        case "bootstrap_address" -> request.bootstrapAddress("10.10.10.9");
        case "bootstrap_values" -> request.bootstrapValues(bootstrapValues());
        default -> request.migrate(true);
      }

      WithInfo<Subcloud> answer = update(Caller.OPERATOR, "sc1", request.build());

      assertThat(answer.value().version()).isEqualTo(member.version() + 1);
      assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(association.id())));
      assertThat(now(association)).isEqualTo(pushFailed(association));
    }

    @Test
    @DisplayName("an unknown association (peer unreachable) is failed locally as unreachable")
    void unknownAssociation() {
      association =
          saved(
              site.stores()
                  .associations()
                  .update(association.toBuilder().syncStatus(SyncStatus.UNKNOWN).build()));

      WithInfo<Subcloud> answer = update(Caller.OPERATOR, "sc1", newDescription("moved"));

      assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(association.id())));
      assertThat(now(association))
          .isEqualTo(
              association.toBuilder()
                  .syncStatus(SyncStatus.FAILED)
                  .syncMessage(Messages.PEER_UNREACHABLE_SYNC_STATUS)
                  .updatedAt(site.scheduler().now())
                  .version(association.version() + 1)
                  .build());
    }

    @Test
    @DisplayName("a group with two associations names both, in ascending id order")
    void twoAssociations() {
      PeerGroupAssociation second = associate(site, group, peerC(), AssociationType.PRIMARY);

      WithInfo<Subcloud> answer = update(Caller.OPERATOR, "sc1", newDescription("moved"));

      assertThat(answer.infoMessage())
          .isEqualTo(Messages.outOfSyncInfo(List.of(association.id(), second.id())));
      assertThat(now(association)).isEqualTo(pushFailed(association));
      assertThat(now(second).syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(now(second).syncMessage())
          .isEqualTo(
              Messages.failedToUpdatePeerSyncStatus(
                  "cccccccc-0000-4000-8000-000000000003", "out-of-sync"));
    }

    @Test
    @DisplayName("a group without associations: the update is stored and there is no note")
    void noAssociation() {
      site.stores().associations().delete(association.id());

      WithInfo<Subcloud> answer = update(Caller.OPERATOR, "sc1", newDescription("moved"));

      assertThat(answer.value().description()).isEqualTo("moved");
      assertThat(answer.infoMessage()).isNull();
    }

    @Test
    @DisplayName("an update that changes nothing marks nothing and has no note")
    void unchanged() {
      member =
          saved(site.stores().subclouds().update(member.toBuilder().description("edge").build()));

      WithInfo<Subcloud> answer = update(Caller.OPERATOR, "sc1", newDescription("edge"));

      assertThat(answer.value()).isEqualTo(member);
      assertThat(answer.infoMessage()).isNull();
      assertThat(reload(site, member)).isEqualTo(member);
      assertThat(now(association)).isEqualTo(association);
    }

    @Test
    @DisplayName("adding a subcloud to the group marks the group")
    void join() {
      Subcloud ready =
          insert(
              site,
              subcloud(site, "sc2")
                  .managementState(ManagementState.MANAGED)
                  .availabilityStatus(AvailabilityStatus.ONLINE)
                  .rehomeData(rehomeData("10.10.10.3")));

      WithInfo<Subcloud> answer =
          update(Caller.OPERATOR, "sc2", SubcloudUpdate.builder().peerGroup("pg1").build());

      assertThat(answer.value().peerGroupId()).isEqualTo(group.id());
      assertThat(answer.value().version()).isEqualTo(ready.version() + 1);
      assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(association.id())));
      assertThat(now(association)).isEqualTo(pushFailed(association));
    }

    @Test
    @DisplayName("taking a subcloud out of the group marks the group it left")
    void leave() {
      WithInfo<Subcloud> answer =
          update(Caller.OPERATOR, "sc1", SubcloudUpdate.builder().peerGroup("none").build());

      assertThat(answer.value().peerGroupId()).isNull();
      assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(association.id())));
      assertThat(now(association)).isEqualTo(pushFailed(association));
    }

    @Test
    @DisplayName("moving a subcloud between two primary groups marks both")
    void move() {
      SubcloudPeerGroup pg2 = primaryGroupLedHere(site, "pg2");
      PeerGroupAssociation second = associate(site, pg2, peerB, AssociationType.PRIMARY);

      WithInfo<Subcloud> answer =
          update(Caller.OPERATOR, "sc1", SubcloudUpdate.builder().peerGroup("pg2").build());

      assertThat(answer.value().peerGroupId()).isEqualTo(pg2.id());
      assertThat(answer.infoMessage())
          .isEqualTo(Messages.outOfSyncInfo(List.of(association.id(), second.id())));
      assertThat(now(association)).isEqualTo(pushFailed(association));
      assertThat(now(second)).isEqualTo(pushFailed(second));
    }

    @Test
    @DisplayName(
        "moving a subcloud out of a primary group another site leads marks only the group it"
            + " joins")
    void moveFromGroupLedElsewhere() {
      SubcloudPeerGroup pg2 = primaryGroupLedHere(site, "pg2");
      PeerGroupAssociation second = associate(site, pg2, peerB, AssociationType.PRIMARY);
      leadGroupFrom(SITE_B_UUID, "site-b");

      WithInfo<Subcloud> answer =
          update(Caller.OPERATOR, "sc1", SubcloudUpdate.builder().peerGroup("pg2").build());

      assertThat(answer.value().peerGroupId()).isEqualTo(pg2.id());
      assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(second.id())));
      assertThat(now(association)).isEqualTo(association);
      assertThat(now(second)).isEqualTo(pushFailed(second));
    }

    @Test
    @DisplayName(
        "when the association cannot be written, the stored update is still answered with the"
            + " note, so the operator runs the sync")
    void markingFails() {
      Stores real = InMemoryStores.create();
      Stores failing =
          new Stores(
              real.systemPeers(),
              real.peerGroups(),
              new FailingAssociationUpdates(real.associations()),
              real.subclouds(),
              real.transactions());
      setUpOn(SingleSite.create(failing, new VirtualScheduler(), b -> b));

      WithInfo<Subcloud> answer = update(Caller.OPERATOR, "sc1", newDescription("moved"));

      Subcloud expected =
          member.toBuilder()
              .description("moved")
              .updatedAt(site.scheduler().now())
              .version(member.version() + 1)
              .build();
      assertThat(answer.value()).isEqualTo(expected);
      assertThat(reload(site, member)).isEqualTo(expected);
      assertThat(answer.infoMessage()).isEqualTo(Messages.outOfSyncInfo(List.of(association.id())));
      assertThat(now(association)).isEqualTo(association);
    }
  }

  @Nested
  @DisplayName("refused, nothing changed")
  class Refused {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"description", "bootstrap_address", "migrate"})
    @DisplayName("a subcloud of a primary group another site leads")
    void notLeader(String field) {
      leadGroupFrom(SITE_B_UUID, "site-b");
      SubcloudUpdate.Builder request = SubcloudUpdate.builder();
      switch (field) {
        case "description" -> request.description("moved");
        case "bootstrap_address" -> request.bootstrapAddress("10.10.10.9");
        default -> request.migrate(true);
      }

      assertRefused(
          site,
          () -> update(Caller.OPERATOR, "sc1", request.build()),
          ValidationException.class,
          Messages.SUBCLOUD_UPDATE_NOT_LEADER);
    }

    @Test
    @DisplayName("a management state is answered by the leader rule first")
    void managementStateNotLeader() {
      leadGroupFrom(SITE_B_UUID, "site-b");

      assertRefused(
          site,
          () ->
              update(
                  Caller.OPERATOR,
                  "sc1",
                  SubcloudUpdate.builder().managementState("unmanaged").build()),
          ValidationException.class,
          Messages.SUBCLOUD_UPDATE_NOT_LEADER);
    }

    @Test
    @DisplayName("a group without a leader counts as led elsewhere")
    void noLeader() {
      group =
          saved(
              site.stores()
                  .peerGroups()
                  .update(group.toBuilder().systemLeaderId(null).systemLeaderName(null).build()));

      assertRefused(
          site,
          () -> update(Caller.OPERATOR, "sc1", newDescription("moved")),
          ValidationException.class,
          Messages.SUBCLOUD_UPDATE_NOT_LEADER);
    }
  }

  @Nested
  @DisplayName("a peer site skips the leader rule and marks nothing")
  class PeerSite {

    @Test
    @DisplayName("in a group led here")
    void ledHere() {
      WithInfo<Subcloud> answer =
          update(Caller.PEER_SITE, member.regionName(), newDescription("from the peer"));

      assertThat(answer.value())
          .isEqualTo(
              member.toBuilder()
                  .description("from the peer")
                  .updatedAt(site.scheduler().now())
                  .version(member.version() + 1)
                  .build());
      assertThat(answer.infoMessage()).isNull();
      assertThat(now(association)).isEqualTo(association);
    }

    @Test
    @DisplayName("in a group another site leads")
    void ledElsewhere() {
      leadGroupFrom(SITE_B_UUID, "site-b");

      WithInfo<Subcloud> answer =
          update(
              Caller.PEER_SITE,
              member.regionName(),
              SubcloudUpdate.builder().managementState("unmanaged").build());

      assertThat(answer.value().managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(answer.infoMessage()).isNull();
      assertThat(now(association)).isEqualTo(association);
    }
  }

  @Test
  @DisplayName("a subcloud in no group is updated and marks nothing")
  void noGroup() {
    Subcloud alone = insert(site, subcloud(site, "alone"));

    WithInfo<Subcloud> answer = update(Caller.OPERATOR, "alone", newDescription("moved"));

    assertThat(answer.value().version()).isEqualTo(alone.version() + 1);
    assertThat(answer.infoMessage()).isNull();
    assertThat(now(association)).isEqualTo(association);
  }

  @Test
  @DisplayName("a non-primary group's subcloud next to a primary one: only the rules of its own")
  void groupsAreIndependent() {
    SubcloudPeerGroup secondary = group(site, "pg9", 3, SITE_B_UUID);
    insert(
        site,
        subcloud(site, "copy")
            .deployStatus(DeployStatus.SECONDARY)
            .peerGroupId(secondary.id())
            .rehomeData(rehomeData("10.10.10.4")));

    assertRefused(
        site,
        () -> update(Caller.OPERATOR, "copy", newDescription("moved")),
        ValidationException.class,
        Messages.SUBCLOUD_UPDATE_NON_PRIMARY);
  }

  /** An association store whose updates fail, as a database that went away would. */
  static final class FailingAssociationUpdates implements AssociationStore {
    private final AssociationStore delegate;

    FailingAssociationUpdates(AssociationStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public StoreResult<PeerGroupAssociation> insert(PeerGroupAssociation association) {
      return delegate.insert(association);
    }

    @Override
    public StoreResult<PeerGroupAssociation> update(PeerGroupAssociation association) {
      throw new PersistenceException("association store unavailable", null);
    }

    @Override
    public boolean delete(long id) {
      return delegate.delete(id);
    }

    @Override
    public Optional<PeerGroupAssociation> findById(long id) {
      return delegate.findById(id);
    }

    @Override
    public Optional<PeerGroupAssociation> findByGroupAndPeer(long peerGroupId, long systemPeerId) {
      return delegate.findByGroupAndPeer(peerGroupId, systemPeerId);
    }

    @Override
    public List<PeerGroupAssociation> findByPeerGroup(long peerGroupId) {
      return delegate.findByPeerGroup(peerGroupId);
    }

    @Override
    public List<PeerGroupAssociation> findBySystemPeer(long systemPeerId) {
      return delegate.findBySystemPeer(systemPeerId);
    }

    @Override
    public List<PeerGroupAssociation> findAll() {
      return delegate.findAll();
    }
  }
}
