package io.geored.adapters.micrometer;

import static io.geored.adapters.micrometer.MeterNames.ALARM;
import static io.geored.adapters.micrometer.MeterNames.ALARMS_RAISED;
import static io.geored.adapters.micrometer.MeterNames.ASSOCIATION;
import static io.geored.adapters.micrometer.MeterNames.ASSOCIATION_SYNCS;
import static io.geored.adapters.micrometer.MeterNames.ASSOCIATION_SYNC_DURATION;
import static io.geored.adapters.micrometer.MeterNames.ASSOCIATION_SYNC_STATUS;
import static io.geored.adapters.micrometer.MeterNames.ASSOCIATION_SYNC_SUBCLOUDS;
import static io.geored.adapters.micrometer.MeterNames.CALL;
import static io.geored.adapters.micrometer.MeterNames.FAILURE;
import static io.geored.adapters.micrometer.MeterNames.GROUP;
import static io.geored.adapters.micrometer.MeterNames.GROUP_AUDITS;
import static io.geored.adapters.micrometer.MeterNames.GROUP_MIGRATION_DURATION;
import static io.geored.adapters.micrometer.MeterNames.GROUP_MIGRATION_STATUS;
import static io.geored.adapters.micrometer.MeterNames.GROUP_REHOMES;
import static io.geored.adapters.micrometer.MeterNames.GROUP_SUBCLOUDS;
import static io.geored.adapters.micrometer.MeterNames.LEASES_HELD;
import static io.geored.adapters.micrometer.MeterNames.OUTCOME;
import static io.geored.adapters.micrometer.MeterNames.PEER;
import static io.geored.adapters.micrometer.MeterNames.PEER_AVAILABLE;
import static io.geored.adapters.micrometer.MeterNames.PEER_CALLS;
import static io.geored.adapters.micrometer.MeterNames.PEER_HEARTBEATS;
import static io.geored.adapters.micrometer.MeterNames.PEER_HEARTBEAT_LATENCY;
import static io.geored.adapters.micrometer.MeterNames.PEER_HEARTBEAT_MISSES;
import static io.geored.adapters.micrometer.MeterNames.STATUS;
import static io.geored.adapters.micrometer.MeterNames.STORE;
import static io.geored.adapters.micrometer.MeterNames.STORE_CONFLICTS;
import static io.geored.adapters.micrometer.MeterNames.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.event.GeoredEvent;
import io.geored.spi.lease.Lease;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.Subcloud;
import io.geored.testkit.work.RehomeScript;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("metrics of two sites through a scripted failover")
class FailoverMetricsTest {

  private static final String HEARTBEAT = "listPeerGroups";

