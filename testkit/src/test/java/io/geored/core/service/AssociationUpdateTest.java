package io.geored.core.service;

import static io.geored.core.service.PeerFixtures.PEER_NAME;
import static io.geored.core.service.PeerFixtures.PEER_UUID;
import static io.geored.core.service.PeerFixtures.peerRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.service.PeerFixtures.RecordingEvents;
import io.geored.core.service.PeerFixtures.Snapshot;
import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AssociationUpdate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SingleSite;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Updating a peer group association")
class AssociationUpdateTest {

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
    site.scheduler().advance(Duration.ofSeconds(20));
    // The primary's first sync ran meanwhile (and failed: the fixture's peer is unreachable).
    primary = stored(primary.id());
    nonPrimary = stored(nonPrimary.id());
    events.clear();
  }

  private PeerGroupAssociation update(Caller caller, long id, AssociationUpdate request) {
    return site.site().updateAssociation(caller, id, request);
  }

  private PeerGroupAssociation stored(long id) {
    return site.stores().associations().findById(id).orElseThrow();
  }

  private void assertRefused(
      long id, AssociationUpdate request, Class<? extends Exception> type, String message) {
    Snapshot before = Snapshot.of(site.stores());
    assertThatThrownBy(() -> update(Caller.OPERATOR, id, request))
        .isExactlyInstanceOf(type)
        .hasMessage(message);
    assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    assertThat(events.stateChanges()).isEmpty();
  }

  private static AssociationUpdate priority(Integer value) {
    return AssociationUpdate.builder().peerGroupPriority(value).build();
  }

  private static AssociationUpdate status(String value) {
    return AssociationUpdate.builder().syncStatus(value).build();
  }

  @Nested
  @DisplayName("of a primary association")
  class Primary {

    @ParameterizedTest
    @ValueSource(ints = {1, 65536})
    @DisplayName("changes the priority, at its limits")
    void priorityAtLimit(int value) {
      PeerGroupAssociation answer = update(Caller.OPERATOR, primary.id(), priority(value));

      PeerGroupAssociation expected =
          primary.toBuilder()
              .peerGroupPriority(value)
              .syncStatus(SyncStatus.SYNCING)
              .syncMessage(null)
              .updatedAt(site.scheduler().now())
              .version(primary.version() + 1)
              .build();
      assertThat(answer).isEqualTo(expected);
      assertThat(stored(primary.id())).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65537})
    @DisplayName("refuses a priority past its limits")
    void priorityPastLimit(int value) {
      assertRefused(
          primary.id(),
          priority(value),
          ValidationException.class,
          Messages.INVALID_PEER_GROUP_PRIORITY);
    }

    @Test
    @DisplayName("answers it unchanged for the current priority")
    void samePriority() {
      assertThat(update(Caller.OPERATOR, primary.id(), priority(2))).isEqualTo(primary);
      assertThat(stored(primary.id())).isEqualTo(primary);
      assertThat(events.stateChanges()).isEmpty();
    }

    @Test
    @DisplayName("refuses a sync status: its own site sets it")
    void statusRefused() {
      assertRefused(
          primary.id(),
          status("in-sync"),
          ValidationException.class,
          Messages.ASSOCIATION_STATUS_PRIMARY);
    }

    @Test
    @DisplayName("checks a bad sync status before the type")
    void badStatusFirst() {
      assertRefused(
          primary.id(), status("done"), ValidationException.class, Messages.INVALID_SYNC_STATUS);
    }

    @Test
    @DisplayName("gives up with 409 when it keeps changing concurrently")
    void concurrentChange() {
      SingleSite stale =
          SystemPeerUpdateTest.siteWhoseUpdatesAlwaysLose(PeerGroupAssociation.class);
      SystemPeer peer = stale.site().createSystemPeer(Caller.OPERATOR, peerRequest().build());
      long pg =
          stale
              .site()
              .createPeerGroup(
                  Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build())
              .id();
      PeerGroupAssociation association =
          stale
              .site()
              .createAssociation(
                  Caller.OPERATOR,
                  AssociationCreate.builder()
                      .peerGroupId(pg)
                      .systemPeerId(peer.id())
                      .peerGroupPriority(2)
                      .build());
      Snapshot before = Snapshot.of(stale.stores());

      assertThatThrownBy(
              () -> stale.site().updateAssociation(Caller.OPERATOR, association.id(), priority(9)))
          .isExactlyInstanceOf(ConflictException.class)
          .hasMessage(Messages.changedConcurrently("association", "1"));
      assertThat(Snapshot.of(stale.stores())).isEqualTo(before);
    }
  }

  @Nested
  @DisplayName("of a non-primary association")
  class NonPrimary {

    @ParameterizedTest
    @CsvSource({
      "in-sync, IN_SYNC",
      "out-of-sync, OUT_OF_SYNC",
      "Unknown, UNKNOWN",
      "SYNCING, SYNCING"
    })
    @DisplayName("takes the status its primary reports and clears the message")
    void statusClearsMessage(String wire, SyncStatus expectedStatus) {
      update(Caller.PEER_SITE, nonPrimary.id(), status("failed"));

      PeerGroupAssociation answer = update(Caller.PEER_SITE, nonPrimary.id(), status(wire));

      PeerGroupAssociation expected =
          nonPrimary.toBuilder()
              .syncStatus(expectedStatus)
              .syncMessage(null)
              .updatedAt(site.scheduler().now())
              .version(3)
              .build();
      assertThat(answer).isEqualTo(expected);
      assertThat(stored(nonPrimary.id())).isEqualTo(expected);
    }

    @Test
    @DisplayName("failed carries the primary's failure message")
    void failed() {
      PeerGroupAssociation answer = update(Caller.PEER_SITE, nonPrimary.id(), status("failed"));

      assertThat(answer)
          .isEqualTo(
              nonPrimary.toBuilder()
                  .syncStatus(SyncStatus.FAILED)
                  .syncMessage("Primary association sync to current site failed.")
                  .updatedAt(site.scheduler().now())
                  .version(2)
                  .build());
      assertThat(events.stateChanges())
          .containsExactly("association 2 sync_status syncing->failed");
    }

    @Test
    @DisplayName("answers it unchanged for the current status")
    void sameStatus() {
      assertThat(update(Caller.PEER_SITE, nonPrimary.id(), status("syncing")))
          .isEqualTo(nonPrimary);
      assertThat(stored(nonPrimary.id()).version()).isEqualTo(1);
    }

    @Test
    @DisplayName("refuses a priority: the primary site owns it")
    void priorityRefused() {
      assertRefused(
          nonPrimary.id(),
          priority(3),
          ValidationException.class,
          Messages.ASSOCIATION_PRIORITY_NON_PRIMARY);
    }

    @Test
    @DisplayName("checks a bad priority before the type")
    void badPriorityFirst() {
      assertRefused(
          nonPrimary.id(),
          priority(0),
          ValidationException.class,
          Messages.INVALID_PEER_GROUP_PRIORITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "done", "in_sync"})
    @DisplayName("refuses an unknown sync status")
    void badStatus(String value) {
      assertRefused(
          nonPrimary.id(), status(value), ValidationException.class, Messages.INVALID_SYNC_STATUS);
    }
  }

  @Test
  @DisplayName("refuses a missing body")
  void missingBody() {
    assertRefused(primary.id(), null, ValidationException.class, Messages.BODY_REQUIRED);
  }

  @Test
  @DisplayName("refuses an update that names no field")
  void nothing() {
    assertRefused(
        primary.id(),
        AssociationUpdate.builder().build(),
        ValidationException.class,
        Messages.NOTHING_TO_UPDATE);
  }

  @Test
  @DisplayName("refuses both fields at once, whatever the type")
  void both() {
    AssociationUpdate both =
        AssociationUpdate.builder().peerGroupPriority(3).syncStatus("in-sync").build();

    assertRefused(
        primary.id(), both, ValidationException.class, Messages.ASSOCIATION_PRIORITY_AND_STATUS);
    assertRefused(
        nonPrimary.id(), both, ValidationException.class, Messages.ASSOCIATION_PRIORITY_AND_STATUS);
  }

  @Test
  @DisplayName("answers 404 for an unknown association")
  void unknown() {
    assertRefused(99, priority(3), NotFoundException.class, Messages.ASSOCIATION_NOT_FOUND);
  }
}
