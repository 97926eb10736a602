package io.geored.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.testkit.work.RehomeScript;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The geored command drives a real site over HTTP, as dcmanager's client does")
class GeoredCliTest {

  private CliSite site;

  @BeforeEach
  void setUp() {
    site = new CliSite();
  }

  @AfterEach
  void tearDown() {
    site.close();
  }

  private CliSite.Run ok(String... args) {
    CliSite.Run run = site.run(args);
    assertThat(run.err()).as("standard error of %s", String.join(" ", args)).isEmpty();
    assertThat(run.exitCode()).as("exit code of %s", String.join(" ", args)).isZero();
    return run;
  }

  private void addPeer() {
    ok(
        "system-peer",
        "add",
        "--peer-uuid",
        CliSite.PEER_UUID,
        "--peer-name",
        "site-b",
        "--manager-endpoint",
        "http://10.10.2.1:8119/v1.0",
        "--peer-controller-gateway-address",
        "10.10.2.1",
        "--manager-password",
        "Peer-Passw0rd");
  }

  @Nested
  @DisplayName("system-peer")
  class SystemPeers {

    @Test
    @DisplayName(
        "add answers the peer in dcmanager's detail columns; the password is sent, never shown")
    void add() {
      CliSite.Run run =
          ok(
              "system-peer",
              "add",
              "--peer-uuid",
              CliSite.PEER_UUID,
              "--peer-name",
              "site-b",
              "--manager-endpoint",
              "http://10.10.2.1:8119/v1.0",
              "--peer-controller-gateway-address",
              "10.10.2.1",
              "--manager-password",
              "Peer-Passw0rd");
      assertThat(run.out())
          .isEqualTo(
              """
              +-------------------------------+--------------------------------------+
              | Field                         | Value                                |
              +-------------------------------+--------------------------------------+
              | id                            | 1                                    |
              | peer uuid                     | bbbbbbbb-0000-4000-8000-000000000002 |
              | peer name                     | site-b                               |
              | manager endpoint              | http://10.10.2.1:8119/v1.0           |
              | manager username              | admin                                |
              | controller gateway address    | 10.10.2.1                            |
              | administrative state          | enabled                              |
              | heartbeat interval            | 60                                   |
              | heartbeat failure threshold   | 3                                    |
              | heartbeat failure policy      | alarm                                |
              | heartbeat maintenance timeout | 600                                  |
              | availability state            | created                              |
              | created_at                    | 2026-01-01T00:00:00Z                 |
              | updated_at                    | None                                 |
              +-------------------------------+--------------------------------------+
              """);
      assertThat(site.site.stores().systemPeers().findAll().get(0).managerPassword().reveal())
          .as("the site keeps the password as the wire carries it, base64")
          .isEqualTo("UGVlci1QYXNzdzByZA==");
      assertThat(run.out()).doesNotContain("Peer-Passw0rd");
    }

    @Test
    @DisplayName("list as a table, json, yaml and values")
    void list() {
      addPeer();
      assertThat(ok("system-peer", "list").out())
          .isEqualTo(
              """
              +----+--------------------------------------+-----------+----------------------------+----------------------------+
              | id | peer uuid                            | peer name | manager endpoint           | controller gateway address |
              +----+--------------------------------------+-----------+----------------------------+----------------------------+
              | 1  | bbbbbbbb-0000-4000-8000-000000000002 | site-b    | http://10.10.2.1:8119/v1.0 | 10.10.2.1                  |
              +----+--------------------------------------+-----------+----------------------------+----------------------------+
              """);
      assertThat(ok("system-peer", "list", "--format", "json").out())
          .isEqualTo(
              """
              [
                {
                  "id": 1,
                  "peer uuid": "bbbbbbbb-0000-4000-8000-000000000002",
                  "peer name": "site-b",
                  "manager endpoint": "http://10.10.2.1:8119/v1.0",
                  "controller gateway address": "10.10.2.1"
                }
              ]
              """);
      assertThat(ok("system-peer", "list", "-f", "yaml").out())
          .isEqualTo(
              """
              - id: 1
                peer uuid: bbbbbbbb-0000-4000-8000-000000000002
                peer name: site-b
                manager endpoint: http://10.10.2.1:8119/v1.0
                controller gateway address: 10.10.2.1
              """);
      assertThat(ok("system-peer", "list", "-f", "value").out())
          .isEqualTo(
              "1 bbbbbbbb-0000-4000-8000-000000000002 site-b http://10.10.2.1:8119/v1.0"
                  + " 10.10.2.1\n");
    }

