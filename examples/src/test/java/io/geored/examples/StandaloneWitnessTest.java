package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.geored.adapters.etcd.EtcdWitness;
import io.geored.adapters.jdbc.JdbcStores;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.time.Ticker;
import io.geored.spi.witness.Epoch;
import io.geored.spi.witness.LeaseOutcome;
import io.geored.spi.witness.Witness;
import io.geored.testkit.realservice.RealServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A standalone site configured with a witness")
class StandaloneWitnessTest {

  static final String UUID_A = "aaaaaaaa-0000-4000-8000-00000000000a";
  static final String SYSADMIN = "Sysadmin-Passw0rd-never-logged";

  @RegisterExtension static final RealServices SERVICES = new RealServices();

  @TempDir Path dir;

  SiteConfig config(String... extra) {
    Properties p = new Properties();
    p.setProperty("site.uuid", UUID_A);
    p.setProperty("site.name", "site-a");
    p.setProperty("database.folder", dir.resolve("db").toString());
    p.setProperty("http.port", "0");
    p.setProperty("auth.token.ops", "ops-token");
    p.setProperty("auth.roles.ops", "admin");
    for (int i = 0; i < extra.length; i += 2) {
      p.setProperty(extra[i], extra[i + 1]);
    }
    return SiteConfig.parse(p);
  }

  Path secretFile(String name, String content, String permissions) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  static String h2Url() {
    return "jdbc:h2:mem:witness-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  static SystemPeerCreate peer(String policy) {
    return SystemPeerCreate.builder()
        .peerUuid("bbbbbbbb-0000-4000-8000-00000000000b")
        .peerName("site-b")
        .managerEndpoint("http://127.0.0.1:9/v1.0")
        .managerUsername("admin")
        .managerPassword("peer-password")
        .peerControllerGatewayAddress("10.10.10.1")
        .heartbeatFailurePolicy(policy)
        .build();
  }

  @Test
  @DisplayName(
      "witness=jdbc: the site starts with the witness and the sysadmin password (never shown),"
          + " and then takes policy rehome")
  void jdbcWitness() throws Exception {
    String url = h2Url();
    Path sysadmin = secretFile("sysadmin", SYSADMIN, "rw-------");
    SiteConfig config =
        config(
            "witness",
            "jdbc",
            "witness.jdbc.url",
            url,
            "witness.jdbc.user",
            "sa",
            "failover.sysadmin-password-file",
            sysadmin.toString());

    try (StandaloneSite site = StandaloneSite.start(config)) {
      SystemPeer created = site.api().createSystemPeer(Caller.OPERATOR, peer("rehome"));

      assertThat(created.heartbeatFailurePolicy()).isEqualTo(HeartbeatFailurePolicy.REHOME);
    }
    // What the site logs at start: the configuration, naming the file's use, never its content.
    assertThat(config.toString())
        .contains(", witness=jdbc(jdbc:h2:mem:witness-")
        .endsWith(" ttl=1m renew_every=10s fence_margin=15s sysadmin_password=file]")
        .doesNotContain(SYSADMIN);
    // The witness tables are in the witness database, which the site reached.
    try (JdbcStores witnessDb = JdbcStores.connect(url, "sa", "")) {
      assertThat(witnessDb.witness("probe", Duration.ofSeconds(60), Ticker.system()).holder("pg1"))
          .isEmpty();
    }
  }

  @Test
  @DisplayName(
      "the witness it opens is the configured one: a lease it takes is seen by another site")
  void openedWitnessIsTheConfiguredOne() throws Exception {
    String url = h2Url();
    SiteConfig config = config("witness", "jdbc", "witness.jdbc.url", url);

    try (SiteWitness opened =
            SiteWitness.open(config.failover(), UUID_A, Ticker.system()).orElseThrow();
        JdbcStores other = JdbcStores.connect(url, "", "")) {
      assertThat(opened.witness().acquire("pg1")).isInstanceOf(LeaseOutcome.Granted.class);

      Witness b =
          other.witness(
              "bbbbbbbb-0000-4000-8000-00000000000b", Duration.ofSeconds(60), Ticker.system());
      assertThat(b.holder("pg1")).contains(new Epoch(1, UUID_A));
      assertThat(opened.witness().ttl()).isEqualTo(Duration.ofSeconds(60));
    }
    assertThat(SiteWitness.open(config().failover(), UUID_A, Ticker.system())).isEmpty();
  }

  @Test
  @DisplayName("without a witness the same site refuses policy rehome")
  void noWitness() {
    try (StandaloneSite site = StandaloneSite.start(config())) {
      assertThatThrownBy(() -> site.api().createSystemPeer(Caller.OPERATOR, peer("rehome")))
          .isExactlyInstanceOf(ValidationException.class)
          .hasMessage(Messages.heartbeatPolicyNeedsWitness("rehome"));
    }
  }

