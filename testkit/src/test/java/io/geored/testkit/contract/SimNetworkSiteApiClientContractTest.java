package io.geored.testkit.contract;

import io.geored.spi.api.SiteApi;
import io.geored.spi.model.LocalSystem;
import io.geored.testkit.sim.SimNetwork;
import io.geored.testkit.sim.SingleSite;
import org.junit.jupiter.api.DisplayName;

@DisplayName("a client through the in-process network keeps the SiteApi client contract")
class SimNetworkSiteApiClientContractTest extends SiteApiClientContract {

  private static final LocalSystem CALLER =
      new LocalSystem("cccccccc-0000-4000-8000-0000000000cc", "caller");

  @Override
  protected SiteApi connect(SingleSite site) {
    SimNetwork network = new SimNetwork(site.scheduler().virtualClock());
    network.register(SingleSite.SITE_A, "http://site-a.sim/v1.0", site.site());
    // The calling side must be attached to send; nothing ever calls it.
    network.register(CALLER, "http://caller.sim/v1.0", site.site());
    return network.client(CALLER, "http://site-a.sim/v1.0");
  }
}
