package io.geored.adapters.http;

import io.geored.spi.api.SiteApi;
import io.geored.testkit.contract.SiteApiClientContract;
import io.geored.testkit.sim.SingleSite;
import org.junit.jupiter.api.DisplayName;

@DisplayName("the HTTP client talking to the HTTP server on a loopback port keeps the contract")
class HttpSiteApiClientContractTest extends SiteApiClientContract {

  private static final String TOKEN = "contract-admin-token";

  private GeoredHttpServer server;

  @Override
  protected SiteApi connect(SingleSite site) {
    server =
        GeoredHttpServer.builder(
                site.site(),
                TokenAuthenticator.builder().token(TOKEN, "contract", Role.ADMIN).build())
            .port(0)
            .stopTimeout(java.time.Duration.ofMillis(50))
            .build()
            .start();
    return HttpSiteClient.create(server.baseUri(), TOKEN);
  }

  @Override
  protected void disconnect() {
    server.close();
  }
}