  @Test
  @DisplayName(
      "peer lost, migration with one failed rehome, peer back: each meter holds the story's value")
  void failover() {
    try (MeteredSites s = story()) {
      MeteredSites.Site a = s.a;
      MeteredSites.Site b = s.b;
      s.prepare();

      // 1. pg1 synced from A to B: one successful sync of A's association, three subclouds.
      String onA = String.valueOf(a.association().id());
      String onB = String.valueOf(b.association().id());
      assertThat(counter(a, ASSOCIATION_SYNCS, ASSOCIATION, onA, OUTCOME, SUCCESS)).isEqualTo(1);
      assertThat(counter(a, ASSOCIATION_SYNCS, ASSOCIATION, onA, OUTCOME, FAILURE)).isEqualTo(0);
      Timer syncTime =
          a.registry
              .get(ASSOCIATION_SYNC_DURATION)
              .tags(ASSOCIATION, onA, OUTCOME, SUCCESS)
              .timer();
      assertThat(syncTime.count()).isEqualTo(1);
      assertThat(nanos(syncTime)).isEqualTo(syncedIn(a).toNanos());
      DistributionSummary synced =
          a.registry.get(ASSOCIATION_SYNC_SUBCLOUDS).tags(ASSOCIATION, onA).summary();
      assertThat(synced.count()).isEqualTo(1);
      assertThat(synced.totalAmount()).isEqualTo(3.0);
      // Every call of that sync counts under A's association too, by call.
      // The first sync of three subclouds: 2N + 7 calls. get_peer_group fails: B has no copy yet.
      assertThat(associationCalls(a, onA))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "identity/success", 1L,
                  "get_system_peer/success", 1L,
                  "get_peer_group/failure", 1L,
                  "create_peer_group/success", 1L,
                  "list_associations/success", 1L,
                  "create_association/success", 1L,
                  "update_association/success", 1L,
                  "create_subcloud/success", 3L,
                  "update_subcloud/success", 3L));
      Map<String, Long> beyondHeartbeats = new HashMap<>(s.network.callsByKind(a.system, b.system));
      beyondHeartbeats.remove(HEARTBEAT);
      assertThat(associationCalls(a, onA).values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(beyondHeartbeats.values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(2 * 3 + 7);
      // B's association is not primary: B ran no sync of it.
      assertThat(b.registry.find(ASSOCIATION_SYNCS).meters()).isEmpty();
      assertSyncStatus(a, onA, "in-sync");
      assertSyncStatus(b, onB, "in-sync");
      assertThat(gauge(a, GROUP_SUBCLOUDS, GROUP, "pg1", STATUS, "complete")).isEqualTo(3);
      assertThat(gauge(b, GROUP_SUBCLOUDS, GROUP, "pg1", STATUS, "secondary")).isEqualTo(3);
      assertThat(gauge(b, PEER_AVAILABLE, PEER, "site-a")).isEqualTo(1);
      long goodBeats = s.network.calls(b.system, a.system, HEARTBEAT);
      assertThat(goodBeats).isPositive();
      assertHeartbeats(b, "site-a", goodBeats, 0, 0);

      // Each monitor audited pg1 once, when it started watching the other site.
      assertAudits(a, 1, 0);
      assertAudits(b, 1, 0);
      // 2. A is lost: B's threshold of three failed heartbeats makes it unavailable.
      s.network.down(a.system);
      s.scheduler.advanceUntil(
          () -> b.peerOf(a).availabilityState() == PeerAvailability.UNAVAILABLE,
          Duration.ofSeconds(1),
          Duration.ofMinutes(10));
      assertThat(s.network.calls(b.system, a.system, HEARTBEAT) - goodBeats).isEqualTo(3);
      assertHeartbeats(b, "site-a", goodBeats, 3, 3);
      assertThat(gauge(b, PEER_AVAILABLE, PEER, "site-a")).isEqualTo(0);
      assertThat(gauge(b, ALARMS_RAISED, ALARM, "280.004")).isEqualTo(1);

      // 3. B migrates pg1: sc02's rehome fails, the others succeed, all in five minutes.
      s.migrateOnB();
      s.scheduler.advance(Duration.ofMinutes(30));
      assertThat(gauge(b, GROUP_MIGRATION_STATUS, GROUP, "pg1", STATUS, "complete")).isEqualTo(1);
      assertThat(gauge(b, GROUP_MIGRATION_STATUS, GROUP, "pg1", STATUS, "migrating")).isEqualTo(0);
      assertThat(gauge(b, GROUP_MIGRATION_STATUS, GROUP, "pg1", STATUS, "none")).isEqualTo(0);
      Timer migration = b.registry.get(GROUP_MIGRATION_DURATION).tags(GROUP, "pg1").timer();
      assertThat(migration.count()).isEqualTo(1);
      assertThat(nanos(migration)).isEqualTo(MeteredSites.REHOME_TIME.toNanos());
      assertThat(nanos(migration)).isEqualTo(migratedIn(b).toNanos());
      assertThat(counter(b, GROUP_REHOMES, GROUP, "pg1", OUTCOME, SUCCESS)).isEqualTo(2);
      assertThat(counter(b, GROUP_REHOMES, GROUP, "pg1", OUTCOME, FAILURE)).isEqualTo(1);
      assertThat(subcloudsByStatus(b, "pg1"))
          .isEqualTo(
              Map.of(
                  "complete", 2,
                  "rehome-failed", 1,
                  "secondary", 0,
                  "pre-rehome", 0,
                  "rehoming", 0));
      long missed = s.network.calls(b.system, a.system, HEARTBEAT) - goodBeats;
      assertHeartbeats(b, "site-a", goodBeats, missed, missed);
      // A never answered during the migration: besides heartbeats, B read A's copy of the group
      // once before starting (whether it names a leader B cannot ask, ADR 0028), and B's hand-over
      // tried A once per member (a peer marked unavailable is still asked whenever it might be
      // reached); all failed.
      assertThat(s.network.callsByKind(b.system, a.system))
          .containsOnlyKeys(HEARTBEAT, "getPeerGroup", "getSubcloud")
          .containsEntry("getPeerGroup", 1L)
          .containsEntry("getSubcloud", 3L);

      // No audit while A is away, nor of a group B migrates.
      assertAudits(a, 1, 0);
      assertAudits(b, 1, 0);
      // 4. A is back: B's next heartbeat finds it, 280.004 clears; A's audit follows B.
      s.network.up(a.system);
      s.scheduler.advance(Duration.ofMinutes(3));
      long goodAgain = s.network.calls(b.system, a.system, HEARTBEAT) - goodBeats - missed;
      assertThat(goodAgain).isPositive();
      assertHeartbeats(b, "site-a", goodBeats + goodAgain, missed, 0);
      assertThat(gauge(b, PEER_AVAILABLE, PEER, "site-a")).isEqualTo(1);
      assertThat(gauge(a, PEER_AVAILABLE, PEER, "site-b")).isEqualTo(1);
      assertThat(gauge(b, ALARMS_RAISED, ALARM, "280.004")).isEqualTo(0);
      assertThat(gauge(a, ALARMS_RAISED, ALARM, "280.004")).isEqualTo(0);
      // A's copy of the group is led by B, which left one subcloud unmanaged: 280.005 on A.
      assertThat(gauge(a, ALARMS_RAISED, ALARM, "280.005")).isEqualTo(1);
      assertThat(a.alarms.findAll("280.005")).hasSize(1);
      assertThat(subcloudsByStatus(a, "pg1"))
          .isEqualTo(Map.of("complete", 0, "secondary", 2, "rehome-failed", 1));
      assertThat(gauge(a, GROUP_MIGRATION_STATUS, GROUP, "pg1", STATUS, "none")).isEqualTo(1);
      assertSyncStatus(a, onA, "in-sync");
      assertSyncStatus(b, onB, "in-sync");
      // Still the one sync of step 1, and the one migration of step 3.
      assertThat(counter(a, ASSOCIATION_SYNCS, ASSOCIATION, onA, OUTCOME, SUCCESS)).isEqualTo(1);
      assertThat(counter(a, ASSOCIATION_SYNCS, ASSOCIATION, onA, OUTCOME, FAILURE)).isEqualTo(0);
      assertThat(migration.count()).isEqualTo(1);
      assertThat(a.registry.find(GROUP_MIGRATION_DURATION).meters()).isEmpty();
      assertThat(a.registry.find(GROUP_REHOMES).meters()).isEmpty();

      // A lost peer marks its groups for an audit when it is back: one more on each site.
      assertAudits(a, 2, 0);
      assertAudits(b, 2, 0);
      // A's audit of pg1 on B's return (B's members, its association's status, the migration
      // status reset on B) counts under A's association; the reads that find the peer's
      // associations on its return are the peer's, not one association's (one get_system_peer and
      // one list_associations).
      assertThat(associationCalls(a, onA))
          .containsExactlyInAnyOrderEntriesOf(
              Map.ofEntries(
                  Map.entry("identity/success", 1L),
                  Map.entry("get_system_peer/success", 3L),
                  Map.entry("get_peer_group/failure", 1L),
                  Map.entry("get_peer_group/success", 1L),
                  Map.entry("create_peer_group/success", 1L),
                  Map.entry("update_peer_group/success", 1L),
                  Map.entry("list_associations/success", 3L),
                  Map.entry("create_association/success", 1L),
                  Map.entry("update_association/success", 1L),
                  Map.entry("create_subcloud/success", 3L),
                  Map.entry("update_subcloud/success", 3L),
                  Map.entry("subclouds_of_peer_group/success", 1L)));
      Map<String, Long> network = s.network.callsByKind(a.system, b.system);
      assertThat(network.get("getSystemPeer")).isEqualTo(3 + 1);
      assertThat(network.get("listAssociations")).isEqualTo(3 + 1);
      // B's association is not primary and B's migration asked A for nothing: no call is its.
      assertThat(associationCalls(b, onB)).isEmpty();
      // Every call either site made to the other is counted once, by call.
      assertCallsMatchNetwork(s, a, b);
      assertCallsMatchNetwork(s, b, a);

      // Leases: each engine holds its monitor of the other and the availability audit; B gave the
      // migration's lease back when the migration ended.
      assertThat(gauge(b, LEASES_HELD)).isEqualTo(2);
      assertThat(gauge(a, LEASES_HELD)).isEqualTo(2);
      assertThat(b.leases.find("monitor:" + a.system.uuid()).map(Lease::owner))
          .contains("site-b-engine");
      assertThat(b.leases.find("availability").map(Lease::owner)).contains("site-b-engine");
      assertThat(b.leases.find("migrate:pg1").orElseThrow().isActiveAt(s.scheduler.now()))
          .isFalse();

      // B's only writes of its system peer were A's availability: created, lost, back.
      assertThat(
              b.changes("system_peer", "availability_state").stream()
                  .map(c -> c.from() + ">" + c.to())
                  .toList())
          .containsExactly("created>available", "available>unavailable", "unavailable>available");
      assertThat(
              b.registry
                  .get(MeterNames.STORE_OPERATIONS)
                  .tags(STORE, "system_peers", MeterNames.OPERATION, "update", OUTCOME, "saved")
                  .timer()
                  .count())
          .isEqualTo(3);
      assertThat(
              b.registry
                  .get(MeterNames.STORE_OPERATIONS)
                  .tags(STORE, "system_peers", MeterNames.OPERATION, "insert", OUTCOME, "saved")
                  .timer()
                  .count())
          .isEqualTo(1);

      // No write lost a compare-and-set race in this story.
      for (MeteredSites.Site site : List.of(a, b)) {
        for (String store :
            List.of("system_peers", "peer_groups", "associations", "subclouds", "leases")) {
          assertThat(counter(site, STORE_CONFLICTS, STORE, store)).as(store).isEqualTo(0);
        }
      }
    }
  }

