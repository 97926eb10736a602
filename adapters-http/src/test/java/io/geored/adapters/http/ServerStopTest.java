package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.Caller;
import io.geored.testkit.sim.SingleSite;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a host sees when it stops a server that a peer is still connected to. */
@DisplayName("stopping the server")
class ServerStopTest {

  @Test
  @DisplayName(
      "with a peer's keep-alive connection open, close returns, the port is free, and a new server"
          + " on that port serves at once")
  void closeWithAPooledPeerConnection() throws Exception {
    SingleSite site = SingleSite.create();
    Authenticator tokens = TokenAuthenticator.builder().token("t", "admin", Role.ADMIN).build();
    GeoredHttpServer first =
        GeoredHttpServer.builder(site.site(), tokens)
            .port(0)
            .stopTimeout(Duration.ofMillis(100))
            .build()
            .start();
    int port = first.port();
    URI base = first.baseUri();
    HttpSiteClient client = HttpSiteClient.create(base, "t");
    // The JDK client keeps this connection in its pool after the answer.
    assertThat(client.listSubclouds(Caller.OPERATOR)).isEmpty();

    first.close();

    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(probe.getLocalPort()).isEqualTo(port);
    }
    try (GeoredHttpServer second =
        GeoredHttpServer.builder(site.site(), tokens).port(port).build().start()) {
      assertThat(HttpSiteClient.create(second.baseUri(), "t").listSubclouds(Caller.OPERATOR))
          .isEmpty();
      assertThat(second.baseUri()).isEqualTo(base);
    }
  }
}
