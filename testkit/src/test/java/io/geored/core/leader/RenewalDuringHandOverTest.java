package io.geored.core.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ConflictException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.witness.Candidate;
import io.geored.spi.witness.Epoch;
import io.geored.spi.witness.LeaseOutcome;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessLease;
import io.geored.spi.witness.WitnessSettings;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.witness.InMemoryLeadershipStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A hand-over served while the leader's periodic renewal of the same lease is in flight. On real
 * processes the two run on different threads (the renewal on the engine's timer, the hand-over on
 * an HTTP thread), and {@code Leadership.maintain} calls the witness outside its monitor, then
 * acted on the answer without checking that the lease it renewed was still the one it held. Found
 * by SiteFailoverProcessTest (examples) on two site processes and a real etcd: site A, handing its
 * group over to B, raised alarm 280.006 for it a few hundred milliseconds later. Now the answer of
 * a renewal is dropped when the lease it renewed is no longer the one held. The simulation cannot
 * show it: there a witness call never overlaps another request.
 *
 * <p>The race is reproduced in virtual time (site B only watches) by a witness client that serves
 * the hand-over on A at the moment A's renewal is at the witness: before the witness answers (it
 * answers {@code Ended}, the lease being released) or after it renewed (it answers {@code
 * Granted}).
 */
class RenewalDuringHandOverTest {

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final AtomicReference<SimHarness> harness = new AtomicReference<>();
  private final InMemoryLeadershipStore leadershipOfA = new InMemoryLeadershipStore();

  /** Runs once, during A's next renewal: before the witness sees it, or after it renewed. */
  private final AtomicReference<Runnable> beforeRenewal = new AtomicReference<>();

  private final AtomicReference<Runnable> afterRenewal = new AtomicReference<>();

  /** Site A leading pg1 with one managed member; its witness client is the hooked one. */
  private SimHarness siteLeadingAGroup() {
    SimHarness sites =
        SimHarness.builder()
            .sites(2)
            .scheduler(scheduler)
            .witness(WitnessSettings.DEFAULTS)
            .alarms(system -> new RecordingAlarms(scheduler.clock()))
            .customize(
                (system, builder) ->
                    !system.equals(SimHarness.SITE_A)
                        ? builder
                        : builder.witness(
                            new HookedWitness(
                                system.uuid(),
                                () -> {
                                  SimHarness h = harness.get();
                                  return h.witness()
                                      .client(system.uuid(), h.a().scheduler().ticker());
                                }),
                            leadershipOfA))
            .build();
    harness.set(sites);
    SimSite a = sites.a();
    SubcloudPeerGroup group =
        a.api()
            .createPeerGroup(
                Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    a.stores()
        .subclouds()
        .insert(
            Subcloud.builder()
                .name("sc01")
                .regionName("region-sc01")
                .softwareVersion("24.09")
                .managementState(ManagementState.MANAGED)
                .availabilityStatus(AvailabilityStatus.ONLINE)
                .deployStatus(DeployStatus.COMPLETE)
                .peerGroupId(group.id())
                .createdAt(sites.now())
                .build());
    sites.start();
    sites.runUntilIdle();
    assertThat(a.engine().leaseOf("pg1")).isPresent();
    return sites;
  }

  private static void handOver(SimSite a) {
    a.api().handOverPeerGroup(Caller.OPERATOR, "pg1");
  }

  @Test
  void aRenewalThatSucceededJustBeforeTheHandOverReleasedTheLeaseDoesNotGiveItBack() {
    try (SimHarness sites = siteLeadingAGroup()) {
      SimSite a = sites.a();
      afterRenewal.set(() -> handOver(a));
      sites.advance(Duration.ofSeconds(10));
      assertThat(afterRenewal.get()).as("the hook ran").isNull();

      // The hand-over fenced the group and released the lease: nobody holds it now.
      Witness observer = sites.witness().client("observer", scheduler.virtualClock().ticker());
      assertThat(observer.holder("pg1")).isEmpty();
      assertThat(a.stores().subclouds().findByName("sc01").orElseThrow().managementState())
          .isEqualTo(ManagementState.UNMANAGED);
      // So A must not act for the group: another site may take the lease at once.
      assertThat(a.engine().leaseOf("pg1")).isEmpty();
      assertThatThrownBy(
              () ->
                  a.api()
                      .updateSubcloud(
                          Caller.OPERATOR,
                          "sc01",
                          SubcloudUpdate.builder().managementState("managed").build()))
          .isInstanceOf(ConflictException.class)
          .hasMessage(Messages.peerGroupNotLedHere("pg1"));
      assertThat(a.stores().subclouds().findByName("sc01").orElseThrow().managementState())
          .isEqualTo(ManagementState.UNMANAGED);
    }
  }

  @Test
  void aRenewalAnsweredEndedBecauseOfTheHandOverRaisesNoFencedAlarm() {
    try (SimHarness sites = siteLeadingAGroup()) {
      SimSite a = sites.a();
      beforeRenewal.set(() -> handOver(a));
      sites.advance(Duration.ofSeconds(10));
      assertThat(beforeRenewal.get()).as("the hook ran").isNull();

      assertThat(a.engine().leaseOf("pg1")).isEmpty();
      // A hand-over is asked for: no alarm 280.006, neither now nor from the renewal's answer.
      assertThat(
              a.alarms(RecordingAlarms.class)
                  .find(LeaderTexts.GROUP_FENCED, LeaderTexts.entityInstance("pg1")))
          .isEmpty();
    }
  }

  /** A site's witness client that runs the test's hooks around its next renewal. */
  private final class HookedWitness implements Witness {
    private final String site;
    private final Supplier<Witness> real;

    HookedWitness(String site, Supplier<Witness> real) {
      this.site = site;
      this.real = real;
    }

    @Override
    public String site() {
      return site;
    }

    @Override
    public Duration ttl() {
      return WitnessSettings.DEFAULTS.ttl();
    }

    @Override
    public Duration takeOverWait() {
      return real.get().takeOverWait();
    }

    @Override
    public LeaseOutcome acquire(String group) {
      return real.get().acquire(group);
    }

    @Override
    public LeaseOutcome renew(WitnessLease lease) {
      Runnable before = beforeRenewal.getAndSet(null);
      if (before != null) {
        before.run();
      }
      LeaseOutcome outcome = real.get().renew(lease);
      Runnable after = afterRenewal.getAndSet(null);
      if (after != null) {
        after.run();
      }
      return outcome;
    }

    @Override
    public void release(WitnessLease lease) {
      real.get().release(lease);
    }

    @Override
    public Optional<Epoch> holder(String group) {
      return real.get().holder(group);
    }

    @Override
    public Optional<Epoch> latestEpoch(String group) {
      return real.get().latestEpoch(group);
    }

    @Override
    public void keepAlive() {
      real.get().keepAlive();
    }

    @Override
    public void register(String group, int priority) {
      real.get().register(group, priority);
    }

    @Override
    public void withdraw(String group) {
      real.get().withdraw(group);
    }

    @Override
    public List<Candidate> candidates(String group) {
      return real.get().candidates(group);
    }
  }
}
