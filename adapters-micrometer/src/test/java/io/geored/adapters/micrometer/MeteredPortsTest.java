package io.geored.adapters.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ConflictException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SiteApi;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.event.GeoredEventListener;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.spi.work.RehomeOutcome;
import io.geored.testkit.store.InMemoryStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("each decorator measures what it says, and changes nothing it hands on")
class MeteredPortsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Stores raw = InMemoryStores.create();
  private final GeoredMetrics metrics = GeoredMetrics.builder(registry, raw).build();

  private SubcloudPeerGroup group(String name) {
    return ((StoreResult.Saved<SubcloudPeerGroup>)
            metrics
                .stores()
                .peerGroups()
                .insert(SubcloudPeerGroup.builder().peerGroupName(name).groupPriority(0).build()))
        .value();
  }

  @Test
  @DisplayName("a stale compare-and-set counts one conflict and is timed with outcome stale")
  void staleWriteIsAConflict() {
    SubcloudPeerGroup pg1 = group("pg1");
    StoreResult<SubcloudPeerGroup> first =
        metrics.stores().peerGroups().update(pg1.toBuilder().groupPriority(1).build());
    StoreResult<SubcloudPeerGroup> second =
        metrics.stores().peerGroups().update(pg1.toBuilder().groupPriority(2).build());

    assertThat(first).isInstanceOf(StoreResult.Saved.class);
    assertThat(second).isInstanceOf(StoreResult.Stale.class);
    assertThat(
            registry.get(MeterNames.STORE_CONFLICTS).tag("store", "peer_groups").counter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(MeterNames.STORE_OPERATIONS)
                .tags("store", "peer_groups", "operation", "update", "outcome", "stale")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(MeterNames.STORE_OPERATIONS)
                .tags("store", "peer_groups", "operation", "update", "outcome", "saved")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(MeterNames.STORE_OPERATIONS)
                .tags("store", "peer_groups", "operation", "insert", "outcome", "saved")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(raw.peerGroups().findByName("pg1").orElseThrow().groupPriority()).isEqualTo(1);
  }

  @Test
  @DisplayName("a renamed group moves its gauges to the new name; a deleted one loses them")
  void renameAndDelete() {
    SubcloudPeerGroup pg1 = group("pg1");
    assertThat(registry.find(MeterNames.GROUP_MIGRATION_STATUS).tag("group", "pg1").gauges())
        .hasSize(3);

    SubcloudPeerGroup renamed =
        ((StoreResult.Saved<SubcloudPeerGroup>)
                metrics.stores().peerGroups().update(pg1.toBuilder().peerGroupName("pg2").build()))
            .value();
    assertThat(registry.find(MeterNames.GROUP_MIGRATION_STATUS).tag("group", "pg1").gauges())
        .isEmpty();
    assertThat(
            registry
                .get(MeterNames.GROUP_MIGRATION_STATUS)
                .tags("group", "pg2", "status", "none")
                .gauge()
                .value())
        .isEqualTo(1);

    assertThat(metrics.stores().peerGroups().delete(renamed.id())).isTrue();
    assertThat(registry.find(MeterNames.GROUP_MIGRATION_STATUS).gauges()).isEmpty();
  }

  @Test
  @DisplayName("audit events count per group and outcome, and are handed on")
  void audits() {
    List<GeoredEvent> heard = new ArrayList<>();
    GeoredEventListener listener = metrics.eventListener(heard::add);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    List<GeoredEvent> events =
        List.of(
            new GeoredEvent.Audited(t0, "pg1", "site-b", GeoredEvent.Audited.SUCCEEDED, null),
            new GeoredEvent.Audited(
                t0.plusSeconds(60), "pg1", "site-b", GeoredEvent.Audited.FAILED, "peer down"),
            new GeoredEvent.Audited(
                t0.plusSeconds(120), "pg1", "site-c", GeoredEvent.Audited.SUCCEEDED, null),
            new GeoredEvent.Audited(
                t0.plusSeconds(120), "pg2", "site-b", GeoredEvent.Audited.FAILED, "refused"));
    events.forEach(listener::onEvent);

    assertThat(heard).isEqualTo(events);
    assertThat(audits("pg1", "success")).isEqualTo(2);
    assertThat(audits("pg1", "failure")).isEqualTo(1);
    assertThat(audits("pg2", "success")).isEqualTo(0);
    assertThat(audits("pg2", "failure")).isEqualTo(1);
    assertThat(registry.find(MeterNames.GROUP_AUDITS).counters()).hasSize(4);
  }

  private double audits(String group, String outcome) {
    return registry
        .get(MeterNames.GROUP_AUDITS)
        .tags("group", group, "outcome", outcome)
        .counter()
        .count();
  }

  @Test
  @DisplayName("a sync that ends failed counts a failure, timed by the events' instants")
  void failedSync() {
    SubcloudPeerGroup pg1 = group("pg1");
    PeerGroupAssociation association =
        ((StoreResult.Saved<PeerGroupAssociation>)
                raw.associations()
                    .insert(
                        PeerGroupAssociation.builder()
                            .peerGroupId(pg1.id())
                            .systemPeerId(1)
                            .peerGroupPriority(2)
                            .associationType(AssociationType.PRIMARY)
                            .syncStatus(SyncStatus.IN_SYNC)
                            .build()))
            .value();
    List<GeoredEvent> heard = new ArrayList<>();
    GeoredEventListener listener = metrics.eventListener(heard::add);
    String id = String.valueOf(association.id());
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    GeoredEvent start =
        new GeoredEvent.StateChanged(t0, "association", id, "sync_status", "in-sync", "syncing");
    GeoredEvent one =
        new GeoredEvent.Progress(t0.plusSeconds(3), "sync", "pg1", 1, 2, "sc01 synced");
    GeoredEvent two =
        new GeoredEvent.Progress(t0.plusSeconds(4), "sync", "pg1", 2, 2, "sc02 failed: refused");
    GeoredEvent end =
        new GeoredEvent.StateChanged(
            t0.plusSeconds(7), "association", id, "sync_status", "syncing", "failed");
    List.of(start, one, two, end).forEach(listener::onEvent);

    assertThat(heard).containsExactly(start, one, two, end);
    assertThat(
            registry
                .get(MeterNames.ASSOCIATION_SYNCS)
                .tags("association", id, "outcome", "failure")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(MeterNames.ASSOCIATION_SYNCS)
                .tags("association", id, "outcome", "success")
                .counter()
                .count())
        .isEqualTo(0);
    assertThat(
            registry
                .get(MeterNames.ASSOCIATION_SYNC_DURATION)
                .tags("association", id, "outcome", "failure")
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(7.0);
    assertThat(
            registry
                .get(MeterNames.ASSOCIATION_SYNC_SUBCLOUDS)
                .tag("association", id)
                .summary()
                .totalAmount())
        .isEqualTo(1.0);
  }

  @Test
  @DisplayName("a rehomer that throws counts a failure and the exception reaches the engine")
  void rehomerThrows() {
    SubcloudPeerGroup pg1 = group("pg1");
    Subcloud subcloud = Subcloud.builder().name("sc01").peerGroupId(pg1.id()).build();
    IllegalStateException boom = new IllegalStateException("tooling down");
    assertThatThrownBy(
            () ->
                metrics
                    .rehomer(
                        (s, d, p) -> {
                          throw boom;
                        })
                    .rehome(subcloud, null, "pw"))
        .isSameAs(boom);
    RehomeOutcome outcome =
        metrics
            .rehomer((s, d, p) -> CompletableFuture.completedFuture(new RehomeOutcome.Failed("x")))
            .rehome(subcloud, null, "pw")
            .toCompletableFuture()
            .join();

    assertThat(outcome).isEqualTo(new RehomeOutcome.Failed("x"));
    assertThat(
            registry
                .get(MeterNames.GROUP_REHOMES)
                .tags("group", "pg1", "outcome", "failure")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(MeterNames.GROUP_REHOMES)
                .tags("group", "pg1", "outcome", "success")
                .counter()
                .count())
        .isEqualTo(0);
  }

  @Test
  @DisplayName(
      "a metered peer client hands the hand-over call, its caller's leader epoch included, to the"
          + " real client and counts it; a refusal passes through unchanged")
  void handOverIsForwarded() {
    List<String> seen = new ArrayList<>();
    SubcloudPeerGroup answer = SubcloudPeerGroup.builder().id(4).peerGroupName("pg1").build();
    SiteApi real =
        (SiteApi)
            Proxy.newProxyInstance(
                SiteApi.class.getClassLoader(),
                new Class<?>[] {SiteApi.class},
                (proxy, method, args) -> {
                  seen.add(method.getName() + " " + args[0] + " " + args[1]);
                  if ("pg2".equals(args[1])) {
                    throw new ConflictException(Messages.peerGroupNotLedHere("pg2"));
                  }
                  return answer;
                });
    SystemPeer peer =
        SystemPeer.builder().id(1).peerUuid("u-b").peerName("site-b").managerEndpoint("x").build();
    SiteApi client = metrics.peerSites(p -> real).clientFor(peer);
    Caller caller = Caller.peerSite("u-a").withLeaderEpoch(9);

    assertThat(client.handOverPeerGroup(caller, "pg1")).isSameAs(answer);
    assertThatThrownBy(() -> client.handOverPeerGroup(Caller.OPERATOR, "pg2"))
        .isInstanceOf(ConflictException.class)
        .hasMessage("Subcloud peer group pg2 is not led by this site.");

    assertThat(seen)
        .containsExactly(
            "handOverPeerGroup PEER_SITE[system_peer_uuid=u-a, leader_epoch=9] pg1",
            "handOverPeerGroup OPERATOR pg2");
    for (String outcome : List.of("success", "failure")) {
      assertThat(
              registry
                  .get(MeterNames.PEER_CALLS)
                  .tags("peer", "site-b", "call", "hand_over_peer_group", "outcome", outcome)
                  .counter()
                  .count())
          .isEqualTo(1);
    }
  }
}
