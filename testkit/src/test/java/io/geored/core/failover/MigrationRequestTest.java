package io.geored.core.failover;

import static io.geored.core.failover.MigrationFixtures.PASSWORD;
import static io.geored.core.failover.MigrationFixtures.group;
import static io.geored.core.failover.MigrationFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ConflictException;
import io.geored.spi.GeoredException;
import io.geored.spi.NotFoundException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.testkit.sim.SingleSite;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName(
    "A migrate request is refused with the answers of docs/messages.md, or answers its members")
class MigrationRequestTest {

  private SingleSite site;
  private SubcloudPeerGroup pg1;

  @BeforeEach
  void setUp() {
    site = SingleSite.create();
    pg1 = group(site.stores(), "pg1", 1, 10);
  }

  private List<Subcloud> migrate(String ref, MigrateRequest request) {
    return site.site().migratePeerGroup(Caller.OPERATOR, ref, request);
  }

  private List<Subcloud> migrate() {
    return migrate("pg1", new MigrateRequest(PASSWORD));
  }

  /** Runs a call that must be refused and checks that no record changed. */
  private <E extends GeoredException> void assertRefused(
      ThrowingCallable call, Class<E> type, String message) {
    List<Subcloud> subclouds = site.stores().subclouds().findAll();
    List<SubcloudPeerGroup> groups = site.stores().peerGroups().findAll();
    assertThatThrownBy(call).isExactlyInstanceOf(type).hasMessage(message);
    site.scheduler().runUntilIdle();
    assertThat(site.stores().subclouds().findAll()).isEqualTo(subclouds);
    assertThat(site.stores().peerGroups().findAll()).isEqualTo(groups);
  }

  @Nested
  @DisplayName("the request itself")
  class RequestItself {

    @Test
    @DisplayName("an unknown group is 404 Subcloud Peer Group not found")
    void unknownGroup() {
      member(site.stores(), pg1, "sc1", DeployStatus.SECONDARY);
      assertRefused(
          () -> migrate("pg9", new MigrateRequest(PASSWORD)),
          NotFoundException.class,
          Messages.PEER_GROUP_NOT_FOUND);
    }

    @Test
    @DisplayName("no body is 400 Body required")
    void noBody() {
      member(site.stores(), pg1, "sc1", DeployStatus.SECONDARY);
      assertRefused(() -> migrate("pg1", null), ValidationException.class, Messages.BODY_REQUIRED);
    }

    @ParameterizedTest(name = "password [{0}]")
    @NullSource
    @ValueSource(strings = {"", "   "})
    @DisplayName("a missing or blank password is refused, naming the group as the request did")
    void noPassword(String password) {
      member(site.stores(), pg1, "sc1", DeployStatus.SECONDARY);
      assertRefused(
          () -> migrate("pg1", new MigrateRequest(password)),
          ValidationException.class,
          "Unable to migrate subcloud peer group: pg1 need sysadmin_password");
      assertRefused(
          () -> migrate(String.valueOf(pg1.id()), new MigrateRequest(password)),
          ValidationException.class,
          Messages.migrateNeedsSysadminPassword(String.valueOf(pg1.id())));
    }

    @Test
    @DisplayName("a one-character password is enough (the smallest accepted)")
    void shortestPassword() {
      Subcloud sc1 = member(site.stores(), pg1, "sc1", DeployStatus.SECONDARY);
      assertThat(migrate("pg1", new MigrateRequest("x"))).containsExactly(sc1);
    }

    @Test
    @DisplayName("a group already being migrated is 409, before its members are looked at")
    void alreadyMigrating() {
      member(site.stores(), pg1, "sc1", DeployStatus.REHOMING);
      site.stores()
          .peerGroups()
          .update(pg1.toBuilder().migrationStatus(MigrationStatus.MIGRATING).build());
      assertRefused(
          MigrationRequestTest.this::migrate,
          ConflictException.class,
          "Subcloud peer group pg1 is already being migrated");
    }
  }

  @Nested
  @DisplayName("members that are not ready refuse the whole request, each named")
  class MembersNotReady {

    @Test
    @DisplayName("no rehome data")
    void noRehomeData() {
      member(site.stores(), pg1, "sc1", DeployStatus.SECONDARY, null);
      assertRefused(
          MigrationRequestTest.this::migrate,
          ValidationException.class,
          "Batch migrate subclouds error: ['Unable to migrate subcloud: sc1 required rehoming"
              + " data is missing']");
    }

