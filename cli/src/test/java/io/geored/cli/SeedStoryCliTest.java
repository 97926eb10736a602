package io.geored.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geored.examples.SiteMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The seed story between two standalone site processes that rehome and probe through shell scripts,
 * driven by the geored command as an operator drives it: a subcloud with a wrong bootstrap address
 * fails to rehome on B ({@code migrate --wait} exits 4), site A goes down, the address is corrected
 * on B with {@code subcloud update}, the migration succeeds (exit 0), and A, back, takes the
 * corrected data.
 *
 * <p>Two operator steps have no command and go over HTTP as with curl: registering the subcloud
 * ({@code POST /subclouds}, a multipart form with its bootstrap values) and managing it ({@code
 * PATCH /subclouds/{name}} with {@code management-state}). Every wait is a bounded poll.
 */
@DisplayName("The geored command plays the seed story between two standalone site processes")
class SeedStoryCliTest {

  private static final String A_UUID = "aaaaaaaa-0000-4000-8000-00000000000a";
  private static final String B_UUID = "bbbbbbbb-0000-4000-8000-00000000000b";
  private static final String WRONG = "10.10.10.2";
  private static final String GOOD = "10.10.10.12";
  private static final long BUDGET_SECONDS = 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  record Run(int exitCode, String out, String err) {}

  @TempDir Path dir;
  private Site a;
  private Site b;