  @Test
  @DisplayName("no tag value is a subcloud's name and no meter name or tag holds a password")
  void boundedAndSecretFree() {
    try (MeteredSites s = story()) {
      s.prepare();
      s.network.down(s.a.system);
      s.scheduler.advance(Duration.ofMinutes(4));
      s.migrateOnB();
      s.scheduler.advance(Duration.ofMinutes(30));
      s.network.up(s.a.system);
      s.scheduler.advance(Duration.ofMinutes(3));

      List<String> unbounded = new ArrayList<>();
      for (MeteredSites.Site site : List.of(s.a, s.b)) {
        for (Subcloud subcloud : site.stores.subclouds().findAll()) {
          unbounded.add(subcloud.name());
          unbounded.add(subcloud.regionName());
        }
      }
      assertThat(unbounded).contains("sc01", "region-sc02");
      List<String> secrets =
          List.of(
              MeteredSites.PEER_PASSWORD,
              MeteredSites.SYSADMIN,
              "St8rlingX*",
              MeteredSites.BOOTSTRAP_PASSWORD,
              "password",
              "token");
      int meters = 0;
      for (MeteredSites.Site site : List.of(s.a, s.b)) {
        for (Meter meter : site.registry.getMeters()) {
          meters++;
          String name = meter.getId().getName();
          assertThat(name).matches("geored(\\.[a-z]+)+");
          for (String secret : secrets) {
            assertThat(name.toLowerCase()).doesNotContain(secret.toLowerCase());
          }
          for (Tag tag : meter.getId().getTags()) {
            assertThat(unbounded).as(meter.getId().toString()).doesNotContain(tag.getValue());
            for (String secret : secrets) {
              assertThat(tag.getKey().toLowerCase() + "=" + tag.getValue().toLowerCase())
                  .as(meter.getId().toString())
                  .doesNotContain(secret.toLowerCase());
            }
          }
        }
      }
      assertThat(meters).isGreaterThan(50);
    }
  }

