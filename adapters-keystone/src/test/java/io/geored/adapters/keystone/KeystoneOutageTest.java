package io.geored.adapters.keystone;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.adapters.http.GeoredHttpServer;
import io.geored.testkit.realservice.Keystone;
import io.geored.testkit.realservice.RealServices;
import io.geored.testkit.sim.SingleSite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A site's Keystone stops: the site's HTTP server (Jetty, a real site behind it) answers 503 with
 * the JSON fault body to a token it has not validated yet, keeps answering a token whose validation
 * is still cached, and logs neither tokens nor passwords (slf4j-simple writes to System.err,
 * captured here).
 */
@DisplayName("Keystone stopped: 503 with the JSON fault body, never 500")
class KeystoneOutageTest {

  @RegisterExtension final RealServices services = new RealServices();

  @Test
  @DisplayName(
      "a token not yet validated gets 503 and the fault body; a cached validation still answers;"
          + " the log names the outage and holds no secret")
  void keystoneStopped() throws Exception {
    KeystoneSeed seed = KeystoneSeed.seed(Keystone.start(services));
    String cached = seed.token("admin", "admin");
    String fresh = seed.token("conf", "admin");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    SingleSite site = SingleSite.create();
    try (GeoredHttpServer server =
        GeoredHttpServer.builder(
                site.site(), seed.authenticator().cacheTtl(Duration.ofMinutes(10)).build())
            .port(0)
            .stopTimeout(Duration.ofMillis(100))
            .build()
            .start()) {
      HttpClient http = HttpClient.newHttpClient();
      URI peers = server.baseUri().resolve("/v1.0/system-peers");
      assertThat(get(http, peers, cached).statusCode()).isEqualTo(200);

      seed.keystone.stop();

      HttpResponse<String> down = get(http, peers, fresh);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(down.body())
          .isEqualTo(
              "{\"faultcode\":\"Server\",\"faultstring\":\"The identity service is temporarily"
                  + " unavailable\",\"debuginfo\":null}");
      assertThat(get(http, peers, cached).statusCode()).isEqualTo(200);
      assertThat(get(http, peers, fresh).statusCode()).isEqualTo(503);
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log)
        .contains("keystone unreachable: requests are answered 503 until it answers again")
        .doesNotContain(cached)
        .doesNotContain(fresh)
        .doesNotContain("pw-geored")
        .doesNotContain(seed.keystone.adminPassword());
    assertThat(log.lines().filter(l -> l.contains("keystone unreachable")).count()).isEqualTo(1);
  }

  static HttpResponse<String> get(HttpClient http, URI uri, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).header("X-Auth-Token", token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
