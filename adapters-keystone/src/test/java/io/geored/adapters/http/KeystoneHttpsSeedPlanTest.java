package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.testkit.realservice.KeystoneHttps;
import io.geored.testkit.realservice.RealServices;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed commit's PASS item 1 over https end to end, Keystone included: both geored sites serve
 * https, each behind its own real Keystone served over https (skipped locally without
 * python3-keystone, failing when CI=true), all four certificates from one throwaway CA that every
 * client trusts alone. Each site logs in to its peer's Keystone, finds the peer's https endpoints
 * in the catalog, and validates the tokens it receives with its own Keystone.
 */
@DisplayName(
    "the seed commit's PASS item 1 over https, each site behind its own Keystone over https")
class KeystoneHttpsSeedPlanTest extends HttpSeedPlanTest {

  @RegisterExtension final RealServices services = new RealServices();

  @TempDir Path folder;

  KeystoneSites keystones;

  @Override
  HttpSeedSites sites() {
    TestPki ca = TestPki.ca("seed-ca");
    SSLContext trust = ca.clientContext(folder.resolve("trust"));
    keystones =
        new KeystoneSites(
            services,
            b -> b,
            name -> {
              Path store = ca.keyStore(folder, "keystone-" + name, "127.0.0.1");
              return KeystoneHttps.options(services, store, TestPki.passwordFile(store), trust);
            },
            trust);
    HttpSeedSites sites =
        new HttpSeedSites(
            keystones,
            new HttpSeedSites.Tls(ca.serverContext(folder, "site-a", "127.0.0.1"), trust, trust),
            new HttpSeedSites.Tls(ca.serverContext(folder, "site-b", "127.0.0.1"), trust, trust));
    keystones.bind(sites);
    return sites;
  }

  @Test
  @Override
  void correctOnBWhileADownThenAuditHealsA() {
    assertThat(keystones.keystoneA.authUrl()).startsWith("https://127.0.0.1:");
    assertThat(keystones.keystoneB.authUrl()).startsWith("https://127.0.0.1:");
    assertThat(s.a.endpoint()).startsWith("https://");
    assertThat(s.b.endpoint()).startsWith("https://");
    super.correctOnBWhileADownThenAuditHealsA();
    assertThat(keystones.peerTokensSeen).containsOnlyKeys("site-a", "site-b");
    assertThat(keystones.peerTokensSeen.get("site-a")).isNotEmpty();
    assertThat(keystones.peerTokensSeen.get("site-b")).isNotEmpty();
  }

  /**
   * Not played here: a site moving to another port changes its catalog endpoints in its own
   * Keystone, not its peer's system peer.
   */
  @Override
  void aReturnsOnAnotherPort() {}
}
