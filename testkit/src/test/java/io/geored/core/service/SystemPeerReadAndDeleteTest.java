package io.geored.core.service;

import static io.geored.core.service.PeerFixtures.OTHER_NAME;
import static io.geored.core.service.PeerFixtures.OTHER_UUID;
import static io.geored.core.service.PeerFixtures.PEER_NAME;
import static io.geored.core.service.PeerFixtures.PEER_UUID;
import static io.geored.core.service.PeerFixtures.insertAssociation;
import static io.geored.core.service.PeerFixtures.insertGroup;
import static io.geored.core.service.PeerFixtures.peerRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.service.PeerFixtures.RecordingEvents;
import io.geored.core.service.PeerFixtures.Snapshot;
import io.geored.spi.NotFoundException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Reading and deleting system peers")
class SystemPeerReadAndDeleteTest {

  private final RecordingEvents events = new RecordingEvents();
  private SingleSite site;
  private SystemPeer peer;
  private SystemPeer other;

  @BeforeEach
  void setUp() {
    site = SingleSite.create(b -> b.eventListener(events));
    peer = site.site().createSystemPeer(Caller.OPERATOR, peerRequest().build());
    other =
        site.site().createSystemPeer(Caller.OPERATOR, peerRequest(OTHER_UUID, OTHER_NAME).build());
    events.clear();
  }

  @Nested
  @DisplayName("get")
  class Get {

    @ParameterizedTest
    @ValueSource(strings = {"1", PEER_UUID, PEER_NAME})
    @DisplayName("finds a peer by id, uuid or name, without its password")
    void byRef(String ref) {
      assertThat(site.site().getSystemPeer(Caller.OPERATOR, ref)).isEqualTo(peer);
      assertThat(peer.managerPassword()).isEqualTo(Secret.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"99", "dddddddd-0000-4000-8000-000000000004", "nobody", ""})
    @DisplayName("answers 404 for a peer that does not exist")
    void unknown(String ref) {
      assertThatThrownBy(() -> site.site().getSystemPeer(Caller.OPERATOR, ref))
          .isExactlyInstanceOf(NotFoundException.class)
          .hasMessage(Messages.SYSTEM_PEER_NOT_FOUND);
    }

    @Test
    @DisplayName("lists every peer by id, without passwords")
    void list() {
      assertThat(site.site().listSystemPeers(Caller.OPERATOR)).containsExactly(peer, other);
      assertThat(site.stores().systemPeers().findAll())
          .extracting(p -> p.managerPassword().isEmpty())
          .containsExactly(false, false);
    }
  }

  @Nested
  @DisplayName("peer groups of a peer")
  class PeerGroups {

    @Test
    @DisplayName("are the local groups associated with it, by group id")
    void associatedGroups() {
      SubcloudPeerGroup pg1 = insertGroup(site.stores(), "pg1", 0);
      SubcloudPeerGroup pg2 = insertGroup(site.stores(), "pg2", 3);
      SubcloudPeerGroup pg3 = insertGroup(site.stores(), "pg3", 0);
      insertAssociation(
          site.stores(), pg3.id(), peer.id(), AssociationType.PRIMARY, SyncStatus.IN_SYNC);
      insertAssociation(
          site.stores(), pg2.id(), peer.id(), AssociationType.NON_PRIMARY, SyncStatus.IN_SYNC);
      insertAssociation(
          site.stores(), pg1.id(), other.id(), AssociationType.PRIMARY, SyncStatus.IN_SYNC);

      assertThat(site.site().peerGroupsOfSystemPeer(Caller.OPERATOR, PEER_NAME))
          .containsExactly(pg2, pg3);
      assertThat(site.site().peerGroupsOfSystemPeer(Caller.OPERATOR, OTHER_UUID))
          .containsExactly(pg1);
    }

    @Test
    @DisplayName("are none for a peer without associations")
    void none() {
      insertGroup(site.stores(), "pg1", 0);

      assertThat(site.site().peerGroupsOfSystemPeer(Caller.OPERATOR, "1")).isEmpty();
    }

    @Test
    @DisplayName("answer 404 for an unknown peer")
    void unknown() {
      assertThatThrownBy(() -> site.site().peerGroupsOfSystemPeer(Caller.OPERATOR, "nobody"))
          .isExactlyInstanceOf(NotFoundException.class)
          .hasMessage(Messages.SYSTEM_PEER_NOT_FOUND);
    }
  }

  @Nested
  @DisplayName("delete")
  class Delete {

    @ParameterizedTest
    @ValueSource(strings = {"1", PEER_UUID, PEER_NAME})
    @DisplayName("removes a peer found by id, uuid or name")
    void byRef(String ref) {
      site.site().deleteSystemPeer(Caller.OPERATOR, ref);

      assertThat(site.stores().systemPeers().findAll())
          .extracting(SystemPeer::peerName)
          .containsExactly(OTHER_NAME);
      assertThat(events.stateChanges()).containsExactly("system_peer site-b exists created->null");
    }

    @Test
    @DisplayName("refuses a peer an association refers to, changing nothing")
    void associated() {
      SubcloudPeerGroup group = insertGroup(site.stores(), "pg1", 2);
      insertAssociation(
          site.stores(), group.id(), peer.id(), AssociationType.NON_PRIMARY, SyncStatus.IN_SYNC);
      Snapshot before = Snapshot.of(site.stores());

      assertThatThrownBy(() -> site.site().deleteSystemPeer(Caller.OPERATOR, PEER_NAME))
          .isExactlyInstanceOf(ValidationException.class)
          .hasMessage(Messages.SYSTEM_PEER_ASSOCIATED)
          .hasMessage("Cannot delete a system peer which is associated with peer group.");
      assertThat(Snapshot.of(site.stores())).isEqualTo(before);
      assertThat(events.stateChanges()).isEmpty();
    }

    @Test
    @DisplayName("answers 404 for an unknown peer, changing nothing")
    void unknown() {
      Snapshot before = Snapshot.of(site.stores());

      assertThatThrownBy(() -> site.site().deleteSystemPeer(Caller.OPERATOR, "nobody"))
          .isExactlyInstanceOf(NotFoundException.class)
          .hasMessage(Messages.SYSTEM_PEER_NOT_FOUND);
      assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    }
  }
}
