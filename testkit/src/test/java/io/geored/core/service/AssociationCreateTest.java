package io.geored.core.service;

import static io.geored.core.service.PeerFixtures.OTHER_NAME;
import static io.geored.core.service.PeerFixtures.OTHER_UUID;
import static io.geored.core.service.PeerFixtures.PEER_NAME;
import static io.geored.core.service.PeerFixtures.PEER_UUID;
import static io.geored.core.service.PeerFixtures.peerRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.geored.core.service.PeerFixtures.RecordingEvents;
import io.geored.core.service.PeerFixtures.Snapshot;
import io.geored.spi.ValidationException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Creating a peer group association")
class AssociationCreateTest {

  private final RecordingEvents events = new RecordingEvents();
  private SingleSite site;
  private SystemPeer peer;
  private SubcloudPeerGroup primaryGroup;
  private SubcloudPeerGroup copy;

  @BeforeEach
  void setUp() {
    site = SingleSite.create(b -> b.eventListener(events));
    peer = site.site().createSystemPeer(Caller.OPERATOR, peerRequest().build());
    primaryGroup =
        site.site()
            .createPeerGroup(
                Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    copy =
        site.site()
            .createPeerGroup(
                Caller.PEER_SITE,
                PeerGroupCreate.builder()
                    .peerGroupName("pg-copy")
                    .groupPriority(2)
                    .systemLeaderId(PEER_UUID)
                    .systemLeaderName(PEER_NAME)
                    .build());
    site.scheduler().advance(Duration.ofSeconds(10));
    events.clear();
  }

  private PeerGroupAssociation create(
      Caller caller, Long group, Long systemPeer, Integer priority) {
    return site.site()
        .createAssociation(
            caller,
            AssociationCreate.builder()
                .peerGroupId(group)
                .systemPeerId(systemPeer)
                .peerGroupPriority(priority)
                .build());
  }

  private void assertRefused(AssociationCreate request, String message) {
    Snapshot before = Snapshot.of(site.stores());
    assertThatThrownBy(() -> site.site().createAssociation(Caller.OPERATOR, request))
        .isExactlyInstanceOf(ValidationException.class)
        .hasMessage(message);
    assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    assertThat(events.stateChanges()).isEmpty();
  }

  private void assertRefused(Long group, Long systemPeer, Integer priority, String message) {
    assertRefused(
        AssociationCreate.builder()
            .peerGroupId(group)
            .systemPeerId(systemPeer)
            .peerGroupPriority(priority)
            .build(),
        message);
  }

  @Test
  @DisplayName("of a group this site owns is primary, carries the priority and starts syncing")
  void primary() {
    PeerGroupAssociation answer = create(Caller.OPERATOR, primaryGroup.id(), peer.id(), 2);

    PeerGroupAssociation expected =
        PeerGroupAssociation.builder()
            .id(1)
            .peerGroupId(primaryGroup.id())
            .systemPeerId(peer.id())
            .peerGroupPriority(2)
            .associationType(AssociationType.PRIMARY)
            .syncStatus(SyncStatus.SYNCING)
            .syncMessage(null)
            .createdAt(site.scheduler().now())
            .updatedAt(null)
            .version(1)
            .build();
    assertThat(answer).isEqualTo(expected);
    assertThat(site.stores().associations().findAll()).containsExactly(expected);
    assertThat(events.stateChanges()).containsExactly("association 1 exists null->created");
  }

  @Test
  @DisplayName("of a copy is non-primary, without priority, and starts syncing as upstream's does")
  void nonPrimaryFromPeerSite() {
    PeerGroupAssociation answer = create(Caller.PEER_SITE, copy.id(), peer.id(), null);

    assertThat(answer)
        .isEqualTo(
            PeerGroupAssociation.builder()
                .id(1)
                .peerGroupId(copy.id())
                .systemPeerId(peer.id())
                .peerGroupPriority(null)
                .associationType(AssociationType.NON_PRIMARY)
                .syncStatus(SyncStatus.SYNCING)
                .createdAt(site.scheduler().now())
                .version(1)
                .build());
  }

  @Test
  @DisplayName("links one group to several peers, one association each")
  void severalPeers() {
    SystemPeer other =
        site.site().createSystemPeer(Caller.OPERATOR, peerRequest(OTHER_UUID, OTHER_NAME).build());

    create(Caller.OPERATOR, primaryGroup.id(), peer.id(), 2);
    create(Caller.OPERATOR, primaryGroup.id(), other.id(), 3);

    assertThat(site.stores().associations().findByPeerGroup(primaryGroup.id()))
        .extracting(PeerGroupAssociation::systemPeerId, PeerGroupAssociation::peerGroupPriority)
        .containsExactly(tuple(peer.id(), 2), tuple(other.id(), 3));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 65536})
  @DisplayName("accepts a priority at its limit")
  void priorityAtLimit(int priority) {
    assertThat(create(Caller.OPERATOR, primaryGroup.id(), peer.id(), priority).peerGroupPriority())
        .isEqualTo(priority);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 65537, -1})
  @DisplayName("refuses a priority past its limit")
  void priorityPastLimit(int priority) {
    assertRefused(primaryGroup.id(), peer.id(), priority, Messages.INVALID_PEER_GROUP_PRIORITY);
  }

  @Test
  @DisplayName("refuses a missing body")
  void missingBody() {
    assertRefused(null, Messages.BODY_REQUIRED);
  }

  @Test
  @DisplayName("refuses a missing or unknown group")
  void unknownGroup() {
    assertRefused(null, peer.id(), 2, Messages.INVALID_PEER_GROUP_ID);
    assertRefused(99L, peer.id(), 2, Messages.INVALID_PEER_GROUP_ID);
  }

  @Test
  @DisplayName("refuses a missing or unknown system peer")
  void unknownPeer() {
    assertRefused(primaryGroup.id(), null, 2, Messages.INVALID_SYSTEM_PEER_ID);
    assertRefused(primaryGroup.id(), 99L, 2, Messages.INVALID_SYSTEM_PEER_ID);
  }

  @Test
  @DisplayName("requires a priority for a group this site owns")
  void priorityRequiredOnPrimary() {
    assertRefused(primaryGroup.id(), peer.id(), null, Messages.ASSOCIATION_PRIORITY_RULE);
  }

  @Test
  @DisplayName("refuses a priority for a copy")
  void priorityRefusedOnCopy() {
    assertRefused(copy.id(), peer.id(), 3, Messages.ASSOCIATION_PRIORITY_RULE);
  }

  @Test
  @DisplayName("refuses a second association of the same group and peer")
  void duplicate() {
    create(Caller.OPERATOR, primaryGroup.id(), peer.id(), 2);
    events.clear();

    assertRefused(primaryGroup.id(), peer.id(), 5, Messages.ASSOCIATION_EXISTS);
  }

  @Test
  @DisplayName("names the first bad field in upstream's order")
  void validationOrder() {
    create(Caller.OPERATOR, primaryGroup.id(), peer.id(), 2);
    events.clear();

    assertRefused(99L, 99L, 0, Messages.INVALID_PEER_GROUP_ID);
    assertRefused(primaryGroup.id(), 99L, 0, Messages.INVALID_SYSTEM_PEER_ID);
    assertRefused(primaryGroup.id(), peer.id(), 0, Messages.INVALID_PEER_GROUP_PRIORITY);
    assertRefused(primaryGroup.id(), peer.id(), null, Messages.ASSOCIATION_PRIORITY_RULE);
    assertRefused(primaryGroup.id(), peer.id(), 2, Messages.ASSOCIATION_EXISTS);
  }
}