    @Test
    @DisplayName("rehome data without saved_payload")
    void noSavedPayload() {
      member(site.stores(), pg1, "sc1", DeployStatus.SECONDARY, new RehomeData(Map.of("x", 1)));
      assertRefused(
          MigrationRequestTest.this::migrate,
          ValidationException.class,
          "Batch migrate subclouds error: ['Unable to migrate subcloud: sc1 saved_payload is"
              + " missing in rehoming data']");
    }

    @Test
    @DisplayName("an empty saved_payload")
    void emptySavedPayload() {
      member(
          site.stores(), pg1, "sc1", DeployStatus.SECONDARY, RehomeData.ofSavedPayload(Map.of()));
      assertRefused(
          MigrationRequestTest.this::migrate,
          ValidationException.class,
          "Batch migrate subclouds error: ['Unable to migrate subcloud: sc1 saved_payload is"
              + " empty']");
    }

    @ParameterizedTest(name = "address [{0}]")
    @ValueSource(strings = {"", "  "})
    @DisplayName("a blank bootstrap-address counts as missing")
    void blankAddress(String address) {
      member(
          site.stores(),
          pg1,
          "sc1",
          DeployStatus.SECONDARY,
          RehomeData.ofSavedPayload(Map.of("bootstrap-address", address, "name", "sc1")));
      assertRefused(
          MigrationRequestTest.this::migrate,
          ValidationException.class,
          "Batch migrate subclouds error: ['Unable to migrate subcloud: sc1, bootstrap-address is"
              + " missing in rehoming data']");
    }

    @Test
    @DisplayName("no bootstrap-address")
    void noAddress() {
      member(
          site.stores(),
          pg1,
          "sc1",
          DeployStatus.SECONDARY,
          RehomeData.ofSavedPayload(Map.of("name", "sc1")));
      assertRefused(
          MigrationRequestTest.this::migrate,
          ValidationException.class,
          Messages.batchMigrateErrors(List.of(Messages.migrateBootstrapAddressMissing("sc1"))));
    }

    @Test
    @DisplayName("a one-character bootstrap-address is accepted (the smallest address there is)")
    void shortestAddress() {
      Subcloud sc1 =
          member(
              site.stores(),
              pg1,
              "sc1",
              DeployStatus.SECONDARY,
              RehomeData.ofSavedPayload(Map.of("bootstrap-address", "x")));
      assertThat(migrate()).containsExactly(sc1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
        value = DeployStatus.class,
        names = {"PRE_REHOME", "REHOMING"})
    @DisplayName("a member already being rehomed")
    void beingRehomed(DeployStatus status) {
      member(site.stores(), pg1, "sc1", DeployStatus.SECONDARY);
      member(site.stores(), pg1, "sc2", status);
      assertRefused(
          MigrationRequestTest.this::migrate,
          ValidationException.class,
          "Batch migrate subclouds error: ['Unable to migrate subcloud peer group pg1, subcloud"
              + " sc2 already in rehoming process']");
    }

    @Test
    @DisplayName(
        "every member's problem is listed in member order, a managed member lacking rehome data"
            + " included")
    void everyProblemListed() {
      member(site.stores(), pg1, "sc1", DeployStatus.COMPLETE, null);
      member(site.stores(), pg1, "sc2", DeployStatus.SECONDARY);
      member(site.stores(), pg1, "sc3", DeployStatus.REHOMING);
      member(
          site.stores(),
          pg1,
          "sc4",
          DeployStatus.REHOME_FAILED,
          RehomeData.ofSavedPayload(Map.of()));
      assertRefused(
          MigrationRequestTest.this::migrate,
          ValidationException.class,
          "Batch migrate subclouds error: ['Unable to migrate subcloud: sc1 required rehoming"
              + " data is missing', 'Unable to migrate subcloud peer group pg1, subcloud sc3"
              + " already in rehoming process', 'Unable to migrate subcloud: sc4 saved_payload is"
              + " empty']");
    }

    @Test
    @DisplayName("a message holding a single quote is listed in double quotes, as upstream's list")
    void quoteInName() {
      member(site.stores(), pg1, "o'hare", DeployStatus.SECONDARY, null);
      assertRefused(
          MigrationRequestTest.this::migrate,
          ValidationException.class,
          "Batch migrate subclouds error: [\"Unable to migrate subcloud: o'hare required"
              + " rehoming data is missing\"]");
    }

    @Test
    @DisplayName("nothing secondary, rehome-failed or rehome-prep-failed: nothing to migrate")
    void nothingEligible() {
      member(site.stores(), pg1, "sc1", DeployStatus.COMPLETE);
      member(site.stores(), pg1, "sc2", DeployStatus.REHOME_PENDING);
      assertRefused(
          MigrationRequestTest.this::migrate,
          ValidationException.class,
          "Nothing to migrate, no secondary, rehome-failed or rehome-prep-failed subcloud in peer"
              + " group pg1");
    }

    @Test
    @DisplayName("an empty group: nothing to migrate")
    void emptyGroup() {
      assertRefused(
          MigrationRequestTest.this::migrate,
          ValidationException.class,
          Messages.nothingToMigrate("pg1"));
    }
  }

