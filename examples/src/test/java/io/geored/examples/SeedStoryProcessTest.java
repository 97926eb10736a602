package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed story between two standalone site processes that rehome and probe through shell scripts,
 * driven over HTTP as an operator drives them with curl (docs/OPERATIONS.md): a subcloud with a
 * wrong bootstrap address fails to rehome on B, site A goes down, the address is corrected on B,
 * the migration succeeds, and A, back, takes the corrected data. Every wait is a bounded poll.
 */
@DisplayName("Two standalone site processes play the seed story with command rehomers and probes")
class SeedStoryProcessTest {

  private static final String A_UUID = "aaaaaaaa-0000-4000-8000-00000000000a";
  private static final String B_UUID = "bbbbbbbb-0000-4000-8000-00000000000b";
  private static final String WRONG = "10.10.10.2";
  private static final String GOOD = "10.10.10.12";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private SiteProcess a;
  private SiteProcess b;

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
  @Timeout(240)
  @DisplayName("rehome fails for the wrong address, succeeds once corrected on B, A takes the fix")
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
    int portA = freePort();
    int portB = freePort();
    Path configA = config("a", A_UUID, B_UUID, portA, rehome, probe);
    Path configB = config("b", B_UUID, A_UUID, portB, rehome, probe);
    a = SiteProcess.start(configA, dir.resolve("a.err"));
    b = SiteProcess.start(configB, dir.resolve("b.err"));
    URI siteA = a.endpoint();
    URI siteB = b.endpoint();

    // Peering, both ways.
    json("POST", siteA, "/system-peers", "a-admin", peer("site-b", B_UUID, siteB, "192.168.205.1"));
    json("POST", siteB, "/system-peers", "b-admin", peer("site-a", A_UUID, siteA, "192.168.204.1"));

    // The group on A and subcloud1 with a wrong bootstrap address; the probe brings it online.
    json("POST", siteA, "/subcloud-peer-groups", "a-admin", Map.of("peer-group-name", "pg1"));
    Map<String, String> create = new LinkedHashMap<>();
    create.put("name", "subcloud1");
    create.put("region_name", "region-subcloud1");
    create.put("release", "24.09");
    create.put("bootstrap-address", WRONG);
    multipart(
        "POST",
        siteA,
        "/subclouds",
        "a-admin",
        create,
        "name: subcloud1\nsystem_mode: simplex\nmanagement_subnet: 192.168.101.0/24\n"
            + "systemcontroller_gateway_address: 192.168.204.1\n");
    poll(
        siteA,
        "/subclouds/subcloud1",
        "a-admin",
        s -> text(s, "availability-status").equals("online"));
    multipart(
        "PATCH",
        siteA,
        "/subclouds/subcloud1",
        "a-admin",
        Map.of("management-state", "managed"),
        null);
    multipart("PATCH", siteA, "/subclouds/subcloud1", "a-admin", Map.of("peer_group", "pg1"), null);

    // The association syncs a secondary copy to B.
    long groupId = get(siteA, "/subcloud-peer-groups/pg1", "a-admin").get("id").asLong();
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
        siteA,
        "/peer-group-associations/" + association,
        "a-admin",
        s -> text(s, "sync-status").equals("in-sync"));
    poll(
        siteB,
        "/subclouds/subcloud1",
        "b-admin",
        s -> text(s, "deploy-status").equals("secondary"));

    // Migration to B fails: the rehome script cannot reach the wrong address.
    migrate(siteB);
    JsonNode failed =
        poll(
            siteB,
            "/subclouds/subcloud1",
            "b-admin",
            s -> text(s, "deploy-status").equals("rehome-failed"));
    assertThat(text(failed, "error-description"))
        .isEqualTo(
            "rehome command exited with status 2; last output:\n"
                + "rehoming subcloud1 at "
                + WRONG
                + "\nfatal: subcloud unreachable at "
                + WRONG);
    assertThat(files(dir.resolve("data-b/rehome-tmp"))).isZero();
    assertThat(files(dir.resolve("data-b/rehome-logs"))).isEqualTo(1);

    // Site A goes down; B notices.
    a.close();
    a = null;
    poll(
        siteB,
        "/system-peers/site-a",
        "b-admin",
        p -> text(p, "availability-state").equals("unavailable"));

    // The address is corrected on B and the migration runs again: rehomed, managed, online.
    multipart(
        "PATCH", siteB, "/subclouds/subcloud1", "b-admin", Map.of("bootstrap_address", GOOD), null);
    migrate(siteB);
    poll(
        siteB,
        "/subclouds/subcloud1",
        "b-admin",
        s ->
            text(s, "deploy-status").equals("complete")
                && text(s, "management-state").equals("managed"));
    assertThat(files(dir.resolve("data-b/rehome-logs"))).isEqualTo(2);

    // A comes back on its port; its audit takes B's corrected data and keeps its own gateway.
    a = SiteProcess.start(configA, dir.resolve("a2.err"));
    JsonNode copy =
        poll(
            siteA,
            "/subclouds/subcloud1",
            "a-admin",
            s ->
                text(s, "deploy-status").equals("secondary")
                    && text(s, "rehome_data").contains(GOOD));
    assertThat(text(copy, "management-state")).isEqualTo("unmanaged");
    JsonNode payload = JSON.readTree(text(copy, "rehome_data")).get("saved_payload");
    assertThat(payload.get("bootstrap-address").asText()).isEqualTo(GOOD);
    assertThat(payload.get("systemcontroller_gateway_address").asText()).isEqualTo("192.168.204.1");
    // The audit writes the leader after the subclouds: wait (bounded) for that write too.
    JsonNode group =
        poll(
            siteA,
            "/subcloud-peer-groups/pg1",
            "a-admin",
            g -> text(g, "system_leader_id").equals(B_UUID));
    assertThat(text(group, "system_leader_id")).isEqualTo(B_UUID);
    assertThat(Files.readString(dir.resolve("b.err"))).doesNotContain("St8rlingX*");
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

  private static long files(Path folder) throws Exception {
    try (Stream<Path> list = Files.list(folder)) {
      return list.count();
    }
  }

  private static Map<String, Object> peer(String name, String uuid, URI endpoint, String gateway) {
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
    body.put("heartbeat_failure_threshold", 1);
    return body;
  }

  private void migrate(URI site) throws Exception {
    json(
        "PATCH",
        site,
        "/subcloud-peer-groups/pg1/migrate",
        "b-admin",
        Map.of(
            "sysadmin_password",
            Base64.getEncoder().encodeToString("St8rlingX*".getBytes(StandardCharsets.UTF_8))));
  }

  // ---------------------------------------------------------------- HTTP

  private JsonNode json(String method, URI site, String path, String token, Object body)
      throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(site + path))
            .header("X-Auth-Token", token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
            .build());
  }

  private JsonNode multipart(
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
    return send(
        HttpRequest.newBuilder(URI.create(site + path))
            .header("X-Auth-Token", token)
            .GET()
            .build());
  }

  private JsonNode send(HttpRequest request) throws Exception {
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode())
        .as("%s %s answered %s", request.method(), request.uri(), answer.body())
        .isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  /** Reads a resource until it matches, within the process tests' budget; answers the match. */
  private JsonNode poll(URI site, String path, String token, Predicate<JsonNode> condition)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SiteProcess.BUDGET_SECONDS);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = get(site, path, token);
      if (condition.test(last)) {
        return last;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError(
        "GET " + path + " did not reach the expected state within the budget; last: " + last);
  }

  private static String text(JsonNode node, String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? "" : value.asText();
  }
}
