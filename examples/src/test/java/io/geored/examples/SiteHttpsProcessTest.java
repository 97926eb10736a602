package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.adapters.http.HttpSiteClient;
import io.geored.adapters.http.TlsContexts;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two standalone site processes over https, set up exactly as README's "Serving https" prints it:
 * the keytool script copied from the README (the same text as docs/OPERATIONS.md's) makes the CA,
 * the trust store and both key stores, and the README's properties lines configure the sites.
 */
@DisplayName("The standalone site over https, set up as the README prints it")
class SiteHttpsProcessTest {

  private static final String A_UUID = "aaaaaaaa-0000-4000-8000-00000000000a";
  private static final String B_UUID = "bbbbbbbb-0000-4000-8000-00000000000b";

  /** The folder the sites start from: the script writes {@code tls/} in it. */
  @TempDir static Path dir;

  private static SSLContext operatorTrust;

  /** The block of a given language after a heading, in a Markdown file of the repository. */
  static String block(String file, String heading, String language) throws Exception {
    Path path = Path.of("..", file);
    if (!Files.exists(path)) {
      path = Path.of(file);
    }
    List<String> lines = Files.readAllLines(path);
    int section = lines.indexOf(heading);
    assertThat(section).as("%s has the heading %s", file, heading).isNotNegative();
    int open = -1;
    for (int i = section + 1; i < lines.size() && open < 0; i++) {
      if (lines.get(i).trim().equals("```" + language)) {
        open = i;
      }
    }
    assertThat(open).as("%s has a %s block after %s", file, language, heading).isPositive();
    String indent = lines.get(open).substring(0, lines.get(open).indexOf('`'));
    StringBuilder out = new StringBuilder();
    for (int i = open + 1; !lines.get(i).trim().equals("```"); i++) {
      String line = lines.get(i);
      out.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
    }
    return out.toString();
  }

  @BeforeAll
  static void runTheReadmeScript() throws Exception {
    String script = block("README.md", "#### Serving https", "sh");
    assertThat(block("docs/OPERATIONS.md", "### Over https", "sh"))
        .as("docs/OPERATIONS.md prints the same commands as the README")
        .isEqualTo(script);
    Path log = dir.resolve("keytool.log");
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-e", "-c", script)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // The keytool of the JDK running the tests, whatever else is on PATH.
    builder
        .environment()
        .merge(
            "PATH",
            Path.of(System.getProperty("java.home"), "bin").toString(),
            (path, jdk) -> jdk + java.io.File.pathSeparator + path);
    Process p = builder.start();
    // About a dozen keytool runs, each a JVM start: a budget of its own, not a poll.
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("the script ended").isTrue();
    assertThat(p.exitValue()).as("the script's output:\n%s", Files.readString(log)).isZero();
    for (String file : List.of("site-a.p12", "site-b.p12", "geored-trust.p12", "trust.pass")) {
      assertThat(dir.resolve("tls").resolve(file)).exists();
    }
    assertThat(Files.getPosixFilePermissions(dir.resolve("tls/site-a.pass")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    Path trust = dir.resolve("tls/geored-trust.p12");
    operatorTrust =
        TlsContexts.trusting(trust, TlsContexts.readPassword(dir.resolve("tls/trust.pass")));
  }

  /** A site's configuration: its identity, tokens, and the README's TLS lines for that site. */
  private static Path config(String name, String uuid, String peerUuid) throws Exception {
    String tls = block("README.md", "#### Serving https", "properties");
    Properties lines = new Properties();
    lines.load(new StringReader(tls));
    assertThat(lines.stringPropertyNames())
        .containsExactlyInAnyOrder(
            "tls.key-store",
            "tls.key-store.password-file",
            "tls.trust-store",
            "tls.trust-store.password-file");
    Path file = dir.resolve(name + ".properties");
    Files.writeString(
        file,
        String.join(
                "\n",
                "site.uuid=" + uuid,
                "site.name=" + name,
                "database.folder=data/" + name,
                "http.port=0",
                "auth.token.ops=" + name + "-ops",
                "auth.roles.ops=admin",
                "auth.peer." + peerUuid + "=" + "from-peer-of-" + name,
                "peer.token." + peerUuid + "=" + "from-" + name + "-to-peer",
                "")
            + tls.replace("site-a", name));
    return file;
  }

  private static void until(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SiteProcess.BUDGET_SECONDS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s within the budget", what).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /** The endpoint a peer calls: the host name the certificates list, not the address. */
  private static String peerEndpoint(SiteProcess site) {
    return "https://localhost:" + site.endpoint().getPort() + "/v1.0";
  }

  private static SystemPeerCreate peer(String uuid, String name, String endpoint) {
    return SystemPeerCreate.builder()
        .peerUuid(uuid)
        .peerName(name)
        .managerEndpoint(endpoint)
        .managerUsername("admin")
        .managerPassword("UGVlci1wYXNzdzByZA==")
        .peerControllerGatewayAddress("192.168.204.1")
        .heartbeatInterval(10)
        .build();
  }

  @Test
  @Timeout(120)
  @DisplayName(
      "both sites serve https and reach each other over it: A's group is synced to B, each sees"
          + " the other available, and /health answers over https")
  void twoSitesOverHttps() throws Exception {
    // Each site's tokens: what the other sends is what this one accepts from it.
    Path aFile = config("site-a", A_UUID, B_UUID);
    Path bFile = config("site-b", B_UUID, A_UUID);
    Files.writeString(
        aFile,
        Files.readString(aFile)
            .replace("from-peer-of-site-a", "b-to-a")
            .replace("from-site-a-to-peer", "a-to-b"));
    Files.writeString(
        bFile,
        Files.readString(bFile)
            .replace("from-peer-of-site-b", "a-to-b")
            .replace("from-site-b-to-peer", "b-to-a"));
    try (SiteProcess a = SiteProcess.start(aFile, dir.resolve("a-stderr.log"), dir);
        SiteProcess b = SiteProcess.start(bFile, dir.resolve("b-stderr.log"), dir)) {
      assertThat(a.endpoint().toString()).matches("https://127\\.0\\.0\\.1:\\d+/v1\\.0");
      assertThat(b.endpoint().toString()).matches("https://127\\.0\\.0\\.1:\\d+/v1\\.0");
      HttpSiteClient onA =
          HttpSiteClient.create(URI.create(peerEndpoint(a)), "site-a-ops", operatorTrust);
      HttpSiteClient onB =
          HttpSiteClient.create(URI.create(peerEndpoint(b)), "site-b-ops", operatorTrust);
      onA.createSystemPeer(Caller.OPERATOR, peer(B_UUID, "site-b", peerEndpoint(b)));
      onB.createSystemPeer(Caller.OPERATOR, peer(A_UUID, "site-a", peerEndpoint(a)));
      SubcloudPeerGroup group =
          onA.createPeerGroup(
              Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
      SystemPeer bOnA = onA.getSystemPeer(Caller.OPERATOR, B_UUID);
      onA.createAssociation(
          Caller.OPERATOR,
          AssociationCreate.builder()
              .peerGroupId(group.id())
              .systemPeerId(bOnA.id())
              .peerGroupPriority(2)
              .build());

      until(
          "pg1 synced to B over https",
          () ->
              onB.listPeerGroups(Caller.OPERATOR).stream()
                  .anyMatch(g -> g.peerGroupName().equals("pg1")));
      until(
          "B available on A",
          () ->
              onA.getSystemPeer(Caller.OPERATOR, B_UUID).availabilityState()
                  == PeerAvailability.AVAILABLE);
      until(
          "A available on B",
          () ->
              onB.getSystemPeer(Caller.OPERATOR, A_UUID).availabilityState()
                  == PeerAvailability.AVAILABLE);
      assertThat(onB.getPeerGroup(Caller.OPERATOR, "pg1").systemLeaderId()).isEqualTo(A_UUID);

      HttpClient client = HttpClient.newBuilder().sslContext(operatorTrust).build();
      HttpResponse<String> health =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("https://localhost:" + a.endpoint().getPort() + "/health"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\"").contains("UP");
      // The JDK's own trust does not know the private CA: a client without the trust store fails.
      assertThatThrownBy(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      "https://localhost:" + a.endpoint().getPort() + "/health"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      assertThat(Files.readString(dir.resolve("a-stderr.log")))
          .contains(
              "tls key store loaded file=tls/site-a.p12 subject=CN=site-a issuer=CN=geored CA")
          .contains("tls trust store loaded file=tls/geored-trust.p12 trusted=[CN=geored CA]")
          .doesNotContain(Files.readString(dir.resolve("tls/site-a.pass")).trim())
          .doesNotContain(Files.readString(dir.resolve("tls/trust.pass")).trim());
    }
  }

  @Test
  @Timeout(60)
  @DisplayName(
      "a key store password file others can read stops the process: one line naming the key and"
          + " the file, exit code 2")
  void readablePasswordFileStopsTheStart() throws Exception {
    Path pass = dir.resolve("tls/loose.pass");
    Files.copy(dir.resolve("tls/site-a.pass"), pass);
    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-r--r--"));
    Path file = config("site-a", A_UUID, B_UUID);
    Files.writeString(
        file,
        Files.readString(file)
            .replace(
                "tls.key-store.password-file=tls/site-a.pass",
                "tls.key-store.password-file=" + "tls/loose.pass"));

    SiteProcess refused = SiteProcess.launch(file, dir.resolve("loose-stderr.log"), dir);
    assertThat(refused.exitCode()).isEqualTo(2);
    String stderr = refused.stderr();
    assertThat(stderr.lines().filter(l -> !l.isBlank()).reduce((x, y) -> y))
        .hasValue(
            "cannot start site: tls.key-store.password-file: password file tls/loose.pass must be"
                + " readable by its owner only (chmod 600), is rw-r--r--");
    assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  @DisplayName(
      "a store that is missing, a wrong password and a trust store given as key store stop the"
          + " start with one line naming the key, before the database is opened")
  void unusableStoresStopTheStart() throws Exception {
    Path tls = dir.resolve("tls");
    Path wrong = tls.resolve("wrong.pass");
    Files.writeString(wrong, "not-the-password\n");
    Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
    SiteConfig base = SiteConfig.load(config("site-a", A_UUID, B_UUID));
    Path db = dir.resolve("never-opened");
    SiteConfig config =
        new SiteConfig(
            base.uuid(),
            base.name(),
            db,
            base.databaseUrl(),
            base.databaseUser(),
            base.databasePassword(),
            base.host(),
            0,
            base.tokens(),
            base.peerAuth(),
            base.peerTokens(),
            base.cipherKey());

    Path missing = tls.resolve("missing.p12");
    assertThatThrownBy(
            () ->
                StandaloneSite.start(
                    config.withTls(
                        new SiteConfig.Tls(
                            java.util.Optional.of(
                                new SiteConfig.Store(missing, tls.resolve("site-a.pass"))),
                            java.util.Optional.empty()))))
        .isExactlyInstanceOf(SiteStartException.class)
        .hasMessage("tls.key-store: key store " + missing + " does not exist");
    Path keyStore = tls.resolve("site-a.p12");
    assertThatThrownBy(
            () ->
                StandaloneSite.start(
                    config.withTls(
                        new SiteConfig.Tls(
                            java.util.Optional.of(new SiteConfig.Store(keyStore, wrong)),
                            java.util.Optional.empty()))))
        .isExactlyInstanceOf(SiteStartException.class)
        .hasMessage("tls.key-store: key store " + keyStore + ": the password does not open it");
    Path trustStore = tls.resolve("geored-trust.p12");
    assertThatThrownBy(
            () ->
                StandaloneSite.start(
                    config.withTls(
                        new SiteConfig.Tls(
                            java.util.Optional.of(
                                new SiteConfig.Store(trustStore, tls.resolve("trust.pass"))),
                            java.util.Optional.empty()))))
        .isExactlyInstanceOf(SiteStartException.class)
        .hasMessage(
            "tls.key-store: key store "
                + trustStore
                + " must hold exactly one private key (the site's, with its certificate chain),"
                + " holds 0");
    assertThatThrownBy(
            () ->
                StandaloneSite.start(
                    config.withTls(
                        new SiteConfig.Tls(
                            java.util.Optional.empty(),
                            java.util.Optional.of(new SiteConfig.Store(trustStore, wrong))))))
        .isExactlyInstanceOf(SiteStartException.class)
        .hasMessage(
            "tls.trust-store: trust store " + trustStore + ": the password does not open it");
    assertThat(db).doesNotExist();
  }
}
