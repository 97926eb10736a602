package io.geored.core.service;

import static io.geored.core.service.PeerFixtures.insertAssociation;
import static io.geored.core.service.PeerFixtures.insertSubcloud;
import static io.geored.core.service.PeerFixtures.peerRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.service.PeerFixtures.RecordingEvents;
import io.geored.core.service.PeerFixtures.Snapshot;
import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.PeerGroupStatus;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Reading and deleting subcloud peer groups")
class PeerGroupReadAndDeleteTest {

  private final RecordingEvents events = new RecordingEvents();
  private SingleSite site;
  private SubcloudPeerGroup pg1;
  private SubcloudPeerGroup pg2;

  @BeforeEach
  void setUp() {
    site = SingleSite.create(b -> b.eventListener(events));
    pg1 = create("pg1");
    pg2 = create("pg2");
    events.clear();
  }

  private SubcloudPeerGroup create(String name) {
    return site.site()
        .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName(name).build());
  }

  @Nested
  @DisplayName("get and list")
  class Get {

    @ParameterizedTest
    @ValueSource(strings = {"1", "pg1"})
    @DisplayName("find a group by id or name")
    void byRef(String ref) {
      assertThat(site.site().getPeerGroup(Caller.OPERATOR, ref)).isEqualTo(pg1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "nope", ""})
    @DisplayName("answer 404 for a group that does not exist")
    void unknown(String ref) {
      assertThatThrownBy(() -> site.site().getPeerGroup(Caller.OPERATOR, ref))
          .isExactlyInstanceOf(NotFoundException.class)
          .hasMessage(Messages.PEER_GROUP_NOT_FOUND);
    }

    @Test
    @DisplayName("list every group by id")
    void list() {
      assertThat(site.site().listPeerGroups(Caller.OPERATOR)).containsExactly(pg1, pg2);
    }
  }

  @Nested
  @DisplayName("members and status")
  class Members {

    private Subcloud complete;
    private Subcloud secondary;
    private Subcloud rehoming;
    private Subcloud rehomeFailed;
    private Subcloud prepFailed;
    private Subcloud pending;

    @BeforeEach
    void members() {
      complete =
          insertSubcloud(
              site.stores(), "sc1", pg1.id(), ManagementState.MANAGED, DeployStatus.COMPLETE);
      secondary =
          insertSubcloud(
              site.stores(), "sc2", pg1.id(), ManagementState.UNMANAGED, DeployStatus.SECONDARY);
      rehoming =
          insertSubcloud(
              site.stores(), "sc3", pg1.id(), ManagementState.UNMANAGED, DeployStatus.REHOMING);
      rehomeFailed =
          insertSubcloud(
              site.stores(),
              "sc4",
              pg1.id(),
              ManagementState.UNMANAGED,
              DeployStatus.REHOME_FAILED);
      prepFailed =
          insertSubcloud(
              site.stores(),
              "sc5",
              pg1.id(),
              ManagementState.UNMANAGED,
              DeployStatus.REHOME_PREP_FAILED);
      pending =
          insertSubcloud(
              site.stores(), "sc6", pg1.id(), ManagementState.MANAGED, DeployStatus.REHOME_PENDING);
      insertSubcloud(
          site.stores(), "other", pg2.id(), ManagementState.MANAGED, DeployStatus.COMPLETE);
      insertSubcloud(site.stores(), "loose", null, ManagementState.MANAGED, DeployStatus.COMPLETE);
    }

    @Test
    @DisplayName("are the group's subclouds by id")
    void subclouds() {
      assertThat(site.site().subcloudsOfPeerGroup(Caller.OPERATOR, "pg1"))
          .containsExactly(complete, secondary, rehoming, rehomeFailed, prepFailed, pending);
    }

    @Test
    @DisplayName("count the members by deploy status and management state")
    void status() {
      assertThat(site.site().peerGroupStatus(Caller.OPERATOR, "1"))
          .isEqualTo(new PeerGroupStatus(pg1.id(), "pg1", 6, 1, 1, 1, 2, 2, 4));
    }

    @Test
    @DisplayName("of an empty group are none")
    void empty() {
      SubcloudPeerGroup pg3 = create("pg3");

      assertThat(site.site().subcloudsOfPeerGroup(Caller.OPERATOR, "pg3")).isEmpty();
      assertThat(site.site().peerGroupStatus(Caller.OPERATOR, "pg3"))
          .isEqualTo(new PeerGroupStatus(pg3.id(), "pg3", 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    @DisplayName("answer 404 for an unknown group")
    void unknown() {
      assertThatThrownBy(() -> site.site().subcloudsOfPeerGroup(Caller.OPERATOR, "nope"))
          .isExactlyInstanceOf(NotFoundException.class)
          .hasMessage(Messages.PEER_GROUP_NOT_FOUND);
      assertThatThrownBy(() -> site.site().peerGroupStatus(Caller.OPERATOR, "nope"))
          .isExactlyInstanceOf(NotFoundException.class)
          .hasMessage(Messages.PEER_GROUP_NOT_FOUND);
    }
  }

  @Nested
  @DisplayName("delete")
  class Delete {

    @ParameterizedTest
    @ValueSource(strings = {"1", "pg1"})
    @DisplayName("removes the group and takes its subclouds out of it")
    void releasesMembers(String ref) {
      Subcloud member =
          insertSubcloud(
              site.stores(), "sc1", pg1.id(), ManagementState.MANAGED, DeployStatus.COMPLETE);
      Subcloud elsewhere =
          insertSubcloud(
              site.stores(), "sc2", pg2.id(), ManagementState.MANAGED, DeployStatus.COMPLETE);
      site.scheduler().advance(Duration.ofSeconds(5));

      site.site().deletePeerGroup(Caller.OPERATOR, ref);

      assertThat(site.stores().peerGroups().findAll()).containsExactly(pg2);
      assertThat(site.stores().subclouds().findAll())
          .containsExactly(
              member.toBuilder()
                  .peerGroupId(null)
                  .updatedAt(site.scheduler().now())
                  .version(2)
                  .build(),
              elsewhere);
      assertThat(events.stateChanges())
          .containsExactly(
              "subcloud sc1 peer_group_id 1->null", "peer_group pg1 exists created->null");
    }

    @Test
    @DisplayName("refuses a group an association refers to, changing nothing")
    void associated() {
      SystemPeer peer = site.site().createSystemPeer(Caller.OPERATOR, peerRequest().build());
      insertAssociation(
          site.stores(), pg1.id(), peer.id(), AssociationType.PRIMARY, SyncStatus.IN_SYNC);
      insertSubcloud(
          site.stores(), "sc1", pg1.id(), ManagementState.MANAGED, DeployStatus.COMPLETE);
      events.clear();
      Snapshot before = Snapshot.of(site.stores());

      assertThatThrownBy(() -> site.site().deletePeerGroup(Caller.OPERATOR, "pg1"))
          .isExactlyInstanceOf(ValidationException.class)
          .hasMessage(Messages.PEER_GROUP_ASSOCIATED)
          .hasMessage("Cannot delete a peer group which is associated with a system peer.");
      assertThat(Snapshot.of(site.stores())).isEqualTo(before);
      assertThat(events.stateChanges()).isEmpty();
    }

    @Test
    @DisplayName("answers 404 for an unknown group")
    void unknown() {
      Snapshot before = Snapshot.of(site.stores());

      assertThatThrownBy(() -> site.site().deletePeerGroup(Caller.OPERATOR, "nope"))
          .isExactlyInstanceOf(NotFoundException.class)
          .hasMessage(Messages.PEER_GROUP_NOT_FOUND);
      assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    }

    @Test
    @DisplayName("deletes nothing when a member keeps changing concurrently")
    void memberConflict() {
      SingleSite stale = SystemPeerUpdateTest.siteWhoseUpdatesAlwaysLose(Subcloud.class);
      SubcloudPeerGroup group =
          stale
              .site()
              .createPeerGroup(
                  Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
      insertSubcloud(
          stale.stores(), "sc1", group.id(), ManagementState.MANAGED, DeployStatus.COMPLETE);
      Snapshot before = Snapshot.of(stale.stores());

      assertThatThrownBy(() -> stale.site().deletePeerGroup(Caller.OPERATOR, "pg1"))
          .isExactlyInstanceOf(ConflictException.class)
          .hasMessage(Messages.changedConcurrently("subcloud", "sc1"));
      assertThat(Snapshot.of(stale.stores())).isEqualTo(before);
    }
  }
}
