package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.GeoredSettings;
import io.geored.core.internal.SiteContext;
import io.geored.core.secret.PlainTextPasswordCipher;
import io.geored.spi.OperationFailedException;
import io.geored.spi.PersistenceException;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.Caller;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.event.GeoredEventListener;
import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.spi.store.SubcloudStore;
import io.geored.spi.work.SubcloudStateListener;
import io.geored.testkit.fault.RecordingAlarms.AlarmEvent;
import io.geored.testkit.fault.RecordingAlarms.Kind;
import io.geored.testkit.sim.SimHarness;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The peer-group audit follows the peer's migration of a group")
class PeerGroupAuditTest {

  private static final String NOT_MANAGED = AuditAlarms.PEER_GROUP_NOT_MANAGED;
  private static final String REPAIR =
      "Check the reported peer group state. Migrate it back to the current system if the state is"
          + " 'rehomed' and the current system is stable. Otherwise, wait until these conditions"
          + " are met.";

  private PeerMonitorScenario s;

  @BeforeEach
  void setUp() {
    s = new PeerMonitorScenario(60, 3).syncedGroup("sc1", "sc2", "sc3", "sc4", "sc5");
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  private String entity() {
    return "peer_group=pg1,peer=" + s.b.uuid();
  }

  /** A asks itself, as B would, to audit pg1 against B's copy. */
  private AuditAnswer auditOnA() {
    return s.a.api().auditPeerGroup(Caller.PEER_SITE, "pg1", s.auditRequestFromB());
  }

  /** B took pg1 over: its group complete and led by B. */
  private void bCompletedMigration() {
    PeerMonitorScenario.updateGroup(
        s.b,
        "pg1",
        g ->
            g.migrationStatus(MigrationStatus.COMPLETE)
                .systemLeaderId(s.b.uuid())
                .systemLeaderName(s.b.name()));
  }

  /** B's copy of a subcloud, managed and online after a successful rehome. */
  private Subcloud managedOnB(String name) {
    return PeerMonitorScenario.update(
        s.b,
        name,
        b ->
            b.managementState(ManagementState.MANAGED)
                .availabilityStatus(AvailabilityStatus.ONLINE)
                .deployStatus(DeployStatus.COMPLETE));
  }

  private void statusOnB(String name, DeployStatus status) {
    PeerMonitorScenario.update(s.b, name, b -> b.deployStatus(status));
  }

  private void bAssociation(SyncStatus status) {
    PeerMonitorScenario.updateAssociation(
        s.b, s.associationOnB().id(), b -> b.syncStatus(status).syncMessage(null));
  }

  private static Subcloud changed(Subcloud after, Subcloud before) {
    // The audit's own bookkeeping; every other field is compared.
    return before.toBuilder().updatedAt(after.updatedAt()).version(after.version()).build();
  }

  @Nested
  @DisplayName("when the peer's group is migrating")
  class RemoteMigrating {

    @Test
    @DisplayName(
        "every local member is unmanaged and rehome-pending, and the primary association is"
            + " out-of-sync on both sites")
    void handsOver() {
      PeerMonitorScenario.update(s.a, "sc2", b -> b.managementState(ManagementState.UNMANAGED));
      Map<String, Subcloud> before = PeerMonitorScenario.byName(s.a.stores().subclouds().findAll());
      PeerMonitorScenario.updateGroup(
          s.b, "pg1", g -> g.migrationStatus(MigrationStatus.MIGRATING));
      s.heardOnA.clear();

      AuditAnswer answer = auditOnA();

      assertThat(answer).isEqualTo(AuditAnswer.RAN);
      assertThat(answer.message()).isNull();
      for (Subcloud after : s.a.stores().subclouds().findAll()) {
        assertThat(after)
            .isEqualTo(
                changed(
                    after,
                    before.get(after.name()).toBuilder()
                        .managementState(ManagementState.UNMANAGED)
                        .deployStatus(DeployStatus.REHOME_PENDING)
                        .handedOverTo(s.b.uuid())
                        .build()));
      }
      assertThat(s.heardOnA)
          .containsExactly(
              "sc1 management managed->unmanaged",
              "sc3 management managed->unmanaged",
              "sc4 management managed->unmanaged",
              "sc5 management managed->unmanaged");
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
      // The peer's group is left as it is: the migration is the peer's.
      assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.MIGRATING);
      assertThat(s.a.stores().peerGroups().findByName("pg1").orElseThrow()).isEqualTo(s.groupOnA);
    }

    @Test
    @DisplayName("a site holding only a non-primary association changes no association")
    void nonPrimaryChangesNoAssociation() {
      PeerMonitorScenario.updateGroup(
          s.a, "pg1", g -> g.migrationStatus(MigrationStatus.MIGRATING));
      SubcloudPeerGroup migrating = s.a.stores().peerGroups().findByName("pg1").orElseThrow();
      Map<String, Subcloud> copies = PeerMonitorScenario.byName(s.b.stores().subclouds().findAll());
      PeerGroupAssociation onB = s.associationOnB();
      PeerGroupAssociation onA = s.onA(s.primary.id());
      List<Object> aBefore = PeerMonitorScenario.records(s.a);

      AuditAnswer answer =
          s.b
              .api()
              .auditPeerGroup(
                  Caller.PEER_SITE, "pg1", PeerMonitorScenario.auditRequestOf(s.a, migrating));

      assertThat(answer.message()).isNull();
      for (Subcloud after : s.b.stores().subclouds().findAll()) {
        assertThat(after)
            .isEqualTo(
                changed(
                    after,
                    copies.get(after.name()).toBuilder()
                        .deployStatus(DeployStatus.REHOME_PENDING)
                        .handedOverTo(s.a.uuid())
                        .build()));
      }
      assertThat(s.associationOnB()).isEqualTo(onB);
      assertThat(s.onA(s.primary.id())).isEqualTo(onA);
      assertThat(PeerMonitorScenario.records(s.a)).isEqualTo(aBefore);
    }
  }

