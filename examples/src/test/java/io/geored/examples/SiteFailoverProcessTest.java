package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.etcd.jetcd.Client;
import io.geored.adapters.etcd.EtcdWitness;
import io.geored.spi.time.Ticker;
import io.geored.spi.witness.Epoch;
import io.geored.testkit.realservice.RealServices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic failover's witness rules (docs/failover.md, ADR 0027) across real processes: two
 * standalone site JVMs that call each other over HTTP and share a real etcd witness. Site A leads a
 * synced group; an operator migrates it on B, which asks A to hand it over; B is killed and comes
 * back on the same database; etcd is killed and comes back on the same data folder. Every state is
 * read through the sites' HTTP API (and etcd's keys), every wait is a bounded poll.
 *
 * <p>B calls A through a recording proxy of this test, so the test sees what travels between the
 * processes: the hand-over request and the leader epoch header of B's writes.
 *
 * <p>The witness timing is short (TTL 4 s, renewal every 500 ms, fence margin 1 s): a leader cut
 * off from etcd fences itself 2 s after its last renewal was sent, its deadline is 3 s after it.
 */
@DisplayName("Two standalone site processes fail over through a real etcd witness")
class SiteFailoverProcessTest {

  private static final String A_UUID = "aaaaaaaa-0000-4000-8000-00000000000a";
  private static final String B_UUID = "bbbbbbbb-0000-4000-8000-00000000000b";
  private static final String GROUP = "pg1";
  private static final List<String> MEMBERS = List.of("subcloud1", "subcloud2", "subcloud3");
  private static final Duration TTL = Duration.ofSeconds(4);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a site logs when it raises alarm 280.006 for the group, its three members unmanaged. */
  private static final String FENCED_ALARM =
      "alarm raised alarm_id=280.006 entity=peer_group="
          + GROUP
          + " severity=MAJOR reason=Subcloud peer group "
          + GROUP
          + " is fenced: this site does not hold its witness lease, and 3 subcloud(s) were"
          + " unmanaged here.";

  private static final String ALARM_CLEARED =
      "alarm cleared alarm_id=280.006 entity=peer_group=" + GROUP;

  /** What a site logs when it leads the group again and manages the three members it fenced. */
  private static final String LED_AGAIN =
      "peer group led again peer_group="
          + GROUP
          + " remanaged=3 other_leader_meanwhile=false not_taken_over=0";

  @RegisterExtension final RealServices services = new RealServices();

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private SiteProcess a;
  private SiteProcess b;
  private RecordingProxy proxy;
  private ManagedWatch watchA;

