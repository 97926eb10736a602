package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.failover.FaultSites.Cut;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.testkit.sim.SimSite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4, "Faults": the two sites are cut apart at each step of a migration (B takes pg1 over from
 * A) and of the audit that follows it on A, or a site is killed and restarted mid-migration. Once
 * the network is whole again and the monitors and audits have run, both sites must agree: no
 * subcloud in a transitory state, no group migrating, one leader, no subcloud managed twice.
 */
@DisplayName("Faults during a migration and its audit")
class FailoverFaultsTest {

  private FaultSites s;

  @BeforeEach
  void setUp() {
    s = new FaultSites().prepare();
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  /** Cut lasts long enough for each monitor to lose the other, then heals and settles. */
  private void healAndSettle() {
    s.sites.advance(FaultSites.PEER_LOST);
    s.heal();
    s.sites.advance(FaultSites.SETTLE);
  }

  /** Without any fault the migration ends with B leading and managing every subcloud. */
  @Test
  @DisplayName("without faults, B ends up leading pg1 and managing every subcloud, A none")
  void baseline() {
    s.migrateOn(s.b);
    s.sites.advance(FaultSites.SETTLE);

    s.assertConsistent(s.b);
    assertThat(s.group(s.a).systemLeaderId()).isEqualTo(s.b.uuid());
    for (String name : FaultSites.NAMES) {
      assertThat(s.subcloud(s.b, name).managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(s.subcloud(s.a, name).managementState()).isEqualTo(ManagementState.UNMANAGED);
    }
    assertThat(s.group(s.b).migrationStatus()).isNotEqualTo(MigrationStatus.MIGRATING);
  }

  /**
   * The check every fault test ends with must catch each broken invariant, or it proves nothing.
   */
  @Nested
  @DisplayName("the consistency check")
  class TheCheck {

    @BeforeEach
    void migrated() {
      s.migrateOn(s.b);
      s.sites.advance(FaultSites.SETTLE);
      s.assertConsistent(s.b);
    }

    @Test
    @DisplayName("fails when a subcloud is managed on both sites")
    void managedTwice() {
      Subcloud sc1 = s.subcloud(s.a, "sc1");
      s.a
          .stores()
          .subclouds()
          .update(
              sc1.toBuilder()
                  .managementState(ManagementState.MANAGED)
                  .deployStatus(DeployStatus.COMPLETE)
                  .build());

      assertThatThrownBy(() -> s.assertConsistent(s.b))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("sc1 managed on both sites");
    }

    @Test
    @DisplayName("fails when a subcloud is left in a transitory deploy state")
    void transitory() {
      Subcloud sc2 = s.subcloud(s.b, "sc2");
      s.b.stores().subclouds().update(sc2.toBuilder().deployStatus(DeployStatus.REHOMING).build());

      assertThatThrownBy(() -> s.assertConsistent(s.b))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("sc2 on site-b is REHOMING");
    }

    @Test
    @DisplayName("fails when a group is left migrating")
    void migrating() {
      SubcloudPeerGroup group = s.group(s.a);
      s.a
          .stores()
          .peerGroups()
          .update(group.toBuilder().migrationStatus(MigrationStatus.MIGRATING).build());

      assertThatThrownBy(() -> s.assertConsistent(s.b))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("pg1 on site-a");
    }

    @Test
    @DisplayName("fails when the sites name different leaders, or not the expected one")
    void leaders() {
      SubcloudPeerGroup group = s.group(s.a);
      s.a
          .stores()
          .peerGroups()
          .update(
              group.toBuilder().systemLeaderId(s.a.uuid()).systemLeaderName(s.a.name()).build());

      assertThatThrownBy(() -> s.assertConsistent(s.b))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("leader of pg1 on site-a vs site-b");
      assertThatThrownBy(() -> s.assertConsistent(s.a))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("leader of pg1");
    }
  }

  static Stream<Arguments> migrationCalls() {
    List<Arguments> all = new ArrayList<>();
    for (Cut cut : Cut.values()) {
      // The hand-over reads the peer's copy, then unmanages it: first, middle and last subcloud.
      all.add(Arguments.of("getSubcloud", 1, cut));
      all.add(Arguments.of("updateSubcloud", 1, cut));
      all.add(Arguments.of("updateSubcloud", 2, cut));
      all.add(Arguments.of("updateSubcloud", 3, cut));
      // The migration's end asks the peer to audit the group.
      all.add(Arguments.of("auditPeerGroup", 1, cut));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{2} at {0} #{1}")
  @MethodSource("migrationCalls")
  @DisplayName(
      "a cut at one of the migrating site's calls to the peer heals to one consistent pair")
  void cutDuringMigration(String kind, int occurrence, Cut cut) {
    AtomicInteger seen = s.tripOn(s.a, kind, occurrence, cut);

    s.migrateOn(s.b);
    healAndSettle();

    assertThat(seen.get())
        .as("calls of %s reaching site-a", kind)
        .isGreaterThanOrEqualTo(occurrence);
    s.assertConsistent(s.b);
    if (cut == Cut.FAIL_ONCE || kind.equals("auditPeerGroup")) {
      // One lost call is retried, and the audit request comes after every rehome: B takes all.
      assertTakenOverByB();
    }
  }

  /** The migration's full success, as both sites must end up once audits have run. */
  private void assertTakenOverByB() {
    for (String name : FaultSites.NAMES) {
      Subcloud onB = s.subcloud(s.b, name);
      Subcloud onA = s.subcloud(s.a, name);
      assertThat(onB.managementState()).as("%s on site-b", name).isEqualTo(ManagementState.MANAGED);
      assertThat(onB.deployStatus()).as("%s on site-b", name).isEqualTo(DeployStatus.COMPLETE);
      assertThat(onA.managementState())
          .as("%s on site-a", name)
          .isEqualTo(ManagementState.UNMANAGED);
      assertThat(onA.deployStatus()).as("%s on site-a", name).isEqualTo(DeployStatus.SECONDARY);
    }
    for (SimSite site : List.of(s.a, s.b)) {
      assertThat(s.group(site).migrationStatus()).isEqualTo(MigrationStatus.NONE);
    }
  }

  static Stream<Arguments> auditCalls() {
    List<Arguments> all = new ArrayList<>();
    for (Cut cut : Cut.values()) {
      // A's audit of B's finished migration: B's members, B's association, the migration reset.
      all.add(Arguments.of("subcloudsOfPeerGroup", cut));
      all.add(Arguments.of("getSystemPeer", cut));
      all.add(Arguments.of("listAssociations", cut));
      all.add(Arguments.of("updatePeerGroup", cut));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{1} at {0}")
  @MethodSource("auditCalls")
  @DisplayName(
      "a cut at one of the auditing site's calls to the migrated peer heals to consistency")
  void cutDuringAudit(String kind, Cut cut) {
    AtomicInteger seen = s.tripOn(s.b, kind, 1, cut);

    s.migrateOn(s.b);
    healAndSettle();

    assertThat(seen.get()).as("calls of %s reaching site-b", kind).isGreaterThanOrEqualTo(1);
    s.assertConsistent(s.b);
    if (cut != Cut.TARGET_KILLED) {
      assertTakenOverByB();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Cut.class)
  @DisplayName(
      "a cut at the sync's deleteSubcloud of a subcloud that left the group: once synced again, the"
          + " migration leaves that subcloud managed on A alone")
  void cutAtTheSyncDelete(Cut cut) {
    AtomicInteger seen = s.tripOn(s.b, "deleteSubcloud", 1, cut);
    s.a
        .api()
        .updateSubcloud(Caller.OPERATOR, "sc3", SubcloudUpdate.builder().peerGroup("none").build());
    long association = s.a.stores().associations().findAll().get(0).id();

    s.a.api().syncAssociation(Caller.OPERATOR, association);
    healAndSettle();
    s.a.api().syncAssociation(Caller.OPERATOR, association);
    s.sites.advance(Duration.ofMinutes(2));
    s.migrateOn(s.b);
    s.sites.advance(FaultSites.SETTLE);

    assertThat(seen.get()).isGreaterThanOrEqualTo(1);
    s.assertConsistent(s.b);
    assertThat(s.b.stores().subclouds().findByName("sc3")).isEmpty();
    Subcloud sc3 = s.subcloud(s.a, "sc3");
    assertThat(sc3.managementState()).isEqualTo(ManagementState.MANAGED);
    assertThat(sc3.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    assertThat(sc3.peerGroupId()).isNull();
  }

  @Nested
  @DisplayName("a partition at a point in time of the migration")
  class TimedPartitions {

    @Test
    @DisplayName("cut before the migration starts, while each site still sees the other available")
    void beforeHandover() {
      s.partition();

      s.migrateOn(s.b);
      healAndSettle();

      s.assertConsistent(s.b);
    }

    @Test
    @DisplayName("cut long enough before the migration that B already holds A unavailable")
    void beforeHandoverPeerLost() {
      s.partition();
      s.sites.advance(FaultSites.PEER_LOST);

      s.migrateOn(s.b);
      healAndSettle();

      s.assertConsistent(s.b);
    }

    @Test
    @DisplayName("cut while the first subclouds are rehoming")
    void duringRehoming() {
      s.migrateOn(s.b);
      s.sites.advance(Duration.ofMinutes(1));
      assertThat(s.rehomesStarted.get()).isEqualTo(2);

      s.partition();
      healAndSettle();

      s.assertConsistent(s.b);
    }

    @Test
    @DisplayName("migrating site killed when the last rehome finishes, before the migration ends")
    void killedAfterRehomingBeforeTheEnd() {
      s.onRehomed =
          () -> {
            if (s.rehomesStarted.get() == FaultSites.NAMES.size()) {
              s.sites.stop(s.b);
            }
          };

      s.migrateOn(s.b);
      healAndSettle();

      assertThat(s.rehomesStarted.get()).isEqualTo(FaultSites.NAMES.size());
      s.assertConsistent(s.b);
    }

    @Test
    @DisplayName("cut when the last rehome finishes, before the migration ends")
    void afterRehomingBeforeTheEnd() {
      s.onRehomed =
          () -> {
            if (s.rehomesStarted.get() == FaultSites.NAMES.size()) {
              s.partition();
            }
          };

      s.migrateOn(s.b);
      healAndSettle();

      assertThat(s.rehomesStarted.get()).isEqualTo(FaultSites.NAMES.size());
      s.assertConsistent(s.b);
      assertTakenOverByB();
    }
  }

  /** When a site is stopped, counted from the migrate request. */
  enum KillPoint {
    RIGHT_AFTER_THE_REQUEST(Duration.ZERO),
    FIRST_BATCH_REHOMING(Duration.ofMinutes(1)),
    SECOND_BATCH_REHOMING(FaultSites.REHOME_TIME.plusSeconds(50)),
    AFTER_THE_END(FaultSites.REHOME_TIME.multipliedBy(3));

    final Duration after;

    KillPoint(Duration after) {
      this.after = after;
    }
  }

  @ParameterizedTest(name = "migrating site killed {0}")
  @EnumSource(KillPoint.class)
  @DisplayName("the migrating site killed mid-migration and restarted leaves one consistent pair")
  void killMigratingSite(KillPoint point) {
    killAndRestart(s.b, point);
  }

  @ParameterizedTest(name = "peer site killed {0}")
  @EnumSource(KillPoint.class)
  @DisplayName("the peer site killed mid-migration and restarted leaves one consistent pair")
  void killPeerSite(KillPoint point) {
    killAndRestart(s.a, point);
    if (point.ordinal() >= KillPoint.SECOND_BATCH_REHOMING.ordinal()) {
      // Every subcloud was handed over before A went: B takes them all. Earlier, the second
      // batch's hand-over cannot reach A, B marks sc3 rehome-prep-failed, and A's later audit
      // turns its still-managed copy rehome-failed and unmanaged: sc3 is left to the operator.
      assertTakenOverByB();
    }
  }

  private void killAndRestart(SimSite victim, KillPoint point) {
    s.migrateOn(s.b);
    s.sites.advance(point.after);

    s.sites.stop(victim);
    s.sites.advance(FaultSites.PEER_LOST);
    s.sites.restart(victim);
    s.sites.advance(FaultSites.SETTLE);

    s.assertConsistent(s.b);
  }
}
