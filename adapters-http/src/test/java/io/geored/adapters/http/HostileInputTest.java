package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.NotFoundException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SubcloudCreate;
import io.geored.testkit.sim.SingleSite;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand and more malformed or hostile requests against a real site behind the Jetty server
 * on a loopback port: none is answered 5xx, none changes the site, and the server still serves
 * normal requests afterwards. The generator is seeded, so a failure replays.
 */
@DisplayName("hostile input never gets a 5xx, never changes state, and leaves the server serving")
class HostileInputTest {

  static final String TOKEN = "hostile-admin-token";
  static final long SEED = 20261125L;
  static final int HTTP_REQUESTS = 10_000;

  SingleSite site;
  GeoredHttpServer server;
  HttpClient http;
  ExecutorService pool;

  @BeforeEach
  void setUp() {
    site = SingleSite.create();
    site.site()
        .createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
    site.site()
        .createSubcloud(
            Caller.OPERATOR,
            SubcloudCreate.builder()
                .name("sc1")
                .regionName("region-1")
                .bootstrapValues(Map.of("name", "sc1", "bootstrap-address", "10.0.0.2"))
                .bootstrapAddress("10.0.0.2")
                .build());
    server =
        GeoredHttpServer.builder(
                site.site(), TokenAuthenticator.builder().token(TOKEN, "admin", Role.ADMIN).build())
            .port(0)
            .idleTimeout(Duration.ofMillis(300))
            .maxBodyBytes(64 * 1024)
            .stopTimeout(Duration.ofMillis(100))
            .build()
            .start();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    pool = Executors.newFixedThreadPool(8);
  }

  @AfterEach
  void tearDown() throws Exception {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    server.close();
  }

  record Snapshot(List<?> a, List<?> b, List<?> c, List<?> d) {}

  Snapshot snapshot() {
    return new Snapshot(
        site.stores().systemPeers().findAll(),
        site.stores().peerGroups().findAll(),
        site.stores().associations().findAll(),
        site.stores().subclouds().findAll());
  }

  static final String[] PATHS = {
    "/system-peers",
    "/system-peers/1",
    "/subcloud-peer-groups",
    "/subcloud-peer-groups/pg1",
    "/subcloud-peer-groups/pg1/migrate",
    "/subcloud-peer-groups/pg1/audit",
    "/peer-group-associations",
    "/peer-group-associations/1",
    "/subclouds",
    "/subclouds/sc1",
  };

  static final String[] BAD_JSON = {
    "{",
    "{\"peer-group-name\":",
    "[]",
    "null",
    "12",
    "\"text\"",
    "{\"peer-group-name\":123}",
    "{\"group-priority\":1e309}",
    "{\"group-priority\":99999999999999999999999999999999}",
    "{\"heartbeat_interval\":\"ten\"}",
    "{\"peer_group_id\":{\"a\":1}}",
    "{\"sync_status\":[1,2,3]}",
    "{\"peer_uuid\":true}",
    "{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}",
    "{\"sysadmin_password\":\"%%%not-base64%%%\"}",
    "{\"management-state\":{\"x\":1}}",
    // Migrate and audit bodies that parse but must be refused: pg1 has nothing to migrate, and
    // an audit needs a whole peer group from a known peer.
    "{\"sysadmin_password\":null}",
    "{\"sysadmin_password\":\"\"}",
    "{\"sysadmin_password\":12}",
    "{\"sysadmin_password\":\"U3Q4cmxpbmdYKg==\"}",
    "{\"sysadmin_password\":\"" + "QUFB".repeat(5_000) + "\"}",
    "{\"peer_uuid\":\"00000000-0000-0000-0000-000000000000\",\"peer_group_name\":\"pg1\"}",
    "{\"peer_uuid\":\"x\",\"peer_group_name\":5,\"group_priority\":\"high\"}",
    "{\"peer_group_name\":\"pg1\",\"migration_status\":\"sideways\"}",
  };

  static final String[] TRAVERSALS = {
    "/../../etc/passwd",
    "/subclouds/..%2F..%2Fetc%2Fpasswd",
    "/subclouds/%2e%2e/%2e%2e",
    "/subcloud-peer-groups/%00",
    "/subclouds/%25ZZ",
    "/;/subclouds",
    "/subclouds//detail",
  };

