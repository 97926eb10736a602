package io.geored.core.service;

import static io.geored.core.service.PeerFixtures.PEER_NAME;
import static io.geored.core.service.PeerFixtures.PEER_UUID;
import static io.geored.core.service.PeerFixtures.peerRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.service.PeerFixtures.RecordingEvents;
import io.geored.core.service.PeerFixtures.Snapshot;
import io.geored.spi.NotFoundException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading and deleting peer group associations")
class AssociationReadAndDeleteTest {

  private final RecordingEvents events = new RecordingEvents();
  private SingleSite site;
  private PeerGroupAssociation primary;
  private PeerGroupAssociation nonPrimary;

  @BeforeEach
  void setUp() {
    site = SingleSite.create(b -> b.eventListener(events));
    SystemPeer peer = site.site().createSystemPeer(Caller.OPERATOR, peerRequest().build());
    long pg1 =
        site.site()
            .createPeerGroup(
                Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build())
            .id();
    long copy =
        site.site()
            .createPeerGroup(
                Caller.PEER_SITE,
                PeerGroupCreate.builder()
                    .peerGroupName("pg-copy")
                    .groupPriority(2)
                    .systemLeaderId(PEER_UUID)
                    .systemLeaderName(PEER_NAME)
                    .build())
            .id();
    primary =
        site.site()
            .createAssociation(
                Caller.OPERATOR,
                AssociationCreate.builder()
                    .peerGroupId(pg1)
                    .systemPeerId(peer.id())
                    .peerGroupPriority(2)
                    .build());
    nonPrimary =
        site.site()
            .createAssociation(
                Caller.PEER_SITE,
                AssociationCreate.builder().peerGroupId(copy).systemPeerId(peer.id()).build());
    events.clear();
  }

  @Test
  @DisplayName("get finds an association by id")
  void get() {
    assertThat(site.site().getAssociation(Caller.OPERATOR, 2)).isEqualTo(nonPrimary);
  }

  @Test
  @DisplayName("get answers 404 for an unknown id")
  void getUnknown() {
    assertThatThrownBy(() -> site.site().getAssociation(Caller.OPERATOR, 7))
        .isExactlyInstanceOf(NotFoundException.class)
        .hasMessage(Messages.ASSOCIATION_NOT_FOUND);
  }

  @Test
  @DisplayName("list answers every association by id")
  void list() {
    assertThat(site.site().listAssociations(Caller.OPERATOR)).containsExactly(primary, nonPrimary);
  }

  @Test
  @DisplayName(
      "delete of a primary association whose peer is unreachable is refused (422) naming the peer,"
          + " and changes nothing, so nothing on the peer is stranded")
  void deletePrimaryWithPeerDown() {
    assertThatThrownBy(() -> site.site().deleteAssociation(Caller.OPERATOR, primary.id()))
        .isExactlyInstanceOf(io.geored.spi.UnprocessableException.class)
        .hasMessage("Peer site (" + PEER_NAME + ") is unreachable.");

    assertThat(site.stores().associations().findById(primary.id())).contains(primary);
  }

  @Test
  @DisplayName("delete removes a non-primary association")
  void deleteNonPrimary() {
    site.site().deleteAssociation(Caller.PEER_SITE, nonPrimary.id());

    assertThat(site.stores().associations().findAll()).containsExactly(primary);
  }

  @Test
  @DisplayName("once deleted, its group may be deleted; the peer stays held by the other one")
  void unblocksDeletes() {
    site.site().deleteAssociation(Caller.PEER_SITE, nonPrimary.id());

    site.site().deletePeerGroup(Caller.PEER_SITE, "pg-copy");

    assertThat(site.stores().peerGroups().findAll())
        .extracting(g -> g.peerGroupName())
        .containsExactly("pg1");
    assertThatThrownBy(() -> site.site().deleteSystemPeer(Caller.OPERATOR, PEER_NAME))
        .isExactlyInstanceOf(io.geored.spi.ValidationException.class)
        .hasMessage(Messages.SYSTEM_PEER_ASSOCIATED);
  }

  @Test
  @DisplayName("delete answers 404 for an unknown id, changing nothing")
  void deleteUnknown() {
    Snapshot before = Snapshot.of(site.stores());

    assertThatThrownBy(() -> site.site().deleteAssociation(Caller.OPERATOR, 7))
        .isExactlyInstanceOf(NotFoundException.class)
        .hasMessage(Messages.ASSOCIATION_NOT_FOUND);
    assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    assertThat(events.stateChanges()).isEmpty();
  }
}
