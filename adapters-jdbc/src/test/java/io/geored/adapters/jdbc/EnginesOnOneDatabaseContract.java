package io.geored.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.GeoRedundancy;
import io.geored.core.GeoredSettings;
import io.geored.core.service.RestartRecovery;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.lease.Lease;
import io.geored.spi.lease.LeaseSettings;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.peer.PeerSites;
import io.geored.spi.store.Stores;
import io.geored.testkit.lease.CountingPeerSites;
import io.geored.testkit.lease.MonitoredPeer;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.Gate;
import io.geored.testkit.work.RehomeScript;
import io.geored.testkit.work.ScriptedRehomer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Engines sharing one real database: the once-only work runs on one of them, and an engine
 * restarted on the database another left mid-work recovers. Subclasses give the database.
 */
abstract class EnginesOnOneDatabaseContract {

  private static final String MONITOR_LEASE = "monitor:" + MonitoredPeer.PEER_UUID;
  private static final Duration BEAT = Duration.ofSeconds(MonitoredPeer.HEARTBEAT_SECONDS);

  /** The sysadmin password as a migrate request carries it (base64). */
  private static final String SYSADMIN =
      Base64.getEncoder().encodeToString("St8rlingX*Sysadmin".getBytes());

  /** A fresh, empty database, through its own connection pool. */
  protected abstract JdbcStores freshDatabase();

  /** Another connection pool on the database {@link #freshDatabase()} gave, as another process. */
  protected abstract JdbcStores sameDatabase();

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private JdbcStores open(boolean fresh) {
    JdbcStores db = fresh ? freshDatabase() : sameDatabase();
    opened.add(db);
    return db;
  }

  private GeoRedundancy engine(
      JdbcStores db, PeerSites peers, String owner, ScriptedRehomer rehomer) {
    GeoRedundancy.Builder builder =
        GeoRedundancy.builder(db.stores(), LocalSystemIdentity.of(SingleSite.SITE_A), peers)
            .scheduler(scheduler)
            .settings(GeoredSettings.DEFAULTS)
            .lease(db.leases(), owner);
    if (rehomer != null) {
      builder.rehomer(rehomer);
    }
    GeoRedundancy engine = builder.build();
    opened.add(engine);
    return engine;
  }

  @Nested
  @DisplayName("two engines and a monitored peer")
  class TwoEngines {

    @Test
    @DisplayName(
        "exactly one heartbeats the peer; when it stops the other takes over within one lease"
            + " period")
    void oneBeatsThenTheOtherTakesOver() {
      JdbcStores db1 = open(true);
      JdbcStores db2 = open(false);
      CountingPeerSites peers1 = new CountingPeerSites();
      CountingPeerSites peers2 = new CountingPeerSites();
      GeoRedundancy engine1 = engine(db1, peers1, "engine-1", null);
      GeoRedundancy engine2 = engine(db2, peers2, "engine-2", null);
      MonitoredPeer.arrange(engine1.site(), db1.stores());
      engine1.start();
      engine2.start();

      scheduler.advance(Duration.ofSeconds(60));

      // The first beat runs at start, then one every 10 s: t = 0, 10, ..., 60.
      assertThat(peers1.heartbeats()).isEqualTo(7);
      assertThat(peers2.heartbeats()).isZero();
      Lease held = db2.leases().find(MONITOR_LEASE).orElseThrow();
      assertThat(held.owner()).isEqualTo("engine-1");
      assertThat(held.expiresAt()).isEqualTo(scheduler.now().plus(LeaseSettings.DEFAULT_PERIOD));

      engine1.close();
      Duration took =
          scheduler.advanceUntil(
              () -> peers2.heartbeats() > 0, Duration.ofSeconds(1), Duration.ofMinutes(2));

      assertThat(took).isEqualTo(BEAT).isLessThanOrEqualTo(LeaseSettings.DEFAULT_PERIOD);
      assertThat(db1.leases().find(MONITOR_LEASE).orElseThrow().owner()).isEqualTo("engine-2");
      scheduler.advance(Duration.ofSeconds(30));
      assertThat(peers2.heartbeats()).isEqualTo(4);
      assertThat(peers1.heartbeats()).isEqualTo(7);
    }
  }

