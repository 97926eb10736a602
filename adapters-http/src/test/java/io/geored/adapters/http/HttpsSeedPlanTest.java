package io.geored.adapters.http;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed commit's PASS item 1 again, both sites serving https with certificates of a throwaway CA
 * made in the test and calling each other through a context that trusts that CA only: every peer
 * call (heartbeats, syncs, audits) and every operator call crosses TLS with hostname verification.
 */
@DisplayName("the seed commit's PASS item 1 over https between two full sites")
class HttpsSeedPlanTest extends HttpSeedPlanTest {

  @TempDir Path folder;

  @Override
  HttpSeedSites sites() {
    return HttpSeedSites.overHttps(folder);
  }
}
