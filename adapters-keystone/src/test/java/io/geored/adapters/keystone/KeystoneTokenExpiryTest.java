package io.geored.adapters.keystone;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.adapters.http.Authenticator;
import io.geored.adapters.http.GeoredHttpServer;
import io.geored.adapters.http.HttpPeerSites;
import io.geored.adapters.http.PeerAccess;
import io.geored.adapters.http.Role;
import io.geored.core.secret.PlainTextPasswordCipher;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.realservice.Keystone;
import io.geored.testkit.realservice.KeystoneAdmin;
import io.geored.testkit.realservice.RealServices;
import io.geored.testkit.sim.SingleSite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls to a peer go on across the expiry of the peer's Keystone token, with exactly one new login:
 * a real Keystone issuing short-lived tokens (skipped locally without python3-keystone, failing
 * when CI=true) and a client whose refresh margin matches. Waits on the wall clock, as a bounded
 * poll, because Keystone's token lifetime is wall-clock time.
 */
@DisplayName("a peer's Keystone token is renewed before it expires: one new login, no failed call")
class KeystoneTokenExpiryTest {

  /** Keystone's [token] expiration for this test. */
  static final Duration EXPIRATION = Duration.ofSeconds(20);

  /**
   * The client's refresh margin: a token is renewed 14 s after its login, 6 s before it expires; so
   * the second login comes 14 s in, the first token expires 20 s in, a third login would come 28 s
   * in: 8 s for the last calls after the first token's expiry.
   */
  static final Duration MARGIN = Duration.ofSeconds(6);

  /** How often the test calls the peer. */
  static final Duration POLL = Duration.ofMillis(250);

  /** The wall-clock budget of the whole poll. */
  static final Duration BUDGET = Duration.ofSeconds(30);

  static final String USER = "geored-site-b";
  static final String PASSWORD = "Sh0rt-Lived-Passw0rd";

  @RegisterExtension final RealServices services = new RealServices();

  PrintStream err;
  ByteArrayOutputStream captured;
  GeoredHttpServer server;

  @BeforeEach
  void captureLog() {
    err = System.err;
    captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    System.setErr(err);
    if (server != null) {
      server.close();
    }
  }

  @Test
  @DisplayName(
      "calls every 250 ms until one starts after the first token expired: all succeed, two tokens,"
          + " two logins")
  void acrossExpiry() throws Exception {
    Keystone keystone =
        Keystone.start(services, ClosingKeystone.options().tokenExpiration(EXPIRATION));
    KeystoneAdmin admin = keystone.admin();
    String userId = admin.createUser(USER, PASSWORD);
    admin.grant(userId, admin.projectId(Keystone.ADMIN_PROJECT), admin.roleId("admin"));

    // The peer: a geored site that validates what it receives against its own Keystone.
    Set<String> tokensSeen = ConcurrentHashMap.newKeySet();
    KeystoneClient validator = KeystoneClient.of(keystone.authUrl());
    Authenticator validating =
        token -> {
          Optional<KeystoneToken> valid = validator.validate(admin.token(), token);
          if (valid.isPresent() && valid.get().userId().equals(userId)) {
            tokensSeen.add(token);
            return Optional.of(new Authenticator.Principal(USER, Set.of(Role.ADMIN)));
          }
          return Optional.empty();
        };
    server =
        GeoredHttpServer.builder(SingleSite.create().site(), validating)
            .port(0)
            .stopTimeout(Duration.ofMillis(100))
            .build()
            .start();
    admin.registerEndpoint(
        "dcmanager", "dcmanager", "SystemController", server.baseUri().toString());
    admin.registerEndpoint(
        "platform", "sysinv", Keystone.REGION_ONE, "http://127.0.0.1:" + server.port());

    KeystonePeerAccess access =
        KeystonePeerAccess.builder(new PlainTextPasswordCipher()).refreshMargin(MARGIN).build();
    SystemPeer peer =
        SystemPeer.builder()
            .id(1)
            .peerUuid(SingleSite.SITE_A.uuid())
            .peerName("site-a")
            .managerEndpoint(keystone.authUrl())
            .managerUsername(USER)
            .managerPassword(
                Secret.of(
                    java.util.Base64.getEncoder()
                        .encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8))))
            .build();
    SiteApi client = HttpPeerSites.builder(access).build().clientFor(peer);

    assertThat(client.identity(Caller.PEER_SITE).uuid()).isEqualTo(SingleSite.SITE_A.uuid());
    PeerAccess first = access.accessFor(peer);
    Instant firstExpires =
        validator.validate(admin.token(), first.token()).orElseThrow().expiresAt();

    Instant deadline = Instant.now().plus(BUDGET);
    AtomicInteger calls = new AtomicInteger(1);
    Instant started;
    do {
      started = Instant.now();
      assertThat(started).as("poll budget").isBefore(deadline);
      assertThat(client.listPeerGroups(Caller.PEER_SITE)).isEmpty();
      assertThat(client.identity(Caller.PEER_SITE).uuid()).isEqualTo(SingleSite.SITE_A.uuid());
      calls.addAndGet(2);
      Thread.sleep(POLL.toMillis());
    } while (!started.isAfter(firstExpires));

    // The first token is gone at Keystone; the calls went on with the second.
    assertThat(validator.validate(admin.token(), first.token())).isEmpty();
    assertThat(access.accessFor(peer).token()).isNotEqualTo(first.token());
    assertThat(tokensSeen).hasSize(2).contains(first.token());
    String log = captured.toString(StandardCharsets.UTF_8);
    long logins =
        Arrays.stream(log.split("\n"))
            .filter(l -> l.contains("peer keystone login peer=site-a"))
            .count();
    assertThat(logins)
        .as(
            "logins (first token expired at %s, poll ended at %s):%n%s",
            firstExpires,
            Instant.now(),
            String.join(
                "\n",
                Arrays.stream(log.split("\n")).filter(l -> l.contains("keystone login")).toList()))
        .isEqualTo(2);
    assertThat(calls.get()).isGreaterThanOrEqualTo(5);
    assertThat(log).doesNotContain(PASSWORD).doesNotContain(first.token());
    for (String token : tokensSeen) {
      assertThat(log).doesNotContain(token);
    }
  }
}
