package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.adapters.http.Role;
import io.geored.spi.witness.WitnessSettings;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A standalone site's configuration file")
class SiteConfigTest {

  private static final String MINIMAL =
      "site.uuid=aaaaaaaa-0000-4000-8000-00000000000a\n"
          + "site.name=site-a\n"
          + "auth.token.ops=ops-secret\n"
          + "auth.roles.ops=admin\n";

  private static SiteConfig parse(String text) throws Exception {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return SiteConfig.parse(p);
  }

  private static void refused(String text, String message) {
    assertThatThrownBy(() -> parse(text))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  @DisplayName("fills every default from the minimal file")
  void defaults() throws Exception {
    SiteConfig c = parse(MINIMAL);

    assertThat(c.uuid()).isEqualTo("aaaaaaaa-0000-4000-8000-00000000000a");
    assertThat(c.name()).isEqualTo("site-a");
    assertThat(c.databaseFolder()).isEqualTo(Path.of("geored-data"));
    assertThat(c.databaseUrl()).isEmpty();
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8119);
    assertThat(c.tokens())
        .isEqualTo(Map.of("ops", new SiteConfig.Token("ops-secret", Set.of(Role.ADMIN))));
    assertThat(c.peerTokens()).isEmpty();
    assertThat(c.cipherKey()).isEmpty();
  }