    @Test
    @DisplayName("show by name, one value per line; update sends underscore keys")
    void showAndUpdate() {
      addPeer();
      assertThat(ok("system-peer", "show", "site-b", "-f", "value").out())
          .isEqualTo(
              """
              1
              bbbbbbbb-0000-4000-8000-000000000002
              site-b
              http://10.10.2.1:8119/v1.0
              admin
              10.10.2.1
              enabled
              60
              3
              alarm
              600
              created
              2026-01-01T00:00:00Z
              None
              """);
      // The site has no witness: rehome is refused, over HTTP, and nothing changes.
      CliSite.Run refused =
          site.run(
              "system-peer",
              "update",
              "site-b",
              "--heartbeat-interval",
              "30",
              "--heartbeat-failure-policy",
              "rehome");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err())
          .isEqualTo(
              "Heartbeat failure policy rehome needs a witness; none is configured on this site."
                  + " (HTTP 400)\n");
      assertThat(site.site.stores().systemPeers().findAll().get(0).heartbeatInterval())
          .isEqualTo(60);
      assertThat(
              ok(
                      "system-peer",
                      "update",
                      "site-b",
                      "--heartbeat-interval",
                      "30",
                      "--heartbeat-failure-policy",
                      "alarm",
                      "-f",
                      "value")
                  .out())
          .isEqualTo(
              """
              1
              bbbbbbbb-0000-4000-8000-000000000002
              site-b
              http://10.10.2.1:8119/v1.0
              admin
              10.10.2.1
              enabled
              30
              3
              alarm
              600
              created
              2026-01-01T00:00:00Z
              2026-01-01T00:00:00Z
              """);
    }