  @Nested
  @DisplayName("an engine restarted on the database")
  class Restart {

    @Test
    @DisplayName(
        "after a stop before a queued sync ran, the association is failed with the restart"
            + " message and nothing else changed")
    void stoppedBeforeTheSync() {
      JdbcStores db1 = open(true);
      GeoRedundancy engine1 = engine(db1, SingleSite.NO_PEERS, "engine-1", null);
      SystemPeer peer = MonitoredPeer.arrange(engine1.site(), db1.stores());
      engine1.start();
      PeerGroupAssociation association =
          db1.stores().associations().findBySystemPeer(peer.id()).get(0);
      PeerGroupAssociation syncing =
          engine1.site().syncAssociation(Caller.OPERATOR, association.id());
      assertThat(syncing.syncStatus()).isEqualTo(SyncStatus.SYNCING);
      Snapshot before = Snapshot.of(db1.stores());

      // Stopped before the scheduler ran the queued sync.
      engine1.close();
      JdbcStores db2 = open(false);
      GeoRedundancy engine2 = engine(db2, SingleSite.NO_PEERS, "engine-2", null);
      RestartRecovery.Report report = engine2.start();

      assertThat(report).isEqualTo(new RestartRecovery.Report(0, 1, 0));
      PeerGroupAssociation after =
          db2.stores().associations().findById(association.id()).orElseThrow();
      assertThat(after.syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(after.syncMessage()).isEqualTo(Messages.SERVICE_RESTART_DURING_SYNCING);
      assertThat(after.peerGroupId()).isEqualTo(syncing.peerGroupId());
      assertThat(after.systemPeerId()).isEqualTo(syncing.systemPeerId());
      assertThat(after.peerGroupPriority()).isEqualTo(syncing.peerGroupPriority());
      assertThat(after.associationType()).isEqualTo(syncing.associationType());
      Snapshot now = Snapshot.of(db2.stores());
      assertThat(now.peers()).isEqualTo(before.peers());
      assertThat(now.groups()).isEqualTo(before.groups());
      assertThat(now.subclouds()).isEqualTo(before.subclouds());
    }

    @Test
    @DisplayName(
        "after a stop in the middle of a migration, no subcloud is transitory and the group is"
            + " complete and led here, with every member and its rehome data kept")
    void stoppedMidMigration() {
      JdbcStores db1 = open(true);
      Gate gate = new Gate();
      ScriptedRehomer rehomer =
          new ScriptedRehomer(scheduler).byDefault(RehomeScript.succeed().awaiting(gate));
      GeoRedundancy engine1 = engine(db1, SingleSite.NO_PEERS, "engine-1", rehomer);
      SubcloudPeerGroup group = insertGroupLedByPeer(db1.stores());
      List<Subcloud> members = new ArrayList<>();
      for (String name : List.of("sc01", "sc02", "sc03")) {
        members.add(insertSecondary(db1.stores(), group, name));
      }
      engine1.start();

      List<Subcloud> accepted =
          engine1.site().migratePeerGroup(Caller.OPERATOR, "pgm", new MigrateRequest(SYSADMIN));
      scheduler.runUntilIdle();

      assertThat(accepted).extracting(Subcloud::name).containsExactly("sc01", "sc02", "sc03");
      assertThat(db1.stores().subclouds().findAll())
          .extracting(Subcloud::deployStatus)
          .containsExactly(DeployStatus.REHOMING, DeployStatus.REHOMING, DeployStatus.SECONDARY);
      assertThat(db1.leases().find("migrate:pgm").orElseThrow().owner()).isEqualTo("engine-1");

      engine1.close();
      JdbcStores db2 = open(false);
      GeoRedundancy engine2 = engine(db2, SingleSite.NO_PEERS, "engine-2", rehomer);
      RestartRecovery.Report report = engine2.start();
      // The stopped engine's rehomes end later and change nothing.
      gate.open();
      scheduler.advance(Duration.ofMinutes(30));

      assertThat(report).isEqualTo(new RestartRecovery.Report(2, 0, 1));
      List<Subcloud> after = db2.stores().subclouds().findAll();
      assertThat(after).allSatisfy(sc -> assertThat(sc.deployStatus().isTransitory()).isFalse());
      assertThat(after)
          .extracting(Subcloud::name, Subcloud::deployStatus)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("sc01", DeployStatus.REHOME_FAILED),
              org.assertj.core.groups.Tuple.tuple("sc02", DeployStatus.REHOME_FAILED),
              org.assertj.core.groups.Tuple.tuple("sc03", DeployStatus.SECONDARY));
      for (int i = 0; i < members.size(); i++) {
        assertThat(after.get(i).rehomeData()).isEqualTo(members.get(i).rehomeData());
        assertThat(after.get(i).regionName()).isEqualTo(members.get(i).regionName());
        assertThat(after.get(i).peerGroupId()).isEqualTo(group.id());
      }
      SubcloudPeerGroup closed = db2.stores().peerGroups().findById(group.id()).orElseThrow();
      assertThat(closed.migrationStatus()).isEqualTo(MigrationStatus.COMPLETE);
      assertThat(closed.systemLeaderId()).isEqualTo(SingleSite.SITE_A.uuid());
      assertThat(closed.systemLeaderName()).isEqualTo(SingleSite.SITE_A.name());
      assertThat(closed.groupPriority()).isEqualTo(group.groupPriority());
      assertThat(rehomer.totalCalls()).isEqualTo(2);
    }
  }