  @Nested
  @DisplayName("when the peer's group finished migrating")
  class RemoteComplete {

    @Test
    @DisplayName(
        "members the peer manages become secondary, offline, with their alarms cleared; the"
            + " host hears of it")
    void managedTwinsMakeSecondary() {
      bCompletedMigration();
      managedOnB("sc1");
      managedOnB("sc2");
      Subcloud sc1 = s.subcloud(s.a, "sc1");
      Subcloud sc2 =
          PeerMonitorScenario.update(s.a, "sc2", b -> b.managementState(ManagementState.UNMANAGED));
      s.heardOnA.clear();

      auditOnA();

      for (Subcloud before : List.of(sc1, sc2)) {
        Subcloud after = s.subcloud(s.a, before.name());
        assertThat(after)
            .isEqualTo(
                changed(
                    after,
                    before.toBuilder()
                        .managementState(ManagementState.UNMANAGED)
                        .availabilityStatus(AvailabilityStatus.OFFLINE)
                        .deployStatus(DeployStatus.SECONDARY)
                        .build()));
      }
      assertThat(s.heardOnA)
          .containsExactly(
              "sc1 management managed->unmanaged",
              "sc1 availability online->offline",
              "sc2 availability online->offline");
      List<AlarmEvent> cleared = s.alarms(s.a).history();
      assertThat(cleared)
          .extracting(e -> e.kind() + " " + e.alarmId() + " " + e.entityInstance())
          .contains(
              "CLEAR 280.001 subcloud=sc1",
              "CLEAR 280.002 subcloud=sc1.resource=dc-cert",
              "CLEAR 280.003 subcloud=sc1",
              "CLEAR 280.001 subcloud=sc2",
              "CLEAR 280.002 subcloud=sc2.resource=dc-cert",
              "CLEAR 280.003 subcloud=sc2");
    }

    @Test
    @DisplayName("an offline alarm a member carried is cleared when it becomes secondary")
    void raisedAlarmCleared() {
      bCompletedMigration();
      managedOnB("sc1");
      s.alarms(s.a)
          .raise(
              new Alarm(
                  "280.001",
                  "subcloud",
                  "subcloud=sc1",
                  AlarmSeverity.MAJOR,
                  "offline",
                  "wait",
                  false,
                  s.sites.now()));

      auditOnA();

      assertThat(s.alarms(s.a).isRaised("280.001", "subcloud=sc1")).isFalse();
    }

    @Test
    @DisplayName(
        "members whose twin is rehome-failed or rehome-prep-failed become rehome-failed,"
            + " unmanaged")
    void failedTwins() {
      bCompletedMigration();
      statusOnB("sc2", DeployStatus.REHOME_FAILED);
      statusOnB("sc3", DeployStatus.REHOME_PREP_FAILED);
      PeerMonitorScenario.update(
          s.a,
          "sc3",
          b ->
              b.managementState(ManagementState.UNMANAGED)
                  .deployStatus(DeployStatus.REHOME_PENDING));
      Subcloud sc2 = s.subcloud(s.a, "sc2");
      Subcloud sc3 = s.subcloud(s.a, "sc3");

      auditOnA();

      for (Subcloud before : List.of(sc2, sc3)) {
        Subcloud after = s.subcloud(s.a, before.name());
        assertThat(after)
            .isEqualTo(
                changed(
                    after,
                    before.toBuilder()
                        .managementState(ManagementState.UNMANAGED)
                        .deployStatus(DeployStatus.REHOME_FAILED)
                        .build()));
      }
    }

