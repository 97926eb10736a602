package io.geored.core.service;

import static io.geored.core.service.SubcloudFixtures.SITE_B_UUID;
import static io.geored.core.service.SubcloudFixtures.assertRefused;
import static io.geored.core.service.SubcloudFixtures.associate;
import static io.geored.core.service.SubcloudFixtures.bootstrapValues;
import static io.geored.core.service.SubcloudFixtures.group;
import static io.geored.core.service.SubcloudFixtures.insert;
import static io.geored.core.service.SubcloudFixtures.insertManagedOnline;
import static io.geored.core.service.SubcloudFixtures.peer;
import static io.geored.core.service.SubcloudFixtures.primaryGroupLedHere;
import static io.geored.core.service.SubcloudFixtures.recordedSite;
import static io.geored.core.service.SubcloudFixtures.rehomeData;
import static io.geored.core.service.SubcloudFixtures.reload;
import static io.geored.core.service.SubcloudFixtures.subcloud;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Putting a subcloud into a peer group and taking it out")
class SubcloudPeerGroupMembershipTest {

  private static SubcloudUpdate join(String ref) {
    return SubcloudUpdate.builder().peerGroup(ref).build();
  }

  /** A managed, online, complete subcloud with rehome data: ready to join. */
  private static Subcloud ready(SingleSite site, String name) {
    return insert(
        site,
        subcloud(site, name)
            .managementState(ManagementState.MANAGED)
            .availabilityStatus(AvailabilityStatus.ONLINE)
            .rehomeData(rehomeData("10.10.10.2")));
  }

  /** An unmanaged, offline secondary copy, as a peer's sync leaves it. */
  private static Subcloud secondaryCopy(SingleSite site, String name, Long groupId) {
    return insert(
        site,
        subcloud(site, name)
            .deployStatus(DeployStatus.SECONDARY)
            .peerGroupId(groupId)
            .rehomeData(rehomeData("10.10.10.2")));
  }

  @Nested
  @DisplayName("joining")
  class Joining {

    @Test
    @DisplayName("an operator adds a ready subcloud to a primary group this site leads, by id")
    void byId() {
      SubcloudFixtures.Recorded recorded = recordedSite();
      SingleSite site = recorded.site;
      SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
      Subcloud sc = ready(site, "sc1");

      Subcloud after =
          site.site()
              .updateSubcloud(Caller.OPERATOR, "sc1", join(String.valueOf(group.id())))
              .value();

      assertThat(after)
          .isEqualTo(
              sc.toBuilder()
                  .peerGroupId(group.id())
                  .updatedAt(site.scheduler().now())
                  .version(sc.version() + 1)
                  .build());
      assertThat(recorded.stateChanges())
          .contains(
              new GeoredEvent.StateChanged(
                  site.scheduler().now(),
                  "subcloud",
                  "sc1",
                  "peer_group_id",
                  null,
                  String.valueOf(group.id())));
    }

    @Test
    @DisplayName("a group is also named by its name")
    void byName() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
      Subcloud sc = ready(site, "sc1");

      site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("pg1"));