  HttpRequest hostile(Random random, URI base) {
    int kind = random.nextInt(9);
    String path = PATHS[random.nextInt(PATHS.length)];
    String method = List.of("POST", "PATCH", "PUT").get(random.nextInt(3));
    String token = TOKEN;
    String type = "application/json";
    byte[] body;
    switch (kind) {
      case 0 -> { // random bytes
        body = new byte[random.nextInt(2048)];
        random.nextBytes(body);
      }
      case 1 -> { // truncated valid-looking JSON
        String full =
            "{\"peer-group-name\":\"pgX\",\"group-priority\":0,\"group-state\":\"enabled\"}";
        body =
            full.substring(0, 1 + random.nextInt(full.length() - 1))
                .getBytes(StandardCharsets.UTF_8);
      }
      case 2 -> body = BAD_JSON[random.nextInt(BAD_JSON.length)].getBytes(StandardCharsets.UTF_8);
      case 3 -> { // traversal, any method
        path = TRAVERSALS[random.nextInt(TRAVERSALS.length)];
        method = random.nextBoolean() ? "GET" : "PATCH";
        body = new byte[0];
      }
      case 4 -> { // missing or wrong token on a write with a good body
        token = random.nextBoolean() ? null : TOKEN.substring(0, random.nextInt(TOKEN.length()));
        method = "POST";
        path = "/subcloud-peer-groups";
        body = "{\"peer-group-name\":\"intruder\"}".getBytes(StandardCharsets.UTF_8);
      }
      case 5 -> { // wrong content type on a write with a good body
        type = List.of("text/plain", "application/xml", "image/png").get(random.nextInt(3));
        method = "POST";
        path = "/subcloud-peer-groups";
        body = "{\"peer-group-name\":\"typed\"}".getBytes(StandardCharsets.UTF_8);
      }
      case 6 -> { // oversize
        body = new byte[64 * 1024 + 1 + random.nextInt(1024)];
        java.util.Arrays.fill(body, (byte) '{');
      }
      case 7 -> { // bad multipart on the subcloud forms
        method = random.nextBoolean() ? "POST" : "PATCH";
        path = method.equals("POST") ? "/subclouds" : "/subclouds/sc1";
        type = "multipart/form-data; boundary=zz";
        String[] bodies = {
          "--zz\r\nContent-Disposition: form-data; name=\"bootstrap_values\"; filename=\"b\"\r\n\r\n: : :\r\n--zz--\r\n",
          "--zz\r\nContent-Disposition: form-data\r\n\r\nx\r\n--zz--\r\n",
          "--zz\r\nno headers end",
          "--zz\r\nContent-Disposition: form-data; name=\"group_id\"\r\n\r\nabc\r\n--zz--\r\n",
          "--zz\r\nContent-Disposition: form-data; name=\"force\"\r\n\r\nmaybe\r\n--zz--\r\n",
          "random",
        };
        body = bodies[random.nextInt(bodies.length)].getBytes(StandardCharsets.UTF_8);
      }
      default -> { // unknown verbs and ids
        path = "/subcloud-peer-groups/pg1/" + Long.toHexString(random.nextLong());
        body = "{}".getBytes(StandardCharsets.UTF_8);
      }
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", type)
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null && !token.isEmpty()) {
      b.header("X-Auth-Token", token);
    }
    if (random.nextInt(4) == 0) {
      b.header("User-Agent", "dcmanager/1.0");
    }
    return b.build();
  }