    @ParameterizedTest(name = "twin {0}")
    @EnumSource(
        value = DeployStatus.class,
        names = {"SECONDARY", "REHOME_PENDING", "COMPLETE"})
    @DisplayName(
        "a rehome-pending member whose twin the finished migration left unmanaged becomes"
            + " rehome-failed, saying why (ADR 0012)")
    void notTakenOverBecomesRehomeFailed(DeployStatus twin) {
      bCompletedMigration();
      statusOnB("sc2", twin);
      PeerMonitorScenario.update(
          s.a,
          "sc2",
          b ->
              b.managementState(ManagementState.UNMANAGED)
                  .deployStatus(DeployStatus.REHOME_PENDING));
      Subcloud before = s.subcloud(s.a, "sc2");
      Map<String, Subcloud> others = PeerMonitorScenario.byName(s.a.stores().subclouds().findAll());
      others.remove("sc2");

      auditOnA();

      Subcloud after = s.subcloud(s.a, "sc2");
      assertThat(after)
          .isEqualTo(
              changed(
                  after,
                  before.toBuilder()
                      .deployStatus(DeployStatus.REHOME_FAILED)
                      .errorDescription(
                          "Subcloud sc2 was not taken over by the migration of peer group pg1 on"
                              + " peer site site-b; migrate the peer group to rehome it")
                      .build()));
      Map<String, Subcloud> rest = PeerMonitorScenario.byName(s.a.stores().subclouds().findAll());
      rest.remove("sc2");
      assertThat(rest).isEqualTo(others);
    }

    @ParameterizedTest(name = "twin {0}")
    @EnumSource(
        value = DeployStatus.class,
        names = {"PRE_REHOME", "REHOMING"})
    @DisplayName("a rehome-pending member whose twin is being rehomed again is left as it is")
    void twinBeingRehomedLeftAlone(DeployStatus twin) {
      bCompletedMigration();
      statusOnB("sc2", twin);
      PeerMonitorScenario.update(
          s.a,
          "sc2",
          b ->
              b.managementState(ManagementState.UNMANAGED)
                  .deployStatus(DeployStatus.REHOME_PENDING));
      Map<String, Subcloud> before = PeerMonitorScenario.byName(s.a.stores().subclouds().findAll());

      auditOnA();

      assertThat(PeerMonitorScenario.byName(s.a.stores().subclouds().findAll())).isEqualTo(before);
    }

    @Test
    @DisplayName("members whose twin is neither managed nor failed are left as they are")
    void otherTwinsLeftAlone() {
      bCompletedMigration();
      statusOnB("sc4", DeployStatus.REHOME_PENDING);
      Map<String, Subcloud> before = PeerMonitorScenario.byName(s.a.stores().subclouds().findAll());

      auditOnA();

      assertThat(PeerMonitorScenario.byName(s.a.stores().subclouds().findAll())).isEqualTo(before);
    }

    @Test
    @DisplayName(
        "members the peer's group no longer has are made secondary, then deleted with their"
            + " alarms")
    void absentMembersDeleted() {
      bCompletedMigration();
      managedOnB("sc1");
      Subcloud gone = s.subcloud(s.b, "sc5");
      assertThat(s.b.stores().subclouds().delete(gone.id())).isTrue();
      s.heardOnA.clear();

      auditOnA();

      assertThat(s.a.stores().subclouds().findByName("sc5")).isEmpty();
      assertThat(PeerMonitorScenario.byName(s.a.stores().subclouds().findAll()).keySet())
          .containsExactly("sc1", "sc2", "sc3", "sc4");
      assertThat(s.heardOnA)
          .containsExactly(
              "sc1 management managed->unmanaged",
              "sc1 availability online->offline",
              "sc5 management managed->unmanaged",
              "sc5 availability online->offline");
      assertThat(s.alarms(s.a).history())
          .extracting(e -> e.kind() + " " + e.alarmId() + " " + e.entityInstance())
          .containsSubsequence(
              "CLEAR 280.001 subcloud=sc5",
              "CLEAR 280.002 subcloud=sc5.resource=dc-cert",
              "CLEAR 280.003 subcloud=sc5",
              "CLEAR 280.001 subcloud=sc5",
              "CLEAR 280.002 subcloud=sc5.resource=dc-cert",
              "CLEAR 280.003 subcloud=sc5");
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    }

    @Test
    @DisplayName(
        "the leader is copied from the peer, alarm 280.005 is raised as major, the peer's"
            + " migration status is reset and both associations are in-sync")
    void leaderAlarmResetAndInSync() {
      bCompletedMigration();
      managedOnB("sc1");
      SubcloudPeerGroup groupOnB = s.groupOnB();

      auditOnA();

      SubcloudPeerGroup groupOnA = s.a.stores().peerGroups().findByName("pg1").orElseThrow();
      assertThat(groupOnA)
          .isEqualTo(
              s.groupOnA.toBuilder()
                  .systemLeaderId(s.b.uuid())
                  .systemLeaderName("site-b")
                  .updatedAt(groupOnA.updatedAt())
                  .version(groupOnA.version())
                  .build());
      assertThat(s.alarms(s.a).current(NOT_MANAGED, entity()))
          .contains(
              new Alarm(
                  "280.005",
                  "subcloud_peer_group",
                  "peer_group=pg1,peer=bbbbbbbb-0000-4000-8000-000000000002",
                  AlarmSeverity.MAJOR,
                  "Subcloud peer group (peer_group_name=pg1) is managed by remote system"
                      + " (peer_uuid=bbbbbbbb-0000-4000-8000-000000000002) with a lower"
                      + " priority.",
                  REPAIR,
                  false,
                  s.sites.now()));
      SubcloudPeerGroup resetOnB = s.groupOnB();
      assertThat(resetOnB)
          .isEqualTo(
              groupOnB.toBuilder()
                  .migrationStatus(MigrationStatus.NONE)
                  .updatedAt(resetOnB.updatedAt())
                  .version(resetOnB.version())
                  .build());
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    }