  @Nested
  @DisplayName("an accepted request")
  class Accepted {

    @Test
    @DisplayName(
        "answers the secondary, rehome-failed and rehome-prep-failed members as they were, and the"
            + " group is migrating before the batch runs")
    void answersEligibleMembers() {
      Subcloud sc1 = member(site.stores(), pg1, "sc1", DeployStatus.SECONDARY);
      Subcloud done = member(site.stores(), pg1, "done", DeployStatus.COMPLETE);
      Subcloud sc2 = member(site.stores(), pg1, "sc2", DeployStatus.REHOME_FAILED);
      Subcloud pending = member(site.stores(), pg1, "pending", DeployStatus.REHOME_PENDING);
      Subcloud sc3 = member(site.stores(), pg1, "sc3", DeployStatus.REHOME_PREP_FAILED);
      Subcloud elsewhere = member(site.stores(), null, "elsewhere", DeployStatus.SECONDARY);

      List<Subcloud> answer = migrate();

      assertThat(answer).containsExactly(sc1, sc2, sc3);
      SubcloudPeerGroup now = site.stores().peerGroups().findById(pg1.id()).orElseThrow();
      assertThat(now)
          .isEqualTo(
              pg1.toBuilder()
                  .migrationStatus(MigrationStatus.MIGRATING)
                  .updatedAt(site.scheduler().now())
                  .version(pg1.version() + 1)
                  .build());
      // Nothing has run yet: the members are as they were.
      assertThat(site.stores().subclouds().findAll())
          .containsExactly(sc1, done, sc2, pending, sc3, elsewhere);

      site.scheduler().runUntilIdle();

      // The skipped members and the subcloud of no group are untouched.
      assertThat(site.stores().subclouds().findById(done.id())).contains(done);
      assertThat(site.stores().subclouds().findById(pending.id())).contains(pending);
      assertThat(site.stores().subclouds().findById(elsewhere.id())).contains(elsewhere);
      SubcloudPeerGroup after = site.stores().peerGroups().findById(pg1.id()).orElseThrow();
      assertThat(after.migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
      assertThat(after.systemLeaderId()).isEqualTo(SingleSite.SITE_A.uuid());
      assertThat(after.systemLeaderName()).isEqualTo(SingleSite.SITE_A.name());
    }

    @Test
    @DisplayName("a peer site may ask too, and the group may be named by its id")
    void byIdFromPeer() {
      Subcloud sc1 = member(site.stores(), pg1, "sc1", DeployStatus.SECONDARY);
      assertThat(
              site.site()
                  .migratePeerGroup(
                      Caller.PEER_SITE, String.valueOf(pg1.id()), new MigrateRequest(PASSWORD)))
          .containsExactly(sc1);
    }

    @Test
    @DisplayName("a second request while the first runs is 409 and changes nothing")
    void secondRequestConflicts() {
      member(site.stores(), pg1, "sc1", DeployStatus.SECONDARY);
      migrate();
      List<Subcloud> subclouds = site.stores().subclouds().findAll();
      List<SubcloudPeerGroup> groups = site.stores().peerGroups().findAll();

      // Before the first batch has run a step, so the refusal is all that happens.
      assertThatThrownBy(MigrationRequestTest.this::migrate)
          .isExactlyInstanceOf(ConflictException.class)
          .hasMessage(Messages.peerGroupAlreadyMigrating("pg1"));

      assertThat(site.stores().subclouds().findAll()).isEqualTo(subclouds);
      assertThat(site.stores().peerGroups().findAll()).isEqualTo(groups);
    }

    @Test
    @DisplayName("once a migration has finished, the group can be migrated again")
    void againAfterFinish() {
      Subcloud sc1 = member(site.stores(), pg1, "sc1", DeployStatus.SECONDARY);
      migrate();
      site.scheduler().runUntilIdle();
      // The site's default rehomer fails every rehome: sc1 is rehome-failed, so eligible again.
      Subcloud failed = site.stores().subclouds().findById(sc1.id()).orElseThrow();
      assertThat(failed.deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);

      assertThat(migrate()).containsExactly(failed);
    }
  }
}