  @Test
  @DisplayName("reads a PostgreSQL URL, several roles, peers' tokens and a cipher key")
  void everything() throws Exception {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    SiteConfig c =
        parse(
            MINIMAL
                + "database.url=jdbc:postgresql://db:5432/geored\n"
                + "database.user=geored\n"
                + "database.password=db-secret\n"
                + "http.host=0.0.0.0\n"
                + "http.port=9000\n"
                + "auth.token.b=from-b\n"
                + "auth.roles.b=configurator, reader\n"
                + "auth.peer.BBBBBBBB-0000-4000-8000-00000000000B=from-site-b\n"
                + "peer.token.bbbbbbbb-0000-4000-8000-00000000000b=to-b\n"
                + "cipher.key="
                + key
                + "\n"
                + "observability.token=obs-secret\n");

    assertThat(c.databaseUrl()).isEqualTo(Optional.of("jdbc:postgresql://db:5432/geored"));
    assertThat(c.databaseUser()).isEqualTo("geored");
    assertThat(c.databasePassword()).isEqualTo("db-secret");
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.tokens().get("b").roles())
        .containsExactlyInAnyOrder(Role.CONFIGURATOR, Role.READER);
    assertThat(c.peerAuth())
        .isEqualTo(Map.of("bbbbbbbb-0000-4000-8000-00000000000b", "from-site-b"));
    assertThat(c.peerTokens()).isEqualTo(Map.of("bbbbbbbb-0000-4000-8000-00000000000b", "to-b"));
    assertThat(c.cipherKey()).hasValueSatisfying(k -> assertThat(k).hasSize(32));
    assertThat(c.toString())
        .doesNotContain(
            "ops-secret", "from-b", "from-site-b", "to-b", "db-secret", key, "obs-secret")
        .contains("tokens=[b, ops]")
        .contains("observability=token");
    assertThat(c.observabilityToken()).hasValue("obs-secret");
  }

  @Nested
  @DisplayName("observability exposure")
  class Observability {
    @Test
    @DisplayName("without a token, a loopback listen address serves /metrics, /health, /ready open")
    void openOnLoopback() throws Exception {
      for (String host : new String[] {"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"}) {
        SiteConfig c = parse(MINIMAL + "http.host=" + host + "\n");
        assertThat(c.observabilityToken()).as(host).isEmpty();
        assertThat(c.toString()).as(host).contains(", observability=open, ");
      }
      assertThat(parse(MINIMAL).observabilityToken()).isEmpty();
    }

    @Test
    @DisplayName("without a token, any other listen address is refused, naming the key")
    void refusedElsewhere() {
      for (String host : new String[] {"0.0.0.0", "10.0.0.5", "::", "site-a.example.com"}) {
        refused(
            MINIMAL + "http.host=" + host + "\n",
            "observability.token is required when http.host ("
                + host
                + ") is not a loopback address (it guards GET /metrics, /health and /ready)");
      }
    }

    @Test
    @DisplayName("with a token, any listen address is accepted; a blank token counts as none")
    void token() throws Exception {
      SiteConfig c = parse(MINIMAL + "http.host=0.0.0.0\nobservability.token= obs \n");
      assertThat(c.observabilityToken()).hasValue("obs");
      refused(
          MINIMAL + "http.host=10.0.0.5\nobservability.token=  \n",
          "observability.token is required when http.host (10.0.0.5) is not a loopback address"
              + " (it guards GET /metrics, /health and /ready)");
    }
  }

  @Nested
  @DisplayName("port limits")
  class Ports {
    @Test
    @DisplayName("0 (any free port) and 65535 are accepted")
    void atTheLimits() throws Exception {
      assertThat(parse(MINIMAL + "http.port=0\n").port()).isZero();
      assertThat(parse(MINIMAL + "http.port=65535\n").port()).isEqualTo(65535);
    }

    @Test
    @DisplayName("-1, 65536 and words are refused")
    void pastTheLimits() {
      refused(MINIMAL + "http.port=-1\n", "http.port must be a number from 0 to 65535, was -1");
      refused(
          MINIMAL + "http.port=65536\n", "http.port must be a number from 0 to 65535, was 65536");
      refused(MINIMAL + "http.port=web\n", "http.port must be a number from 0 to 65535, was web");
    }
  }

  @Nested
  @DisplayName("cipher key length")
  class CipherKey {
    @Test
    @DisplayName("16, 24 and 32 bytes are accepted")
    void accepted() throws Exception {
      for (int n : new int[] {16, 24, 32}) {
        String key = Base64.getEncoder().encodeToString(new byte[n]);
        assertThat(parse(MINIMAL + "cipher.key=" + key + "\n").cipherKey().orElseThrow())
            .hasSize(n);
      }
    }

    @Test
    @DisplayName("15 and 33 bytes and non-base64 are refused")
    void refusedLengths() {
      for (int n : new int[] {15, 33}) {
        refused(
            MINIMAL + "cipher.key=" + Base64.getEncoder().encodeToString(new byte[n]) + "\n",
            "cipher.key must decode to 16, 24 or 32 bytes");
      }
      refused(MINIMAL + "cipher.key=%%%\n", "cipher.key must be base64");
    }
  }

  @Nested
  @DisplayName("how the site logs in to its peers (peer.login)")
  class PeerLogin {
    @Test
    @DisplayName("static tokens by default; keystone with SystemController, RegionOne and 5m")
    void defaults() throws Exception {
      SiteConfig tokens = parse(MINIMAL + "peer.token.bbbbbbbb-0000-4000-8000-000000000002=t\n");
      assertThat(tokens.peerLogin()).isEqualTo(SiteConfig.PeerLogin.TOKENS);
      assertThat(tokens.peerLogin().keystone()).isFalse();
      assertThat(parse(MINIMAL + "peer.login=token\n").peerLogin())
          .isEqualTo(SiteConfig.PeerLogin.TOKENS);
      SiteConfig keystone = parse(MINIMAL + "peer.login=keystone\n");
      assertThat(keystone.peerLogin())
          .isEqualTo(
              new SiteConfig.PeerLogin(
                  true, "SystemController", "RegionOne", Duration.ofMinutes(5)));
      assertThat(keystone.toString())
          .contains(
              ", peer_login=keystone(dcmanager_region=SystemController platform_region=RegionOne"
                  + " refresh_margin=5m), ");
      assertThat(tokens.toString()).contains(", peer_login=token, ");
    }

    @Test
    @DisplayName("reads the regions and the refresh margin")
    void everyKey() throws Exception {
      SiteConfig c =
          parse(
              MINIMAL
                  + "peer.login=keystone\n"
                  + "peer.keystone.dcmanager-region=Central_Cloud.1\n"
                  + "peer.keystone.platform-region=RegionTwo\n"
                  + "peer.keystone.refresh-margin=90s\n");
      assertThat(c.peerLogin())
          .isEqualTo(
              new SiteConfig.PeerLogin(
                  true, "Central_Cloud.1", "RegionTwo", Duration.ofSeconds(90)));
    }

    @Test
    @DisplayName("refuses another login, keystone keys without it, tokens with it, bad values")
    void refusals() {
      SiteConfigTest.refused(
          MINIMAL + "peer.login=kerberos\n", "peer.login must be token or keystone, was kerberos");
      SiteConfigTest.refused(
          MINIMAL + "peer.keystone.refresh-margin=1m\n",
          "peer.keystone.refresh-margin needs peer.login=keystone");
      SiteConfigTest.refused(
          MINIMAL + "peer.login=token\npeer.keystone.platform-region=RegionOne\n",
          "peer.keystone.platform-region needs peer.login=keystone");
      SiteConfigTest.refused(
          MINIMAL + "peer.login=keystone\npeer.token.bbbbbbbb-0000-4000-8000-000000000002=t\n",
          "peer.token.bbbbbbbb-0000-4000-8000-000000000002 is not used with peer.login=keystone"
              + " (each peer's Keystone issues its token)");
      SiteConfigTest.refused(
          MINIMAL + "peer.login=keystone\npeer.keystone.dcmanager-region=System Controller\n",
          "peer.keystone.dcmanager-region must be a Keystone region id of at most 255 letters,"
              + " digits, '_', '.' or '-', was System Controller");
      SiteConfigTest.refused(
          MINIMAL + "peer.login=keystone\npeer.keystone.refresh-margin=5 minutes\n",
          "peer.keystone.refresh-margin must be a duration from 1ms to 7 days written as a number"
              + " and a unit (ms, s, m, h), such as 90s, 15m or 1h, was 5 minutes");
      SiteConfigTest.refused(
          MINIMAL + "peer.login=keystone # the peers' Keystone\n",
          "peer.login ends with what looks like a comment (a space, then #): a properties file has"
              + " no end-of-line comments, put the comment on a line of its own");
    }
  }

  @Nested
  @DisplayName("rehome and probe commands")
  class Commands {
    @Test
    @DisplayName("default to none, 1h, 10, 30s, 8 and 20s")
    void defaults() throws Exception {
      SiteConfig.Commands c = parse(MINIMAL).commands();

      assertThat(c)
          .isEqualTo(
              new SiteConfig.Commands(
                  Optional.empty(),
                  Duration.ofHours(1),
                  10,
                  Optional.empty(),
                  Duration.ofSeconds(30),
                  8,
                  Duration.ofSeconds(20)));
      assertThat(parse(MINIMAL).toString()).endsWith(", rehome=none, probe=none]");
    }

    @Test
    @DisplayName("split into words like a shell, without a shell; every key read")
    void everyKey() throws Exception {
      SiteConfig c =
          parse(
              MINIMAL
                  + "rehome.command=ansible-playbook '/opt/my playbooks/rehome.yml'"
                  + " -e @{file} -e \"target={name} region={region}\"\n"
                  + "rehome.timeout=90m\n"
                  + "rehome.max-concurrent=3\n"
                  + "probe.command=sh -c 'ping -c 1 -W 2 \"$GEORED_SUBCLOUD_NAME\"'\n"
                  + "probe.timeout=2500ms\n"
                  + "probe.max-concurrent=256\n"
                  + "probe.interval=1s\n");

      assertThat(c.commands())
          .isEqualTo(
              new SiteConfig.Commands(
                  Optional.of(
                      List.of(
                          "ansible-playbook",
                          "/opt/my playbooks/rehome.yml",
                          "-e",
                          "@{file}",
                          "-e",
                          "target={name} region={region}")),
                  Duration.ofMinutes(90),
                  3,
                  Optional.of(List.of("sh", "-c", "ping -c 1 -W 2 \"$GEORED_SUBCLOUD_NAME\"")),
                  Duration.ofMillis(2500),
                  256,
                  Duration.ofSeconds(1)));
      assertThat(c.toString()).endsWith(", rehome=ansible-playbook, probe=sh]");
    }

    @Test
    @DisplayName("refuses a bad duration, count or quote, or a setting without its command")
    void refused() {
      String rehome = MINIMAL + "rehome.command=/opt/rehome\n";
      String probe = MINIMAL + "probe.command=/opt/probe\n";
      SiteConfigTest.refused(
          rehome + "rehome.timeout=1 hour\n",
          "rehome.timeout must be a duration from 1ms to 7 days written as a number and a unit"
              + " (ms, s, m, h), such as 90s, 15m or 1h, was 1 hour");
      SiteConfigTest.refused(
          rehome + "rehome.timeout=0s\n",
          "rehome.timeout must be a duration from 1ms to 7 days written as a number and a unit"
              + " (ms, s, m, h), such as 90s, 15m or 1h, was 0s");
      SiteConfigTest.refused(
          probe + "probe.interval=169h\n",
          "probe.interval must be a duration from 1ms to 7 days written as a number and a unit"
              + " (ms, s, m, h), such as 90s, 15m or 1h, was 169h");
      SiteConfigTest.refused(
          probe + "probe.max-concurrent=0\n",
          "probe.max-concurrent must be a number from 1 to 256, was 0");
      SiteConfigTest.refused(
          rehome + "rehome.max-concurrent=257\n",
          "rehome.max-concurrent must be a number from 1 to 256, was 257");
      SiteConfigTest.refused(
          MINIMAL + "rehome.command=sh -c 'exit 1\n", "rehome.command has a ' that is not closed");
      SiteConfigTest.refused(
          MINIMAL + "probe.command=sh -c \"exit 1\n", "probe.command has a \" that is not closed");
      SiteConfigTest.refused(MINIMAL + "rehome.command=''\n", "rehome.command names no program");
      SiteConfigTest.refused(
          MINIMAL + "rehome.timeout=1h\n", "rehome.timeout needs rehome.command");
      SiteConfigTest.refused(MINIMAL + "probe.interval=5s\n", "probe.interval needs probe.command");
      SiteConfigTest.refused(
          MINIMAL + "probe.comand=/opt/probe\n", "unknown configuration key probe.comand");
      SiteConfigTest.refused(
          MINIMAL + "probe.command=/opt/probe # my check\n",
          "probe.command ends with what looks like a comment (a space, then #): a properties file"
              + " has no end-of-line comments, put the comment on a line of its own");
    }
  }

  @Test
  @DisplayName("refuses what would otherwise fall back silently, naming the key")
  void refusals() {
    refused(MINIMAL + "http.prot=1\n", "unknown configuration key http.prot");
    refused(
        "site.name=a\nauth.token.ops=t\nauth.roles.ops=admin\n",
        "configuration key site.uuid is required");
    refused(
        "site.uuid=aaaaaaaa-0000-4000-8000-00000000000a\nsite.name=a\n",
        "at least one auth.token.<name> is required (or keystone.auth-url)");
    refused(
        "site.uuid=aaaaaaaa-0000-4000-8000-00000000000a\nsite.name=a\nauth.token.ops=t\n",
        "configuration key auth.roles.ops is required");
    refused(MINIMAL + "auth.roles.x=admin\n", "auth.roles.x has no matching auth.token key");
    refused(
        MINIMAL + "auth.token.x=t\nauth.roles.x=root\n",
        "auth.roles.x has an unknown role root (admin, configurator, operator, reader; a peer"
            + " site's token is auth.peer.<peer uuid>)");
    refused(
        MINIMAL + "auth.token.b=t\nauth.roles.b=peer\n",
        "auth.roles.b has an unknown role peer (admin, configurator, operator, reader; a peer"
            + " site's token is auth.peer.<peer uuid>)");
    refused(
        MINIMAL + "auth.peer.site-b=t\n",
        "auth.peer.site-b must name a system peer uuid (auth.peer.<peer uuid>=<token>)");
    refused(
        MINIMAL + "auth.peer.bbbbbbbb-0000-4000-8000-00000000000b=\n",
        "configuration key auth.peer.bbbbbbbb-0000-4000-8000-00000000000b is required");
    refused(
        MINIMAL + "database.url=jdbc:postgresql://db:5432/geored\n",
        "cipher.key is required with database.url (peer passwords are stored encrypted)");
    refused(
        MINIMAL + "database.folder=d\ndatabase.url=jdbc:h2:mem:x\n",
        "give database.folder or database.url, not both");
    refused(
        MINIMAL + "database.user=sa\n", "database.user and database.password need database.url");
  }

  @Nested
  @DisplayName("TLS stores")
  class TlsStores {

    @Test
    @DisplayName("default to plain http and the JDK's trust")
    void defaults() throws Exception {
      assertThat(parse(MINIMAL).tls()).isEqualTo(SiteConfig.Tls.NONE);
      assertThat(parse(MINIMAL).toString()).contains(", tls_key_store=none, tls_trust_store=jdk,");
    }

    @Test
    @DisplayName("read a key store and a trust store, each with its password file")
    void both() throws Exception {
      SiteConfig c =
          parse(
              MINIMAL
                  + "tls.key-store=tls/site-a.p12\n"
                  + "tls.key-store.password-file=tls/site-a.pass\n"
                  + "tls.trust-store=/etc/geored/trust.p12\n"
                  + "tls.trust-store.password-file=/etc/geored/trust.pass\n");

      assertThat(c.tls())
          .isEqualTo(
              new SiteConfig.Tls(
                  Optional.of(
                      new SiteConfig.Store(Path.of("tls/site-a.p12"), Path.of("tls/site-a.pass"))),
                  Optional.of(
                      new SiteConfig.Store(
                          Path.of("/etc/geored/trust.p12"), Path.of("/etc/geored/trust.pass")))));
      assertThat(c.toString())
          .contains(", tls_key_store=tls/site-a.p12, tls_trust_store=/etc/geored/trust.p12,");
      assertThat(c.withCommands(SiteConfig.Commands.NONE).tls()).isEqualTo(c.tls());
      assertThat(c.withTls(SiteConfig.Tls.NONE).tls()).isEqualTo(SiteConfig.Tls.NONE);
    }

    @Test
    @DisplayName("refuse a store without its password file and a password file without its store")
    void pairs() {
      refused(
          MINIMAL + "tls.key-store=a.p12\n",
          "tls.key-store.password-file is required with tls.key-store (a file holding the store's"
              + " password, readable by the site's user only)");
      refused(
          MINIMAL + "tls.trust-store=t.p12\n",
          "tls.trust-store.password-file is required with tls.trust-store (a file holding the"
              + " store's password, readable by the site's user only)");
      refused(
          MINIMAL + "tls.key-store.password-file=a.pass\n",
          "tls.key-store.password-file needs tls.key-store");
      refused(
          MINIMAL + "tls.trust-store.password-file=t.pass\n",
          "tls.trust-store.password-file needs tls.trust-store");
      refused(MINIMAL + "tls.keystore=a.p12\n", "unknown configuration key tls.keystore");
      refused(
          MINIMAL + "tls.key-store=a.p12 # the site's key\ntls.key-store.password-file=a.pass\n",
          "tls.key-store ends with what looks like a comment (a space, then #): a properties file"
              + " has no end-of-line comments, put the comment on a line of its own");
    }
  }

  private static String withSite(String uuid, String name) {
    return "site.uuid="
        + uuid
        + "\nsite.name="
        + name
        + "\nauth.token.ops=ops-secret\nauth.roles.ops=admin\n";
  }

  @Nested
  @DisplayName("site identity")
  class Identity {
    private static final String UUID = "aaaaaaaa-0000-4000-8000-00000000000a";

    @Test
    @DisplayName("site.uuid must be a uuid in its 8-4-4-4-12 form, named with the value")
    void uuidRefused() {
      refused(
          withSite("<uuid>", "site-a"),
          "site.uuid must be a uuid (8-4-4-4-12 hexadecimal digits), was <uuid>");
      refused(
          withSite("6c5b1a5e7d0e4c1e9f493f0a7d1f0c11", "site-a"),
          "site.uuid must be a uuid (8-4-4-4-12 hexadecimal digits),"
              + " was 6c5b1a5e7d0e4c1e9f493f0a7d1f0c11");
      refused(
          withSite("6c5b1a5e-7d0e-4c1e-9f49-3f0a7d1f0c1g", "site-a"),
          "site.uuid must be a uuid (8-4-4-4-12 hexadecimal digits),"
              + " was 6c5b1a5e-7d0e-4c1e-9f49-3f0a7d1f0c1g");
    }

    @Test
    @DisplayName("a comment typed after a value is refused, naming the key, not taken as the value")
    void endOfLineComment() {
      refused(
          withSite("6c5b1a5e-7d0e-4c1e-9f49-3f0a7d1f0c11   # required", "site-a"),
          "site.uuid ends with what looks like a comment (a space, then #): a properties file has"
              + " no end-of-line comments, put the comment on a line of its own");
      refused(
          withSite(UUID, "site-a\t# required"),
          "site.name ends with what looks like a comment (a space, then #): a properties file has"
              + " no end-of-line comments, put the comment on a line of its own");
      refused(
          MINIMAL + "database.folder=data/site-a   # H2 files\n",
          "database.folder ends with what looks like a comment (a space, then #): a properties"
              + " file has no end-of-line comments, put the comment on a line of its own");
    }

    @Test
    @DisplayName("site.name follows the name rule, each refusal naming the key")
    void nameRefused() {
      refused(withSite(UUID, "12345"), "site.name must not be only digits, was 12345");
      refused(withSite(UUID, "NoNe"), "site.name must not be none, was NoNe");
      for (String bad :
          new String[] {"a.b", "a*", "a+", "a?", "a|b", "(a)", "[a]", "{a}", "^a", "a$", "a/b"}) {
        refused(
            withSite(UUID, bad), "site.name must not contain any of .*+?|()[]{}^$/\\, was " + bad);
      }
      refused(
          withSite(UUID, "a\\\\b"), "site.name must not contain any of .*+?|()[]{}^$/\\, was a\\b");
      refused(
          withSite(UUID, "a\\u0007b"),
          "site.name must not contain control characters, was a\\u0007b");
      refused(
          withSite(UUID, "x".repeat(256)),
          "site.name must be at most 255 characters, was " + "x".repeat(80) + "...");
      refused(withSite(UUID, "   "), "configuration key site.name is required");
    }

    @Test
    @DisplayName("a name of 255 characters, spaces, # and other punctuation inside are accepted")
    void nameAccepted() throws Exception {
      assertThat(parse(withSite(UUID, "y".repeat(255))).name()).hasSize(255);
      assertThat(parse(withSite(UUID, "site a#1 é_-,%")).name()).isEqualTo("site a#1 é_-,%");
      assertThat(parse(withSite(UUID.toUpperCase(java.util.Locale.ROOT), "a")).uuid())
          .isEqualTo(UUID.toUpperCase(java.util.Locale.ROOT));
    }
  }

  @Nested
  @DisplayName("keystone.* keys (the server side of Keystone)")
  class KeystoneKeys {

    static final String KEYSTONE =
        "site.uuid=aaaaaaaa-0000-4000-8000-00000000000a\n"
            + "site.name=site-a\n"
            + "keystone.auth-url=http://127.0.0.1:5000/v3\n"
            + "keystone.user=geored\n"
            + "keystone.password-file=/etc/geored/keystone-password\n";

    @Test
    @DisplayName("read with their defaults; no auth.token is needed; toString names no secret")
    void defaults() throws Exception {
      SiteConfig c =
          parse(
              KEYSTONE
                  + "keystone.peer-user.8f2c6f0a9b1e4c55=BBBBBBBB-0000-4000-8000-000000000002\n");
      assertThat(c.tokens()).isEmpty();
      assertThat(c.keystone())
          .contains(
              new SiteConfig.KeystoneServer(
                  "http://127.0.0.1:5000/v3",
                  "geored",
                  Path.of("/etc/geored/keystone-password"),
                  "services",
                  Set.of("admin", "services"),
                  Duration.ofSeconds(60),
                  Map.of("8f2c6f0a9b1e4c55", "bbbbbbbb-0000-4000-8000-000000000002")));
      assertThat(c.toString())
          .contains(
              "keystone=http://127.0.0.1:5000/v3 as geored projects=[admin, services]"
                  + " peer_users=[8f2c6f0a9b1e4c55]");
      assertThat(parse(MINIMAL).keystone()).isEmpty();
    }

    @Test
    @DisplayName("project, projects and cache TTL are read")
    void everything() throws Exception {
      SiteConfig.KeystoneServer k =
          parse(
                  KEYSTONE
                      + "keystone.project=svc\n"
                      + "keystone.projects=admin\n"
                      + "keystone.cache-ttl=5s\n")
              .keystone()
              .orElseThrow();
      assertThat(k.project()).isEqualTo("svc");
      assertThat(k.projects()).isEqualTo(Set.of("admin"));
      assertThat(k.cacheTtl()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("wrong or missing values are refused with one line naming the key")
    void refusals() {
      refused(
          KEYSTONE.replace("keystone.user=geored\n", ""),
          "configuration key keystone.user is required");
      refused(
          KEYSTONE.replace("keystone.password-file=/etc/geored/keystone-password\n", ""),
          "configuration key keystone.password-file is required");
      refused(
          KEYSTONE.replace("http://127.0.0.1:5000/v3", "127.0.0.1:5000"),
          "keystone.auth-url must be an http or https URL such as http://127.0.0.1:5000/v3, was"
              + " 127.0.0.1:5000");
      refused(
          KEYSTONE + "keystone.cache-ttl=2h\n",
          "keystone.cache-ttl must be at most 1h (a revoked token works until it ends), was 2h");
      refused(
          KEYSTONE + "keystone.cache-ttl=soon\n",
          "keystone.cache-ttl must be a duration from 1ms to 7 days written as a number and a"
              + " unit (ms, s, m, h), such as 90s, 15m or 1h, was soon");
      refused(
          KEYSTONE + "keystone.projects=admin,,services\n",
          "keystone.projects must be project names separated by commas, was admin,,services");
      refused(
          KEYSTONE + "keystone.peer-user.abc=site-b\n",
          "keystone.peer-user.abc must be a system peer uuid (keystone.peer-user.<keystone user"
              + " id>=<peer uuid>), was site-b");
      refused(
          KEYSTONE + "auth.token.ops=x\nauth.roles.ops=admin\n",
          "auth.roles.ops cannot be used with keystone.auth-url: callers' tokens are validated by"
              + " Keystone (a peer site is a keystone.peer-user)");
      refused(MINIMAL + "keystone.user=geored\n", "keystone.user needs keystone.auth-url");
      refused(
          MINIMAL.replace("auth.token.ops=ops-secret\nauth.roles.ops=admin\n", ""),
          "at least one auth.token.<name> is required (or keystone.auth-url)");
    }
  }

  @Nested
  @DisplayName("witness and automatic failover")
  class Witness {

    @Test
    @DisplayName("none by default: no witness, no sysadmin password")
    void noneByDefault() throws Exception {
      assertThat(parse(MINIMAL).failover()).isEqualTo(SiteConfig.Failover.NONE);
      assertThat(parse(MINIMAL + "witness=none\n").failover()).isEqualTo(SiteConfig.Failover.NONE);
      assertThat(SiteConfig.Failover.NONE.hasWitness()).isFalse();
      assertThat(parse(MINIMAL).toString()).doesNotContain("witness");
    }

    @Test
    @DisplayName("reads a JDBC witness with its timing and the sysadmin password file")
    void jdbc() throws Exception {
      SiteConfig c =
          parse(
              MINIMAL
                  + "witness=jdbc\n"
                  + "witness.jdbc.url=jdbc:postgresql://witness:5432/w;password=in-url\n"
                  + "witness.jdbc.user=geored\n"
                  + "witness.jdbc.password-file=/etc/geored/witness-password\n"
                  + "witness.ttl=90s\n"
                  + "witness.renew-every=15s\n"
                  + "witness.fence-margin=20s\n"
                  + "failover.sysadmin-password-file=/etc/geored/sysadmin-password\n");

      assertThat(c.failover())
          .isEqualTo(
              new SiteConfig.Failover(
                  "jdbc",
                  Optional.of("jdbc:postgresql://witness:5432/w;password=in-url"),
                  "geored",
                  Optional.of(Path.of("/etc/geored/witness-password")),
                  List.of(),
                  new WitnessSettings(
                      Duration.ofSeconds(90), Duration.ofSeconds(15), Duration.ofSeconds(20)),
                  Optional.of(Path.of("/etc/geored/sysadmin-password"))));
      assertThat(c.toString())
          .endsWith(
              ", witness=jdbc(jdbc:postgresql://witness:5432/w) ttl=90s renew_every=15s"
                  + " fence_margin=20s sysadmin_password=file]")
          .doesNotContain("in-url");
    }

    @Test
    @DisplayName("reads an etcd witness with the default timing")
    void etcd() throws Exception {
      SiteConfig c =
          parse(
              MINIMAL
                  + "witness=etcd\n"
                  + "witness.etcd.endpoints=http://10.0.0.5:2379, https://etcd.example.net:2379\n");

      assertThat(c.failover())
          .isEqualTo(
              new SiteConfig.Failover(
                  "etcd",
                  Optional.empty(),
                  "",
                  Optional.empty(),
                  List.of("http://10.0.0.5:2379", "https://etcd.example.net:2379"),
                  WitnessSettings.DEFAULTS,
                  Optional.empty()));
      assertThat(c.toString())
          .endsWith(
              ", witness=etcd(http://10.0.0.5:2379,https://etcd.example.net:2379) ttl=1m"
                  + " renew_every=10s fence_margin=15s sysadmin_password=none]");
    }

    @Test
    @DisplayName("refuses what is unknown, missing, misplaced or unsafe, naming the key")
    void refusals() {
      String jdbc = MINIMAL + "witness=jdbc\nwitness.jdbc.url=jdbc:h2:mem:w\n";
      String etcd = MINIMAL + "witness=etcd\nwitness.etcd.endpoints=http://127.0.0.1:2379\n";
      refused(MINIMAL + "witness=zookeeper\n", "witness must be none, jdbc or etcd, was zookeeper");
      refused(MINIMAL + "witness=JDBC\n", "witness must be none, jdbc or etcd, was JDBC");
      refused(MINIMAL + "witness=jdbc\n", "configuration key witness.jdbc.url is required");
      refused(MINIMAL + "witness=etcd\n", "configuration key witness.etcd.endpoints is required");
      refused(MINIMAL + "witness.ttl=60s\n", "witness.ttl needs witness=jdbc or witness=etcd");
      refused(
          MINIMAL + "failover.sysadmin-password-file=/p\n",
          "failover.sysadmin-password-file needs witness=jdbc or witness=etcd");
      refused(
          MINIMAL + "witness=none\nwitness.etcd.endpoints=http://127.0.0.1:2379\n",
          "witness.etcd.endpoints needs witness=jdbc or witness=etcd");
      refused(
          jdbc + "witness.etcd.endpoints=http://127.0.0.1:2379\n",
          "witness.etcd.endpoints needs witness=etcd");
      refused(etcd + "witness.jdbc.user=geored\n", "witness.jdbc.user needs witness=jdbc");
      refused(
          MINIMAL + "witness=jdbc\nwitness.jdbc.url=postgres://w:5432/x;password=p\n",
          "witness.jdbc.url must be a JDBC URL such as"
              + " jdbc:postgresql://witness.example.net:5432/geored_witness, was"
              + " postgres://w:5432/x");
      refused(
          MINIMAL + "witness=etcd\nwitness.etcd.endpoints=http://a:2379,,http://b:2379\n",
          "witness.etcd.endpoints must be etcd client URLs with a port, separated by commas,"
              + " such as http://10.0.0.5:2379,http://10.0.0.6:2379, was"
              + " http://a:2379,,http://b:2379");
      refused(
          MINIMAL + "witness=etcd\nwitness.etcd.endpoints=10.0.0.5:2379\n",
          "witness.etcd.endpoints must be etcd client URLs with a port, separated by commas,"
              + " such as http://10.0.0.5:2379,http://10.0.0.6:2379, was 10.0.0.5:2379");
      refused(
          jdbc + "witness.ttl=soon\n",
          "witness.ttl must be a duration from 1ms to 7 days written as a number and a unit"
              + " (ms, s, m, h), such as 90s, 15m or 1h, was soon");
      refused(
          jdbc + "witness.fence-margin=60s\n",
          "witness.fence-margin (1m) must be shorter than witness.ttl (1m)");
      refused(
          jdbc + "witness.renew-every=45s\n",
          "witness.renew-every (45s) must be shorter than witness.ttl minus witness.fence-margin"
              + " (45s)");
      refused(
          etcd + "witness.ttl=1s\nwitness.fence-margin=200ms\nwitness.renew-every=100ms\n",
          "witness.ttl must be whole seconds, at least 2s, with witness=etcd (etcd's leases), was"
              + " 1s");
      refused(
          etcd + "witness.ttl=2500ms\nwitness.fence-margin=1s\nwitness.renew-every=500ms\n",
          "witness.ttl must be whole seconds, at least 2s, with witness=etcd (etcd's leases), was"
              + " 2500ms");
      refused(
          MINIMAL + "witness.etc.endpoints=x\n", "unknown configuration key witness.etc.endpoints");
      refused(
          MINIMAL + "witness=jdbc # the database\n",
          "witness ends with what looks like a comment (a space, then #): a properties file has"
              + " no end-of-line comments, put the comment on a line of its own");
    }
  }
}