      assertThat(reload(site, sc).peerGroupId()).isEqualTo(group.id());
    }

    @Test
    @DisplayName(
        "a subcloud without rehome data joins when bootstrap values and address come along")
    void withBootstrap() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
      Subcloud sc = insertManagedOnline(site, "sc1");

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.OPERATOR,
                  "sc1",
                  SubcloudUpdate.builder()
                      .peerGroup("pg1")
                      .bootstrapValues(bootstrapValues())
                      .bootstrapAddress("10.10.10.2")
                      .build())
              .value();

      assertThat(after.peerGroupId()).isEqualTo(group.id());
      assertThat(after.rehomeData().bootstrapAddress()).contains("10.10.10.2");
      assertThat(after.version()).isEqualTo(sc.version() + 1);
    }

    @Test
    @DisplayName("naming the group the subcloud is already in changes nothing")
    void sameGroup() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
      Subcloud sc =
          insert(
              site,
              subcloud(site, "sc1")
                  .managementState(ManagementState.MANAGED)
                  .availabilityStatus(AvailabilityStatus.ONLINE)
                  .rehomeData(rehomeData("10.10.10.2"))
                  .peerGroupId(group.id()));

      Subcloud after = site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("pg1")).value();

      assertThat(after).isEqualTo(sc);
      assertThat(reload(site, sc)).isEqualTo(sc);
    }

    @Test
    @DisplayName(
        "a peer site puts its unmanaged, offline copy into a non-primary group led elsewhere")
    void peerSiteCopy() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = group(site, "pg1", 1, SITE_B_UUID);
      Subcloud copy = secondaryCopy(site, "sc1", null);

      Subcloud after =
          site.site()
              .updateSubcloud(Caller.PEER_SITE, copy.regionName(), join(String.valueOf(group.id())))
              .value();

      assertThat(after.peerGroupId()).isEqualTo(group.id());
      assertThat(after.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    }

    @Test
    @DisplayName("a peer site re-adding a copy to its non-primary group by name is no move")
    void peerSiteSameGroupByName() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = group(site, "pg1", 1, SITE_B_UUID);
      Subcloud copy = secondaryCopy(site, "sc1", group.id());

      Subcloud after =
          site.site().updateSubcloud(Caller.PEER_SITE, copy.regionName(), join("pg1")).value();

      assertThat(after).isEqualTo(copy);
    }
  }

  @Nested
  @DisplayName("joining refused, nothing changed")
  class JoiningRefused {

    @Test
    @DisplayName("without rehome data and without bootstrap values")
    void noBootstrap() {
      SingleSite site = SingleSite.create();
      primaryGroupLedHere(site, "pg1");
      insertManagedOnline(site, "sc1");

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR,
                      "sc1",
                      SubcloudUpdate.builder()
                          .peerGroup("pg1")
                          .bootstrapAddress("10.1.1.1")
                          .build()),
          ValidationException.class,
          Messages.SUBCLOUD_GROUP_NEEDS_BOOTSTRAP);
    }

    @Test
    @DisplayName("without rehome data, with bootstrap values but no address")
    void valuesWithoutAddress() {
      SingleSite site = SingleSite.create();
      primaryGroupLedHere(site, "pg1");
      insertManagedOnline(site, "sc1");

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR,
                      "sc1",
                      SubcloudUpdate.builder()
                          .peerGroup("pg1")
                          .bootstrapValues(bootstrapValues())
                          .build()),
          ValidationException.class,
          Messages.SUBCLOUD_GROUP_NEEDS_BOOTSTRAP);
    }

    @Test
    @DisplayName("the bootstrap rule applies to a peer site too")
    void peerNoBootstrap() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = group(site, "pg1", 1, SITE_B_UUID);
      Subcloud sc = insert(site, subcloud(site, "sc1").deployStatus(DeployStatus.SECONDARY));

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.PEER_SITE, sc.regionName(), join(String.valueOf(group.id()))),
          ValidationException.class,
          Messages.SUBCLOUD_GROUP_NEEDS_BOOTSTRAP);
    }

    @ParameterizedTest(name = "ref \"{0}\"")
    @ValueSource(strings = {"pg-unknown", "999", " "})
    @DisplayName("an unknown group")
    void unknownGroup(String ref) {
      SingleSite site = SingleSite.create();
      primaryGroupLedHere(site, "pg1");
      ready(site, "sc1");

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", join(ref)),
          ValidationException.class,
          Messages.INVALID_PEER_GROUP);
    }

    @Test
    @DisplayName("an unknown group named by a peer site")
    void peerUnknownGroup() {
      SingleSite site = SingleSite.create();
      Subcloud copy = secondaryCopy(site, "sc1", null);

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.PEER_SITE, copy.regionName(), join("777")),
          ValidationException.class,
          Messages.INVALID_PEER_GROUP);
    }

    @Test
    @DisplayName("an operator naming a group with non-zero priority")
    void nonZeroPriority() {
      SingleSite site = SingleSite.create();
      group(site, "pg1", 1, SingleSite.SITE_A.uuid());
      ready(site, "sc1");

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("pg1")),
          ValidationException.class,
          Messages.SUBCLOUD_GROUP_NON_ZERO_PRIORITY);
    }

    @Test
    @DisplayName("the priority rule is answered first when every other rule is broken too")
    void priorityFirst() {
      SingleSite site = SingleSite.create();
      group(site, "pg1", 2, SITE_B_UUID);
      insert(site, subcloud(site, "sc1").rehomeData(rehomeData("10.10.10.2")));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("pg1")),
          ValidationException.class,
          Messages.SUBCLOUD_GROUP_NON_ZERO_PRIORITY);
    }

    @Test
    @DisplayName("an operator naming a primary group another site leads")
    void notLeader() {
      SingleSite site = SingleSite.create();
      group(site, "pg1", 0, SITE_B_UUID);
      ready(site, "sc1");

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("pg1")),
          ValidationException.class,
          Messages.SUBCLOUD_GROUP_NOT_LEADER);
    }

    @Test
    @DisplayName("the leader rule is answered before readiness")
    void leaderBeforeReady() {
      SingleSite site = SingleSite.create();
      group(site, "pg1", 0, SITE_B_UUID);
      insert(site, subcloud(site, "sc1").rehomeData(rehomeData("10.10.10.2")));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("pg1")),
          ValidationException.class,
          Messages.SUBCLOUD_GROUP_NOT_LEADER);
    }

    @Test
    @DisplayName("an operator adding an unmanaged subcloud")
    void unmanaged() {
      SingleSite site = SingleSite.create();
      primaryGroupLedHere(site, "pg1");
      insert(
          site,
          subcloud(site, "sc1")
              .availabilityStatus(AvailabilityStatus.ONLINE)
              .rehomeData(rehomeData("10.10.10.2")));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("pg1")),
          ValidationException.class,
          Messages.SUBCLOUD_GROUP_NOT_READY);
    }

    @Test
    @DisplayName("an operator adding an offline subcloud")
    void offline() {
      SingleSite site = SingleSite.create();
      primaryGroupLedHere(site, "pg1");
      insert(
          site,
          subcloud(site, "sc1")
              .managementState(ManagementState.MANAGED)
              .rehomeData(rehomeData("10.10.10.2")));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("pg1")),
          ValidationException.class,
          Messages.SUBCLOUD_GROUP_NOT_READY);
    }

    @Test
    @DisplayName("an operator adding a subcloud that is not complete")
    void notComplete() {
      SingleSite site = SingleSite.create();
      primaryGroupLedHere(site, "pg1");
      insert(
          site,
          subcloud(site, "sc1")
              .managementState(ManagementState.MANAGED)
              .availabilityStatus(AvailabilityStatus.ONLINE)
              .deployStatus(DeployStatus.CONFIG_FAILED)
              .rehomeData(rehomeData("10.10.10.2")));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("pg1")),
          ValidationException.class,
          Messages.SUBCLOUD_GROUP_NOT_READY);
    }

    @ParameterizedTest(name = "caller {0}")
    @ValueSource(strings = {"OPERATOR", "PEER_SITE"})
    @DisplayName("moving a subcloud out of a non-primary group into another")
    void moveFromNonPrimary(String caller) {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup from = group(site, "pg-b", 1, SITE_B_UUID);
      primaryGroupLedHere(site, "pg1");
      Subcloud copy = secondaryCopy(site, "sc1", from.id());

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      caller.equals("OPERATOR") ? Caller.OPERATOR : Caller.PEER_SITE,
                      copy.name(),
                      join("pg1")),
          ValidationException.class,
          Messages.SUBCLOUD_MOVE_FROM_NON_PRIMARY);
    }

    @Test
    @DisplayName("the move rule is answered before an unknown group, as upstream checks it first")
    void moveBeforeUnknown() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup from = group(site, "pg-b", 1, SITE_B_UUID);
      Subcloud copy = secondaryCopy(site, "sc1", from.id());

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.PEER_SITE, copy.regionName(), join("nope")),
          ValidationException.class,
          Messages.SUBCLOUD_MOVE_FROM_NON_PRIMARY);
    }
  }

  @Nested
  @DisplayName("leaving")
  class Leaving {

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"none", "NONE", "None"})
    @DisplayName("none in any case takes the subcloud out of a primary group led here")
    void leave(String none) {
      SubcloudFixtures.Recorded recorded = recordedSite();
      SingleSite site = recorded.site;
      SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
      Subcloud sc =
          insert(
              site,
              subcloud(site, "sc1").peerGroupId(group.id()).rehomeData(rehomeData("10.10.10.2")));

      Subcloud after = site.site().updateSubcloud(Caller.OPERATOR, "sc1", join(none)).value();

      assertThat(after)
          .isEqualTo(
              sc.toBuilder()
                  .peerGroupId(null)
                  .updatedAt(site.scheduler().now())
                  .version(sc.version() + 1)
                  .build());
      assertThat(after.rehomeData()).isEqualTo(rehomeData("10.10.10.2"));
      assertThat(recorded.stateChanges())
          .containsExactly(
              new GeoredEvent.StateChanged(
                  site.scheduler().now(),
                  "subcloud",
                  "sc1",
                  "peer_group_id",
                  String.valueOf(group.id()),
                  null));
    }

    @Test
    @DisplayName("none for a subcloud in no group changes nothing")
    void notInGroup() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1"));

      Subcloud after = site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("none")).value();

      assertThat(after).isEqualTo(sc);
      assertThat(reload(site, sc)).isEqualTo(sc);
    }

    @Test
    @DisplayName("a non-primary group led here may be left while its peer is unavailable")
    void nonPrimaryPeerUnavailable() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = group(site, "pg1", 1, SingleSite.SITE_A.uuid());
      SystemPeer peer = peer(site, "site-b", PeerAvailability.UNAVAILABLE);
      associate(site, group, peer, AssociationType.NON_PRIMARY);
      Subcloud sc = insert(site, subcloud(site, "sc1").peerGroupId(group.id()));

      Subcloud after = site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("none")).value();

      assertThat(after.peerGroupId()).isNull();
      assertThat(after.version()).isEqualTo(sc.version() + 1);
    }

    @Test
    @DisplayName("refused from a group another site leads")
    void notLeader() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = group(site, "pg1", 0, SITE_B_UUID);
      insert(site, subcloud(site, "sc1").peerGroupId(group.id()));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("none")),
          ValidationException.class,
          Messages.SUBCLOUD_REMOVE_NOT_LEADER);
    }

    @Test
    @DisplayName("refused from a group another site leads, for a peer site too")
    void notLeaderPeer() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = group(site, "pg1", 1, SITE_B_UUID);
      Subcloud copy = secondaryCopy(site, "sc1", group.id());

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.PEER_SITE, copy.regionName(), join("none")),
          ValidationException.class,
          Messages.SUBCLOUD_REMOVE_NOT_LEADER);
    }

    @Test
    @DisplayName("refused from a non-primary group led here while its system peer is available")
    void peerAvailable() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = group(site, "pg1", 1, SingleSite.SITE_A.uuid());
      SystemPeer peer = peer(site, "site-b", PeerAvailability.AVAILABLE);
      associate(site, group, peer, AssociationType.NON_PRIMARY);
      insert(site, subcloud(site, "sc1").peerGroupId(group.id()));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("none")),
          ValidationException.class,
          Messages.SUBCLOUD_REMOVE_PEER_AVAILABLE);
    }

    @Test
    @DisplayName("refused from a non-primary group without any association, to be safe")
    void noAssociation() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = group(site, "pg1", 1, SingleSite.SITE_A.uuid());
      insert(site, subcloud(site, "sc1").peerGroupId(group.id()));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("none")),
          ValidationException.class,
          Messages.SUBCLOUD_REMOVE_PEER_AVAILABLE);
    }

    @Test
    @DisplayName("a primary group led here may be left while its peer is available")
    void primaryPeerAvailable() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
      SystemPeer peer = peer(site, "site-b", PeerAvailability.AVAILABLE);
      associate(site, group, peer, AssociationType.PRIMARY);
      insert(
          site, subcloud(site, "sc1").peerGroupId(group.id()).rehomeData(rehomeData("10.10.10.2")));

      Subcloud after = site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("none")).value();

      assertThat(after.peerGroupId()).isNull();
      assertThat(after.rehomeData()).isEqualTo(rehomeData("10.10.10.2"));
    }
  }

  @Test
  @DisplayName("rehome data kept after leaving lets the subcloud rejoin without bootstrap values")
  void rejoin() {
    SingleSite site = SingleSite.create();
    SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
    Subcloud sc =
        insert(
            site,
            subcloud(site, "sc1")
                .managementState(ManagementState.MANAGED)
                .availabilityStatus(AvailabilityStatus.ONLINE)
                .peerGroupId(group.id())
                .rehomeData(rehomeData("10.10.10.2")));

    site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("none"));
    site.site().updateSubcloud(Caller.OPERATOR, "sc1", join("pg1"));

    Subcloud after = reload(site, sc);
    assertThat(after.peerGroupId()).isEqualTo(group.id());
    assertThat(after.rehomeData()).isEqualTo(rehomeData("10.10.10.2"));
    assertThat(after.rehomeData().savedPayload().orElseThrow())
        .containsEntry(RehomeData.BOOTSTRAP_ADDRESS, "10.10.10.2");
  }
}
