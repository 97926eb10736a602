package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.realservice.RealServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A system peer with the wrong password for the peer's real Keystone (skipped locally without
 * python3-keystone, failing when CI=true): every heartbeat's login fails, the peer becomes
 * unavailable after the threshold and alarm 280.004 is raised, and the password is in no log line.
 * Engine time is virtual; the logins are real.
 */
@DisplayName("a wrong peer password: missed beats, unavailable, 280.004, the password never logged")
class KeystoneWrongPasswordTest {

  static final String WRONG = "Wr0ng-Peer-Passw0rd!";

  @RegisterExtension final RealServices services = new RealServices();

  PrintStream err;
  ByteArrayOutputStream captured;
  HttpSeedSites s;

  @BeforeEach
  void captureLog() {
    err = System.err;
    captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    System.setErr(err);
    if (s != null) {
      s.close();
    }
  }

  @Test
  @DisplayName(
      "B's logins to A's Keystone are refused (401): after 3 missed beats A is unavailable on B,"
          + " 280.004 raised, no log line holds the password")
  void wrongPassword() {
    KeystoneSites keystones = new KeystoneSites(services, b -> b);
    keystones.passwordOf.put("site-b", WRONG);
    s = new HttpSeedSites(keystones);
    keystones.bind(s);

    SystemPeer aOnB = s.b.api().createSystemPeer(Caller.OPERATOR, s.peerOf(s.b, s.a));
    s.b.engine.start();
    SubcloudPeerGroup group =
        s.b
            .api()
            .createPeerGroup(
                Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg-b").build());
    s.b
        .api()
        .createAssociation(
            Caller.OPERATOR,
            AssociationCreate.builder()
                .peerGroupId(group.id())
                .systemPeerId(aOnB.id())
                .peerGroupPriority(2)
                .build());
    assertThat(s.b.api().getSystemPeer(Caller.OPERATOR, s.a.uuid()).availabilityState())
        .isNotEqualTo(PeerAvailability.UNAVAILABLE);

    // Three beats of 60 s, each a refused login.
    s.advance(Duration.ofMinutes(4));

    assertThat(s.b.api().getSystemPeer(Caller.OPERATOR, s.a.uuid()).availabilityState())
        .isEqualTo(PeerAvailability.UNAVAILABLE);
    assertThat(s.b.alarms.isRaised("280.004", "peer=" + s.a.uuid())).isTrue();
    // A never took a call from B.
    assertThat(s.a.peerCalls).hasValue(0);

    String log = captured.toString(StandardCharsets.UTF_8);
    List<String> failures =
        Arrays.stream(log.split("\n"))
            .filter(l -> l.contains("heartbeat failed peer=site-a"))
            .toList();
    assertThat(failures).hasSizeGreaterThanOrEqualTo(3);
    assertThat(failures)
        .allSatisfy(
            l ->
                assertThat(l)
                    .contains(
                        "reason=login to the Keystone of peer site-a failed: Keystone at "
                            + keystones.keystoneA.authUrl()
                            + " refused the login of user geored-site-b with status 401"));
    for (String secret :
        List.of(
            WRONG,
            Base64.getEncoder().encodeToString(WRONG.getBytes(StandardCharsets.UTF_8)),
            KeystoneSites.PEER_PASSWORD)) {
      assertThat(log).doesNotContain(secret);
    }
  }
}