    @Test
    @DisplayName(
        "alarm 280.005 is cleared when this site's priority number is not lower than the"
            + " leading peer's")
    void alarmCleared() {
      // A took pg1 back: its group complete and led by A; B's copy has priority 2.
      PeerMonitorScenario.updateGroup(s.a, "pg1", g -> g.migrationStatus(MigrationStatus.COMPLETE));
      String onB = "peer_group=pg1,peer=" + s.a.uuid();
      s.alarms(s.b).raise(AuditAlarms.managedByLowerPriority("pg1", s.a.uuid(), s.sites.now()));
      SubcloudPeerGroup groupOnA = s.a.stores().peerGroups().findByName("pg1").orElseThrow();

      AuditAnswer answer =
          s.b
              .api()
              .auditPeerGroup(
                  Caller.PEER_SITE, "pg1", PeerMonitorScenario.auditRequestOf(s.a, groupOnA));

      assertThat(answer.message()).isNull();
      assertThat(s.alarms(s.b).isRaised(NOT_MANAGED, onB)).isFalse();
      assertThat(s.alarms(s.b).history(NOT_MANAGED, onB))
          .extracting(AlarmEvent::kind)
          .containsExactly(Kind.RAISE, Kind.CLEAR);
      assertThat(s.a.stores().peerGroups().findByName("pg1").orElseThrow().migrationStatus())
          .isEqualTo(MigrationStatus.NONE);
      assertThat(s.groupOnB().systemLeaderId()).isEqualTo(s.a.uuid());
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    }

    @Test
    @DisplayName("a group the peer reports led by another site keeps its leader and alarm")
    void leaderNotThePeer() {
      PeerMonitorScenario.updateGroup(
          s.b,
          "pg1",
          g ->
              g.migrationStatus(MigrationStatus.COMPLETE)
                  .systemLeaderId(SimHarness.SITE_C.uuid())
                  .systemLeaderName("site-c"));
      managedOnB("sc1");

      auditOnA();

      assertThat(s.a.stores().peerGroups().findByName("pg1").orElseThrow()).isEqualTo(s.groupOnA);
      assertThat(s.alarms(s.a).history(NOT_MANAGED, entity())).isEmpty();
      assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.NONE);
    }

    @Test
    @DisplayName(
        "an empty member list from the peer deletes nothing here: the audit fails and is left"
            + " for later")
    void emptyRemoteGroupDeletesNothing() {
      bCompletedMigration();
      for (Subcloud copy : s.b.stores().subclouds().findAll()) {
        s.b.stores().subclouds().delete(copy.id());
      }
      List<Object> aBefore = PeerMonitorScenario.records(s.a);

      assertThatThrownBy(this::audit)
          .isInstanceOf(OperationFailedException.class)
          .hasMessage("Unable to audit peer group pg1");

      assertThat(PeerMonitorScenario.records(s.a)).isEqualTo(aBefore);
      assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    }

    private void audit() {
      auditOnA();
    }

    @Test
    @DisplayName("a state listener that throws does not undo the audit's changes")
    void throwingListener() {
      bCompletedMigration();
      managedOnB("sc1");
      s.onAManagementChange.add(
          () -> {
            throw new IllegalStateException("host refuses");
          });

      AuditAnswer answer = auditOnA();

      assertThat(answer.message()).isNull();
      Subcloud sc1 = s.subcloud(s.a, "sc1");
      assertThat(sc1.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(sc1.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.NONE);
    }
  }

  @Nested
  @DisplayName("the seed fix: corrected rehome data travels back")
  class SeedFix {

    private Subcloud correctedOnB(String name) {
      Subcloud copy = s.subcloud(s.b, name);
      RehomeData corrected =
          copy.rehomeData()
              .withPayloadValue("bootstrap-address", "10.10.10.99")
              .withPayloadValue("systemcontroller_gateway_address", PeerMonitorScenario.B_GATEWAY);
      PeerMonitorScenario.update(s.b, name, b -> b.rehomeData(corrected));
      return managedOnB(name);
    }

