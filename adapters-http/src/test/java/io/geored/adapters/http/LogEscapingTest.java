package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.LogSafe;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SubcloudCreate;
import io.geored.testkit.sim.SingleSite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A value sent over HTTP reaches the log on one line, its control characters escaped (slf4j-simple
 * writes to System.err, captured here).
 */
@DisplayName("values from a request reach the log escaped, one line each")
class LogEscapingTest {

  SingleSite site;
  GeoredHttpServer server;
  PrintStream err;
  ByteArrayOutputStream captured;

  @BeforeEach
  void setUp() {
    site = SingleSite.create();
    server =
        GeoredHttpServer.builder(
                site.site(), TokenAuthenticator.builder().token("t", "admin", Role.ADMIN).build())
            .port(0)
            .stopTimeout(Duration.ofMillis(100))
            .build()
            .start();
    err = System.err;
    captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    System.setErr(err);
    server.close();
  }

  @Test
  @DisplayName("a region name holding a newline is one log line with \\n escaped")
  void regionName() {
    String region = "region-1\n[main] ERROR io.geored.core.GeoRedundancy - forged\r\tx\u2028y\\z";
    HttpSiteClient.create(server.baseUri(), "t")
        .createSubcloud(
            Caller.OPERATOR,
            SubcloudCreate.builder()
                .name("sc1")
                .regionName(region)
                .bootstrapValues(Map.of("name", "sc1", "bootstrap-address", "10.0.0.2"))
                .bootstrapAddress("10.0.0.2")
                .build());
    System.err.flush();
    List<String> lines =
        Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
            .filter(l -> !l.isEmpty())
            .toList();

    assertThat(lines).noneMatch(l -> l.startsWith("[main] ERROR"));
    assertThat(lines.stream().filter(l -> l.contains("subcloud registered")).toList())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .contains(
                        " INFO io.geored.core.service.SubcloudService - subcloud registered"
                            + " name=sc1 region=region-1\\n[main] ERROR"
                            + " io.geored.core.GeoRedundancy - forged\\r\\tx\\u2028y\\\\z"
                            + " deploy_status="));
  }

  @Test
  @DisplayName("LogSafe escapes control characters, line separators and the backslash only")
  void logSafe() {
    assertThat(LogSafe.escape("plain name-1 \u00e9\u4e2d %25"))
        .isEqualTo("plain name-1 \u00e9\u4e2d %25");
    assertThat(LogSafe.escape("a\nb\rc\td\\e\u0000f\u007fg\u0085h\u2029i"))
        .isEqualTo("a\\nb\\rc\\td\\\\e\\u0000f\\u007fg\\u0085h\\u2029i");
    assertThat(LogSafe.escape(null)).isNull();
    assertThat(LogSafe.of("x\ny")).hasToString("x\\ny");
    assertThat(LogSafe.of(null)).hasToString("null");
  }
}
