package io.geored.core.service;

import static io.geored.core.service.PeerFixtures.PEER_NAME;
import static io.geored.core.service.PeerFixtures.PEER_UUID;
import static io.geored.core.service.PeerFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.service.PeerFixtures.RecordingEvents;
import io.geored.core.service.PeerFixtures.Snapshot;
import io.geored.spi.ConflictException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.testkit.sim.SingleSite;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Creating a subcloud peer group")
class PeerGroupCreateTest {

  private final RecordingEvents events = new RecordingEvents();
  private SingleSite site;

  @BeforeEach
  void setUp() {
    site = SingleSite.create(b -> b.eventListener(events));
    site.scheduler().advance(Duration.ofMinutes(3));
  }

  private SubcloudPeerGroup create(PeerGroupCreate request) {
    return site.site().createPeerGroup(Caller.OPERATOR, request);
  }

  private static PeerGroupCreate.Builder request() {
    return PeerGroupCreate.builder().peerGroupName("pg1");
  }

  private void assertRefused(PeerGroupCreate request, String message) {
    Snapshot before = Snapshot.of(site.stores());
    assertThatThrownBy(() -> create(request))
        .isExactlyInstanceOf(ValidationException.class)
        .hasMessage(message);
    assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    assertThat(events.stateChanges()).isEmpty();
  }

  @Test
  @DisplayName("stores a primary group led by this site with upstream's defaults")
  void defaults() {
    SubcloudPeerGroup answer = create(request().build());

    SubcloudPeerGroup expected =
        SubcloudPeerGroup.builder()
            .id(1)
            .peerGroupName("pg1")
            .groupPriority(0)
            .groupState(GroupState.ENABLED)
            .maxSubcloudRehoming(10)
            .systemLeaderId(SingleSite.SITE_A.uuid())
            .systemLeaderName(SingleSite.SITE_A.name())
            .migrationStatus(MigrationStatus.NONE)
            .createdAt(site.scheduler().now())
            .updatedAt(null)
            .version(1)
            .build();
    assertThat(answer).isEqualTo(expected);
    assertThat(site.stores().peerGroups().findAll()).containsExactly(expected);
    assertThat(events.stateChanges()).containsExactly("peer_group pg1 exists null->created");
  }

  @Test
  @DisplayName("takes every field as given, as a primary site does when it creates the copy")
  void copyFromPrimary() {
    SubcloudPeerGroup answer =
        site.site()
            .createPeerGroup(
                Caller.PEER_SITE,
                request()
                    .groupPriority(2)
                    .groupState("DISABLED")
                    .maxSubcloudRehoming(250)
                    .systemLeaderId(PEER_UUID)
                    .systemLeaderName(PEER_NAME)
                    .build());

    assertThat(answer)
        .isEqualTo(
            SubcloudPeerGroup.builder()
                .id(1)
                .peerGroupName("pg1")
                .groupPriority(2)
                .groupState(GroupState.DISABLED)
                .maxSubcloudRehoming(250)
                .systemLeaderId(PEER_UUID)
                .systemLeaderName(PEER_NAME)
                .migrationStatus(MigrationStatus.NONE)
                .createdAt(site.scheduler().now())
                .version(1)
                .build());
  }

  @Test
  @DisplayName("refuses a missing body")
  void missingBody() {
    assertRefused(null, Messages.BODY_REQUIRED);
  }