  private static MeteredSites story() {
    MeteredSites s = new MeteredSites();
    for (String name : MeteredSites.SUBCLOUDS) {
      RehomeScript script =
          name.equals("sc02") ? RehomeScript.fail("subcloud unreachable") : RehomeScript.succeed();
      s.b.rehomer.script(name, script.taking(MeteredSites.REHOME_TIME));
    }
    return s;
  }

  // ------------------------------------------------------------------ expectations

  private static void assertAudits(MeteredSites.Site site, int succeeded, int failed) {
    assertThat(counter(site, GROUP_AUDITS, GROUP, "pg1", OUTCOME, SUCCESS)).isEqualTo(succeeded);
    assertThat(counter(site, GROUP_AUDITS, GROUP, "pg1", OUTCOME, FAILURE)).isEqualTo(failed);
  }

  /** From the association's creation (it is created syncing) to its change to in-sync on A. */
  private static Duration syncedIn(MeteredSites.Site site) {
    GeoredEvent.StateChanged created = site.changes("association", "exists").get(0);
    GeoredEvent.StateChanged done =
        site.changes("association", "sync_status").stream()
            .filter(c -> "syncing".equals(c.from()))
            .findFirst()
            .orElseThrow();
    return Duration.between(created.at(), done.at());
  }

