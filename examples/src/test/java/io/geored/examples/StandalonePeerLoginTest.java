package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.secret.AesGcmPasswordCipher;
import io.geored.spi.PeerTransportException;
import io.geored.spi.api.Caller;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SystemPeer;
import java.io.StringReader;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The standalone site calls its peers as {@code peer.login} says: with static tokens, or by logging
 * in to the peer's Keystone (its {@code manager_endpoint}) with the stored password. No peer or
 * Keystone listens here: the failures show which way was taken.
 */
@DisplayName("the standalone site's peer login follows peer.login")
class StandalonePeerLoginTest {

  static final AesGcmPasswordCipher CIPHER = new AesGcmPasswordCipher(new byte[32]);

  static SiteConfig config(String extra) throws Exception {
    Properties p = new Properties();
    p.load(
        new StringReader(
            "site.uuid=aaaaaaaa-0000-4000-8000-00000000000a\n"
                + "site.name=site-a\n"
                + "auth.token.ops=ops-secret\n"
                + "auth.roles.ops=admin\n"
                + extra));
    return SiteConfig.parse(p);
  }

  static SystemPeer peer() {
    return SystemPeer.builder()
        .id(1)
        .peerUuid("bbbbbbbb-0000-4000-8000-000000000002")
        .peerName("site-b")
        .managerEndpoint("http://127.0.0.1:9/v3")
        .managerUsername("geored")
        .managerPassword(Secret.of(CIPHER.encrypt("bm90LWJhc2U2NA==")))
        .build();
  }

  @Test
  @DisplayName("default: the static token of peer.token.<uuid>; none configured is named")
  void staticTokens() throws Exception {
    assertThatThrownBy(
            () ->
                StandaloneSite.peerSites(config(""), CIPHER)
                    .clientFor(peer())
                    .listPeerGroups(Caller.OPERATOR))
        .isInstanceOf(PeerTransportException.class)
        .hasMessage("no token configured for peer site-b (bbbbbbbb-0000-4000-8000-000000000002)");
  }

  @Test
  @DisplayName("peer.login=keystone: a login to the peer's Keystone with the decrypted password")
  void keystone() throws Exception {
    assertThatThrownBy(
            () ->
                StandaloneSite.peerSites(config("peer.login=keystone\n"), CIPHER)
                    .clientFor(peer())
                    .listPeerGroups(Caller.OPERATOR))
        .isInstanceOf(PeerTransportException.class)
        .hasMessageStartingWith(
            "login to the Keystone of peer site-b failed: Keystone at http://127.0.0.1:9/v3"
                + " cannot be reached for the login of user geored");
  }
}
