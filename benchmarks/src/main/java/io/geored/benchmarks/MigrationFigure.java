package io.geored.benchmarks;

import io.geored.core.GeoredSettings;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.RehomeScript;
import io.geored.testkit.work.ScriptedProbe;
import io.geored.testkit.work.ScriptedRehomer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A migration of a group of N subclouds from site A to site B in virtual time, each rehome taking
 * d, at most P at once (the group's max_subcloud_rehoming). Nothing can beat ceil(N/P)·d; the
 * figure is how close the engine comes.
 */
public final class MigrationFigure {

  /**
   * One migration's makespan.
   *
   * @param makespan virtual time from the migrate request to the last progress event
   * @param ideal ceil(N/P)·d
   * @param bound the target: the ideal plus one probe interval
   * @param nanos wall time the simulation took
   */
  public record Result(Duration makespan, Duration ideal, Duration bound, long nanos) {

    /**
     * The makespan over the ideal.
     *
     * @return 1.0 when the migration is as fast as the rehomes allow
     */
    public double ratio() {
      return (double) makespan.toMillis() / ideal.toMillis();
    }
  }

  /** The production defaults, but the availability audit moved out of a migration's way. */
  static final GeoredSettings SETTINGS =
      new GeoredSettings(
          GeoredSettings.DEFAULTS.syncConcurrency(),
          GeoredSettings.DEFAULTS.casRetries(),
          Duration.ofDays(1),
          GeoredSettings.DEFAULTS.offlineAfterFailedProbes(),
          GeoredSettings.DEFAULTS.onlineWaitTimeout(),
          GeoredSettings.DEFAULTS.onlineWaitPoll(),
          GeoredSettings.DEFAULTS.shutdownTimeout());

  private MigrationFigure() {}

  /**
   * Migrates a group of {@code n} subclouds, {@code places} at once, each rehome taking {@code d}.
   *
   * @param n the number of subclouds
   * @param places the group's max_subcloud_rehoming
   * @param d how long one rehome takes
   * @return the makespan against the ideal
   */
  public static Result run(int n, int places, Duration d) {
    VirtualScheduler scheduler = new VirtualScheduler();
    Map<String, ScriptedRehomer> rehomers = new ConcurrentHashMap<>();
    List<GeoredEvent.Progress> progressOnB = new CopyOnWriteArrayList<>();
    long wallStart = System.nanoTime();
    try (SimHarness sites =
        SimHarness.builder()
            .scheduler(scheduler)
            .settings(SETTINGS)
            .rehomer(
                system ->
                    rehomers.computeIfAbsent(
                        system.uuid(),
                        k ->
                            new ScriptedRehomer(scheduler)
                                .byDefault(RehomeScript.succeed().taking(d))))
            .probe(system -> new ScriptedProbe())
            .customize(
                (system, builder) ->
                    system.equals(SimHarness.SITE_B)
                        ? builder.eventListener(
                            event -> {
                              if (event instanceof GeoredEvent.Progress p) {
                                progressOnB.add(p);
                              }
                            })
                        : builder)
            .build()) {
      SimSite a = sites.a();
      SimSite b = sites.b();
      sites.pair(a, b);
      sites.start();
      SystemPeer bOnA = a.stores().systemPeers().findByUuid(b.uuid()).orElseThrow();
      SubcloudPeerGroup group =
          a.api()
              .createPeerGroup(
                  Caller.OPERATOR,
                  PeerGroupCreate.builder()
                      .peerGroupName("pg1")
                      .maxSubcloudRehoming(places)
                      .build());
      Members.insert(a.stores(), n, group.id(), Members.A_GATEWAY, sites.now());
      PeerGroupAssociation primary =
          a.api()
              .createAssociation(
                  Caller.OPERATOR,
                  AssociationCreate.builder()
                      .peerGroupId(group.id())
                      .systemPeerId(bOnA.id())
                      .peerGroupPriority(2)
                      .build());
      sites.runUntilIdle();
      AuditFigure.requireInSync(a, primary.id());
      available(a, b);
      available(b, a);
      progressOnB.clear();

      Instant start = sites.now();
      b.api()
          .migratePeerGroup(
              Caller.OPERATOR,
              "pg1",
              new MigrateRequest(
                  Base64.getEncoder()
                      .encodeToString("St8rlingX*Sysadmin".getBytes(StandardCharsets.UTF_8))));
      long rounds = (n + places - 1) / places;
      Duration ideal = d.multipliedBy(rounds);
      sites.advance(ideal.plusHours(1));

      SubcloudPeerGroup onB = b.stores().peerGroups().findByName("pg1").orElseThrow();
      // The status itself does not stay COMPLETE: the audit B asks of A at the end resets it.
      if (!b.uuid().equals(onB.systemLeaderId()) || progressOnB.isEmpty()) {
        throw new IllegalStateException("migration did not finish: " + onB);
      }
      long managed =
          b.stores().subclouds().findAll().stream()
              .map(Subcloud::deployStatus)
              .filter(DeployStatus.COMPLETE::equals)
              .count();
      if (managed != n) {
        throw new IllegalStateException("migration rehomed " + managed + " of " + n);
      }
      Instant last = progressOnB.get(progressOnB.size() - 1).at();
      return new Result(
          Duration.between(start, last),
          ideal,
          ideal.plus(SETTINGS.onlineWaitPoll()),
          System.nanoTime() - wallStart);
    }
  }

  private static void available(SimSite on, SimSite peer) {
    SystemPeer stored = on.stores().systemPeers().findByUuid(peer.uuid()).orElseThrow();
    on.stores()
        .systemPeers()
        .update(stored.toBuilder().availabilityState(PeerAvailability.AVAILABLE).build());
  }
}