    @Test
    @DisplayName(
        "when the peer's association is out-of-sync, a member the peer manages takes the peer's"
            + " rehome data, keeping this site's own gateway address")
    void takesRehomeData() {
      bCompletedMigration();
      bAssociation(SyncStatus.OUT_OF_SYNC);
      Subcloud twin = correctedOnB("sc1");

      auditOnA();

      Map<String, Object> expected =
          new LinkedHashMap<>(twin.rehomeData().savedPayload().orElseThrow());
      expected.put("systemcontroller_gateway_address", PeerMonitorScenario.A_GATEWAY);
      Subcloud sc1 = s.subcloud(s.a, "sc1");
      assertThat(sc1.rehomeData().savedPayload().orElseThrow()).isEqualTo(expected);
      assertThat(sc1.rehomeData().bootstrapAddress()).contains("10.10.10.99");
      assertThat(sc1.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      // Nothing failed to rehome: both associations settle in-sync.
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    }

    @Test
    @DisplayName("a copy that is already secondary takes the corrected data too")
    void alreadySecondaryTakesData() {
      bCompletedMigration();
      bAssociation(SyncStatus.OUT_OF_SYNC);
      correctedOnB("sc1");
      Subcloud before =
          PeerMonitorScenario.update(
              s.a,
              "sc1",
              b ->
                  b.managementState(ManagementState.UNMANAGED)
                      .availabilityStatus(AvailabilityStatus.OFFLINE)
                      .deployStatus(DeployStatus.SECONDARY));

      auditOnA();

      Subcloud after = s.subcloud(s.a, "sc1");
      assertThat(after.rehomeData().bootstrapAddress()).contains("10.10.10.99");
      assertThat(after.rehomeData().systemControllerGatewayAddress())
          .contains(PeerMonitorScenario.A_GATEWAY);
      assertThat(after)
          .isEqualTo(changed(after, before.toBuilder().rehomeData(after.rehomeData()).build()));
    }

    @Test
    @DisplayName("a copy without a gateway of its own takes none from the peer")
    void noOwnGateway() {
      bCompletedMigration();
      bAssociation(SyncStatus.OUT_OF_SYNC);
      correctedOnB("sc1");
      PeerMonitorScenario.update(
          s.a,
          "sc1",
          b -> b.rehomeData(RehomeData.ofSavedPayload(Map.of("bootstrap-address", "10.0.0.1"))));

      auditOnA();

      Map<String, Object> payload =
          s.subcloud(s.a, "sc1").rehomeData().savedPayload().orElseThrow();
      assertThat(payload).doesNotContainKey("systemcontroller_gateway_address");
      assertThat(payload).containsEntry("bootstrap-address", "10.10.10.99");
    }

    @Test
    @DisplayName("when the peer's association is not out-of-sync, this site keeps its rehome data")
    void keepsOwnDataOtherwise() {
      bCompletedMigration();
      correctedOnB("sc1");
      RehomeData own = s.subcloud(s.a, "sc1").rehomeData();

      auditOnA();

      assertThat(s.subcloud(s.a, "sc1").rehomeData()).isEqualTo(own);
      assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    }

    @Test
    @DisplayName(
        "when the peer's association is out-of-sync and a subcloud failed to rehome, both"
            + " associations keep their statuses exactly and the peer's is not written")
    void outOfSyncWithFailures() {
      bCompletedMigration();
      bAssociation(SyncStatus.OUT_OF_SYNC);
      correctedOnB("sc1");
      statusOnB("sc2", DeployStatus.REHOME_FAILED);
      PeerGroupAssociation onA = s.onA(s.primary.id());
      PeerGroupAssociation onB = s.associationOnB();
      assertThat(onA.syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      s.sites.network().resetCalls();

      AuditAnswer answer = auditOnA();

      assertThat(answer).isEqualTo(AuditAnswer.RAN);
      assertThat(s.onA(s.primary.id())).isEqualTo(onA);
      assertThat(s.associationOnB()).isEqualTo(onB);
      assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(s.subcloud(s.a, "sc1").rehomeData().bootstrapAddress()).contains("10.10.10.99");
      assertThat(s.subcloud(s.a, "sc2").deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.NONE);
      // Members, the peer's record of this site, its group, its associations, the reset; no
      // status pushed.
      assertThat(s.sites.network().callsByKind(s.a.system(), s.b.system()))
          .isEqualTo(
              Map.of(
                  "subcloudsOfPeerGroup", 1L,
                  "getSystemPeer", 1L,
                  "getPeerGroup", 1L,
                  "listAssociations", 1L,
                  "updatePeerGroup", 1L));
    }

    @Test
    @DisplayName(
        "when this site's association is failed, out-of-sync on the peer and a subcloud failed"
            + " to rehome, the failed status and its message stay")
    void outOfSyncWithFailuresKeepsFailed() {
      bCompletedMigration();
      bAssociation(SyncStatus.OUT_OF_SYNC);
      correctedOnB("sc1");
      statusOnB("sc2", DeployStatus.REHOME_FAILED);
      PeerGroupAssociation onA =
          PeerMonitorScenario.updateAssociation(
              s.a,
              s.primary.id(),
              b ->
                  b.syncStatus(SyncStatus.FAILED)
                      .syncMessage("Peer site (site-b) is unreachable."));
      PeerGroupAssociation onB = s.associationOnB();

      auditOnA();

      assertThat(s.onA(s.primary.id())).isEqualTo(onA);
      assertThat(s.associationOnB()).isEqualTo(onB);
    }

    @Test
    @DisplayName("a subcloud failed to rehome with the peer's association in-sync: in-sync")
    void failuresWithoutOutOfSync() {
      bCompletedMigration();
      statusOnB("sc2", DeployStatus.REHOME_FAILED);

      auditOnA();

      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    }
  }

  @Nested
  @DisplayName("when the peer's association status cannot be read")
  class UnreadablePeerAssociation {

    @ParameterizedTest(name = "{0} fails")
    @ValueSource(strings = {"getSystemPeer", "getPeerGroup", "listAssociations"})
    @DisplayName(
        "the status is taken as unknown and the audit goes on: subclouds, leader, alarm, reset,"
            + " and both associations in-sync")
    void takenAsUnknown(String failing) {
      bCompletedMigration();
      // B's association is out-of-sync with a corrected sc1 and a failed sc2: had it been read,
      // the rehome data would be taken and the statuses kept.
      bAssociation(SyncStatus.OUT_OF_SYNC);
      Subcloud sc1Before = s.subcloud(s.a, "sc1");
      PeerMonitorScenario.update(
          s.b,
          "sc1",
          b ->
              b.rehomeData(
                  s.subcloud(s.b, "sc1")
                      .rehomeData()
                      .withPayloadValue("bootstrap-address", "10.10.10.99")));
      managedOnB("sc1");
      statusOnB("sc2", DeployStatus.REHOME_FAILED);
      assertThat(s.b.stores().subclouds().delete(s.subcloud(s.b, "sc5").id())).isTrue();
      s.sites.network().link(s.a.system(), s.b.system()).failCall(failing, 1);

      AuditAnswer answer = auditOnA();

      assertThat(answer).isEqualTo(AuditAnswer.RAN);
      Subcloud sc1 = s.subcloud(s.a, "sc1");
      assertThat(sc1.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(sc1.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(sc1.rehomeData()).isEqualTo(sc1Before.rehomeData());
      assertThat(s.subcloud(s.a, "sc2").deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(s.a.stores().subclouds().findByName("sc5")).isEmpty();
      SubcloudPeerGroup groupOnA = s.a.stores().peerGroups().findByName("pg1").orElseThrow();
      assertThat(groupOnA.systemLeaderId()).isEqualTo(s.b.uuid());
      assertThat(groupOnA.systemLeaderName()).isEqualTo("site-b");
      assertThat(s.alarms(s.a).isRaised(NOT_MANAGED, entity())).isTrue();
      assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.NONE);
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.onA(s.primary.id()).syncMessage()).isNull();
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
      assertThat(s.associationOnB().syncMessage()).isNull();
    }

    @Test
    @DisplayName("a peer with no association for the group: unknown, the audit goes on")
    void peerHasNone() {
      bCompletedMigration();
      managedOnB("sc1");
      statusOnB("sc2", DeployStatus.REHOME_FAILED);
      assertThat(s.b.stores().associations().delete(s.associationOnB().id())).isTrue();

      AuditAnswer answer = auditOnA();

      assertThat(answer).isEqualTo(AuditAnswer.RAN);
      assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(s.subcloud(s.a, "sc2").deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(s.a.stores().peerGroups().findByName("pg1").orElseThrow().systemLeaderId())
          .isEqualTo(s.b.uuid());
      assertThat(s.alarms(s.a).isRaised(NOT_MANAGED, entity())).isTrue();
      // B no longer associates the group with A, so A's confined token may not reset it there.
      assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
      // The in-sync cannot reach a peer that has no copy: failed here, naming the peer.
      PeerGroupAssociation onA = s.onA(s.primary.id());
      assertThat(onA.syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(onA.syncMessage())
          .isEqualTo(
              "Failed to Update Peer Site (bbbbbbbb-0000-4000-8000-000000000002) Association"
                  + " sync_status to in-sync.");
    }
  }

  @Nested
  @DisplayName("when there is nothing to follow, or the audit may not run")
  class Skips {

    @Test
    @DisplayName("a peer's group with no migration status changes nothing and calls nobody")
    void noMigrationStatus() {
      List<Object> aBefore = PeerMonitorScenario.records(s.a);
      List<Object> bBefore = PeerMonitorScenario.records(s.b);
      s.sites.network().resetCalls();

      AuditAnswer answer = auditOnA();

      assertThat(answer.message()).isNull();
      assertThat(PeerMonitorScenario.records(s.a)).isEqualTo(aBefore);
      assertThat(PeerMonitorScenario.records(s.b)).isEqualTo(bBefore);
      assertThat(s.sites.network().calls()).isZero();
    }

    @Test
    @DisplayName(
        "the audit is skipped while this site migrates the group, and runs on the next beat"
            + " once it no longer does")
    void skippedWhileMigratingHere() {
      bCompletedMigration();
      managedOnB("sc1");
      PeerMonitorScenario.updateGroup(
          s.a, "pg1", g -> g.migrationStatus(MigrationStatus.MIGRATING));
      List<Object> aBefore = PeerMonitorScenario.records(s.a);
      List<Object> bBefore = PeerMonitorScenario.records(s.b);
      s.sites.network().resetCalls();

      AuditAnswer answer = auditOnA();

      assertThat(answer.message()).isNull();
      assertThat(PeerMonitorScenario.records(s.a)).isEqualTo(aBefore);
      assertThat(PeerMonitorScenario.records(s.b)).isEqualTo(bBefore);
      assertThat(s.sites.network().calls()).isZero();

      PeerMonitorScenario.updateGroup(s.a, "pg1", g -> g.migrationStatus(MigrationStatus.NONE));
      s.beat(1);

      assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.NONE);
    }

    @Test
    @DisplayName("an audit asked while one runs for the group does not run a second one")
    void neverTwoAtOnce() {
      bCompletedMigration();
      managedOnB("sc1");
      List<AuditAnswer> nested = new ArrayList<>();
      List<Long> callsDuringNested = new ArrayList<>();
      s.onAManagementChange.add(
          () -> {
            if (nested.isEmpty()) {
              long before = s.sites.network().calls(s.a.system(), s.b.system());
              nested.add(auditOnA());
              callsDuringNested.add(s.sites.network().calls(s.a.system(), s.b.system()) - before);
            }
          });
      s.sites.network().resetCalls();

      AuditAnswer outer = auditOnA();

      assertThat(outer.message()).isNull();
      assertThat(nested).containsExactly(AuditAnswer.RAN);
      assertThat(callsDuringNested).containsExactly(0L);
      assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "subcloudsOfPeerGroup"))
          .isEqualTo(1);
      assertThat(s.sites.network().calls(s.a.system(), s.b.system(), "updatePeerGroup"))
          .isEqualTo(1);
      assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    }
  }

  @Nested
  @DisplayName("a local delete that fails")
  class FailedDelete {

    @Test
    @DisplayName(
        "marks the association out-of-sync on both sites and stops the audit before the leader,"
            + " the alarm and the peer's status")
    void stopsTheAudit() {
      bCompletedMigration();
      managedOnB("sc1");
      assertThat(s.b.stores().subclouds().delete(s.subcloud(s.b, "sc5").id())).isTrue();
      PeerGroupAudit audit = new PeerGroupAudit(contextOnA(failingDeletes(s.a.stores())));

      assertThatThrownBy(() -> audit.audit(s.peerOnA(), s.groupOnB()))
          .isInstanceOf(OperationFailedException.class)
          .hasCauseInstanceOf(PersistenceException.class);

      Subcloud sc5 = s.subcloud(s.a, "sc5");
      assertThat(sc5.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(sc5.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(s.subcloud(s.a, "sc1").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(s.onA(s.primary.id()).syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
      assertThat(s.associationOnB().syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
      assertThat(s.a.stores().peerGroups().findByName("pg1").orElseThrow()).isEqualTo(s.groupOnA);
      assertThat(s.alarms(s.a).history(NOT_MANAGED, entity())).isEmpty();
      assertThat(s.groupOnB().migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
    }

    @Test
    @DisplayName("emits one failed audit event naming the group, the peer and why")
    void failedAuditEvent() {
      bCompletedMigration();
      managedOnB("sc1");
      assertThat(s.b.stores().subclouds().delete(s.subcloud(s.b, "sc5").id())).isTrue();
      List<GeoredEvent> events = new ArrayList<>();
      PeerGroupAudit audit =
          new PeerGroupAudit(contextOnA(failingDeletes(s.a.stores()), events::add));
      String peer = s.peerOnA().peerName();

      assertThatThrownBy(() -> audit.audit(s.peerOnA(), s.groupOnB()))
          .isInstanceOf(OperationFailedException.class);

      assertThat(audits(events))
          .containsExactly(
              new GeoredEvent.Audited(
                  s.scheduler.now(),
                  "pg1",
                  peer,
                  GeoredEvent.Audited.FAILED,
                  "subcloud sc5 missing on peer " + peer + " not deleted"));
    }

    @Test
    @DisplayName("emits one succeeded audit event for an audit that ran, and none for one skipped")
    void succeededAndSkippedAuditEvents() {
      bCompletedMigration();
      managedOnB("sc1");
      List<GeoredEvent> events = new ArrayList<>();
      PeerGroupAudit audit = new PeerGroupAudit(contextOnA(s.a.stores(), events::add));

      assertThat(audit.audit(s.peerOnA(), s.groupOnB())).isTrue();
      PeerMonitorScenario.updateGroup(
          s.a, "pg1", g -> g.migrationStatus(MigrationStatus.MIGRATING));
      assertThat(audit.audit(s.peerOnA(), s.groupOnB())).isFalse();

      assertThat(audits(events))
          .containsExactly(
              new GeoredEvent.Audited(
                  s.scheduler.now(),
                  "pg1",
                  s.peerOnA().peerName(),
                  GeoredEvent.Audited.SUCCEEDED,
                  null));
    }

    private List<GeoredEvent> audits(List<GeoredEvent> events) {
      return events.stream().filter(GeoredEvent.Audited.class::isInstance).toList();
    }

    private SiteContext contextOnA(Stores stores) {
      return contextOnA(stores, GeoredEventListener.NONE);
    }

    private SiteContext contextOnA(Stores stores, GeoredEventListener events) {
      return new SiteContext(
          stores,
          LocalSystemIdentity.of(SimHarness.SITE_A),
          s.sites.network().peerSitesFor(SimHarness.SITE_A),
          s.scheduler,
          s.a.alarms(),
          new PlainTextPasswordCipher(),
          SubcloudStateListener.NONE,
          events,
          (subcloud, data, password) -> new CompletableFuture<>(),
          subcloud -> CompletableFuture.completedFuture(subcloud.availabilityStatus()),
          GeoredSettings.DEFAULTS);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {1, 10, 1000, 5000})
  @DisplayName("an audit of a group of N subclouds makes the same 8 peer calls for any N")
  void constantPeerCalls(int n) {
    try (PeerMonitorScenario big = new PeerMonitorScenario(60, 3).syncedGroup()) {
      // The members are arranged directly: a synced copy on B for each, which B now manages.
      long groupOnB = big.groupOnB().id();
      for (int i = 1; i <= n; i++) {
        Subcloud member = big.member(String.format("sc%04d", i));
        PeerMonitorScenario.insert(
            big.b.stores(),
            member.toBuilder()
                .id(0)
                .version(0)
                .peerGroupId(groupOnB)
                .rehomeData(
                    RehomeData.ofSavedPayload(
                        PeerMonitorScenario.payload(
                            member.name(), "10.10.10.10", PeerMonitorScenario.B_GATEWAY)))
                .build());
      }
      PeerMonitorScenario.updateGroup(
          big.b,
          "pg1",
          g ->
              g.migrationStatus(MigrationStatus.COMPLETE)
                  .systemLeaderId(big.b.uuid())
                  .systemLeaderName(big.b.name()));
      big.sites.network().resetCalls();

      AuditAnswer answer =
          big.a.api().auditPeerGroup(Caller.PEER_SITE, "pg1", big.auditRequestFromB());

      assertThat(answer.message()).isNull();
      assertThat(big.a.stores().subclouds().findByDeployStatus(List.of(DeployStatus.SECONDARY)))
          .hasSize(n);
      // Members, the peer's own record of this site, its group, its associations, the reset;
      // then the association's status pushed (system peer, group, associations; equal, no
      // update).
      assertThat(big.sites.network().callsByKind(big.a.system(), big.b.system()))
          .isEqualTo(
              Map.of(
                  "subcloudsOfPeerGroup", 1L,
                  "getSystemPeer", 2L,
                  "getPeerGroup", 2L,
                  "listAssociations", 2L,
                  "updatePeerGroup", 1L));
      assertThat(big.sites.network().calls(big.a.system(), big.b.system())).isEqualTo(8);
    }
  }

  /** A's stores, except that deleting a subcloud fails as a broken database would. */
  private static Stores failingDeletes(Stores stores) {
    SubcloudStore real = stores.subclouds();
    SubcloudStore failing =
        new SubcloudStore() {
          @Override
          public StoreResult<Subcloud> insert(Subcloud subcloud) {
            return real.insert(subcloud);
          }

          @Override
          public StoreResult<Subcloud> update(Subcloud subcloud) {
            return real.update(subcloud);
          }

          @Override
          public boolean delete(long id) {
            throw new PersistenceException("disk full", new java.io.IOException("disk full"));
          }

          @Override
          public Optional<Subcloud> findById(long id) {
            return real.findById(id);
          }

          @Override
          public Optional<Subcloud> findByName(String name) {
            return real.findByName(name);
          }

          @Override
          public Optional<Subcloud> findByRegionName(String regionName) {
            return real.findByRegionName(regionName);
          }

          @Override
          public List<Subcloud> findByPeerGroup(long peerGroupId) {
            return real.findByPeerGroup(peerGroupId);
          }

          @Override
          public List<Subcloud> findByDeployStatus(Collection<DeployStatus> statuses) {
            return real.findByDeployStatus(statuses);
          }

          @Override
          public List<Subcloud> findAll() {
            return real.findAll();
          }
        };
    return new Stores(
        stores.systemPeers(),
        stores.peerGroups(),
        stores.associations(),
        failing,
        stores.transactions());
  }
}
