package io.geored.testkit.sim;

import io.geored.core.GeoredSettings;
import io.geored.core.fault.InMemoryAlarms;
import io.geored.spi.GeoredException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.spi.time.Cancellable;
import io.geored.spi.time.Scheduler;
import io.geored.spi.witness.Epoch;
import io.geored.spi.witness.WitnessSettings;
import io.geored.testkit.work.RehomeScript;
import io.geored.testkit.work.ScriptedProbe;
import io.geored.testkit.work.ScriptedRehomer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A seeded, single-threaded, deterministic simulation of two or three real sites (and, in {@link
 * Mode#WITNESS}, an in-memory witness) driven through random faults, checking the safety rules
 * after every step and the liveness rules after a quiet period.
 *
 * <p><b>The cluster.</b> site-a is primary for group {@code pg1} (priority 0) with two or three
 * managed, online members carrying rehome data, associated with site-b (priority 1) and, with three
 * sites, site-c (priority 2); the first sync gives the others their secondary copies. Each site
 * runs on its own clock at a rate within 1 ± {@value #RHO} of global time, with a scripted rehomer
 * and probe on that clock. Peers heartbeat every 10 s and fail after 3 misses.
 *
 * <p><b>Steps</b> (chosen by a {@link Random} of the seed): time advances (short and long),
 * partitions of one or both directions between any pair, healing them, a site down and up on the
 * network, crashes and restarts, pauses of a site longer than the TTL and their end, peer calls
 * delivered late (their caller timed out, the receiver gets them later), slow links, failed calls,
 * rehome failures and slow rehomes, operator migrations to any site and, with a witness, sites cut
 * off from it or the whole witness unreachable. Time advances in slices of at most 5 s, and the
 * checks run after each slice as after each step.
 *
 * <p><b>Checks after every step</b> ("managed on a site": its store says managed, the site is
 * running — paused counts as running — and, with a witness, it is not past its lease deadline for
 * the group):
 *
 * <ul>
 *   <li>no subcloud managed on two sites at once;
 *   <li>no subcloud pre-rehome or rehoming on two running sites at once, a site counting as for
 *       "managed": with a witness, not past its lease deadline (ADR 0027 cancels a rehome in flight
 *       when the site fences, before its deadline; only a site paused longer than the tolerated
 *       pause P is still past it with a rehome in its store, and a paused site's rehome stands
 *       still with it here);
 *   <li>with a witness: at most one site holding the group's lease (its lease not past its own
 *       deadline), epochs only grow, and no peer write carrying a leader epoch leaves a site that
 *       does not hold the group's lease under that epoch at the witness (late deliveries are judged
 *       by their receiver's epoch check, not here).
 * </ul>
 *
 * <p><b>The exemption without a witness.</b> An operator's migration on a site X while X and a peer
 * Y holding a copy cannot reach each other rehomes the members although Y may still manage them
 * (upstream's disaster recovery: X migrates away from a peer it marks unavailable and cannot
 * reach). The pair (X, Y) is exempt from "managed on two sites" from the moment either X accepts
 * the operator's migration while the network separates X and Y (a partition in either direction,
 * either site down, crashed or paused), or a hand-over call of X's migration ({@code getSubcloud},
 * {@code updateSubcloud}) to Y fails in the network while X's group is migrating. The quiet
 * period's checks still require the duplicate to be gone.
 *
 * <p><b>Three sites without a witness.</b> site-b and site-c are each associated with site-a only,
 * as upstream, so each hears of the other only through site-a: a site migrating while it cannot
 * reach one of its system peers (the same two conditions as above) makes the pair of it and each
 * site that is not its system peer exempt too. And a site answering a migrating site's hand-over
 * that cannot reach another of its peers to ask whether it manages the subcloud (ADR 0030) lets it
 * go, which exempts the migrating site and that peer. Nothing else is exempt, and nothing is exempt
 * with a witness.
 *
 * <p><b>After the quiet period</b> (every fault healed, crashed sites restarted, paused ones
 * resumed, rehomes succeeding, then {@value #QUIET_MINUTES} minutes of time): no transitory deploy
 * status and no rehome-pending member anywhere, no group migrating, all sites agree on the group's
 * leader, no association syncing, each member managed on at most one site and either managed on one
 * or in a state an operator can act on (secondary, unmanaged complete, rehome failed) on at least
 * one.
 *
 * <p>The same seed replays the same run: no wall clock, no threads, only sorted collections. The
 * seed is scrambled (SplitMix64's finalizer) before it seeds the {@link Random}, so that small
 * seeds run two and three sites alike. The step log is kept in memory and returned (and printed
 * with the seed on failure).
 */
public final class Simulation {

  /** The clock-rate bound of the fencing argument: every clock runs within 1 ± ρ. */
  public static final double RHO = 1e-3;

  /**
   * The fencing argument's pause bound P (ADR 0027) for the simulation's witness settings: a leader
   * write longer than this on its way may reach its target after the sender's lease ended.
   */
  static final Duration IN_FLIGHT_BOUND = WitnessSettings.DEFAULTS.longestTolerablePause(RHO);

  /** How long the quiet period runs, in minutes of global time. */
  public static final int QUIET_MINUTES = 40;

  /** Steps in one run. */
  public static final int STEPS = 50;

  private static final String AFTER_QUIET = "after the quiet period";
  private static final Duration SLICE = Duration.ofSeconds(5);
  private static final String GROUP = "pg1";
  private static final String PASSWORD =
      Base64.getEncoder().encodeToString("St8rlingX*Sysadmin".getBytes());

  /** With or without a witness. */
  public enum Mode {
    /** Today's rules: policy alarm, no witness. */
    NO_WITNESS,
    /** A witness, policy rehome. */
    WITNESS
  }

  /**
   * The outcome of one run.
   *
   * @param mode the mode
   * @param seed the seed
   * @param failure the first broken rule, empty when every check passed
   * @param log the step log
   * @param automaticTakeovers migrations started by the failover trigger (policy rehome, not an
   *     operator) during the run
   */
  public record Result(
      Mode mode, long seed, Optional<String> failure, List<String> log, int automaticTakeovers) {

    /**
     * Whether a safety rule broke (a check after a step), as opposed to a liveness rule of the
     * quiet period.
     *
     * @return true when the run failed before the quiet period's end checks
     */
    public boolean safetyBroken() {
      return failure.isPresent() && !failure.get().startsWith(AFTER_QUIET);
    }

    /**
     * Whether every check passed.
     *
     * @return true when nothing broke
     */
    public boolean passed() {
      return failure.isEmpty();
    }

    /**
     * Throws when a check failed, with the seed, the broken rule and the step log.
     *
     * @throws AssertionError when the run failed
     */
    public void assertPassed() {
      if (failure.isPresent()) {
        throw new AssertionError(report());
      }
    }

    /**
     * The seed, the mode, the broken rule (if any) and the step log, one line each.
     *
     * @return the text
     */
    public String report() {
      StringBuilder text = new StringBuilder();
      text.append("simulation ")
          .append(mode)
          .append(" seed ")
          .append(seed)
          .append(failure.map(f -> " FAILED: " + f).orElse(" passed"))
          .append(" (replay: -Dgeored.sim.seed=")
          .append(seed)
          .append(")\n");
      for (String line : log) {
        text.append("  ").append(line).append('\n');
      }
      return text.toString();
    }
  }

  /** A broken rule, ending the run. */
  private static final class Broken extends RuntimeException {
    Broken(String message) {
      super(message, null, false, false);
    }
  }

  private final Mode mode;
  private final long seed;
  private final Random random;
  private final List<String> log = new ArrayList<>();
  private final Map<String, ScriptedRehomer> rehomers = new TreeMap<>();
  private final Map<String, LaterScheduler> rehomeClocks = new TreeMap<>();
  private final Map<String, ScriptedProbe> probes = new TreeMap<>();
  private final TreeSet<String> exempt = new TreeSet<>();
  private final Map<String, Long> epochsSeen = new TreeMap<>();
  private final List<String> unleadWrites = new ArrayList<>();
  private final TreeSet<String> passwordAsked = new TreeSet<>();
  private int automaticTakeovers;
  private SimHarness harness;
  private int step;

  private Simulation(Mode mode, long seed, boolean scrambled) {
    this.mode = mode;
    this.seed = seed;
    this.random = new Random(scrambled ? scramble(seed) : seed);
  }

  /**
   * SplitMix64's finalizer: spreads neighbouring seeds over the whole range, so that the first
   * draws of small seeds differ ({@code java.util.Random}'s first {@code nextBoolean()} is {@code
   * true} for every seed from 1 to 4095).
   */
  static long scramble(long seed) {
    long z = seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Runs one seed without a witness.
   *
   * @param seed the seed
   * @return the outcome
   */
  public static Result run(long seed) {
    return run(Mode.NO_WITNESS, seed);
  }

  /**
   * Runs one seed.
   *
   * @param mode with or without a witness
   * @param seed the seed
   * @return the outcome
   */
  public static Result run(Mode mode, long seed) {
    return run(new Simulation(mode, seed, true));
  }

  /**
   * Runs one seed with its {@link Random} seeded by the seed itself, unscrambled: the runs of the
   * first version of the simulation, kept for the regression seeds found with it.
   *
   * @param mode with or without a witness
   * @param seed the seed
   * @return the outcome
   */
  static Result replayUnscrambled(Mode mode, long seed) {
    return run(new Simulation(mode, seed, false));
  }

  private static Result run(Simulation sim) {
    Optional<String> failure = sim.go();
    return new Result(sim.mode, sim.seed, failure, List.copyOf(sim.log), sim.automaticTakeovers);
  }

  // ------------------------------------------------------------------ the run

  private Optional<String> go() {
    try {
      build();
      setUp();
      for (step = 1; step <= STEPS; step++) {
        act();
        check();
      }
      quiet();
      return Optional.empty();
    } catch (Broken e) {
      note("BROKEN " + e.getMessage());
      return Optional.of(e.getMessage());
    } catch (RuntimeException | AssertionError e) {
      note("ERROR " + e);
      return Optional.of("unexpected " + e);
    } finally {
      if (harness != null) {
        harness.close();
      }
    }
  }

  private void build() {
    int count = random.nextBoolean() ? 2 : 3;
    double[] rates = new double[count];
    for (int i = 0; i < count; i++) {
      rates[i] = rate();
    }
    double witnessRate = rate();
    SimHarness.Builder builder =
        SimHarness.builder()
            .sites(count)
            .clockRates(rates)
            .settings(GeoredSettings.DEFAULTS)
            .alarms(system -> new InMemoryAlarms())
            .probe(system -> probes.computeIfAbsent(system.uuid(), k -> new ScriptedProbe()))
            .rehomer(system -> rehomerFor(system.uuid()));
    if (mode == Mode.WITNESS) {
      builder
          .witness(WitnessSettings.DEFAULTS)
          .witnessClockRate(witnessRate)
          .customize(
              (system, b) ->
                  b.sysadminPasswords(
                          group -> {
                            // Asked only by the failover trigger, just before it migrates.
                            passwordAsked.add(system.uuid());
                            return Optional.of(PASSWORD);
                          })
                      .eventListener(event -> takeoverStarted(system.uuid(), event)));
    }
    harness = builder.build();
    // The rehomers run on their site's own clock: a paused site's rehomes stand still too.
    for (SimSite site : harness.sites()) {
      rehomeClocks.get(site.uuid()).target = site.scheduler();
    }
    StringBuilder line = new StringBuilder("build mode=" + mode + " sites=" + count + " rates=");
    for (double r : rates) {
      line.append(String.format("%.6f ", r));
    }
    if (mode == Mode.WITNESS) {
      line.append("witness=").append(String.format("%.6f", witnessRate));
    }
    note(line.toString().strip());
    harness.network().observe(this::observe);
    harness.network().observeFailures(this::handoverFailed);
  }

  /**
   * Counts a migration the failover trigger started: the group becomes migrating on a site right
   * after the trigger asked that site's host for the sysadmin password (an operator's migration
   * clears the marks first).
   */
  private void takeoverStarted(String uuid, GeoredEvent event) {
    if (event instanceof GeoredEvent.StateChanged changed
        && changed.resource().equals("peer_group")
        && changed.field().equals("migration_status")
        && MigrationStatus.MIGRATING.wire().equals(changed.to())
        && passwordAsked.remove(uuid)) {
      automaticTakeovers++;
      note("automatic takeover by " + byUuid(uuid).name());
    }
  }

  private double rate() {
    return 1.0 + (random.nextInt(2001) - 1000) / 1_000_000.0;
  }

  private ScriptedRehomer rehomerFor(String uuid) {
    return rehomers.computeIfAbsent(
        uuid,
        k -> {
          LaterScheduler clock = new LaterScheduler();
          rehomeClocks.put(k, clock);
          return new ScriptedRehomer(clock);
        });
  }

  /** A scheduler handed to a rehomer before its site's own scheduler exists. */
  private static final class LaterScheduler implements Scheduler {
    Scheduler target;

    @Override
    public Clock clock() {
      return target.clock();
    }

    @Override
    public Cancellable execute(Runnable task) {
      return target.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
      return target.schedule(task, delay);
    }

    @Override
    public Cancellable scheduleWithFixedDelay(
        Runnable task, Duration initialDelay, Duration period) {
      return target.scheduleWithFixedDelay(task, initialDelay, period);
    }
  }

  private void setUp() {
    SimSite a = harness.a();
    for (SimSite x : harness.sites()) {
      for (SimSite y : harness.sites()) {
        if (x != y && (x == a || y == a)) {
          harness.addSystemPeer(
              x,
              y,
              b ->
                  b.heartbeatInterval(10)
                      .heartbeatFailureThreshold(3)
                      .heartbeatFailurePolicy(mode == Mode.WITNESS ? "rehome" : "alarm"));
        }
      }
    }
    harness.start();
    SubcloudPeerGroup group =
        a.api()
            .createPeerGroup(
                Caller.OPERATOR,
                PeerGroupCreate.builder().peerGroupName(GROUP).maxSubcloudRehoming(2).build());
    int members = 2 + random.nextInt(2);
    for (int i = 1; i <= members; i++) {
      member(a, group, String.format("sc%02d", i));
    }
    int priority = 1;
    for (SimSite peer : harness.sites()) {
      if (peer == a) {
        continue;
      }
      SystemPeer stored = a.stores().systemPeers().findByUuid(peer.uuid()).orElseThrow();
      a.api()
          .createAssociation(
              Caller.OPERATOR,
              AssociationCreate.builder()
                  .peerGroupId(group.id())
                  .systemPeerId(stored.id())
                  .peerGroupPriority(priority++)
                  .build());
    }
    harness.runUntilIdle();
    for (PeerGroupAssociation assoc : a.stores().associations().findAll()) {
      if (assoc.syncStatus() != SyncStatus.IN_SYNC) {
        throw new IllegalStateException("set-up sync failed: " + assoc);
      }
    }
    note("setup members=" + members + " " + digest());
    check();
  }

  private void member(SimSite a, SubcloudPeerGroup group, String name) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", name);
    payload.put("bootstrap-address", "10.20.0." + name.substring(2));
    payload.put("systemcontroller_gateway_address", a.gatewayAddress());
    payload.put("admin_password", "TGk2OW51eCo=");
    payload.put("management_subnet", "192.168.101.0/24");
    Subcloud subcloud =
        Subcloud.builder()
            .name(name)
            .regionName("region-" + name)
            .description("edge " + name)
            .location("rack " + name)
            .softwareVersion("24.09")
            .managementState(ManagementState.MANAGED)
            .availabilityStatus(AvailabilityStatus.ONLINE)
            .deployStatus(DeployStatus.COMPLETE)
            .peerGroupId(group.id())
            .rehomeData(RehomeData.ofSavedPayload(payload))
            .createdAt(harness.now())
            .build();
    if (!(a.stores().subclouds().insert(subcloud) instanceof StoreResult.Saved<Subcloud>)) {
      throw new IllegalStateException("set-up insert failed: " + name);
    }
  }

  // ------------------------------------------------------------------ steps

  private void act() {
    int roll = random.nextInt(100);
    SimSite site = pick();
    SimSite other = pickOther(site);
    if (roll < 22) {
      advance(Duration.ofMillis(1_000 + random.nextInt(29_000)));
    } else if (roll < 30) {
      advance(Duration.ofSeconds(30 + random.nextInt(570)));
    } else if (roll < 36) {
      harness.network().partitionBothWays(site.system(), other.system());
      note("partition " + site.name() + " <-> " + other.name());
    } else if (roll < 40) {
      harness.network().partition(site.system(), other.system());
      note("partition " + site.name() + " -> " + other.name());
    } else if (roll < 46) {
      harness.network().heal(site.system(), other.system());
      harness.network().heal(other.system(), site.system());
      note("heal " + site.name() + " <-> " + other.name());
    } else if (roll < 49) {
      harness.network().down(site.system());
      note("network down " + site.name());
    } else if (roll < 52) {
      harness.network().up(site.system());
      note("network up " + site.name());
    } else if (roll < 54) {
      harness.stop(site);
      note("crash " + site.name());
    } else if (roll < 59) {
      restart(harness.sites().stream().filter(SimSite::isStopped).findFirst().orElse(site));
    } else if (roll < 62) {
      if (!site.isStopped()) {
        harness.pause(site);
        note("pause " + site.name());
      } else {
        note("pause " + site.name() + " skipped (crashed)");
      }
    } else if (roll < 65) {
      SimSite paused = harness.sites().stream().filter(SimSite::isPaused).findFirst().orElse(site);
      harness.resume(paused);
      note("resume " + paused.name());
    } else if (roll < 70) {
      int calls = 1 + random.nextInt(2);
      Duration after = Duration.ofMillis(1_000 + random.nextInt(179_000));
      harness.network().link(site.system(), other.system()).deliverLate(calls, after);
      note(
          "deliver late "
              + site.name()
              + " -> "
              + other.name()
              + " calls="
              + calls
              + " after="
              + after);
    } else if (roll < 72) {
      Duration latency = Duration.ofMillis(500 + random.nextInt(19_500));
      harness.network().link(site.system(), other.system()).delay(latency);
      note("slow link " + site.name() + " -> " + other.name() + " " + latency);
    } else if (roll < 75) {
      harness.network().link(site.system(), other.system()).clear();
      note("clear link faults " + site.name() + " -> " + other.name());
    } else if (roll < 78) {
      int calls = 1 + random.nextInt(3);
      harness.network().link(site.system(), other.system()).failNext(calls);
      note("fail next " + site.name() + " -> " + other.name() + " calls=" + calls);
    } else if (roll < 81) {
      rehomes(site);
    } else if (roll < 92) {
      migrate(site);
    } else if (mode == Mode.WITNESS && roll < 96) {
      if (random.nextBoolean()) {
        harness.witness().cutOff(site.uuid());
        note("witness cut off " + site.name());
      } else {
        harness.witness().reconnect(site.uuid());
        note("witness reconnect " + site.name());
      }
    } else if (mode == Mode.WITNESS && roll < 98) {
      for (SimSite s : harness.sites()) {
        harness.witness().cutOff(s.uuid());
      }
      note("witness down");
    } else if (mode == Mode.WITNESS) {
      for (SimSite s : harness.sites()) {
        harness.witness().reconnect(s.uuid());
      }
      note("witness up");
    } else {
      advance(Duration.ofMillis(100 + random.nextInt(4_900)));
    }
  }

  private SimSite pick() {
    List<SimSite> sites = harness.sites();
    return sites.get(random.nextInt(sites.size()));
  }

  private SimSite pickOther(SimSite site) {
    List<SimSite> others = new ArrayList<>(harness.sites());
    others.remove(site);
    return others.get(random.nextInt(others.size()));
  }

  private void restart(SimSite site) {
    if (site.isStopped()) {
      harness.restart(site);
      note("restart " + site.name());
    } else {
      note("restart " + site.name() + " skipped (running)");
    }
  }

  private void rehomes(SimSite site) {
    ScriptedRehomer rehomer = rehomerOf(site);
    int kind = random.nextInt(4);
    RehomeScript script =
        switch (kind) {
          case 0 -> RehomeScript.fail("simulated rehome failure");
          case 1 ->
              RehomeScript.succeed().taking(Duration.ofMillis(1_000 + random.nextInt(119_000)));
          case 2 ->
              RehomeScript.fail("simulated slow rehome failure")
                  .taking(Duration.ofMillis(1_000 + random.nextInt(59_000)));
          default -> RehomeScript.succeed();
        };
    rehomer.byDefault(script);
    note("rehomes on " + site.name() + ": " + script);
  }

  private ScriptedRehomer rehomerOf(SimSite site) {
    return rehomers.get(site.uuid());
  }

  private void migrate(SimSite site) {
    if (site.isStopped() || site.isPaused()) {
      note("migrate to " + site.name() + " skipped (not answering its operator)");
      return;
    }
    List<String> unreachable = cutOffFrom(site);
    passwordAsked.clear();
    try {
      List<Subcloud> moving =
          site.api().migratePeerGroup(Caller.OPERATOR, GROUP, new MigrateRequest(PASSWORD));
      note(
          "migrate to "
              + site.name()
              + " accepted ("
              + moving.size()
              + " subclouds)"
              + (unreachable.isEmpty() ? "" : " while cut off from " + unreachable));
      if (mode == Mode.NO_WITNESS) {
        for (String other : unreachable) {
          exempt.add(pair(site.name(), other));
        }
        if (!unreachable.isEmpty()) {
          exemptNonPeers(site);
        }
      }
    } catch (GeoredException e) {
      note("migrate to " + site.name() + " refused: " + e.getMessage());
    }
  }

  /** The other sites holding a copy of the group that this site cannot reach or hear from. */
  private List<String> cutOffFrom(SimSite site) {
    List<String> names = new ArrayList<>();
    for (SimSite other : harness.sites()) {
      if (other == site || other.stores().peerGroups().findByName(GROUP).isEmpty()) {
        continue;
      }
      if (!linked(site, other) || !linked(other, site)) {
        names.add(other.name());
      }
    }
    return names;
  }

  private boolean linked(SimSite from, SimSite to) {
    SimNetwork net = harness.network();
    return !from.isStopped()
        && !to.isStopped()
        && !from.isPaused()
        && !to.isPaused()
        && net.isReachable(from.system())
        && net.isReachable(to.system())
        && !net.isPartitioned(from.system(), to.system());
  }

  private static String pair(String x, String y) {
    return x.compareTo(y) < 0 ? x + "+" + y : y + "+" + x;
  }

  private void advance(Duration total) {
    Duration left = total;
    while (!left.isZero()) {
      Duration slice = left.compareTo(SLICE) < 0 ? left : SLICE;
      harness.advance(slice);
      left = left.minus(slice);
      check();
    }
    note("advance " + total + " " + digest());
  }

  // ------------------------------------------------------------------ checks

  private void check() {
    Map<String, List<String>> managed = new TreeMap<>();
    Map<String, List<String>> rehoming = new TreeMap<>();
    for (SimSite site : harness.sites()) {
      if (site.isStopped()) {
        continue;
      }
      for (Subcloud s : sorted(site)) {
        if (s.managementState() == ManagementState.MANAGED && !pastDeadline(site)) {
          managed.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(site.name());
        }
        if ((s.deployStatus() == DeployStatus.PRE_REHOME
                || s.deployStatus() == DeployStatus.REHOMING)
            && !pastDeadline(site)) {
          rehoming.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(site.name());
        }
      }
    }
    managed.forEach(
        (name, sites) -> {
          if (sites.size() > 1 && !exempted(sites)) {
            throw new Broken("subcloud " + name + " managed on " + sites + " at once");
          }
        });
    rehoming.forEach(
        (name, sites) -> {
          if (sites.size() > 1 && !exempted(sites)) {
            throw new Broken("subcloud " + name + " pre-rehome or rehoming on " + sites);
          }
        });
    if (mode == Mode.WITNESS) {
      checkWitness();
    }
  }

  private boolean exempted(List<String> sites) {
    for (int i = 0; i < sites.size(); i++) {
      for (int j = i + 1; j < sites.size(); j++) {
        if (!exempt.contains(pair(sites.get(i), sites.get(j)))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether a site is past its lease deadline for the group (witness mode; false otherwise). */
  private boolean pastDeadline(SimSite site) {
    return mode == Mode.WITNESS && site.engine().pastLeaseDeadline(GROUP);
  }

  private void checkWitness() {
    if (!unleadWrites.isEmpty()) {
      throw new Broken(unleadWrites.get(0));
    }
    List<String> holders = new ArrayList<>();
    for (SimSite site : harness.sites()) {
      if (!site.isStopped() && site.engine().leaseOf(GROUP).isPresent()) {
        holders.add(site.name() + "@" + site.engine().leaseOf(GROUP).get().epoch().counter());
      }
    }
    if (holders.size() > 1) {
      throw new Broken("more than one site holds the lease of " + GROUP + ": " + holders);
    }
    Optional<Epoch> latest = observer().latestEpoch(GROUP);
    long counter = latest.map(Epoch::counter).orElse(0L);
    long before = epochsSeen.getOrDefault(GROUP, 0L);
    if (counter < before) {
      throw new Broken("epoch of " + GROUP + " went back from " + before + " to " + counter);
    }
    epochsSeen.put(GROUP, counter);
  }

  /**
   * Without a witness, a migrating site that cannot reach a peer it marks unavailable migrates away
   * from it (upstream's disaster recovery): that peer may still manage the members until the audit
   * runs after the partition heals. The pair is exempt from then on.
   */
  private void handoverFailed(SimNetwork.Delivery call) {
    if (mode != Mode.NO_WITNESS
        || !(call.kind().equals("getSubcloud") || call.kind().equals("updateSubcloud"))) {
      return;
    }
    SimSite from = byUuid(call.from());
    SimSite to = byUuid(call.to());
    boolean migrating = migrating(from);
    if (!migrating && call.kind().equals("getSubcloud")) {
      relayFailed(from, to);
    }
    if (migrating && exempt.add(pair(from.name(), to.name()))) {
      note("exempt " + pair(from.name(), to.name()) + ": migrating site could not reach its peer");
    }
    if (migrating) {
      exemptNonPeers(from);
    }
  }

  private static boolean migrating(SimSite site) {
    return site.stores()
        .peerGroups()
        .findByName(GROUP)
        .map(g -> g.migrationStatus() == MigrationStatus.MIGRATING)
        .orElse(false);
  }

  /**
   * A site answering a migrating site's hand-over asks its other peers whether one manages the
   * subcloud (ADR 0030); when it cannot reach one, it lets the subcloud go, as a migration lets go
   * of a peer it cannot reach: the migrating site and the peer not reached are exempt, as if the
   * migrating site itself could not reach it.
   */
  private void relayFailed(SimSite relay, SimSite unreached) {
    Optional<SimNetwork.Handling> outer = harness.network().handlingNow();
    if (outer.isEmpty()
        || !outer.get().kind().equals("updateSubcloud")
        || !outer.get().to().equals(relay.uuid())) {
      return;
    }
    SimSite asker = byUuid(outer.get().from());
    if (asker != unreached
        && migrating(asker)
        && exempt.add(pair(asker.name(), unreached.name()))) {
      note(
          "exempt "
              + pair(asker.name(), unreached.name())
              + ": "
              + relay.name()
              + " could not ask "
              + unreached.name()
              + " before handing over to "
              + asker.name());
    }
  }

  /**
   * A site migrating while it cannot reach one of its system peers may not hear of a site that is
   * not its peer (site-b and site-c hear of each other only through site-a): that pair is exempt
   * too, as the partition keeps the news from it.
   */
  private void exemptNonPeers(SimSite site) {
    for (SimSite other : harness.sites()) {
      if (other != site
          && site.stores().systemPeers().findByUuid(other.uuid()).isEmpty()
          && exempt.add(pair(site.name(), other.name()))) {
        note(
            "exempt "
                + pair(site.name(), other.name())
                + ": migrating site cut off from the peer it hears of "
                + other.name()
                + " through");
      }
    }
  }

  private SimSite byUuid(String uuid) {
    for (SimSite site : harness.sites()) {
      if (site.uuid().equals(uuid)) {
        return site;
      }
    }
    throw new IllegalArgumentException("no site " + uuid);
  }

  /**
   * A peer write carrying a leader epoch, as it reaches its target in time: the witness must show
   * the sender holding the group's lease under that epoch right now. "In time" is within {@link
   * #IN_FLIGHT_BOUND} of its send, where the sender checked its deadline: a write longer on its way
   * (a late delivery, slow links whose delays add up) is outside the fencing argument's pause bound
   * P, as a late delivery is, and only the receiver's epoch check can refuse it. (Recorded here and
   * reported by the next check: an exception inside a site's task would be taken for the site's own
   * failure.)
   */
  private void observe(SimNetwork.Delivery delivery) {
    if (mode != Mode.WITNESS
        || delivery.late()
        || delivery.inFlight().compareTo(IN_FLIGHT_BOUND) > 0
        || delivery.caller().leaderEpoch().isEmpty()) {
      return;
    }
    long epoch = delivery.caller().leaderEpoch().getAsLong();
    Optional<Epoch> holder = observer().holder(GROUP);
    boolean leads =
        holder.isPresent()
            && holder.get().counter() == epoch
            && holder.get().site().equals(delivery.from());
    if (!leads) {
      unleadWrites.add(
          "leader write "
              + delivery.kind()
              + " from "
              + byUuid(delivery.from()).name()
              + " with epoch "
              + epoch
              + " while the witness shows "
              + holder.map(e -> e.counter() + "@" + byUuid(e.site()).name()).orElse("no holder"));
    }
  }

  private io.geored.spi.witness.Witness observer() {
    return harness.witness().client("simulation-observer", () -> 0L);
  }

  private static List<Subcloud> sorted(SimSite site) {
    List<Subcloud> all = new ArrayList<>(site.stores().subclouds().findAll());
    all.sort((x, y) -> x.name().compareTo(y.name()));
    return all;
  }

  // ------------------------------------------------------------------ the quiet period

  private void quiet() {
    note("quiet: heal everything, restart, resume, rehomes succeed");
    harness.network().healAll();
    for (SimSite site : harness.sites()) {
      harness.resume(site);
      rehomerOf(site).byDefault(RehomeScript.succeed());
      if (mode == Mode.WITNESS) {
        harness.witness().reconnect(site.uuid());
      }
    }
    for (SimSite site : harness.sites()) {
      if (site.isStopped()) {
        harness.restart(site);
      }
    }
    advance(Duration.ofMinutes(QUIET_MINUTES));
    Map<String, List<String>> managed = new TreeMap<>();
    Map<String, List<String>> actionable = new TreeMap<>();
    TreeSet<String> names = new TreeSet<>();
    Map<String, String> leaders = new TreeMap<>();
    for (SimSite site : harness.sites()) {
      for (Subcloud s : sorted(site)) {
        names.add(s.name());
        DeployStatus status = s.deployStatus();
        if (status.isTransitory() || status == DeployStatus.REHOME_PENDING) {
          throw new Broken(
              AFTER_QUIET + " " + s.name() + " is " + status.wire() + " on " + site.name());
        }
        if (s.managementState() == ManagementState.MANAGED && !pastDeadline(site)) {
          managed.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(site.name());
        } else if (status == DeployStatus.SECONDARY
            || status == DeployStatus.COMPLETE
            || status == DeployStatus.REHOME_FAILED
            || status == DeployStatus.REHOME_PREP_FAILED) {
          actionable.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(site.name());
        }
      }
      Optional<SubcloudPeerGroup> group = site.stores().peerGroups().findByName(GROUP);
      if (group.isPresent()) {
        if (group.get().migrationStatus() == MigrationStatus.MIGRATING) {
          throw new Broken(AFTER_QUIET + " " + GROUP + " is migrating on " + site.name());
        }
        leaders.put(site.name(), leaderName(group.get()));
      }
      for (PeerGroupAssociation assoc : site.stores().associations().findAll()) {
        if (assoc.syncStatus() == SyncStatus.SYNCING) {
          throw new Broken(
              AFTER_QUIET + " association " + assoc.id() + " syncing on " + site.name());
        }
      }
    }
    checkLeaders(leaders);
    for (String name : names) {
      List<String> on = managed.getOrDefault(name, List.of());
      if (on.size() > 1) {
        throw new Broken(AFTER_QUIET + " " + name + " is managed on " + on);
      }
      if (on.isEmpty() && !actionable.containsKey(name)) {
        throw new Broken(AFTER_QUIET + " " + name + " is managed nowhere and actionable nowhere");
      }
    }
    note("quiet period passed " + digest());
  }

  /**
   * The site a copy names as the group's leader. The leader is its uuid ({@code system_leader_id});
   * the name beside it is only what the copy's site calls it: a site that is not the leader's
   * system peer names it by its uuid. So the uuid is compared, shown as the harness's site name.
   */
  private String leaderName(SubcloudPeerGroup group) {
    String id = group.systemLeaderId();
    for (SimSite candidate : harness.sites()) {
      if (candidate.uuid().equalsIgnoreCase(String.valueOf(id))) {
        return candidate.name();
      }
    }
    return String.valueOf(group.systemLeaderName());
  }

  /** All sites agree on the group's leader (by its uuid), in both modes. */
  private void checkLeaders(Map<String, String> leaders) {
    if (new TreeSet<>(leaders.values()).size() > 1) {
      throw new Broken(AFTER_QUIET + " the sites disagree on the leader: " + leaders);
    }
  }

  // ------------------------------------------------------------------ the log

  private void note(String what) {
    log.add(String.format("%03d %s %s", step, harness == null ? "-" : harness.now(), what));
    if (Boolean.getBoolean("geored.sim.trace")) {
      System.err.println("STEP " + log.get(log.size() - 1));
    }
  }

  /** A short deterministic picture of every site: the group's leader and each member's state. */
  private String digest() {
    StringBuilder text = new StringBuilder();
    for (SimSite site : harness.sites()) {
      text.append(site.name()).append(site.isStopped() ? "(down)" : "").append('[');
      site.stores()
          .peerGroups()
          .findByName(GROUP)
          .ifPresent(
              g ->
                  text.append("leader=")
                      .append(g.systemLeaderName())
                      .append(g.migrationStatus() == MigrationStatus.MIGRATING ? "*" : "")
                      .append(' '));
      for (Subcloud s : sorted(site)) {
        text.append(s.name())
            .append('=')
            .append(s.managementState() == ManagementState.MANAGED ? "M" : "u")
            .append('/')
            .append(s.deployStatus().wire())
            .append(' ');
      }
      text.setLength(text.length() - 1);
      text.append("] ");
    }
    return text.toString().strip();
  }
}
