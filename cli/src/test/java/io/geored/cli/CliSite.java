package io.geored.cli;

import io.geored.adapters.http.GeoredHttpServer;
import io.geored.adapters.http.Role;
import io.geored.adapters.http.TokenAuthenticator;
import io.geored.core.secret.PlainTextPasswordCipher;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.StoreResult;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.work.ScriptedProbe;
import io.geored.testkit.work.ScriptedRehomer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * A real geored site for the command to talk to: an engine on in-memory stores in virtual time (its
 * peers unreachable), served by {@link GeoredHttpServer} on a free loopback port with one admin
 * token. The command runs in this process; its waits between polls advance the site's virtual time,
 * so a followed migration needs no real sleep.
 */
final class CliSite implements AutoCloseable {

  static final String TOKEN = "cli-admin-token";
  static final String PEER_UUID = "bbbbbbbb-0000-4000-8000-000000000002";

  final ScriptedRehomer rehomer;
  final SingleSite site;
  final GeoredHttpServer server;

  /** What one run of the command printed and answered. */
  record Run(int exitCode, String out, String err) {}

  CliSite() {
    io.geored.testkit.time.VirtualScheduler scheduler =
        new io.geored.testkit.time.VirtualScheduler();
    rehomer = new ScriptedRehomer(scheduler);
    site =
        SingleSite.create(
            io.geored.testkit.store.InMemoryStores.create(),
            scheduler,
            b ->
                b.rehomer(rehomer)
                    .probe(new ScriptedProbe().byDefault(ScriptedProbe.Answer.ONLINE))
                    .passwordCipher(new PlainTextPasswordCipher()));
    server =
        GeoredHttpServer.builder(
                site.site(),
                TokenAuthenticator.builder().token(TOKEN, "cli-admin", Role.ADMIN).build())
            .port(0)
            .stopTimeout(Duration.ofMillis(100))
            .build()
            .start();
  }

  String url() {
    return server.baseUri().toString();
  }

  /** Runs the command with GEORED_URL pointing at this site and GEORED_TOKEN set. */
  Run run(String... args) {
    Map<String, String> variables = new HashMap<>();
    variables.put("GEORED_URL", url());
    variables.put("GEORED_TOKEN", TOKEN);
    return runWith(variables, false, args);
  }

  Run runWith(Map<String, String> variables, boolean terminal, String... args) {
    Env env =
        new Env(variables, site.scheduler().clock(), d -> site.scheduler().advance(d), terminal);
    CommandLine cl = GeoredCli.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  // ------------------------------------------------------------------ arranged records

  static <T> T saved(StoreResult<T> result) {
    return ((StoreResult.Saved<T>) result).value();
  }

  /** A non-primary group led by the (unreachable) peer, as a sync leaves it. */
  SubcloudPeerGroup secondaryGroup(String name) {
    return saved(
        site.stores()
            .peerGroups()
            .insert(
                SubcloudPeerGroup.builder()
                    .peerGroupName(name)
                    .groupPriority(1)
                    .groupState(GroupState.ENABLED)
                    .maxSubcloudRehoming(10)
                    .systemLeaderId(PEER_UUID)
                    .systemLeaderName("site-b")
                    .migrationStatus(MigrationStatus.NONE)
                    .createdAt(site.scheduler().now())
                    .build()));
  }

  /** A secondary copy in a group, with rehome data, unmanaged and offline. */
  Subcloud secondary(SubcloudPeerGroup group, String name, String address) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", name);
    payload.put("bootstrap-address", address);
    payload.put("systemcontroller_gateway_address", "10.10.1.1");
    payload.put("management_subnet", "192.168.101.0/24");
    return saved(
        site.stores()
            .subclouds()
            .insert(
                Subcloud.builder()
                    .name(name)
                    .regionName("region-" + name)
                    .description("edge " + name)
                    .location("rack " + name)
                    .softwareVersion("24.09")
                    .managementState(ManagementState.UNMANAGED)
                    .availabilityStatus(AvailabilityStatus.OFFLINE)
                    .deployStatus(DeployStatus.SECONDARY)
                    .peerGroupId(group.id())
                    .rehomeData(RehomeData.ofSavedPayload(payload))
                    .createdAt(site.scheduler().now())
                    .build()));
  }

  @Override
  public void close() {
    server.close();
    site.engine().close();
  }
}