    @Test
    @DisplayName("list-subcloud-peer-groups and delete")
    void groupsAndDelete() {
      addPeer();
      assertThat(ok("system-peer", "list-subcloud-peer-groups", "site-b", "-f", "value").out())
          .isEmpty();
      assertThat(ok("system-peer", "delete", CliSite.PEER_UUID).out()).isEmpty();
      assertThat(ok("system-peer", "list", "-f", "json").out()).isEqualTo("[ ]\n");
      assertThat(site.site.stores().systemPeers().findAll()).isEmpty();
    }
  }

  @Nested
  @DisplayName("subcloud-peer-group")
  class PeerGroups {

    @Test
    @DisplayName("add, list, show, update (hyphen keys), status, delete")
    void lifecycle() {
      assertThat(ok("subcloud-peer-group", "add", "--peer-group-name", "pg1").out())
          .isEqualTo(
              """
              +-----------------------+--------------------------------------+
              | Field                 | Value                                |
              +-----------------------+--------------------------------------+
              | id                    | 1                                    |
              | peer_group_name       | pg1                                  |
              | group_priority        | 0                                    |
              | group_state           | enabled                              |
              | system_leader_id      | aaaaaaaa-0000-4000-8000-000000000001 |
              | system_leader_name    | site-a                               |
              | max_subcloud_rehoming | 10                                   |
              | migration_status      | None                                 |
              | created_at            | 2026-01-01T00:00:00Z                 |
              | updated_at            | None                                 |
              +-----------------------+--------------------------------------+
              """);
      assertThat(ok("subcloud-peer-group", "list", "-f", "value").out())
          .isEqualTo(
              "1 pg1 0 enabled aaaaaaaa-0000-4000-8000-000000000001 site-a 10 None"
                  + " 2026-01-01T00:00:00Z None\n");
      assertThat(
              ok(
                      "subcloud-peer-group",
                      "update",
                      "pg1",
                      "--max-subcloud-rehoming",
                      "5",
                      "--group-state",
                      "disabled",
                      "-f",
                      "json")
                  .out())
          .isEqualTo(
              """
              {
                "id": 1,
                "peer_group_name": "pg1",
                "group_priority": 0,
                "group_state": "disabled",
                "system_leader_id": "aaaaaaaa-0000-4000-8000-000000000001",
                "system_leader_name": "site-a",
                "max_subcloud_rehoming": 5,
                "migration_status": null,
                "created_at": "2026-01-01T00:00:00Z",
                "updated_at": "2026-01-01T00:00:00Z"
              }
              """);
      assertThat(ok("subcloud-peer-group", "show", "1", "-f", "value").out())
          .startsWith("1\npg1\n0\ndisabled\n");
      assertThat(ok("subcloud-peer-group", "status", "pg1").out())
          .isEqualTo(
              """
              +---------------------+-------+
              | Field               | Value |
              +---------------------+-------+
              | peer_group_id       | 1     |
              | peer_group_name     | pg1   |
              | total_subclouds     | 0     |
              | complete            | 0     |
              | waiting_for_migrate | 0     |
              | rehoming            | 0     |
              | rehome_failed       | 0     |
              | managed             | 0     |
              | unmanaged           | 0     |
              +---------------------+-------+
              """);
      assertThat(ok("subcloud-peer-group", "delete", "pg1").out()).isEmpty();
      assertThat(site.site.stores().peerGroups().findAll()).isEmpty();
    }

    @Test
    @DisplayName("list-subclouds in dcmanager's subcloud detail columns")
    void listSubclouds() {
      SubcloudPeerGroup pg = site.secondaryGroup("pgm");
      site.secondary(pg, "sc1", "10.20.0.1");
      assertThat(ok("subcloud-peer-group", "list-subclouds", "pgm", "-f", "value").out())
          .isEqualTo(
              "1 sc1 edge sc1 rack sc1 24.09 unmanaged offline secondary 192.168.101.0/24 None"
                  + " None None 10.10.1.1 None 1 2026-01-01T00:00:00Z None None None None"
                  + " None\n");
    }
  }

  @Nested
  @DisplayName("peer-group-association")
  class Associations {

    @Test
    @DisplayName("add, list, show, update, sync, delete")
    void lifecycle() {
      addPeer();
      ok("subcloud-peer-group", "add", "--peer-group-name", "pg1");
      assertThat(
              ok(
                      "peer-group-association",
                      "add",
                      "--peer-group-id",
                      "1",
                      "--system-peer-id",
                      "1",
                      "--peer-group-priority",
                      "2")
                  .out())
          .isEqualTo(
              """
              +---------------------+----------------------+
              | Field               | Value                |
              +---------------------+----------------------+
              | id                  | 1                    |
              | peer_group_id       | 1                    |
              | system_peer_id      | 1                    |
              | association_type    | primary              |
              | sync_status         | syncing              |
              | peer_group_priority | 2                    |
              | sync_message        | None                 |
              | created_at          | 2026-01-01T00:00:00Z |
              | updated_at          | None                 |
              +---------------------+----------------------+
              """);
      assertThat(ok("peer-group-association", "list").out())
          .isEqualTo(
              """
              +----+---------------+----------------+---------+-------------+---------------------+
              | id | peer_group_id | system_peer_id | type    | sync_status | peer_group_priority |
              +----+---------------+----------------+---------+-------------+---------------------+
              | 1  | 1             | 1              | primary | syncing     | 2                   |
              +----+---------------+----------------+---------+-------------+---------------------+
              """);
      assertThat(ok("peer-group-association", "show", "1", "-f", "yaml").out())
          .isEqualTo(
              """
              id: 1
              peer_group_id: 1
              system_peer_id: 1
              association_type: primary
              sync_status: syncing
              peer_group_priority: 2
              sync_message: null
              created_at: 2026-01-01T00:00:00Z
              updated_at: null
              """);
      assertThat(
              ok(
                      "peer-group-association",
                      "update",
                      "1",
                      "--peer-group-priority",
                      "3",
                      "-f",
                      "value")
                  .out())
          .isEqualTo(
              "1\n1\n1\nprimary\nsyncing\n3\nNone\n2026-01-01T00:00:00Z\n2026-01-01T00:00:00Z\n");
      assertThat(ok("peer-group-association", "sync", "1", "-f", "value").out())
          .startsWith("1\n1\n1\nprimary\nsyncing\n3\n");
      // The peer is enabled but unreachable: the site refuses, and says why.
      CliSite.Run refused = site.run("peer-group-association", "delete", "1");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err()).isEqualTo("Peer site (site-b) is unreachable. (HTTP 422)\n");
      ok("system-peer", "update", "site-b", "--administrative-state", "disabled");
      assertThat(ok("peer-group-association", "delete", "1").out()).isEmpty();
      assertThat(site.site.stores().associations().findAll()).isEmpty();
    }
  }

  @Nested
  @DisplayName("subcloud")
  class Subclouds {

    @Test
    @DisplayName("list hides secondary subclouds unless --all; show adds region and error")
    void listAndShow() {
      SubcloudPeerGroup pg = site.secondaryGroup("pgm");
      site.secondary(pg, "sc1", "10.20.0.1");
      assertThat(ok("subcloud", "list").out())
          .isEqualTo(
              """
              +----+------+------------+--------------+---------------+---------------+-----------------+
              | id | name | management | availability | deploy status | backup status | prestage status |
              +----+------+------------+--------------+---------------+---------------+-----------------+
              """);
      assertThat(ok("subcloud", "list", "--all").out())
          .isEqualTo(
              """
              +----+------+------------+--------------+---------------+---------------+-----------------+
              | id | name | management | availability | deploy status | backup status | prestage status |
              +----+------+------------+--------------+---------------+---------------+-----------------+
              | 1  | sc1  | unmanaged  | offline      | secondary     | None          | None            |
              +----+------+------------+--------------+---------------+---------------+-----------------+
              """);
      assertThat(ok("subcloud", "show", "sc1", "-f", "json").out())
          .isEqualTo(
              """
              {
                "id": 1,
                "name": "sc1",
                "description": "edge sc1",
                "location": "rack sc1",
                "software_version": "24.09",
                "management": "unmanaged",
                "availability": "offline",
                "deploy_status": "secondary",
                "management_subnet": "192.168.101.0/24",
                "management_start_ip": null,
                "management_end_ip": null,
                "management_gateway_ip": null,
                "systemcontroller_gateway_ip": "10.10.1.1",
                "group_id": null,
                "peer_group_id": 1,
                "created_at": "2026-01-01T00:00:00Z",
                "updated_at": null,
                "backup_status": null,
                "backup_datetime": null,
                "prestage_status": null,
                "prestage_versions": null,
                "region_name": "region-sc1",
                "error_description": null
              }
              """);
    }

    @Test
    @DisplayName("list -d and show -d give the detail columns")
    void detail() {
      SubcloudPeerGroup pg = site.secondaryGroup("pgm");
      site.secondary(pg, "sc1", "10.20.0.1");
      assertThat(ok("subcloud", "list", "--all", "-d", "-f", "value").out())
          .isEqualTo(
              "1 sc1 edge sc1 rack sc1 24.09 unmanaged offline secondary 192.168.101.0/24 None"
                  + " None None 10.10.1.1 None 1 2026-01-01T00:00:00Z None None None None"
                  + " None\n");
      assertThat(ok("subcloud", "show", "1", "-d", "-f", "value").out().lines().toList())
          .hasSize(23)
          .startsWith("1", "sc1", "edge sc1")
          .endsWith("region-sc1", "None");
    }

    @Test
    @DisplayName("update sends the bootstrap values file and address as the site reads them")
    void updateBootstrap(@TempDir Path dir) throws IOException {
      Subcloud sc1 =
          CliSite.saved(
              site.site
                  .stores()
                  .subclouds()
                  .insert(
                      Subcloud.builder()
                          .name("sc1")
                          .regionName("region-sc1")
                          .softwareVersion("24.09")
                          .managementState(ManagementState.UNMANAGED)
                          .availabilityStatus(AvailabilityStatus.ONLINE)
                          .deployStatus(DeployStatus.COMPLETE)
                          .createdAt(site.site.scheduler().now())
                          .build()));
      Path values = dir.resolve("sc1-bootstrap.yaml");
      Files.writeString(
          values,
          "name: sc1\nmanagement_subnet: 192.168.102.0/24\n"
              + "systemcontroller_gateway_address: 10.10.1.1\n");
      CliSite.Run run =
          ok(
              "subcloud",
              "update",
              "sc1",
              "--bootstrap-address",
              "10.20.0.12",
              "--bootstrap-values",
              values.toString(),
              "--description",
              "edge one",
              "-f",
              "value");
      assertThat(run.out().lines().toList())
          .startsWith(
              "1",
              "sc1",
              "edge one",
              "None",
              "24.09",
              "unmanaged",
              "online",
              "complete",
              "192.168.102.0/24");
      Subcloud stored = site.site.stores().subclouds().findById(sc1.id()).orElseThrow();
      assertThat(stored.rehomeData().bootstrapAddress()).contains("10.20.0.12");
      assertThat(stored.description()).isEqualTo("edge one");
    }
  }

  @Nested
  @DisplayName("errors and exit codes")
  class Errors {

    @Test
    @DisplayName("a refusal exits 1 with the site's message on standard error")
    void refused() {
      CliSite.Run run = site.run("subcloud-peer-group", "delete", "pg9");
      assertThat(run.exitCode()).isEqualTo(GeoredCli.EXIT_REFUSED).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).isEqualTo("Subcloud Peer Group not found (HTTP 404)\n");
    }

    @Test
    @DisplayName("a wrong token is refused (401), exit 1")
    void wrongToken() {
      CliSite.Run run =
          site.runWith(
              Map.of("GEORED_URL", site.url(), "GEORED_TOKEN", "not-the-token"),
              false,
              "system-peer",
              "list");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).endsWith("(HTTP 401)\n");
    }

    @Test
    @DisplayName("the token may come from a file, and the URL from --url")
    void tokenFile(@TempDir Path dir) throws IOException {
      Path file = dir.resolve("token");
      Files.writeString(file, CliSite.TOKEN + "\n");
      CliSite.Run run =
          site.runWith(
              Map.of(),
              false,
              "subcloud-peer-group",
              "list",
              "--url",
              site.url(),
              "--token-file",
              file.toString());
      assertThat(run.err()).isEmpty();
      assertThat(run.exitCode()).isZero();
      assertThat(run.out())
          .isEqualTo(
              """
              +----+-----------------+----------------+-------------+------------------+--------------------+-----------------------+------------------+------------+------------+
              | id | peer_group_name | group_priority | group_state | system_leader_id | system_leader_name | max_subcloud_rehoming | migration_status | created_at | updated_at |
              +----+-----------------+----------------+-------------+------------------+--------------------+-----------------------+------------------+------------+------------+
              """);
    }

    @Test
    @DisplayName("an unreachable site exits 3")
    void unreachable() throws IOException {
      int port;
      try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = free.getLocalPort();
      }
      String url = "http://127.0.0.1:" + port + "/v1.0";
      CliSite.Run run =
          site.runWith(
              Map.of("GEORED_URL", url, "GEORED_TOKEN", "t"), false, "system-peer", "list");
      assertThat(run.exitCode()).isEqualTo(GeoredCli.EXIT_SITE_FAILED).isEqualTo(3);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).isEqualTo("Cannot reach the site at " + url + ": connection refused\n");
    }

    @Test
    @DisplayName("a failing site (5xx) exits 3 with its message")
    void failing() throws IOException {
      HttpServer failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      failing.createContext(
          "/",
          exchange -> {
            byte[] body =
                "{\"faultcode\": \"Server\", \"faultstring\": \"Internal error\", \"debuginfo\": null}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      failing.start();
      try {
        String url = "http://127.0.0.1:" + failing.getAddress().getPort() + "/v1.0";
        CliSite.Run run =
            site.runWith(Map.of("GEORED_URL", url, "GEORED_TOKEN", "t"), false, "subcloud", "list");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).isEqualTo("The site failed: Internal error (HTTP 500)\n");
      } finally {
        failing.stop(0);
      }
    }

    @Test
    @DisplayName(
        "usage errors exit 2: an unknown command, a missing option, no token, nothing to update")
    void usage() {
      CliSite.Run unknown = site.run("subcloud-peer-group", "frob");
      assertThat(unknown.exitCode()).isEqualTo(GeoredCli.EXIT_USAGE).isEqualTo(2);
      assertThat(unknown.err()).startsWith("Unmatched argument at index 1: 'frob'\n");

      CliSite.Run missing = site.run("peer-group-association", "add", "--peer-group-id", "1");
      assertThat(missing.exitCode()).isEqualTo(2);
      assertThat(missing.err())
          .startsWith(
              "Missing required options: '--system-peer-id=ID',"
                  + " '--peer-group-priority=PRIORITY'");

      CliSite.Run noToken =
          site.runWith(Map.of("GEORED_URL", site.url()), false, "subcloud", "list");
      assertThat(noToken.exitCode()).isEqualTo(2);
      assertThat(noToken.err()).isEqualTo("No token: set GEORED_TOKEN or pass --token-file FILE\n");

      CliSite.Run nothing = site.run("subcloud-peer-group", "update", "pg1");
      assertThat(nothing.exitCode()).isEqualTo(2);
      assertThat(nothing.err()).isEqualTo("Nothing to update\n");

      CliSite.Run format = site.run("subcloud", "list", "-f", "csv");
      assertThat(format.exitCode()).isEqualTo(2);
      assertThat(format.err()).startsWith("Invalid value for option '--format'");
    }
  }

  @Nested
  @DisplayName("subcloud-peer-group migrate")
  class Migrate {

    private void arrange() {
      SubcloudPeerGroup pg = site.secondaryGroup("pgm");
      site.secondary(pg, "sc1", "10.20.0.1");
      site.secondary(pg, "sc2", "10.20.0.2");
      site.secondary(pg, "sc3", "10.20.0.3");
      site.rehomer.script("sc1", RehomeScript.succeed().taking(Duration.ofSeconds(7)));
      site.rehomer.script(
          "sc2",
          RehomeScript.fail("playbook failed: host 10.20.0.2 unreachable")
              .taking(Duration.ofSeconds(12)));
      site.rehomer.script("sc3", RehomeScript.succeed().taking(Duration.ofSeconds(20)));
    }

    @Test
    @DisplayName("--wait follows it to the end: a line per subcloud, exit 4 when one failed")
    void waitWithOneFailure() {
      arrange();
      CliSite.Run run =
          site.run(
              "subcloud-peer-group",
              "migrate",
              "pgm",
              "--sysadmin-password",
              "St8rlingX*",
              "--wait");
      assertThat(run.err()).isEmpty();
      assertThat(run.exitCode()).isEqualTo(GeoredCli.EXIT_WAIT_FAILED).isEqualTo(4);
      assertThat(run.out())
          .isEqualTo(
              """
              pgm: 0 done, 0 failed, 3 in flight, 3 total, 0:00:00 elapsed
              sc1 complete
              pgm: 1 done, 0 failed, 2 in flight, 3 total, 0:00:10 elapsed
              sc2 rehome-failed: playbook failed: host 10.20.0.2 unreachable
              pgm: 1 done, 1 failed, 1 in flight, 3 total, 0:00:15 elapsed
              sc3 complete
              pgm: 2 done, 1 failed, 0 in flight, 3 total, 0:00:20 elapsed
              """);
      assertThat(site.rehomer.callLog().get(0).sysadminPassword()).isEqualTo("St8rlingX*");
    }

    @Test
    @DisplayName("a subcloud that was already rehome-failed is in flight until it changes")
    void againAfterAFailure() {
      arrange();
      site.run("subcloud-peer-group", "migrate", "pgm", "--sysadmin-password", "pw", "--wait");
      site.rehomer.script("sc2", RehomeScript.succeed().taking(Duration.ofSeconds(12)));
      CliSite.Run run =
          site.run("subcloud-peer-group", "migrate", "pgm", "--sysadmin-password", "pw", "--wait");
      assertThat(run.err()).isEmpty();
      assertThat(run.exitCode()).isZero();
      assertThat(run.out())
          .isEqualTo(
              """
              pgm: 0 done, 0 failed, 1 in flight, 1 total, 0:00:00 elapsed
              sc2 complete
              pgm: 1 done, 0 failed, 0 in flight, 1 total, 0:00:15 elapsed
              """);
    }

    @Test
    @DisplayName("--poll-interval sets how often it looks; all done exits 0")
    void waitAllDone() {
      arrange();
      site.rehomer.script("sc2", RehomeScript.succeed().taking(Duration.ofSeconds(12)));
      CliSite.Run run =
          site.run(
              "subcloud-peer-group",
              "migrate",
              "pgm",
              "--sysadmin-password",
              "pw",
              "--wait",
              "--poll-interval",
              "30");
      assertThat(run.err()).isEmpty();
      assertThat(run.exitCode()).isZero();
      assertThat(run.out())
          .isEqualTo(
              """
              pgm: 0 done, 0 failed, 3 in flight, 3 total, 0:00:00 elapsed
              sc1 complete
              sc2 complete
              sc3 complete
              pgm: 3 done, 0 failed, 0 in flight, 3 total, 0:00:30 elapsed
              """);
    }

    @Test
    @DisplayName("on a terminal the status line is rewritten in place")
    void terminal() {
      arrange();
      CliSite.Run run =
          site.runWith(
              Map.of("GEORED_URL", site.url(), "GEORED_TOKEN", CliSite.TOKEN),
              true,
              "subcloud-peer-group",
              "migrate",
              "pgm",
              "--sysadmin-password",
              "pw",
              "--wait",
              "--poll-interval",
              "10");
      assertThat(run.exitCode()).isEqualTo(4);
      String status0 = "pgm: 0 done, 0 failed, 3 in flight, 3 total, 0:00:00 elapsed";
      String status1 = "pgm: 1 done, 0 failed, 2 in flight, 3 total, 0:00:10 elapsed";
      String status2 = "pgm: 2 done, 1 failed, 0 in flight, 3 total, 0:00:20 elapsed";
      assertThat(run.out())
          .isEqualTo(
              "\r"
                  + status0
                  + "\r"
                  + pad("sc1 complete", status0.length())
                  + "\n\r"
                  + status1
                  + "\rsc2 rehome-failed: playbook failed: host 10.20.0.2 unreachable\n"
                  + "\rsc3 complete\n"
                  + "\r"
                  + status2
                  + "\n");
    }

    @Test
    @DisplayName("--timeout gives up with the subclouds still in flight, exit 4")
    void timeout() {
      arrange();
      CliSite.Run run =
          site.run(
              "subcloud-peer-group",
              "migrate",
              "pgm",
              "--sysadmin-password",
              "pw",
              "--wait",
              "--timeout",
              "10");
      assertThat(run.exitCode()).isEqualTo(4);
      assertThat(run.out())
          .isEqualTo(
              """
              pgm: 0 done, 0 failed, 3 in flight, 3 total, 0:00:00 elapsed
              sc1 complete
              pgm: 1 done, 0 failed, 2 in flight, 3 total, 0:00:10 elapsed
              Timed out after 0:00:10 with 2 subclouds in flight
              """);
    }

    @Test
    @DisplayName("without --wait it lists the subclouds the site will migrate")
    void noWait() {
      arrange();
      CliSite.Run run =
          ok("subcloud-peer-group", "migrate", "pgm", "--sysadmin-password", "pw", "-f", "value");
      assertThat(run.out().lines().map(l -> l.split(" ")[1]).toList())
          .containsExactly("sc1", "sc2", "sc3");
      assertThat(site.site.stores().peerGroups().findByName("pgm").orElseThrow().migrationStatus())
          .isEqualTo(io.geored.spi.model.MigrationStatus.MIGRATING);
    }
  }

  private static String pad(String line, int width) {
    return line + " ".repeat(Math.max(0, width - line.length()));
  }
}