  @AfterEach
  void stop() throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  @Timeout(120)
  @DisplayName(
      "migrate --wait exits 4 for the wrong address and 0 once subcloud update corrects it")
  void seedStory() throws Exception {
    Path rehome =
        script(
            "rehome.sh",
            "address=$(grep -o '\"bootstrap-address\":\"[^\"]*\"' \"$GEORED_REHOME_FILE\""
                + " | cut -d'\"' -f4)\n"
                + "echo \"rehoming $1 at $address\"\n"
                + "if [ \"$address\" = \""
                + GOOD
                + "\" ]; then echo rehomed; exit 0; fi\n"
                + "echo \"fatal: subcloud unreachable at $address\" >&2\n"
                + "exit 2\n");
    Path probe = script("probe.sh", "exit 0\n");
    Path configA = config("a", A_UUID, B_UUID, freePort(), rehome, probe);
    Path configB = config("b", B_UUID, A_UUID, freePort(), rehome, probe);
    a = Site.start(configA, dir.resolve("a.err"), "a-admin");
    b = Site.start(configB, dir.resolve("b.err"), "b-admin");

    // Peering, both ways.
    JsonNode peerB =
        json(
            ok(
                a,
                "system-peer",
                "add",
                "-f",
                "json",
                "--peer-uuid",
                B_UUID,
                "--peer-name",
                "site-b",
                "--manager-endpoint",
                b.endpoint.toString(),
                "--peer-controller-gateway-address",
                "192.168.205.1",
                "--manager-password",
                "site-b-password",
                "--heartbeat-interval",
                "10",
                "--heartbeat-failure-threshold",
                "1"));
    assertThat(peerB.get("peer name").asText()).isEqualTo("site-b");
    assertThat(peerB.get("availability state").asText()).isEqualTo("created");
    ok(
        b,
        "system-peer",
        "add",
        "--peer-uuid",
        A_UUID,
        "--peer-name",
        "site-a",
        "--manager-endpoint",
        a.endpoint.toString(),
        "--peer-controller-gateway-address",
        "192.168.204.1",
        "--manager-password",
        "site-a-password",
        "--heartbeat-interval",
        "10",
        "--heartbeat-failure-threshold",
        "1");

    // The group on A and subcloud1 with a wrong bootstrap address; the probe brings it online.
    JsonNode group =
        json(ok(a, "subcloud-peer-group", "add", "--peer-group-name", "pg1", "-f", "json"));
    assertThat(group.get("peer_group_name").asText()).isEqualTo("pg1");
    Map<String, String> create = new LinkedHashMap<>();
    create.put("name", "subcloud1");
    create.put("region_name", "region-subcloud1");
    create.put("release", "24.09");
    create.put("bootstrap-address", WRONG);
    multipart(
        "POST",
        a,
        "/subclouds",
        create,
        "name: subcloud1\nsystem_mode: simplex\nmanagement_subnet: 192.168.101.0/24\n"
            + "systemcontroller_gateway_address: 192.168.204.1\n");
    poll(a, s -> text(s, "availability").equals("online"), "subcloud", "show", "subcloud1");
    multipart("PATCH", a, "/subclouds/subcloud1", Map.of("management-state", "managed"), null);
    JsonNode joined =
        json(ok(a, "subcloud", "update", "subcloud1", "--peer-group", "pg1", "-f", "json"));
    assertThat(joined.get("peer_group_id").asLong()).isEqualTo(group.get("id").asLong());

    // The association syncs a secondary copy to B.
    JsonNode association =
        json(
            ok(
                a,
                "peer-group-association",
                "add",
                "-f",
                "json",
                "--peer-group-id",
                group.get("id").asText(),
                "--system-peer-id",
                peerB.get("id").asText(),
                "--peer-group-priority",
                "2"));
    String associationId = association.get("id").asText();
    poll(
        a,
        s -> text(s, "sync_status").equals("in-sync"),
        "peer-group-association",
        "show",
        associationId);
    JsonNode synced = json(ok(a, "peer-group-association", "sync", associationId, "-f", "json"));
    assertThat(synced.get("id").asText()).isEqualTo(associationId);
    poll(
        a,
        s -> text(s, "sync_status").equals("in-sync"),
        "peer-group-association",
        "show",
        associationId);
    poll(b, s -> text(s, "deploy_status").equals("secondary"), "subcloud", "show", "subcloud1");

    // Migration to B fails: the rehome script cannot reach the wrong address. Exit 4.
    Run failed = migrate();
    assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(4);
    assertThat(failed.out())
        .contains(
            // One line per subcloud: the error description's line breaks become spaces.
            "subcloud1 rehome-failed: rehome command exited with status 2; last output: "
                + "rehoming subcloud1 at "
                + WRONG
                + " fatal: subcloud unreachable at "
                + WRONG
                + "\n")
        .containsPattern(
            "(?m)^pg1: 0 done, 1 failed, 0 in flight, 1 total, \\d+:\\d\\d:\\d\\d elapsed$");
    JsonNode shown = json(ok(b, "subcloud", "show", "subcloud1", "-f", "json"));
    assertThat(text(shown, "deploy_status")).isEqualTo("rehome-failed");
    assertThat(text(shown, "error_description")).startsWith("rehome command exited with status 2");

    // Site A goes down; B notices.
    a.close();
    a = null;
    poll(
        b,
        p -> text(p, "availability state").equals("unavailable"),
        "system-peer",
        "show",
        "site-a");

    // The address and the bootstrap values are corrected on B; the migration runs again: exit 0.
    Path values = dir.resolve("corrected.yml");
    Files.writeString(
        values,
        "name: subcloud1\nsystem_mode: simplex\nmanagement_subnet: 192.168.101.0/24\n"
            + "systemcontroller_gateway_address: 192.168.205.1\n");
    JsonNode corrected =
        json(
            ok(
                b,
                "subcloud",
                "update",
                "subcloud1",
                "--bootstrap-address",
                GOOD,
                "--bootstrap-values",
                values.toString(),
                "-f",
                "json"));
    assertThat(text(corrected, "deploy_status")).isEqualTo("rehome-failed");
    Run done = migrate();
    assertThat(done.exitCode()).as(done.out() + done.err()).isZero();
    assertThat(done.out())
        .contains("subcloud1 complete\n")
        .containsPattern(
            "(?m)^pg1: 1 done, 0 failed, 0 in flight, 1 total, \\d+:\\d\\d:\\d\\d elapsed$");
    String table = ok(b, "subcloud", "show", "subcloud1").out();
    assertThat(table)
        .containsPattern("(?m)^\\| deploy_status +\\| complete +\\|$")
        .containsPattern("(?m)^\\| management +\\| managed +\\|$");

    // A comes back on its port; its audit takes B's corrected data.
    a = Site.start(configA, dir.resolve("a2.err"), "a-admin");
    poll(
        a,
        s ->
            text(s, "deploy_status").equals("secondary")
                && text(s, "management").equals("unmanaged"),
        "subcloud",
        "show",
        "subcloud1");
    JsonNode copy = get(a, "/subclouds/subcloud1");
    JsonNode payload = JSON.readTree(text(copy, "rehome_data")).get("saved_payload");
    assertThat(payload.get("bootstrap-address").asText()).isEqualTo(GOOD);
    JsonNode led = json(ok(a, "subcloud-peer-group", "show", "pg1", "-f", "json"));
    assertThat(text(led, "system_leader_id")).isEqualTo(B_UUID);
    assertThat(Files.readString(dir.resolve("b.err"))).doesNotContain("St8rlingX*");
  }

  // ---------------------------------------------------------------- the command

  private Run migrate() {
    return run(
        b,
        "subcloud-peer-group",
        "migrate",
        "pg1",
        "--sysadmin-password",
        "St8rlingX*",
        "--wait",
        "--poll-interval",
        "1",
        "--timeout",
        String.valueOf(BUDGET_SECONDS));
  }