  private static SubcloudPeerGroup insertGroupLedByPeer(Stores stores) {
    return stores
        .peerGroups()
        .insert(
            SubcloudPeerGroup.builder()
                .peerGroupName("pgm")
                .groupPriority(1)
                .groupState(GroupState.ENABLED)
                .maxSubcloudRehoming(2)
                .systemLeaderId(MonitoredPeer.PEER_UUID)
                .systemLeaderName(MonitoredPeer.PEER_NAME)
                .migrationStatus(MigrationStatus.NONE)
                .createdAt(Instant.EPOCH)
                .build())
        .orElseThrow(r -> new IllegalStateException("arrangement failed: " + r));
  }

  private static Subcloud insertSecondary(Stores stores, SubcloudPeerGroup group, String name) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", name);
    payload.put("bootstrap-address", "10.20.0." + name.length());
    payload.put("systemcontroller_gateway_address", "10.10.1.1");
    payload.put("management_subnet", "192.168.101.0/24");
    return stores
        .subclouds()
        .insert(
            Subcloud.builder()
                .name(name)
                .regionName("region-" + name)
                .managementState(ManagementState.UNMANAGED)
                .availabilityStatus(AvailabilityStatus.OFFLINE)
                .deployStatus(DeployStatus.SECONDARY)
                .peerGroupId(group.id())
                .rehomeData(RehomeData.ofSavedPayload(payload))
                .createdAt(Instant.EPOCH)
                .build())
        .orElseThrow(r -> new IllegalStateException("arrangement failed: " + r));
  }

  /** Every stored record, to show what a restart kept. */
  private record Snapshot(
      List<SystemPeer> peers, List<SubcloudPeerGroup> groups, List<Subcloud> subclouds) {
    static Snapshot of(Stores stores) {
      return new Snapshot(
          stores.systemPeers().findAll(),
          stores.peerGroups().findAll(),
          stores.subclouds().findAll());
    }
  }
}