  private static Duration migratedIn(MeteredSites.Site site) {
    List<GeoredEvent.StateChanged> changes = site.changes("peer_group", "migration_status");
    GeoredEvent.StateChanged start =
        changes.stream().filter(c -> "migrating".equals(c.to())).findFirst().orElseThrow();
    GeoredEvent.StateChanged end =
        changes.stream().filter(c -> "migrating".equals(c.from())).findFirst().orElseThrow();
    return Duration.between(start.at(), end.at());
  }

  private static void assertHeartbeats(
      MeteredSites.Site site, String peer, long good, long failed, long missesInARow) {
    assertThat(counter(site, PEER_HEARTBEATS, PEER, peer, OUTCOME, SUCCESS)).isEqualTo(good);
    assertThat(counter(site, PEER_HEARTBEATS, PEER, peer, OUTCOME, FAILURE)).isEqualTo(failed);
    assertThat(gauge(site, PEER_HEARTBEAT_MISSES, PEER, peer)).isEqualTo(missesInARow);
    Timer latency =
        site.registry.get(PEER_HEARTBEAT_LATENCY).tags(PEER, peer, OUTCOME, SUCCESS).timer();
    assertThat(latency.count()).isEqualTo(good);
    // Every answered heartbeat crossed the link's two-second delay.
    assertThat(nanos(latency)).isEqualTo(good * MeteredSites.HEARTBEAT_LATENCY.toNanos());
    if (failed > 0) {
      Timer failedLatency =
          site.registry.get(PEER_HEARTBEAT_LATENCY).tags(PEER, peer, OUTCOME, FAILURE).timer();
      assertThat(failedLatency.count()).isEqualTo(failed);
      // A site that is down fails a call before any delay.
      assertThat(nanos(failedLatency)).isZero();
    }
    assertThat(counter(site, PEER_CALLS, PEER, peer, CALL, "list_peer_groups", OUTCOME, SUCCESS))
        .isEqualTo(good);
  }

  private static void assertSyncStatus(MeteredSites.Site site, String association, String status) {
    Map<String, Integer> values = new HashMap<>();
    for (Gauge g :
        site.registry.get(ASSOCIATION_SYNC_STATUS).tag(ASSOCIATION, association).gauges()) {
      values.put(g.getId().getTag(STATUS), (int) g.value());
    }
    Map<String, Integer> expected = new HashMap<>();
    for (String each : List.of("syncing", "in-sync", "out-of-sync", "failed", "unknown")) {
      expected.put(each, each.equals(status) ? 1 : 0);
    }
    assertThat(values).isEqualTo(expected);
  }

  private static Map<String, Integer> subcloudsByStatus(MeteredSites.Site site, String group) {
    Map<String, Integer> values = new HashMap<>();
    for (Gauge g : site.registry.get(GROUP_SUBCLOUDS).tag(GROUP, group).gauges()) {
      values.put(g.getId().getTag(STATUS), (int) g.value());
    }
    return values;
  }

  private static void assertCallsMatchNetwork(
      MeteredSites s, MeteredSites.Site from, MeteredSites.Site to) {
    Map<String, Long> counted = new HashMap<>();
    for (Counter c : from.registry.get(PEER_CALLS).tag(PEER, to.name()).counters()) {
      counted.merge(c.getId().getTag(CALL), (long) c.count(), Long::sum);
    }
    Map<String, Long> network = new HashMap<>();
    s.network
        .callsByKind(from.system, to.system)
        .forEach((kind, n) -> network.put(MeterNames.snake(kind), n));
    assertThat(counted).isEqualTo(network);
  }

  private static Map<String, Long> associationCalls(MeteredSites.Site site, String association) {
    Map<String, Long> counted = new java.util.TreeMap<>();
    for (Counter c :
        site.registry
            .find(MeterNames.ASSOCIATION_PEER_CALLS)
            .tag(ASSOCIATION, association)
            .counters()) {
      counted.merge(
          c.getId().getTag(CALL) + "/" + c.getId().getTag(OUTCOME), (long) c.count(), Long::sum);
    }
    return counted;
  }

  // ------------------------------------------------------------------ reading meters

  private static double counter(MeteredSites.Site site, String name, String... tags) {
    return site.registry.get(name).tags(tags).counter().count();
  }

  private static double gauge(MeteredSites.Site site, String name, String... tags) {
    MeterRegistry registry = site.registry;
    return registry.get(name).tags(tags).gauge().value();
  }

  private static long nanos(Timer timer) {
    return (long) timer.totalTime(TimeUnit.NANOSECONDS);
  }
}
