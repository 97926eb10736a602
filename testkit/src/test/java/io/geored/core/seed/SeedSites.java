package io.geored.core.seed;

import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.work.RehomeOutcome;
import io.geored.spi.work.SubcloudRehomer;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.sim.SimSite;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.ScriptedProbe;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The seed commit's test plan, pre-steps 1–6: two sites that know each other, a peer group on A
 * with subclouds added through the API (registered, brought online by the availability audit,
 * managed, put in the group), associated with B and synced. Rehoming a subcloud succeeds only when
 * its rehome data carries the right bootstrap address, as in real life.
 */
final class SeedSites implements AutoCloseable {

  static final String GOOD_ADDRESS = "10.10.10.12";
  static final String WRONG_ADDRESS = "10.10.10.99";
  static final String A_GATEWAY = "192.168.204.1";
  static final Duration REHOME_TIME = Duration.ofMinutes(5);
  static final String SYSADMIN = Base64.getEncoder().encodeToString("St8rlingX*".getBytes());

  final VirtualScheduler scheduler = new VirtualScheduler();
  final SimHarness sites;
  final SimSite a;
  final SimSite b;
  SubcloudPeerGroup groupOnA;
  PeerGroupAssociation associationOnA;

  SeedSites() {
    sites =
        SimHarness.builder()
            .sites(2)
            .scheduler(scheduler)
            .alarms(system -> new RecordingAlarms(scheduler.clock()))
            .probe(system -> new ScriptedProbe().byDefault(ScriptedProbe.Answer.ONLINE))
            .rehomer(system -> addressCheckingRehomer())
            .build();
    a = sites.a();
    b = sites.b();
  }

  /** Rehoming takes five minutes and reaches the subcloud only at the right address. */
  private SubcloudRehomer addressCheckingRehomer() {
    return (subcloud, data, password) -> {
      CompletableFuture<RehomeOutcome> outcome = new CompletableFuture<>();
      scheduler.schedule(
          () ->
              outcome.complete(
                  data.bootstrapAddress().orElse("").equals(GOOD_ADDRESS)
                      ? new RehomeOutcome.Rehomed()
                      : new RehomeOutcome.Failed(
                          "subcloud unreachable at " + data.bootstrapAddress().orElse("none"))),
          REHOME_TIME);
      return (CompletionStage<RehomeOutcome>) outcome;
    };
  }

  static Map<String, Object> bootstrapValues(String name) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("name", name);
    values.put("system_mode", "simplex");
    values.put("management_subnet", "192.168.101.0/24");
    values.put("systemcontroller_gateway_address", A_GATEWAY);
    values.put("admin_password", "Li69nux*");
    values.put("sysadmin_password", "Li69nux*");
    return values;
  }

  /** Pre-steps 1–6 with the given subclouds (each with the wrong address). */
  SeedSites prepare(String... subclouds) {
    sites.pair(a, b);
    sites.start();
    groupOnA =
        a.api()
            .createPeerGroup(
                Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    for (String name : subclouds) {
      a.api()
          .createSubcloud(
              Caller.OPERATOR,
              SubcloudCreate.builder()
                  .name(name)
                  .regionName("region-" + name)
                  .bootstrapValues(bootstrapValues(name))
                  .bootstrapAddress(WRONG_ADDRESS)
                  .release("24.09")
                  .build());
    }
    // The availability audit brings them online.
    sites.advance(Duration.ofMinutes(1));
    for (String name : subclouds) {
      a.api()
          .updateSubcloud(
              Caller.OPERATOR, name, SubcloudUpdate.builder().managementState("managed").build());
      a.api()
          .updateSubcloud(Caller.OPERATOR, name, SubcloudUpdate.builder().peerGroup("pg1").build());
    }
    SystemPeer bOnA = a.api().getSystemPeer(Caller.OPERATOR, b.uuid());
    associationOnA =
        a.api()
            .createAssociation(
                Caller.OPERATOR,
                AssociationCreate.builder()
                    .peerGroupId(groupOnA.id())
                    .systemPeerId(bOnA.id())
                    .peerGroupPriority(2)
                    .build());
    sites.advance(Duration.ofMinutes(2));
    return this;
  }

  List<Subcloud> migrateOn(SimSite site) {
    return site.api().migratePeerGroup(Caller.OPERATOR, "pg1", new MigrateRequest(SYSADMIN));
  }

  /** Lets a migration (and the audits it asks for) run to its end. */
  void settle() {
    sites.advance(Duration.ofMinutes(30));
  }

  Subcloud subcloud(SimSite site, String name) {
    return site.stores().subclouds().findByName(name).orElseThrow();
  }

  SubcloudPeerGroup group(SimSite site) {
    return site.stores().peerGroups().findByName("pg1").orElseThrow();
  }

  PeerGroupAssociation association(SimSite site) {
    SubcloudPeerGroup g = group(site);
    return site.stores().associations().findByPeerGroup(g.id()).get(0);
  }

  RecordingAlarms alarms(SimSite site) {
    return site.alarms(RecordingAlarms.class);
  }

  static String address(Subcloud s) {
    RehomeData d = s.rehomeData();
    return d == null ? null : d.bootstrapAddress().orElse(null);
  }

  static String gateway(Subcloud s) {
    RehomeData d = s.rehomeData();
    return d == null ? null : d.systemControllerGatewayAddress().orElse(null);
  }

  /** Stops A and lets B's monitor find it gone (3 missed beats of 60 s). */
  void siteADown() {
    sites.stop(a);
    sites.advance(Duration.ofMinutes(4));
  }

  void siteAUp() {
    sites.restart(a);
    sites.advance(Duration.ofMinutes(3));
  }

  @Override
  public void close() {
    sites.close();
  }
}