  @Test
  @DisplayName(
      "a sysadmin password file others may read stops the start before anything is opened, naming"
          + " the key and the file, never the content")
  void groupReadableSysadminFile() throws Exception {
    Path sysadmin = secretFile("sysadmin", SYSADMIN, "rw-r-----");
    SiteConfig config =
        config(
            "witness",
            "jdbc",
            "witness.jdbc.url",
            h2Url(),
            "failover.sysadmin-password-file",
            sysadmin.toString());

    assertThatThrownBy(() -> StandaloneSite.start(config))
        .isExactlyInstanceOf(SiteStartException.class)
        .hasMessage(
            "failover.sysadmin-password-file "
                + sysadmin.toAbsolutePath().normalize()
                + " may be read by others (permissions rw-r-----): make it readable by its owner"
                + " only (chmod 600)");
    assertThat(dir.resolve("db")).doesNotExist();
  }

  @Test
  @DisplayName(
      "a witness password file others may read stops the start, and the site's database is"
          + " closed again")
  void groupReadableWitnessPasswordFile() throws Exception {
    Path password = secretFile("witness-password", "witness-secret", "rw----r--");
    SiteConfig config =
        config(
            "witness",
            "jdbc",
            "witness.jdbc.url",
            h2Url(),
            "witness.jdbc.password-file",
            password.toString());

    assertThatThrownBy(() -> StandaloneSite.start(config))
        .isExactlyInstanceOf(SiteStartException.class)
        .hasMessage(
            "witness.jdbc.password-file "
                + password.toAbsolutePath().normalize()
                + " may be read by others (permissions rw----r--): make it readable by its owner"
                + " only (chmod 600)")
        .hasMessageNotContaining("witness-secret");
    // Closed again: another process (here: this one) may open the embedded database.
    JdbcStores.embedded(dir.resolve("db")).close();
  }

  @Test
  @DisplayName(
      "witness=etcd: the site starts against a real etcd, takes policy rehome, and its witness"
          + " holds leases there")
  void etcdWitness() throws Exception {
    RealServices.Running etcd = SERVICES.start(etcdService());
    String endpoint = "http://127.0.0.1:" + etcd.port(0);
    SiteConfig config =
        config(
            "witness",
            "etcd",
            "witness.etcd.endpoints",
            endpoint,
            "witness.ttl",
            "2s",
            "witness.renew-every",
            "500ms",
            "witness.fence-margin",
            "1s");

    try (StandaloneSite site = StandaloneSite.start(config)) {
      assertThat(
              site.api()
                  .createSystemPeer(Caller.OPERATOR, peer("delegate"))
                  .heartbeatFailurePolicy())
          .isEqualTo(HeartbeatFailurePolicy.DELEGATE);
    }
    try (SiteWitness opened =
            SiteWitness.open(config.failover(), UUID_A, Ticker.system()).orElseThrow();
        Client client = Client.builder().endpoints(endpoint).build()) {
      LeaseOutcome.Granted granted = (LeaseOutcome.Granted) opened.witness().acquire("pg1");

      Witness b =
          new EtcdWitness(
              client,
              "bbbbbbbb-0000-4000-8000-00000000000b",
              Duration.ofSeconds(2),
              Ticker.system());
      assertThat(b.holder("pg1")).contains(granted.lease().epoch());
      assertThat(granted.lease().epoch().site()).isEqualTo(UUID_A);
    }
  }

  /** A single-member etcd on free loopback ports, as the etcd module's tests run it. */
  static RealServices.Service etcdService() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    return RealServices.service("etcd")
        .pathVariable("GEORED_ETCD")
        .ports(2)
        .args(
            s ->
                List.of(
                    "--name=witness",
                    "--data-dir=" + s.dir().resolve("data"),
                    "--listen-client-urls=http://127.0.0.1:" + s.port(0),
                    "--advertise-client-urls=http://127.0.0.1:" + s.port(0),
                    "--listen-peer-urls=http://127.0.0.1:" + s.port(1),
                    "--initial-advertise-peer-urls=http://127.0.0.1:" + s.port(1),
                    "--initial-cluster=witness=http://127.0.0.1:" + s.port(1)))
        .readyWhen(
            s -> {
              try {
                HttpResponse<String> health =
                    http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + s.port(0) + "/health"))
                            .timeout(Duration.ofSeconds(1))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                return health.statusCode() == 200 && health.body().contains("\"health\":\"true\"");
              } catch (java.io.IOException e) {
                return false;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
              }
            })
        .budget(Duration.ofSeconds(30));
  }
}