  @Test
  @DisplayName("10,000 hostile HTTP requests plus raw-socket garbage and slow bodies")
  void hostile() throws Exception {
    Snapshot before = snapshot();
    URI base = server.baseUri();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    Set<String> faults = ConcurrentHashMap.newKeySet();
    List<Future<?>> work = new ArrayList<>();
    int perWorker = HTTP_REQUESTS / 8;
    for (int w = 0; w < 8; w++) {
      Random random = new Random(SEED + w);
      work.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perWorker; i++) {
                  HttpRequest request = hostile(random, base);
                  int status;
                  try {
                    HttpResponse<String> answer =
                        http.send(request, HttpResponse.BodyHandlers.ofString());
                    status = answer.statusCode();
                    faults.add(answer.body());
                  } catch (java.io.IOException e) {
                    // The server may close a connection it refuses (oversize): not an answer.
                    status = -1;
                  }
                  statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> f : work) {
      f.get(5, TimeUnit.MINUTES);
    }
    int sent = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
    assertThat(sent).isEqualTo(HTTP_REQUESTS);
    assertThat(statuses.keySet()).allSatisfy(s -> assertThat(s).isLessThan(500));
    assertThat(statuses.getOrDefault(200, new AtomicInteger()).get()).isZero();
    // Every refusal is a fault as docs/openapi.yaml describes it.
    assertThat(faults).hasSizeGreaterThan(10);
    assertThat(faults).allSatisfy(body -> assertThat(OpenApi.get().checkFault(body)).isEmpty());

    // Raw garbage on the socket, and bodies that stop half-way (the idle timeout ends them).
    Random random = new Random(SEED);
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[1 + random.nextInt(4096)];
      random.nextBytes(garbage);
      String answer = raw(garbage, true);
      assertThat(answer).doesNotStartWith("HTTP/1.1 5");
    }
    for (int i = 0; i < 10; i++) {
      String head =
          "POST /v1.0/subcloud-peer-groups HTTP/1.1\r\nHost: x\r\nX-Auth-Token: "
              + TOKEN
              + "\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"peer-group-name\":";
      String answer = raw(head.getBytes(StandardCharsets.UTF_8), false);
      assertThat(answer).doesNotStartWith("HTTP/1.1 5");
    }
    String badEscape =
        "GET /v1.0/subclouds/%ZZ/../%00 HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + TOKEN + "\r\n\r\n";
    assertThat(raw(badEscape.getBytes(StandardCharsets.UTF_8), true)).startsWith("HTTP/1.1 4");
    String hugeHeader =
        "GET /v1.0/subclouds HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(20_000) + "\r\n\r\n";
    assertThat(raw(hugeHeader.getBytes(StandardCharsets.UTF_8), true)).startsWith("HTTP/1.1 431");

    assertThat(snapshot()).isEqualTo(before);
    HttpResponse<String> normal =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/isystems"))
                .header("X-Auth-Token", TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(normal.statusCode()).isEqualTo(200);
    assertThat(HttpSiteClient.create(base, TOKEN).listSubclouds(Caller.OPERATOR)).hasSize(1);
  }

  @Test
  @DisplayName(
      "migrate and audit reach their verbs over HTTP: refused with the exact text, nothing changes")
  void migrateAndAuditAreRefusedWithTheirOwnTexts() {
    Snapshot before = snapshot();
    HttpSiteClient client = HttpSiteClient.create(server.baseUri(), TOKEN);

    assertThatThrownBy(
            () ->
                client.migratePeerGroup(
                    Caller.OPERATOR,
                    "pg1",
                    new MigrateRequest(
                        Base64.getEncoder()
                            .encodeToString("St8rlingX*".getBytes(StandardCharsets.UTF_8)))))
        .isExactlyInstanceOf(ValidationException.class)
        .hasMessage(Messages.nothingToMigrate("pg1"));
    assertThatThrownBy(
            () -> client.migratePeerGroup(Caller.OPERATOR, "pg1", new MigrateRequest(null)))
        .isExactlyInstanceOf(ValidationException.class)
        .hasMessage(Messages.migrateNeedsSysadminPassword("pg1"));
    assertThatThrownBy(
            () ->
                client.migratePeerGroup(
                    Caller.OPERATOR, "no-such-group", new MigrateRequest("secret")))
        .isExactlyInstanceOf(NotFoundException.class)
        .hasMessage(Messages.PEER_GROUP_NOT_FOUND);

    String stranger = "00000000-0000-4000-8000-000000000009";
    AuditAnswer answer =
        client.auditPeerGroup(
            Caller.PEER_SITE,
            "pg1",
            AuditRequest.builder()
                .peerUuid(stranger)
                .peerGroupName("pg1")
                .groupPriority(0)
                .groupState("enabled")
                .systemLeaderId(stranger)
                .systemLeaderName("stranger")
                .migrationStatus("complete")
                .build());
    assertThat(answer.message()).isEqualTo(Messages.auditSystemPeerMissing(stranger));
    assertThatThrownBy(
            () ->
                client.auditPeerGroup(
                    Caller.PEER_SITE,
                    "pg1",
                    AuditRequest.builder().peerUuid(stranger).peerGroupName("pg1").build()))
        .isExactlyInstanceOf(ValidationException.class)
        .hasMessage(Messages.auditMissingKey("pg1", "group_priority"));

    assertThat(snapshot()).isEqualTo(before);
  }

  /** Writes bytes on a fresh connection and reads what comes back until the server closes. */
  private String raw(byte[] bytes, boolean closeOutput) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      if (closeOutput) {
        socket.shutdownOutput();
      }
      InputStream in = socket.getInputStream();
      byte[] answer = in.readNBytes(64);
      return new String(answer, StandardCharsets.ISO_8859_1);
    } catch (java.net.SocketException e) {
      return "";
    }
  }
}
