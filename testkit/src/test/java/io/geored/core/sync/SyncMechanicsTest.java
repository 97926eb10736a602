package io.geored.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.Caller;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SyncStatus;
import io.geored.testkit.time.VirtualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sync mechanics: bounded fan-out, progress, and work cancelled by close")
class SyncMechanicsTest {

  @Test
  @DisplayName("the fan-out never has more items in flight than its limit, and finishes once")
  void boundedFanOut() {
    VirtualScheduler scheduler = new VirtualScheduler();
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      items.add(i);
    }

    BoundedFanOut.run(scheduler, items, 10, i -> ran.incrementAndGet(), done::incrementAndGet);

    // Nothing ran yet: exactly the limit is queued, the rest waits for a slot.
    assertThat(scheduler.pendingTasks()).isEqualTo(10);
    assertThat(ran).hasValue(0);
    scheduler.runUntilIdle();
    assertThat(ran).hasValue(25);
    assertThat(done).hasValue(1);
  }

  @Test
  @DisplayName("the fan-out over no items finishes at once")
  void emptyFanOut() {
    VirtualScheduler scheduler = new VirtualScheduler();
    AtomicInteger done = new AtomicInteger();
    BoundedFanOut.run(scheduler, List.<Integer>of(), 10, i -> {}, done::incrementAndGet);
    assertThat(done).hasValue(1);
    assertThat(scheduler.pendingTasks()).isZero();
  }

  @Test
  @DisplayName("a failing item does not stop the others")
  void failingItem() {
    VirtualScheduler scheduler = new VirtualScheduler();
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    BoundedFanOut.run(
        scheduler,
        List.of(1, 2, 3),
        1,
        i -> {
          ran.incrementAndGet();
          if (i == 2) {
            throw new IllegalStateException("boom");
          }
        },
        done::incrementAndGet);
    scheduler.runUntilIdle();
    assertThat(ran).hasValue(3);
    assertThat(done).hasValue(1);
  }

  @Test
  @DisplayName("a sync reports its progress, one event per subcloud, ending at the total")
  void progressEvents() {
    List<GeoredEvent.Progress> progress = new ArrayList<>();
    try (io.geored.testkit.sim.SimHarness sites =
        io.geored.testkit.sim.SimHarness.builder()
            .sites(2)
            .customize(
                (system, builder) ->
                    builder.eventListener(
                        e -> {
                          if (e instanceof GeoredEvent.Progress p) {
                            progress.add(p);
                          }
                        }))
            .build()) {
      sites.pair(sites.a(), sites.b());
      sites.start();
      var group =
          sites
              .a()
              .api()
              .createPeerGroup(
                  Caller.OPERATOR,
                  io.geored.spi.api.PeerGroupCreate.builder().peerGroupName("pg1").build());
      for (String name : List.of("sc1", "sc2")) {
        sites
            .a()
            .stores()
            .subclouds()
            .insert(
                io.geored.spi.model.Subcloud.builder()
                    .name(name)
                    .regionName("region-" + name)
                    .managementState(io.geored.spi.model.ManagementState.MANAGED)
                    .availabilityStatus(io.geored.spi.model.AvailabilityStatus.ONLINE)
                    .deployStatus(io.geored.spi.model.DeployStatus.COMPLETE)
                    .peerGroupId(group.id())
                    .rehomeData(
                        io.geored.spi.model.RehomeData.ofSavedPayload(
                            SyncScenario.payload(name, "10.0.0.1")))
                    .createdAt(sites.now())
                    .build());
      }
      var peer = sites.a().api().getSystemPeer(Caller.OPERATOR, sites.b().uuid());
      sites
          .a()
          .api()
          .createAssociation(
              Caller.OPERATOR,
              io.geored.spi.api.AssociationCreate.builder()
                  .peerGroupId(group.id())
                  .systemPeerId(peer.id())
                  .peerGroupPriority(1)
                  .build());
      sites.runUntilIdle();
    }
    assertThat(progress)
        .extracting(
            GeoredEvent.Progress::operation,
            GeoredEvent.Progress::subject,
            GeoredEvent.Progress::done,
            GeoredEvent.Progress::total)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sync", "pg1", 1, 2),
            org.assertj.core.groups.Tuple.tuple("sync", "pg1", 2, 2));
    assertThat(progress)
        .extracting(GeoredEvent.Progress::detail)
        .containsExactly("sc1 synced", "sc2 synced");
  }

  @Test
  @DisplayName(
      "closing an engine cancels its queued sync; a restart then fails the association left"
          + " syncing")
  void closeCancelsQueuedWork() {
    try (SyncScenario s = new SyncScenario()) {
      s.members(2);
      PeerGroupAssociation created = s.associate(2);
      s.a.engine().close();
      s.sites.runUntilIdle();

      assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.SYNCING);
      assertThat(s.b.stores().subclouds().findAll()).isEmpty();

      s.sites.restart(s.a);
      assertThat(s.onA(created.id()).syncStatus()).isEqualTo(SyncStatus.FAILED);
      assertThat(s.onA(created.id()).syncMessage())
          .isEqualTo(io.geored.spi.api.Messages.SERVICE_RESTART_DURING_SYNCING);
    }
  }
}
