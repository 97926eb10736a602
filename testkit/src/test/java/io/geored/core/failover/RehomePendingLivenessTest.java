package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.ValidationException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.RehomeScript;
import io.geored.testkit.work.ScriptedProbe;
import io.geored.testkit.work.ScriptedRehomer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two real sites (monitors, audits, restart recovery; nothing stubbed but the rehomers and probes)
 * and the liveness rule of a group's members: once both sites are up, connected and quiet, every
 * member is managed on exactly one site or can be migrated (secondary, rehome-failed,
 * rehome-prep-failed) from at least one. The sequence of issue 11 item 13 used to end with sc2
 * rehome-pending on both sites, which no site can migrate.
 */
@DisplayName("No member of a group is left rehome-pending on both sites")
class RehomePendingLivenessTest {

  private static final String SYSADMIN =
      Base64.getEncoder().encodeToString("St8rlingX*".getBytes());
  private static final String A_REHOME_ERROR = "sc1 bootstrap address unreachable";

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Map<String, ScriptedRehomer> rehomers = new ConcurrentHashMap<>();
  private final Map<String, ScriptedProbe> probes = new ConcurrentHashMap<>();
  private SimHarness sites;
  private SimSite a;
  private SimSite b;

  @BeforeEach
  void setUp() {
    sites =
        SimHarness.builder()
            .scheduler(scheduler)
            .alarms(system -> new RecordingAlarms(scheduler.clock()))
            .rehomer(
                system ->
                    rehomers.computeIfAbsent(system.uuid(), k -> new ScriptedRehomer(scheduler)))
            .probe(system -> probes.computeIfAbsent(system.uuid(), k -> new ScriptedProbe()))
            .build();
    a = sites.a();
    b = sites.b();
    prepare();
  }

  @AfterEach
  void tearDown() {
    sites.close();
  }

