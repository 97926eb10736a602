package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.PeerTransportException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.work.RehomeOutcome;
import io.geored.spi.work.SubcloudRehomer;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.ScriptedProbe;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two real sites for fault tests: nothing is stubbed, each site's monitor heartbeats the other and
 * audits what the other migrated. A owns pg1 with three managed, online subclouds synced to B; a
 * rehome takes {@link #REHOME_TIME} of virtual time and succeeds. Calls reaching a site can be
 * armed with a {@link #tripOn trip}: the chosen call cuts the link between the sites.
 */
final class FaultSites implements AutoCloseable {

  static final List<String> NAMES = List.of("sc1", "sc2", "sc3");
  static final Duration REHOME_TIME = Duration.ofMinutes(2);

  /** Long enough for three missed beats (60 s each) to make a peer unavailable. */
  static final Duration PEER_LOST = Duration.ofMinutes(4);

  /** Long enough for beats to find the peer back, audits and syncs to run, and retries to end. */
  static final Duration SETTLE = Duration.ofMinutes(30);

  private static final String SYSADMIN =
      Base64.getEncoder().encodeToString("St8rlingX*".getBytes());

  /** What a tripped call does to the network and to itself. */
  enum Cut {
    /** The call fails once, the link stays whole (a lost packet). */
    FAIL_ONCE,
    /** The link is cut both ways before the call arrives: the call changes nothing. */
    PARTITION_REQUEST_LOST,
    /** The call is carried out, then the link is cut both ways: the caller never hears back. */
    PARTITION_ANSWER_LOST,
    /** The called site drops off the network before the call arrives. */
    TARGET_DOWN,
    /** The called site crashes before the call arrives; it is restarted when the test heals. */
    TARGET_KILLED
  }

  final VirtualScheduler scheduler = new VirtualScheduler();
  final SimHarness sites;
  final SimSite a;
  final SimSite b;
  final AtomicInteger rehomesStarted = new AtomicInteger();

  /** Runs when a rehome finishes, just before the migration hears it; may cut the network. */
  volatile Runnable onRehomed = () -> {};

  FaultSites() {
    sites =
        SimHarness.builder()
            .scheduler(scheduler)
            .alarms(system -> new RecordingAlarms(scheduler.clock()))
            .probe(system -> new ScriptedProbe().byDefault(ScriptedProbe.Answer.ONLINE))
            .rehomer(system -> slowRehomer())
            .build();
    a = sites.a();
    b = sites.b();
  }

  private SubcloudRehomer slowRehomer() {
    return (subcloud, data, password) -> {
      rehomesStarted.incrementAndGet();
      CompletableFuture<RehomeOutcome> outcome = new CompletableFuture<>();
      scheduler.schedule(
          () -> {
            onRehomed.run();
            outcome.complete(new RehomeOutcome.Rehomed());
          },
          REHOME_TIME);
      return (CompletionStage<RehomeOutcome>) outcome;
    };
  }

  /** Pairs the sites, puts the subclouds in pg1 on A and syncs it to B (B's priority 2). */
  FaultSites prepare() {
    sites.pair(a, b);
    sites.start();
    SubcloudPeerGroup group =
        a.api()
            .createPeerGroup(
                Caller.OPERATOR,
                PeerGroupCreate.builder().peerGroupName("pg1").maxSubcloudRehoming(2).build());
    for (String name : NAMES) {
      a.api()
          .createSubcloud(
              Caller.OPERATOR,
              SubcloudCreate.builder()
                  .name(name)
                  .regionName("region-" + name)
                  .bootstrapValues(bootstrapValues(name))
                  .bootstrapAddress("10.10.10.12")
                  .release("24.09")
                  .build());
    }
    sites.advance(Duration.ofMinutes(1));
    for (String name : NAMES) {
      a.api()
          .updateSubcloud(
              Caller.OPERATOR, name, SubcloudUpdate.builder().managementState("managed").build());
      a.api()
          .updateSubcloud(Caller.OPERATOR, name, SubcloudUpdate.builder().peerGroup("pg1").build());
    }
    SystemPeer bOnA = a.api().getSystemPeer(Caller.OPERATOR, b.uuid());
    a.api()
        .createAssociation(
            Caller.OPERATOR,
            AssociationCreate.builder()
                .peerGroupId(group.id())
                .systemPeerId(bOnA.id())
                .peerGroupPriority(2)
                .build());
    sites.advance(Duration.ofMinutes(2));
    // The set-up itself is checked, so a fault test never starts from a half-synced pair.
    for (String name : NAMES) {
      assertThat(subcloud(a, name).managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(subcloud(b, name).deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    }
    assertThat(a.stores().associations().findAll())
        .singleElement()
        .extracting(x -> x.syncStatus())
        .isEqualTo(SyncStatus.IN_SYNC);
    return this;
  }

  private static Map<String, Object> bootstrapValues(String name) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("name", name);
    values.put("system_mode", "simplex");
    values.put("management_subnet", "192.168.101.0/24");
    values.put("systemcontroller_gateway_address", "192.168.204.1");
    values.put("admin_password", "Li69nux*");
    values.put("sysadmin_password", "Li69nux*");
    return values;
  }

  List<Subcloud> migrateOn(SimSite site) {
    return site.api().migratePeerGroup(Caller.OPERATOR, "pg1", new MigrateRequest(SYSADMIN));
  }

  Subcloud subcloud(SimSite site, String name) {
    return site.stores().subclouds().findByName(name).orElseThrow();
  }

  SubcloudPeerGroup group(SimSite site) {
    return site.stores().peerGroups().findByName("pg1").orElseThrow();
  }

  SimSite other(SimSite site) {
    return site == a ? b : a;
  }

  /** Cuts the link between the sites both ways. */
  void partition() {
    sites.network().partitionBothWays(a.system(), b.system());
  }

  /** Clears every network fault and the trips armed on the sites, and restarts a killed site. */
  void heal() {
    sites.network().healAll();
    for (SimSite site : List.of(a, b)) {
      if (site.isStopped()) {
        sites.restart(site);
      } else {
        sites.network().attach(site.system(), site.engine().site());
      }
    }
  }

  /**
   * Arms the {@code occurrence}-th call of {@code kind} that reaches {@code target} (counted from
   * now) to cut the network as {@code cut} says. Calls before and after it go through as usual.
   *
   * @return how many calls of that kind reached the site since, to check the trip happened
   */
  AtomicInteger tripOn(SimSite target, String kind, int occurrence, Cut cut) {
    SiteApi real = target.engine().site();
    AtomicInteger seen = new AtomicInteger();
    SiteApi armed =
        (SiteApi)
            Proxy.newProxyInstance(
                SiteApi.class.getClassLoader(),
                new Class<?>[] {SiteApi.class},
                (proxy, method, args) -> {
                  boolean trip =
                      method.getName().equals(kind) && seen.incrementAndGet() == occurrence;
                  if (trip && cut != Cut.PARTITION_ANSWER_LOST) {
                    if (cut == Cut.PARTITION_REQUEST_LOST) {
                      partition();
                    } else if (cut == Cut.TARGET_DOWN) {
                      sites.network().down(target.system());
                    } else if (cut == Cut.TARGET_KILLED) {
                      sites.stop(target);
                    }
                    throw new PeerTransportException(kind + " tripped: " + cut, null);
                  }
                  Object answer;
                  try {
                    answer = method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (trip) {
                    partition();
                    throw new PeerTransportException(kind + " tripped: " + cut, null);
                  }
                  return answer;
                });
    sites.network().attach(target.system(), armed);
    return seen;
  }

  /**
   * The invariants, on both sites: no subcloud in a transitory deploy state, no group
   * migrating, one leader both sites agree on, and no subcloud managed on both sites. The leader
   * must be the migrating site: once a migration completes, whatever its outcome, both sites record
   * it as the group's leader (docs/concepts.md, the seed fix).
   *
   * @param leader the site both must name as pg1's leader
   */
  void assertConsistent(SimSite leader) {
    for (SimSite site : List.of(a, b)) {
      assertThat(site.stores().subclouds().findAll())
          .as("subclouds on %s", site.name())
          .allSatisfy(
              sc ->
                  assertThat(sc.deployStatus().isTransitory())
                      .as("%s on %s is %s", sc.name(), site.name(), sc.deployStatus())
                      .isFalse());
      assertThat(group(site).migrationStatus())
          .as("pg1 on %s", site.name())
          .isNotEqualTo(MigrationStatus.MIGRATING);
    }
    assertThat(group(a).systemLeaderId())
        .as("leader of pg1 on site-a vs site-b")
        .isEqualTo(group(b).systemLeaderId());
    assertThat(group(a).systemLeaderName()).isEqualTo(group(b).systemLeaderName());
    assertThat(group(a).systemLeaderId()).as("leader of pg1").isEqualTo(leader.uuid());
    assertThat(group(a).systemLeaderName()).isEqualTo(leader.name());
    for (String name : NAMES) {
      boolean onA = isManaged(a, name);
      boolean onB = isManaged(b, name);
      assertThat(onA && onB).as("%s managed on both sites", name).isFalse();
    }
  }

  private boolean isManaged(SimSite site, String name) {
    return site.stores()
        .subclouds()
        .findByName(name)
        .map(sc -> sc.managementState() == ManagementState.MANAGED)
        .orElse(false);
  }

  @Override
  public void close() {
    sites.close();
  }
}