  /** Runs the command in-process against a site, with real time: the sites are real processes. */
  private static Run run(Site site, String... args) {
    Env env =
        new Env(
            Map.of("GEORED_URL", site.endpoint.toString(), "GEORED_TOKEN", site.token),
            Clock.systemUTC(),
            d -> Thread.sleep(d.toMillis()),
            false);
    CommandLine cl = GeoredCli.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Run ok(Site site, String... args) {
    Run run = run(site, args);
    assertThat(run.err()).as("standard error of %s", String.join(" ", args)).isEmpty();
    assertThat(run.exitCode()).as("exit code of %s", String.join(" ", args)).isZero();
    return run;
  }

  private static JsonNode json(Run run) throws Exception {
    return JSON.readTree(run.out());
  }

  /** Runs a {@code show} command with {@code -f json} until its answer matches, within budget. */
  private static JsonNode poll(Site site, Predicate<JsonNode> condition, String... show)
      throws Exception {
    String[] args = java.util.Arrays.copyOf(show, show.length + 2);
    args[show.length] = "-f";
    args[show.length + 1] = "json";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BUDGET_SECONDS);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = json(ok(site, args));
      if (condition.test(last)) {
        return last;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError(
        String.join(" ", show) + " did not reach the expected state in time; last: " + last);
  }

  private static String text(JsonNode node, String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? "" : value.asText();
  }

  // ---------------------------------------------------------------- HTTP (no command for these)

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static JsonNode multipart(
      String method, Site site, String path, Map<String, String> fields, String bootstrapValues)
      throws Exception {
    String boundary = "geored-test-boundary";
    StringBuilder body = new StringBuilder();
    fields.forEach(
        (k, v) ->
            body.append("--" + boundary + "\r\n")
                .append("Content-Disposition: form-data; name=\"" + k + "\"\r\n\r\n")
                .append(v + "\r\n"));
    if (bootstrapValues != null) {
      body.append("--" + boundary + "\r\n")
          .append(
              "Content-Disposition: form-data; name=\"bootstrap_values\";"
                  + " filename=\"values.yml\"\r\n")
          .append("Content-Type: application/octet-stream\r\n\r\n")
          .append(bootstrapValues + "\r\n");
    }
    body.append("--" + boundary + "--\r\n");
    return send(
        HttpRequest.newBuilder(URI.create(site.endpoint + path))
            .header("X-Auth-Token", site.token)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .method(method, HttpRequest.BodyPublishers.ofString(body.toString()))
            .build());
  }

  /** The raw resource, for {@code rehome_data}, which no command column shows. */
  private static JsonNode get(Site site, String path) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(site.endpoint + path))
            .header("X-Auth-Token", site.token)
            .GET()
            .build());
  }

  private static JsonNode send(HttpRequest request) throws Exception {
    HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode())
        .as("%s %s answered %s", request.method(), request.uri(), answer.body())
        .isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  // ---------------------------------------------------------------- the sites

  private Path config(String me, String uuid, String peerUuid, int port, Path rehome, Path probe)
      throws Exception {
    String other = me.equals("a") ? "b" : "a";
    Path file = dir.resolve(me + ".properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "site.uuid=" + uuid,
            "site.name=site-" + me,
            "database.folder=" + dir.resolve("data-" + me).toString().replace("\\", "/"),
            "http.port=" + port,
            "auth.token.ops=" + me + "-admin",
            "auth.roles.ops=admin",
            "auth.peer." + peerUuid + "=" + other + "-to-" + me,
            "peer.token." + peerUuid + "=" + me + "-to-" + other,
            "rehome.command=sh " + rehome + " {name}",
            "rehome.timeout=30s",
            "probe.command=sh " + probe + " {name}",
            "probe.interval=1s",
            ""));
    return file;
  }

  private Path script(String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A standalone site in a child JVM on this test's classpath; its ready line gives the API. */
  private static final class Site implements AutoCloseable {
    final Process process;
    final BufferedReader out;
    final String token;
    URI endpoint;

    private Site(Process process, String token) {
      this.process = process;
      this.token = token;
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static Site start(Path config, Path stderr, String token) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p =
          new ProcessBuilder(
                  java,
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  SiteMain.class.getName(),
                  config.toString())
              .redirectError(stderr.toFile())
              .start();
      Site site = new Site(p, token);
      String line = site.out.readLine();
      if (line == null || !line.startsWith(SiteMain.READY)) {
        p.destroyForcibly();
        p.waitFor(BUDGET_SECONDS, TimeUnit.SECONDS);
        throw new AssertionError(
            "the site did not start; it printed " + line + " and:\n" + Files.readString(stderr));
      }
      site.endpoint = URI.create(line.substring(SiteMain.READY.length()));
      return site;
    }

    /** SIGTERM, then a bounded wait; SIGKILL when it did not end. */
    @Override
    public void close() throws Exception {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(BUDGET_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
      out.close();
    }
  }
}