  @AfterEach
  void stop() throws Exception {
    if (watchA != null) {
      watchA.close();
    }
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  @Timeout(240)
  @DisplayName(
      "a migration asks the leader to hand over, a killed leader regains its group after a"
          + " restart, and a leader cut off from etcd fences itself and regains the group once"
          + " etcd is back")
  void failover() throws Exception {
    try {
      playStory();
    } catch (Exception | AssertionError e) {
      // What the sites logged, for a failure on a machine where the folder is gone afterwards.
      e.addSuppressed(new AssertionError("the sites' logs end with:\n" + logTails()));
      throw e;
    }
  }

  private void playStory() throws Exception {
    // etcd on ports and a data folder of this test, so that it can come back the same.
    int etcdClient = RealServices.freeLoopbackPort();
    int etcdPeer = RealServices.freeLoopbackPort();
    Path etcdData = dir.resolve("etcd-data");
    RealServices.Service etcdService = etcd(etcdClient, etcdPeer, etcdData);
    RealServices.Running etcd = services.start(etcdService);

    Path rehome = script("rehome.sh", "echo \"rehomed $1\"\nexit 0\n");
    Path probe = script("probe.sh", "exit 0\n");
    Path sysadmin = dir.resolve("sysadmin-password");
    Files.writeString(sysadmin, "St8rlingX*", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(sysadmin, PosixFilePermissions.fromString("rw-------"));
    int portA = RealServices.freeLoopbackPort();
    int portB = RealServices.freeLoopbackPort();
    URI siteA = URI.create("http://127.0.0.1:" + portA + "/v1.0");
    URI siteB = URI.create("http://127.0.0.1:" + portB + "/v1.0");
    proxy = new RecordingProxy(siteA);
    Path configA = config("a", A_UUID, B_UUID, portA, etcd(), rehome, probe, sysadmin);
    Path configB = config("b", B_UUID, A_UUID, portB, etcd(), rehome, probe, sysadmin);
    a = SiteProcess.launch(configA, dir.resolve("a.err"));
    b = SiteProcess.launch(configB, dir.resolve("b.err"));
    a.awaitReady();
    b.awaitReady();

    long epochA = leadsSyncedGroup(siteA, siteB);
    long epochB = migrateOnB(siteA, siteB, epochA);

    // ------------------------------------------------ 2. B killed, restarted on the same store
    b.kill();
    watchA = new ManagedWatch(siteA);
    b = SiteProcess.start(configB, dir.resolve("b2.err"));
    for (String member : MEMBERS) {
      poll(
          "B manages " + member + " again after its restart",
          () -> get(siteB, "/subclouds/" + member, "b-admin"),
          s -> text(s, "management-state").equals("managed"));
    }
    JsonNode groupB = get(siteB, "/subcloud-peer-groups/" + GROUP, "b-admin");
    assertThat(text(groupB, "system_leader_id")).isEqualTo(B_UUID);
    Epoch restarted = holder(etcd()).orElseThrow();
    assertThat(restarted.site()).isEqualTo(B_UUID);
    assertThat(restarted.counter()).isGreaterThanOrEqualTo(epochB);
    // Fenced at start until it held the lease, then every fenced member managed again.
    assertThat(pollLog(b, LED_AGAIN, 1))
        .containsSubsequence(
            FENCED_ALARM,
            "peer group fenced peer_group=" + GROUP + " cause=at_start epoch=0 unmanaged=3",
            "lease taken peer_group=" + GROUP + " epoch=" + restarted.counter(),
            ALARM_CLEARED,
            LED_AGAIN);
    assertThat(watchA.managed()).as("members A managed while B was away").isEmpty();

    // ------------------------------------------------ 3. etcd killed while B leads
    poll("B's alarm 280.006 cleared after its restart", () -> alarms(siteB), n -> n == 0);
    long killed = System.nanoTime();
    etcd.process().destroyForcibly();
    assertThat(etcd.process().waitFor(SiteProcess.BUDGET_SECONDS, TimeUnit.SECONDS)).isTrue();
    for (String member : MEMBERS) {
      poll(
          "B fences " + member + " once etcd is gone",
          () -> get(siteB, "/subclouds/" + member, "b-admin"),
          s -> text(s, "management-state").equals("unmanaged"));
    }
    Duration toFence = Duration.ofNanos(System.nanoTime() - killed);
    System.out.println(
        "SiteFailoverProcessTest: B's members unmanaged "
            + toFence.toMillis()
            + " ms after etcd"
            + " was killed (fence due 2000 ms after B's last renewal, deadline 3000 ms)");
    assertThat(toFence)
        .as("B unmanaged its members before etcd could have let its lease lapse")
        .isLessThan(TTL);
    poll("B's alarm 280.006 raised once etcd is gone", () -> alarms(siteB), n -> n == 1);
    String fenced = "peer group fenced peer_group=" + GROUP + " cause=lost";
    assertThat(pollLog(b, fenced, 1))
        .containsSubsequence(
            LED_AGAIN, FENCED_ALARM, fenced + " epoch=" + restarted.counter() + " unmanaged=3");
    for (String member : MEMBERS) {
      JsonNode s = get(siteB, "/subclouds/" + member, "b-admin");
      assertThat(text(s, "deploy-status")).isEqualTo("complete");
    }
    // An operator's manage is refused while B does not hold the lease, and changes nothing.
    HttpResponse<String> manage =
        multipartAnswer(
            "PATCH",
            siteB,
            "/subclouds/subcloud1",
            "b-admin",
            Map.of("management-state", "managed"),
            null);
    assertThat(manage.statusCode()).as(manage.body()).isEqualTo(409);
    assertThat(JSON.readTree(manage.body()).get("faultstring").asText())
        .isEqualTo("Subcloud peer group " + GROUP + " is not led by this site.");
    assertThat(text(get(siteB, "/subclouds/subcloud1", "b-admin"), "management-state"))
        .isEqualTo("unmanaged");

    // etcd back on the same data folder and ports: B takes the lease again and re-manages.
    services.start(etcdService);
    long back = System.nanoTime();
    for (String member : MEMBERS) {
      poll(
          "B manages " + member + " again once etcd is back",
          () -> get(siteB, "/subclouds/" + member, "b-admin"),
          s ->
              text(s, "management-state").equals("managed")
                  && text(s, "deploy-status").equals("complete"));
    }
    poll("B's alarm 280.006 cleared once etcd is back", () -> alarms(siteB), n -> n == 0);
    System.out.println(
        "SiteFailoverProcessTest: B's members managed again "
            + Duration.ofNanos(System.nanoTime() - back).toMillis()
            + " ms after etcd was ready again");
    Epoch regained = holder(etcd()).orElseThrow();
    assertThat(regained.site()).isEqualTo(B_UUID);
    assertThat(regained.counter()).isGreaterThanOrEqualTo(restarted.counter());
    assertThat(pollLog(b, LED_AGAIN, 2))
        .containsSubsequence(
            fenced,
            "lease taken peer_group=" + GROUP + " epoch=" + regained.counter(),
            ALARM_CLEARED,
            LED_AGAIN);
    assertThat(text(get(siteB, "/subcloud-peer-groups/" + GROUP, "b-admin"), "system_leader_id"))
        .isEqualTo(B_UUID);
    for (String member : MEMBERS) {
      JsonNode copy = get(siteA, "/subclouds/" + member, "a-admin");
      assertThat(text(copy, "deploy-status")).isEqualTo("secondary");
      assertThat(text(copy, "management-state")).isEqualTo("unmanaged");
    }
    assertThat(watchA.managed()).as("members A managed while B or etcd was away").isEmpty();
    assertThat(watchA.failures()).as("A's answers while B or etcd was away").isEmpty();
  }

  /**
   * 1a. A leads a group of three managed subclouds, synced to B; A holds its lease at etcd.
   *
   * @return A's epoch
   */
  private long leadsSyncedGroup(URI siteA, URI siteB) throws Exception {
    // B reaches A through the proxy; A reaches B directly.
    json(
        "POST",
        siteA,
        "/system-peers",
        "a-admin",
        peer("site-b", B_UUID, siteB, "192.168.205.1", "rehome"));
    json(
        "POST",
        siteB,
        "/system-peers",
        "b-admin",
        peer("site-a", A_UUID, proxy.base(), "192.168.204.1", "alarm"));
    json("POST", siteA, "/subcloud-peer-groups", "a-admin", Map.of("peer-group-name", GROUP));
    for (int i = 0; i < MEMBERS.size(); i++) {
      String member = MEMBERS.get(i);
      Map<String, String> create = new LinkedHashMap<>();
      create.put("name", member);
      create.put("region_name", "region-" + member);
      create.put("release", "24.09");
      create.put("bootstrap-address", "10.10.10." + (10 + i));
      multipart(
          "POST",
          siteA,
          "/subclouds",
          "a-admin",
          create,
          "name: "
              + member
              + "\nsystem_mode: simplex\nmanagement_subnet: 192.168."
              + (101 + i)
              + ".0/24\nsystemcontroller_gateway_address: 192.168.204.1\n");
    }
    for (String member : MEMBERS) {
      poll(
          member + " online on A",
          () -> get(siteA, "/subclouds/" + member, "a-admin"),
          s -> text(s, "availability-status").equals("online"));
      multipart(
          "PATCH",
          siteA,
          "/subclouds/" + member,
          "a-admin",
          Map.of("management-state", "managed"),
          null);
      multipart(
          "PATCH", siteA, "/subclouds/" + member, "a-admin", Map.of("peer_group", GROUP), null);
    }
    long groupId = get(siteA, "/subcloud-peer-groups/" + GROUP, "a-admin").get("id").asLong();
    long peerId = get(siteA, "/system-peers/site-b", "a-admin").get("id").asLong();
    long association =
        json(
                "POST",
                siteA,
                "/peer-group-associations",
                "a-admin",
                Map.of(
                    "peer_group_id", groupId, "system_peer_id", peerId, "peer_group_priority", 2))
            .get("id")
            .asLong();
    poll(
        "the association in sync",
        () -> get(siteA, "/peer-group-associations/" + association, "a-admin"),
        s -> text(s, "sync-status").equals("in-sync"));
    for (String member : MEMBERS) {
      JsonNode copy =
          poll(
              member + " copied to B",
              () -> get(siteB, "/subclouds/" + member, "b-admin"),
              s -> text(s, "deploy-status").equals("secondary"));
      assertThat(text(copy, "management-state")).isEqualTo("unmanaged");
      JsonNode original = get(siteA, "/subclouds/" + member, "a-admin");
      assertThat(text(original, "management-state")).isEqualTo("managed");
      assertThat(text(original, "deploy-status")).isEqualTo("complete");
    }
    JsonNode group = get(siteA, "/subcloud-peer-groups/" + GROUP, "a-admin");
    assertThat(text(group, "system_leader_id")).isEqualTo(A_UUID);
    assertThat(text(group, "system_leader_name")).isEqualTo("site-a");
    Epoch leading =
        poll("A holding the lease at etcd", () -> holder(etcd()), h -> h.isPresent()).orElseThrow();
    assertThat(leading.site()).isEqualTo(A_UUID);
    poll(
        "B seeing A available",
        () -> get(siteB, "/system-peers/site-a", "b-admin"),
        p -> text(p, "availability-state").equals("available"));
    return leading.counter();
  }

  /**
   * 1b. The operator migrates the group on B: B asks A to hand it over, takes the lease with a
   * newer epoch, rehomes and manages every member; A's copies end secondary and unmanaged.
   *
   * @return B's epoch
   */
  private long migrateOnB(URI siteA, URI siteB, long epochA) throws Exception {
    json(
        "PATCH",
        siteB,
        "/subcloud-peer-groups/" + GROUP + "/migrate",
        "b-admin",
        Map.of(
            "sysadmin_password",
            Base64.getEncoder().encodeToString("St8rlingX*".getBytes(StandardCharsets.UTF_8))));
    for (String member : MEMBERS) {
      poll(
          member + " migrated to B",
          () -> get(siteB, "/subclouds/" + member, "b-admin"),
          s ->
              text(s, "deploy-status").equals("complete")
                  && text(s, "management-state").equals("managed"));
    }
    // The migration ended complete, and A, having audited the group, set its status back to none.
    JsonNode progress =
        poll(
            "B's migration ended",
            () -> get(siteB, "/subcloud-peer-groups/" + GROUP + "/migration-progress", "b-admin"),
            p -> p.get("done").asInt() == MEMBERS.size());
    assertThat(progress.get("total").asInt()).isEqualTo(MEMBERS.size());
    assertThat(progress.get("failed").asInt()).isZero();
    assertThat(progress.get("in_flight").asInt()).isZero();
    JsonNode group =
        poll(
            "B's migration status reset by A's audit",
            () -> get(siteB, "/subcloud-peer-groups/" + GROUP, "b-admin"),
            g -> g.get("migration_status").isNull());
    assertThat(text(group, "system_leader_id")).isEqualTo(B_UUID);
    assertThat(text(group, "system_leader_name")).isEqualTo("site-b");
    assertThat(pollLog(b, "migration closed peer_group=" + GROUP))
        .contains(
            "migration closed peer_group=" + GROUP + " leader=site-b migration_status=complete");
    for (String member : MEMBERS) {
      poll(
          member + " secondary on A",
          () -> get(siteA, "/subclouds/" + member, "a-admin"),
          s ->
              text(s, "deploy-status").equals("secondary")
                  && text(s, "management-state").equals("unmanaged"));
    }
    poll(
        "A naming B the leader",
        () -> get(siteA, "/subcloud-peer-groups/" + GROUP, "a-admin"),
        g -> text(g, "system_leader_id").equals(B_UUID));

    Epoch leading = holder(etcd()).orElseThrow();
    assertThat(leading.site()).isEqualTo(B_UUID);
    assertThat(leading.counter()).isGreaterThan(epochA);
    assertThat(latestEpoch(etcd())).contains(leading);

    // What travelled from B to A: the hand-over request, then B's writes for the group with B's
    // epoch in the header.
    List<RecordingProxy.Call> calls = proxy.calls();
    int handOver =
        indexOf(calls, c -> c.is("PATCH", "/v1.0/subcloud-peer-groups/" + GROUP + "/hand-over"));
    assertThat(handOver).as("B asked A to hand over; B sent %s", calls).isGreaterThanOrEqualTo(0);
    for (String member : MEMBERS) {
      int write = indexOf(calls, c -> c.is("PATCH", "/v1.0/subclouds/region-" + member));
      assertThat(write).as("B wrote %s on A; B sent %s", member, calls).isGreaterThan(handOver);
      assertThat(calls.get(write).epoch()).contains(Long.toString(leading.counter()));
    }
    assertThat(calls.stream().flatMap(c -> c.epoch().stream()).distinct())
        .as("every epoch B sent")
        .containsExactly(Long.toString(leading.counter()));
    // A hand-over raises no alarm 280.006 on A, also when A's renewal was at the witness while it
    // handed over (RenewalDuringHandOverTest, testkit, found here): by now B's whole migration has
    // run, far longer than one of A's renewal intervals.
    String logA = pollLog(a, "peer group handed over to a migrating peer peer_group=" + GROUP);
    assertThat(logA)
        .contains("peer group fenced peer_group=" + GROUP + " cause=handover epoch=" + epochA)
        .doesNotContain("alarm raised alarm_id=280.006 entity=peer_group=" + GROUP);
    assertThat(alarms(siteA)).as("A's raised alarms 280.006").isZero();
    return leading.counter();
  }

  // ---------------------------------------------------------------- etcd

  /** The client URL of the test's etcd. */
  private String etcdUrl;

  private String etcd() {
    return etcdUrl;
  }

  /** A single-member etcd on given ports and data folder, so that a restart finds its data. */
  private RealServices.Service etcd(int client, int peer, Path data) {
    etcdUrl = "http://127.0.0.1:" + client;
    return RealServices.service("etcd")
        .pathVariable("GEORED_ETCD")
        .args(
            s ->
                List.of(
                    "--name=witness",
                    "--data-dir=" + data,
                    "--listen-client-urls=http://127.0.0.1:" + client,
                    "--advertise-client-urls=http://127.0.0.1:" + client,
                    "--listen-peer-urls=http://127.0.0.1:" + peer,
                    "--initial-advertise-peer-urls=http://127.0.0.1:" + peer,
                    "--initial-cluster=witness=http://127.0.0.1:" + peer))
        .readyWhen(
            s -> {
              try {
                HttpResponse<String> health =
                    http.send(
                        HttpRequest.newBuilder(URI.create(etcdUrl + "/health"))
                            .timeout(Duration.ofSeconds(1))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                return health.statusCode() == 200 && health.body().contains("\"health\":\"true\"");
              } catch (IOException e) {
                return false;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
              }
            })
        .budget(Duration.ofSeconds(30));
  }

  /** The group's lease holder at etcd, read with a client of its own (etcd may have restarted). */
  private static Optional<Epoch> holder(String endpoint) {
    try (Client client = Client.builder().endpoints(endpoint).build()) {
      return observer(client).holder(GROUP);
    }
  }

  private static Optional<Epoch> latestEpoch(String endpoint) {
    try (Client client = Client.builder().endpoints(endpoint).build()) {
      return observer(client).latestEpoch(GROUP);
    }
  }

  /** A witness client that only reads (it never registers nor takes a lease). */
  private static EtcdWitness observer(Client client) {
    return new EtcdWitness(client, "cccccccc-0000-4000-8000-00000000000c", TTL, Ticker.system());
  }

  // ---------------------------------------------------------------- the sites

  private Path config(
      String me,
      String uuid,
      String peerUuid,
      int port,
      String etcdEndpoint,
      Path rehome,
      Path probe,
      Path sysadmin)
      throws Exception {
    String other = me.equals("a") ? "b" : "a";
    Path file = dir.resolve(me + ".properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "site.uuid=" + uuid,
            "site.name=site-" + me,
            "database.folder=" + dir.resolve("data-" + me),
            "http.host=127.0.0.1",
            "http.port=" + port,
            "auth.token.ops=" + me + "-admin",
            "auth.roles.ops=admin",
            "auth.peer." + peerUuid + "=" + other + "-to-" + me,
            "peer.token." + peerUuid + "=" + me + "-to-" + other,
            "rehome.command=sh " + rehome + " {name}",
            "rehome.timeout=30s",
            "probe.command=sh " + probe + " {name}",
            "probe.interval=1s",
            "witness=etcd",
            "witness.etcd.endpoints=" + etcdEndpoint,
            "witness.ttl=" + TTL.toSeconds() + "s",
            "witness.renew-every=500ms",
            "witness.fence-margin=1s",
            "failover.sysadmin-password-file=" + sysadmin,
            ""));
    return file;
  }

  private Path script(String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  private static Map<String, Object> peer(
      String name, String uuid, URI endpoint, String gateway, String policy) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("peer_uuid", uuid);
    body.put("peer_name", name);
    body.put("manager_endpoint", endpoint.toString());
    body.put("manager_username", "admin");
    body.put(
        "manager_password",
        Base64.getEncoder().encodeToString((name + "-password").getBytes(StandardCharsets.UTF_8)));
    body.put("peer_controller_gateway_address", gateway);
    body.put("heartbeat_interval", 10);
    body.put("heartbeat_failure_threshold", 3);
    body.put("heartbeat_failure_policy", policy);
    return body;
  }

  /** Alarm 280.006 as the site's metrics count it (0 when none was ever raised). */
  private double alarms(URI site) throws Exception {
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(site.resolve("/metrics")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("geored_alarms_raised{") && line.contains("alarm=\"280.006\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  private String logTails() {
    StringBuilder tails = new StringBuilder();
    for (String name : List.of("a.err", "b.err", "b2.err")) {
      Path file = dir.resolve(name);
      if (Files.exists(file)) {
        try {
          List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
          tails.append("--- ").append(name).append('\n');
          lines
              .subList(Math.max(0, lines.size() - 40), lines.size())
              .forEach(l -> tails.append(l).append('\n'));
        } catch (IOException e) {
          tails.append("--- ").append(name).append(": ").append(e).append('\n');
        }
      }
    }
    return tails.toString();
  }

  /** The site's log once it holds a text (the line may be written just after the state). */
  private static String pollLog(SiteProcess site, String text) throws Exception {
    return pollLog(site, text, 1);
  }

  /** The site's log once it holds a text {@code times} times. */
  private static String pollLog(SiteProcess site, String text, int times) throws Exception {
    return poll(
        "the log line " + text + " " + times + " time(s)",
        site::stderr,
        log -> occurrences(log, text) >= times);
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  // ---------------------------------------------------------------- HTTP

  private JsonNode json(String method, URI site, String path, String token, Object body)
      throws Exception {
    return ok(
        send(
            HttpRequest.newBuilder(URI.create(site + path))
                .header("X-Auth-Token", token)
                .header("Content-Type", "application/json")
                .method(
                    method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build()));
  }

  private JsonNode multipart(
      String method,
      URI site,
      String path,
      String token,
      Map<String, String> fields,
      String bootstrapValues)
      throws Exception {
    return ok(multipartAnswer(method, site, path, token, fields, bootstrapValues));
  }

  private HttpResponse<String> multipartAnswer(
      String method,
      URI site,
      String path,
      String token,
      Map<String, String> fields,
      String bootstrapValues)
      throws Exception {
    return send(
        MultipartForm.request(method, URI.create(site + path), token, fields, bootstrapValues));
  }

  private JsonNode get(URI site, String path, String token) throws Exception {
    return ok(
        send(
            HttpRequest.newBuilder(URI.create(site + path))
                .header("X-Auth-Token", token)
                .GET()
                .build()));
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(
        HttpRequest.newBuilder(request, (k, v) -> true).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> answer) throws Exception {
    assertThat(answer.statusCode())
        .as("%s %s answered %s", answer.request().method(), answer.request().uri(), answer.body())
        .isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  /** Reads until the value matches, within the process tests' budget; answers the match. */
  private static <T> T poll(String what, Callable<T> read, Predicate<T> condition)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SiteProcess.BUDGET_SECONDS);
    T last = null;
    while (System.nanoTime() < deadline) {
      last = read.call();
      if (condition.test(last)) {
        return last;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError(
        what + ": not reached within " + SiteProcess.BUDGET_SECONDS + " s; last: " + last);
  }

  private static <T> int indexOf(List<T> list, Predicate<T> test) {
    for (int i = 0; i < list.size(); i++) {
      if (test.test(list.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static String text(JsonNode node, String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? "" : value.asText();
  }

  // ---------------------------------------------------------------- observers

  /**
   * Reads A's members every 100 ms on a thread of its own, keeping every answer that shows one of
   * them managed, and every failed read.
   */
  private final class ManagedWatch implements AutoCloseable {
    private final List<String> managed = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    ManagedWatch(URI site) {
      thread =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    JsonNode list =
                        get(site, "/subcloud-peer-groups/" + GROUP + "/subclouds", "a-admin");
                    for (JsonNode s : list.get("subclouds")) {
                      if (!text(s, "management-state").equals("unmanaged")) {
                        managed.add(text(s, "name") + " " + text(s, "management-state"));
                      }
                    }
                    TimeUnit.MILLISECONDS.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception | AssertionError e) {
                    failures.add(e.toString());
                  }
                }
              },
              "watch-a");
      thread.setDaemon(true);
      thread.start();
    }

    List<String> managed() {
      return List.copyOf(managed);
    }

    List<String> failures() {
      return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(TimeUnit.SECONDS.toMillis(SiteProcess.BUDGET_SECONDS));
    }
  }

  /**
   * A forwarding HTTP proxy in front of a site, recording each request's method, path and leader
   * epoch header. It changes nothing on the way (the restricted headers aside, which the forwarding
   * client sets itself).
   */
  private static final class RecordingProxy implements AutoCloseable {
    private static final Set<String> NOT_FORWARDED =
        Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

    record Call(String method, String path, Optional<String> epoch) {
      boolean is(String m, String p) {
        return method.equals(m) && path.equals(p);
      }
    }

    private final URI target;
    private final HttpServer server;
    private final HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    RecordingProxy(URI target) throws IOException {
      this.target = target;
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", this::forward);
      server.start();
    }

    URI base() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0");
    }

    List<Call> calls() {
      return List.copyOf(calls);
    }

    private void forward(HttpExchange exchange) throws IOException {
      try (exchange) {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        calls.add(
            new Call(
                exchange.getRequestMethod(),
                path,
                Optional.ofNullable(
                    exchange.getRequestHeaders().getFirst("X-Geored-Leader-Epoch"))));
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readAllBytes();
        }
        HttpRequest.Builder request =
            HttpRequest.newBuilder(
                    URI.create(
                        "http://"
                            + target.getAuthority()
                            + path
                            + (query == null ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(20))
                .method(
                    exchange.getRequestMethod(),
                    body.length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange
            .getRequestHeaders()
            .forEach(
                (name, values) -> {
                  if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                  }
                });
        HttpResponse<byte[]> answer;
        try {
          answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
          exchange.sendResponseHeaders(502, -1);
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          exchange.sendResponseHeaders(502, -1);
          return;
        }
        answer
            .headers()
            .map()
            .forEach(
                (name, values) -> {
                  if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))
                      && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, new ArrayList<>(values));
                  }
                });
        byte[] out = answer.body();
        exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
          try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
          }
        }
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