  /** A owns pg1 with sc1 and sc2, managed and online, synced to B as secondary copies. */
  private void prepare() {
    sites.pair(a, b);
    sites.start();
    SubcloudPeerGroup group =
        a.api()
            .createPeerGroup(
                Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    for (String name : List.of("sc1", "sc2")) {
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
    for (String name : List.of("sc1", "sc2")) {
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
    for (String name : List.of("sc1", "sc2")) {
      assertThat(subcloud(a, name).managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(subcloud(b, name).deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    }
    assertThat(a.stores().associations().findAll())
        .singleElement()
        .extracting(x -> x.syncStatus())
        .isEqualTo(SyncStatus.IN_SYNC);
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

  // ------------------------------------------------------------------ the sequence

  /**
   * The issue's sequence up to A's migration: B migrates (sc1 rehomed in 144 s and online, sc2
   * rehomed in 179 s but offline), B crashes at {@code crashAt} and restarts at once, then A
   * migrates the group (sc1's rehome fails there after 120 s, sc2's would succeed in 150 s).
   */
  private void crashAndMigrateBack(Duration crashAt) {
    rehomer(b)
        .script("sc1", RehomeScript.succeed().taking(Duration.ofSeconds(144)))
        .script("sc2", RehomeScript.succeed().taking(Duration.ofSeconds(179)));
    probe(b).script("sc2", ScriptedProbe.Answer.OFFLINE);
    rehomer(a)
        .script(
            "sc1",
            RehomeScript.fail(A_REHOME_ERROR).taking(Duration.ofSeconds(120)),
            RehomeScript.succeed().taking(Duration.ofSeconds(120)))
        .script("sc2", RehomeScript.succeed().taking(Duration.ofSeconds(150)));

    Instant t0 = sites.now();
    migrate(b);
    sites.advance(crashAt);
    assertThat(Duration.between(t0, sites.now())).isEqualTo(crashAt);
    sites.restart(b);
    sites.runUntilIdle();

    migrate(a);
    sites.advance(Duration.ofMinutes(10));
  }

  /** Everything healed: every rehome succeeds, every subcloud answers online; then two hours. */
  private void healAndWait() {
    probe(b).script("sc2", ScriptedProbe.Answer.ONLINE);
    rehomer(a).byDefault(RehomeScript.succeed());
    rehomer(b).byDefault(RehomeScript.succeed());
    sites.advance(Duration.ofHours(2));
  }

  @Test
  @DisplayName(
      "the issue's sequence: sc2 is rehome-failed on A once B's interrupted migration is closed,"
          + " A migrates it too; two hours after healing every member is managed on one site or"
          + " migratable")
  void issueSequence() {
    crashAndMigrateBack(Duration.ofSeconds(317));
    healAndWait();

    // sc1: A's rehome failed; both copies can be migrated again.
    Subcloud sc1OnA = subcloud(a, "sc1");
    assertThat(sc1OnA.deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
    assertThat(sc1OnA.managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(sc1OnA.errorDescription()).isEqualTo(A_REHOME_ERROR);
    Subcloud sc1OnB = subcloud(b, "sc1");
    assertThat(sc1OnB.deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
    assertThat(sc1OnB.managementState()).isEqualTo(ManagementState.UNMANAGED);
    // sc2: B's migration never managed it; A took it over.
    Subcloud sc2OnA = subcloud(a, "sc2");
    assertThat(sc2OnA.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    assertThat(sc2OnA.managementState()).isEqualTo(ManagementState.MANAGED);
    assertThat(sc2OnA.availabilityStatus()).isEqualTo(AvailabilityStatus.ONLINE);
    Subcloud sc2OnB = subcloud(b, "sc2");
    assertThat(sc2OnB.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    assertThat(sc2OnB.managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(sc2OnB.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
    for (SimSite site : List.of(a, b)) {
      assertThat(group(site).systemLeaderId()).as("leader on %s", site.name()).isEqualTo(a.uuid());
      assertThat(group(site).migrationStatus())
          .as("migration status on %s", site.name())
          .isEqualTo(MigrationStatus.NONE);
    }
    assertEveryMemberManagedOnceOrMigratable();

    // And the group can move again: B takes back what A could not rehome.
    assertThat(migrate(b)).extracting(Subcloud::name).containsExactly("sc1", "sc2");
    sites.advance(Duration.ofMinutes(30));
    for (String name : List.of("sc1", "sc2")) {
      assertThat(subcloud(b, name).managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(subcloud(b, name).deployStatus()).isEqualTo(DeployStatus.COMPLETE);
      assertThat(subcloud(a, name).deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(subcloud(a, name).managementState()).isEqualTo(ManagementState.UNMANAGED);
    }
  }

  @Test
  @DisplayName(
      "right after B's restart, its closed migration left sc2 rehomed but unmanaged there: A's"
          + " rehome-pending copy becomes rehome-failed, saying why")
  void afterTheRestart() {
    rehomer(b)
        .script("sc1", RehomeScript.succeed().taking(Duration.ofSeconds(144)))
        .script("sc2", RehomeScript.succeed().taking(Duration.ofSeconds(179)));
    probe(b).script("sc2", ScriptedProbe.Answer.OFFLINE);
    migrate(b);
    sites.advance(Duration.ofSeconds(317));
    assertThat(subcloud(a, "sc2").deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);

    sites.restart(b);
    sites.runUntilIdle();

    Subcloud sc2OnB = subcloud(b, "sc2");
    assertThat(sc2OnB.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    assertThat(sc2OnB.managementState()).isEqualTo(ManagementState.UNMANAGED);
    Subcloud sc2OnA = subcloud(a, "sc2");
    assertThat(sc2OnA.deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
    assertThat(sc2OnA.managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(sc2OnA.errorDescription())
        .isEqualTo(
            "Subcloud sc2 was not taken over by the migration of peer group pg1 on peer site"
                + " site-b; migrate the peer group to rehome it");
    assertThat(subcloud(a, "sc1").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    assertThat(subcloud(b, "sc1").managementState()).isEqualTo(ManagementState.MANAGED);
  }

  @ParameterizedTest(name = "B crashes {0} s after its migration started")
  @ValueSource(ints = {100, 160, 317, 1200})
  @DisplayName("wherever B crashes, every member ends managed on one site or migratable")
  void crashMoments(int seconds) {
    crashAndMigrateBack(Duration.ofSeconds(seconds));
    healAndWait();

    assertEveryMemberManagedOnceOrMigratable();
  }

  // ------------------------------------------------------------------ item 5: hand-over refused

  @Test
  @DisplayName(
      "a peer that refuses to hand a subcloud over: it stays secondary on the migrating site,"
          + " saying why, and the peer's audit leaves its own copy managed")
  void handoverRefused() {
    SiteApi real = a.engine().site();
    SiteApi refusing =
        (SiteApi)
            Proxy.newProxyInstance(
                SiteApi.class.getClassLoader(),
                new Class<?>[] {SiteApi.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("updateSubcloud") && "region-sc1".equals(args[1])) {
                    throw new ValidationException("Subcloud sc1 is busy");
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    sites.network().attach(a.system(), refusing);

    assertThat(migrate(b)).extracting(Subcloud::name).containsExactly("sc1", "sc2");
    sites.advance(Duration.ofMinutes(30));

    Subcloud sc1OnB = subcloud(b, "sc1");
    assertThat(sc1OnB.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    assertThat(sc1OnB.managementState()).isEqualTo(ManagementState.UNMANAGED);
    assertThat(sc1OnB.errorDescription())
        .isEqualTo("Unable to hand over subcloud sc1 from peer site site-a: Subcloud sc1 is busy");
    assertThat(rehomer(b).calls("sc1")).isZero();
    Subcloud sc1OnA = subcloud(a, "sc1");
    assertThat(sc1OnA.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    assertThat(sc1OnA.managementState()).isEqualTo(ManagementState.MANAGED);
    assertThat(subcloud(b, "sc2").managementState()).isEqualTo(ManagementState.MANAGED);
    assertThat(subcloud(b, "sc2").deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    assertThat(subcloud(a, "sc2").deployStatus()).isEqualTo(DeployStatus.SECONDARY);
    assertThat(group(a).systemLeaderId()).isEqualTo(b.uuid());
    assertThat(group(b).systemLeaderId()).isEqualTo(b.uuid());
    assertEveryMemberManagedOnceOrMigratable();
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The liveness rule, on both sites: each member managed on at most one site, and when on none,
   * secondary, rehome-failed or rehome-prep-failed on at least one.
   */
  private void assertEveryMemberManagedOnceOrMigratable() {
    for (String name : List.of("sc1", "sc2")) {
      int managed = 0;
      int migratable = 0;
      StringBuilder states = new StringBuilder();
      for (SimSite site : List.of(a, b)) {
        Subcloud sc = subcloud(site, name);
        states
            .append(site.name())
            .append('=')
            .append(sc.managementState().wire())
            .append('/')
            .append(sc.deployStatus().wire())
            .append(' ');
        if (sc.managementState() == ManagementState.MANAGED) {
          managed++;
        }
        if (Migration.MIGRATABLE.contains(sc.deployStatus())) {
          migratable++;
        }
      }
      assertThat(managed).as("%s managed on more than one site: %s", name, states).isLessThan(2);
      assertThat(managed == 1 || migratable >= 1)
          .as("%s neither managed on one site nor migratable on any: %s", name, states)
          .isTrue();
    }
  }

  private List<Subcloud> migrate(SimSite site) {
    return site.api().migratePeerGroup(Caller.OPERATOR, "pg1", new MigrateRequest(SYSADMIN));
  }

  private ScriptedRehomer rehomer(SimSite site) {
    return rehomers.get(site.uuid());
  }

  private ScriptedProbe probe(SimSite site) {
    return probes.get(site.uuid());
  }

  private static Subcloud subcloud(SimSite site, String name) {
    return site.stores().subclouds().findByName(name).orElseThrow();
  }

  private static SubcloudPeerGroup group(SimSite site) {
    return site.stores().peerGroups().findByName("pg1").orElseThrow();
  }
}
