package io.geored.core.service;

import static io.geored.core.service.PeerFixtures.PEER_NAME;
import static io.geored.core.service.PeerFixtures.PEER_UUID;
import static io.geored.core.service.PeerFixtures.text;
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
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.testkit.sim.SingleSite;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Updating a subcloud peer group")
class PeerGroupUpdateTest {

  private final RecordingEvents events = new RecordingEvents();
  private SingleSite site;
  private SubcloudPeerGroup primary;

  @BeforeEach
  void setUp() {
    site = SingleSite.create(b -> b.eventListener(events));
    primary =
        site.site()
            .createPeerGroup(
                Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    site.scheduler().advance(Duration.ofSeconds(30));
    events.clear();
  }

  private SubcloudPeerGroup update(Caller caller, String ref, PeerGroupUpdate request) {
    return site.site().updatePeerGroup(caller, ref, request);
  }

  private SubcloudPeerGroup stored(long id) {
    return site.stores().peerGroups().findById(id).orElseThrow();
  }

  private void assertRefused(
      Caller caller,
      String ref,
      PeerGroupUpdate request,
      Class<? extends Exception> type,
      String message) {
    Snapshot before = Snapshot.of(site.stores());
    assertThatThrownBy(() -> update(caller, ref, request))
        .isExactlyInstanceOf(type)
        .hasMessage(message);
    assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    assertThat(events.stateChanges()).isEmpty();
  }

  @Test
  @DisplayName("changes every field given and stamps updatedAt")
  void changesEveryField() {
    SubcloudPeerGroup answer =
        update(
            Caller.OPERATOR,
            "pg1",
            PeerGroupUpdate.builder()
                .peerGroupName("pg-renamed")
                .groupPriority(7)
                .groupState("Disabled")
                .maxSubcloudRehoming(250)
                .systemLeaderId(PEER_UUID)
                .systemLeaderName(PEER_NAME)
                .migrationStatus("MIGRATING")
                .build());

    SubcloudPeerGroup expected =
        primary.toBuilder()
            .peerGroupName("pg-renamed")
            .groupPriority(7)
            .groupState(GroupState.DISABLED)
            .maxSubcloudRehoming(250)
            .systemLeaderId(PEER_UUID)
            .systemLeaderName(PEER_NAME)
            .migrationStatus(MigrationStatus.MIGRATING)
            .updatedAt(site.scheduler().now())
            .version(2)
            .build();
    assertThat(answer).isEqualTo(expected);
    assertThat(stored(primary.id())).isEqualTo(expected);
    assertThat(events.stateChanges())
        .containsExactly(
            "peer_group pg-renamed group_priority 0->7",
            "peer_group pg-renamed system_leader_id " + SingleSite.SITE_A.uuid() + "->" + PEER_UUID,
            "peer_group pg-renamed migration_status none->migrating");
  }

  @Test
  @DisplayName("answers the group unchanged when every value equals the current one")
  void sameValues() {
    SubcloudPeerGroup answer =
        update(
            Caller.OPERATOR,
            "pg1",
            PeerGroupUpdate.builder()
                .peerGroupName("pg1")
                .groupPriority(0)
                .groupState("ENABLED")
                .maxSubcloudRehoming(10)
                .systemLeaderId(SingleSite.SITE_A.uuid())
                .systemLeaderName(SingleSite.SITE_A.name())
                .migrationStatus("none")
                .build());

    assertThat(answer).isEqualTo(primary);
    assertThat(stored(primary.id())).isEqualTo(primary);
    assertThat(events.stateChanges()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE"})
  @DisplayName("clears the migration status with none in any case")
  void clearsMigration(String none) {
    update(Caller.OPERATOR, "pg1", PeerGroupUpdate.builder().migrationStatus("complete").build());

    SubcloudPeerGroup answer =
        update(Caller.OPERATOR, "pg1", PeerGroupUpdate.builder().migrationStatus(none).build());

    assertThat(answer.migrationStatus()).isEqualTo(MigrationStatus.NONE);
    assertThat(stored(primary.id()).version()).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "pg1"})
  @DisplayName("finds the group by id or name")
  void refs(String ref) {
    assertThat(
            update(
                    Caller.OPERATOR,
                    ref,
                    PeerGroupUpdate.builder().groupPriority(0).maxSubcloudRehoming(3).build())
                .maxSubcloudRehoming())
        .isEqualTo(3);
  }

  @Test
  @DisplayName("answers 404 for an unknown group")
  void unknown() {
    assertRefused(
        Caller.OPERATOR,
        "nope",
        PeerGroupUpdate.builder().groupPriority(1).build(),
        NotFoundException.class,
        Messages.PEER_GROUP_NOT_FOUND);
  }

  @Test
  @DisplayName("refuses a missing body")
  void missingBody() {
    assertRefused(Caller.OPERATOR, "pg1", null, ValidationException.class, Messages.BODY_REQUIRED);
  }

  @Test
  @DisplayName("refuses an update that names no field")
  void nothing() {
    assertRefused(
        Caller.OPERATOR,
        "pg1",
        PeerGroupUpdate.builder().build(),
        ValidationException.class,
        Messages.NOTHING_TO_UPDATE);
  }

  @Test
  @DisplayName("refuses a name that another group has (409)")
  void nameTaken() {
    site.site()
        .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg2").build());
    events.clear();

    assertRefused(
        Caller.OPERATOR,
        "pg1",
        PeerGroupUpdate.builder().peerGroupName("pg2").build(),
        ConflictException.class,
        Messages.PEER_GROUP_NAME_EXISTS);
  }

  @Nested
  @DisplayName("a copy held for a primary site (priority above 0)")
  class NonPrimary {

    private SubcloudPeerGroup copy;

    @BeforeEach
    void copy() {
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
      events.clear();
    }

    @Test
    @DisplayName("cannot be changed by an operator, even to its current values")
    void operatorRefused() {
      assertRefused(
          Caller.OPERATOR,
          "pg-copy",
          PeerGroupUpdate.builder().maxSubcloudRehoming(5).build(),
          ValidationException.class,
          Messages.PEER_GROUP_UPDATE_NON_PRIMARY);
      assertRefused(
          Caller.OPERATOR,
          "pg-copy",
          PeerGroupUpdate.builder().groupPriority(2).build(),
          ValidationException.class,
          "Cannot update a peer group from a non-primary site.");
    }

    @Test
    @DisplayName("is changed by its primary site, calling as a peer site")
    void peerSiteAllowed() {
      SubcloudPeerGroup answer =
          update(
              Caller.PEER_SITE,
              "pg-copy",
              PeerGroupUpdate.builder()
                  .maxSubcloudRehoming(5)
                  .groupPriority(3)
                  .systemLeaderId(SingleSite.SITE_A.uuid())
                  .systemLeaderName(SingleSite.SITE_A.name())
                  .build());

      assertThat(answer)
          .isEqualTo(
              copy.toBuilder()
                  .maxSubcloudRehoming(5)
                  .groupPriority(3)
                  .systemLeaderId(SingleSite.SITE_A.uuid())
                  .systemLeaderName(SingleSite.SITE_A.name())
                  .updatedAt(site.scheduler().now())
                  .version(2)
                  .build());
    }
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("name of 255 characters", u(b -> b.peerGroupName(text('g', 255)))),
        Arguments.of("priority 65536", u(b -> b.groupPriority(65536))),
        Arguments.of("max rehoming 1", u(b -> b.maxSubcloudRehoming(1))),
        Arguments.of("max rehoming 250", u(b -> b.maxSubcloudRehoming(250))),
        Arguments.of("leader name of 255 characters", u(b -> b.systemLeaderName(text('l', 255)))),
        Arguments.of("migration complete", u(b -> b.migrationStatus("Complete"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  @DisplayName("accepts a value at its limit")
  void acceptsAtLimit(String label, UnaryOperator<PeerGroupUpdate.Builder> change) {
    PeerGroupUpdate request = change.apply(PeerGroupUpdate.builder()).build();

    SubcloudPeerGroup answer = update(Caller.OPERATOR, "pg1", request);

    assertThat(answer.version()).isEqualTo(2);
    assertThat(stored(primary.id())).isEqualTo(answer);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(u(b -> b.peerGroupName("")), Messages.INVALID_PEER_GROUP_NAME),
        Arguments.of(u(b -> b.peerGroupName("12")), Messages.INVALID_PEER_GROUP_NAME),
        Arguments.of(u(b -> b.peerGroupName("nOnE")), Messages.INVALID_PEER_GROUP_NAME),
        Arguments.of(u(b -> b.peerGroupName("a|b")), Messages.INVALID_PEER_GROUP_NAME),
        Arguments.of(u(b -> b.peerGroupName(text('g', 256))), Messages.INVALID_PEER_GROUP_NAME),
        Arguments.of(u(b -> b.groupPriority(-1)), Messages.INVALID_GROUP_PRIORITY),
        Arguments.of(u(b -> b.groupPriority(65537)), Messages.INVALID_GROUP_PRIORITY),
        Arguments.of(u(b -> b.groupState("paused")), Messages.INVALID_GROUP_STATE),
        Arguments.of(u(b -> b.maxSubcloudRehoming(0)), Messages.INVALID_MAX_SUBCLOUD_REHOMING),
        Arguments.of(u(b -> b.maxSubcloudRehoming(251)), Messages.INVALID_MAX_SUBCLOUD_REHOMING),
        Arguments.of(u(b -> b.systemLeaderId("leader")), Messages.INVALID_SYSTEM_LEADER_ID),
        Arguments.of(u(b -> b.systemLeaderId("")), "Invalid system-leader-id"),
        Arguments.of(u(b -> b.systemLeaderName("")), Messages.INVALID_SYSTEM_LEADER_NAME),
        Arguments.of(
            u(b -> b.systemLeaderName(text('l', 256))), Messages.INVALID_SYSTEM_LEADER_NAME),
        Arguments.of(u(b -> b.migrationStatus("")), Messages.INVALID_MIGRATION_STATUS),
        Arguments.of(u(b -> b.migrationStatus("migrated")), Messages.INVALID_MIGRATION_STATUS));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("refused")
  @DisplayName("refuses a bad value with its field's message and changes nothing")
  void refusesPastLimit(UnaryOperator<PeerGroupUpdate.Builder> change, String message) {
    assertRefused(
        Caller.OPERATOR,
        "pg1",
        change.apply(PeerGroupUpdate.builder()).build(),
        ValidationException.class,
        message);
  }

  @Test
  @DisplayName("names the first bad field in upstream's order")
  void validationOrder() {
    PeerGroupUpdate.Builder request =
        PeerGroupUpdate.builder()
            .peerGroupName("none")
            .groupPriority(-1)
            .groupState("x")
            .maxSubcloudRehoming(0)
            .systemLeaderId("x")
            .systemLeaderName("none")
            .migrationStatus("x");
    List<String> expected =
        List.of(
            Messages.INVALID_PEER_GROUP_NAME,
            Messages.INVALID_GROUP_PRIORITY,
            Messages.INVALID_GROUP_STATE,
            Messages.INVALID_MAX_SUBCLOUD_REHOMING,
            Messages.INVALID_SYSTEM_LEADER_ID,
            Messages.INVALID_SYSTEM_LEADER_NAME,
            Messages.INVALID_MIGRATION_STATUS);
    List<UnaryOperator<PeerGroupUpdate.Builder>> fixes =
        List.of(
            b -> b.peerGroupName(null),
            b -> b.groupPriority(null),
            b -> b.groupState(null),
            b -> b.maxSubcloudRehoming(null),
            b -> b.systemLeaderId(null),
            b -> b.systemLeaderName(null));
    for (int i = 0; i < expected.size(); i++) {
      assertRefused(
          Caller.OPERATOR, "pg1", request.build(), ValidationException.class, expected.get(i));
      if (i < fixes.size()) {
        fixes.get(i).apply(request);
      }
    }
  }

  @Test
  @DisplayName("gives up with 409 when the group keeps changing concurrently, changing nothing")
  void concurrentChange() {
    SingleSite stale = SystemPeerUpdateTest.siteWhoseUpdatesAlwaysLose(SubcloudPeerGroup.class);
    stale
        .site()
        .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    Snapshot before = Snapshot.of(stale.stores());

    assertThatThrownBy(
            () ->
                stale
                    .site()
                    .updatePeerGroup(
                        Caller.OPERATOR,
                        "pg1",
                        PeerGroupUpdate.builder().groupState("disabled").build()))
        .isExactlyInstanceOf(ConflictException.class)
        .hasMessage(Messages.changedConcurrently("peer group", "pg1"));
    assertThat(Snapshot.of(stale.stores())).isEqualTo(before);
  }

  private static UnaryOperator<PeerGroupUpdate.Builder> u(
      UnaryOperator<PeerGroupUpdate.Builder> change) {
    return change;
  }
}