  @Test
  @DisplayName("refuses a name that is taken (409), changing nothing")
  void nameTaken() {
    create(request().build());
    events.clear();
    Snapshot before = Snapshot.of(site.stores());

    assertThatThrownBy(() -> create(request().groupPriority(3).build()))
        .isExactlyInstanceOf(ConflictException.class)
        .hasMessage(Messages.PEER_GROUP_NAME_EXISTS);
    assertThat(Snapshot.of(site.stores())).isEqualTo(before);
    assertThat(events.stateChanges()).isEmpty();
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("name of 255 characters", u(b -> b.peerGroupName(text('g', 255)))),
        Arguments.of("priority 0", u(b -> b.groupPriority(0))),
        Arguments.of("priority 65536", u(b -> b.groupPriority(65536))),
        Arguments.of("state disabled", u(b -> b.groupState("disabled"))),
        Arguments.of("max rehoming 1", u(b -> b.maxSubcloudRehoming(1))),
        Arguments.of("max rehoming 250", u(b -> b.maxSubcloudRehoming(250))),
        Arguments.of("leader id in upper case", u(b -> b.systemLeaderId(PEER_UUID.toUpperCase()))),
        Arguments.of("leader name of 255 characters", u(b -> b.systemLeaderName(text('l', 255)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  @DisplayName("accepts a value at its limit")
  void acceptsAtLimit(String label, UnaryOperator<PeerGroupCreate.Builder> change) {
    PeerGroupCreate request = change.apply(request()).build();

    SubcloudPeerGroup answer = create(request);

    assertThat(site.stores().peerGroups().findAll()).containsExactly(answer);
    assertThat(answer.peerGroupName()).isEqualTo(request.peerGroupName());
    if (request.groupPriority() != null) {
      assertThat(answer.groupPriority()).isEqualTo(request.groupPriority());
    }
    if (request.maxSubcloudRehoming() != null) {
      assertThat(answer.maxSubcloudRehoming()).isEqualTo(request.maxSubcloudRehoming());
    }
    if (request.systemLeaderId() != null) {
      assertThat(answer.systemLeaderId()).isEqualTo(request.systemLeaderId());
    }
    if (request.systemLeaderName() != null) {
      assertThat(answer.systemLeaderName()).isEqualTo(request.systemLeaderName());
    }
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(u(b -> b.peerGroupName(null)), Messages.INVALID_PEER_GROUP_NAME),
        Arguments.of(u(b -> b.peerGroupName("")), Messages.INVALID_PEER_GROUP_NAME),
        Arguments.of(u(b -> b.peerGroupName("007")), Messages.INVALID_PEER_GROUP_NAME),
        Arguments.of(u(b -> b.peerGroupName("none")), Messages.INVALID_PEER_GROUP_NAME),
        Arguments.of(u(b -> b.peerGroupName("NONE")), Messages.INVALID_PEER_GROUP_NAME),
        Arguments.of(u(b -> b.peerGroupName("pg{1}")), Messages.INVALID_PEER_GROUP_NAME),
        Arguments.of(u(b -> b.peerGroupName(text('g', 256))), Messages.INVALID_PEER_GROUP_NAME),
        Arguments.of(u(b -> b.groupPriority(-1)), Messages.INVALID_GROUP_PRIORITY),
        Arguments.of(u(b -> b.groupPriority(65537)), Messages.INVALID_GROUP_PRIORITY),
        Arguments.of(u(b -> b.groupState("")), Messages.INVALID_GROUP_STATE),
        Arguments.of(u(b -> b.groupState("active")), Messages.INVALID_GROUP_STATE),
        Arguments.of(u(b -> b.maxSubcloudRehoming(0)), Messages.INVALID_MAX_SUBCLOUD_REHOMING),
        Arguments.of(u(b -> b.maxSubcloudRehoming(251)), Messages.INVALID_MAX_SUBCLOUD_REHOMING),
        Arguments.of(
            u(b -> b.systemLeaderId("leader")), Messages.invalidSystemLeaderIdOnCreate("leader")),
        Arguments.of(u(b -> b.systemLeaderId("")), "Invalid system-leader-id []"),
        Arguments.of(u(b -> b.systemLeaderName("")), Messages.INVALID_SYSTEM_LEADER_NAME),
        Arguments.of(u(b -> b.systemLeaderName("none")), Messages.INVALID_SYSTEM_LEADER_NAME),
        Arguments.of(
            u(b -> b.systemLeaderName(text('l', 256))), Messages.INVALID_SYSTEM_LEADER_NAME));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("refused")
  @DisplayName("refuses a bad value with its field's message and stores nothing")
  void refusesPastLimit(UnaryOperator<PeerGroupCreate.Builder> change, String message) {
    assertRefused(change.apply(request()).build(), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "*", "+", "?", "|", "(", ")", "[", "]", "{", "}", "^", "$"})
  @DisplayName("refuses a name holding a regular-expression character")
  void refusesRegexCharacters(String character) {
    assertRefused(
        request().peerGroupName("pg" + character).build(), Messages.INVALID_PEER_GROUP_NAME);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pg/1",
        "pg\\1",
        "pg\n1",
        "pg\r1",
        "pg\t1",
        "pg\u0000",
        "pg\u007f",
        "pg\u0085",
        " ",
        "\t "
      })
  @DisplayName(
      "refuses a group or leader name holding /, \\ or a control character, or blank when trimmed")
  void refusesUnsafeNames(String name) {
    assertRefused(request().peerGroupName(name).build(), Messages.INVALID_PEER_GROUP_NAME);
    assertRefused(request().systemLeaderName(name).build(), Messages.INVALID_SYSTEM_LEADER_NAME);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pg%1", "pg 1", "pg#1", "pg;1", "pé-中", " pg1 ", "pg@x:1,&=~!"})
  @DisplayName("accepts a name with %, space, #, unicode and other characters the rule allows")
  void acceptsOtherCharacters(String name) {
    SubcloudPeerGroup answer = create(request().peerGroupName(name).systemLeaderName(name).build());
    assertThat(answer.peerGroupName()).isEqualTo(name);
    assertThat(answer.systemLeaderName()).isEqualTo(name);
  }

  @Test
  @DisplayName("quotes the bad leader id on create")
  void leaderIdQuoted() {
    assertRefused(request().systemLeaderId("12-34").build(), "Invalid system-leader-id [12-34]");
  }

  @Test
  @DisplayName("names the first bad field in upstream's order")
  void validationOrder() {
    PeerGroupCreate.Builder request =
        PeerGroupCreate.builder()
            .peerGroupName("none")
            .systemLeaderId("x")
            .systemLeaderName("none")
            .groupPriority(-1)
            .groupState("x")
            .maxSubcloudRehoming(0);

    assertRefused(request.build(), Messages.INVALID_PEER_GROUP_NAME);
    assertRefused(
        request.peerGroupName("pg1").build(), Messages.invalidSystemLeaderIdOnCreate("x"));
    assertRefused(request.systemLeaderId(PEER_UUID).build(), Messages.INVALID_SYSTEM_LEADER_NAME);
    assertRefused(request.systemLeaderName(PEER_NAME).build(), Messages.INVALID_GROUP_PRIORITY);
    assertRefused(request.groupPriority(1).build(), Messages.INVALID_GROUP_STATE);
    assertRefused(request.groupState("enabled").build(), Messages.INVALID_MAX_SUBCLOUD_REHOMING);
    assertThat(create(request.maxSubcloudRehoming(5).build()).id()).isEqualTo(1);
  }

  private static UnaryOperator<PeerGroupCreate.Builder> u(
      UnaryOperator<PeerGroupCreate.Builder> change) {
    return change;
  }
}
