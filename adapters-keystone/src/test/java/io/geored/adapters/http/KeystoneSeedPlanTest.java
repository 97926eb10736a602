package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.testkit.realservice.RealServices;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed commit's PASS item 1 over HTTP as {@link HttpSeedPlanTest} plays it, but with each site
 * behind a real Keystone of its own (skipped locally without python3-keystone, failing when
 * CI=true): each site logs in to its peer's Keystone as the user its system peer names and finds
 * the peer's dcmanager and platform endpoints in the token's catalog.
 */
@DisplayName("the seed commit's PASS item 1 over HTTP, each site behind its own real Keystone")
class KeystoneSeedPlanTest extends HttpSeedPlanTest {

  @RegisterExtension final RealServices services = new RealServices();

  KeystoneSites keystones;

  @Override
  HttpSeedSites sites() {
    keystones = new KeystoneSites(services, b -> b);
    HttpSeedSites sites = new HttpSeedSites(keystones);
    keystones.bind(sites);
    return sites;
  }

  @Test
  @Override
  void correctOnBWhileADownThenAuditHealsA() {
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
