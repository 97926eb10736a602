package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.adapters.http.HttpSiteClient;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.SubcloudPeerGroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The standalone site process")
class SiteMainProcessTest {

  @TempDir Path dir;

  private Process launch(Path config) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            SiteMain.class.getName(),
            config.toString())
        .redirectError(dir.resolve("stderr.log").toFile())
        .start();
  }

  private static String readLine(BufferedReader out) throws Exception {
    String line = out.readLine();
    assertThat(line).as("the site printed nothing and ended").isNotNull();
    return line;
  }

  @Test
  @Timeout(60)
  @DisplayName(
      "runs a site from its configuration file, answers over HTTP, stops cleanly on SIGTERM and"
          + " finds its data again on the next start")
  void runsUntilSigterm() throws Exception {
    Path config = dir.resolve("site.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "site.uuid=aaaaaaaa-0000-4000-8000-00000000000a",
            "site.name=site-a",
            "database.folder=" + dir.resolve("db").toString().replace("\\", "/"),
            "http.host=127.0.0.1",
            "http.port=0",
            "auth.token.ops=ops-token",
            "auth.roles.ops=admin",
            "peer.token.bbbbbbbb-0000-4000-8000-00000000000b=to-b",
            ""));

    Process first = launch(config);
    List<String> printed = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
      String ready = readLine(out);
      assertThat(ready).startsWith(SiteMain.READY);
      SiteApi site =
          HttpSiteClient.create(URI.create(ready.substring(SiteMain.READY.length())), "ops-token");
      SubcloudPeerGroup created =
          site.createPeerGroup(
              Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName("pg1").build());
      assertThat(created.peerGroupName()).isEqualTo("pg1");
      assertThat(created.systemLeaderId()).isEqualTo("aaaaaaaa-0000-4000-8000-00000000000a");

      first.toHandle().destroy(); // SIGTERM, leaving our end of its output open
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String line;
      while ((line = out.readLine()) != null) {
        printed.add(line);
      }
    }
    // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited as a terminated process.
    assertThat(first.exitValue()).isEqualTo(143);
    assertThat(printed).containsExactly(SiteMain.STOPPED);
    assertThat(Files.readString(dir.resolve("stderr.log")))
        .contains("site stopped site_uuid=aaaaaaaa-0000-4000-8000-00000000000a")
        .doesNotContain("ops-token");
    // Every line the site logs starts with an ISO-8601 timestamp, the thread and the level.
    assertThat(Files.readAllLines(dir.resolve("stderr.log")))
        .isNotEmpty()
        .allSatisfy(
            line ->
                assertThat(line)
                    .matches(
                        "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})"
                            + " \\[[^\\]]+\\] (TRACE|DEBUG|INFO|WARN|ERROR) .*"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches(
                        ".* INFO io\\.geored\\.examples\\.StandaloneSite - site stopped"
                            + " site_uuid=aaaaaaaa-0000-4000-8000-00000000000a site_name=site-a"));

    Process second = launch(config);
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8))) {
      String ready = readLine(out);
      SiteApi site =
          HttpSiteClient.create(URI.create(ready.substring(SiteMain.READY.length())), "ops-token");
      assertThat(site.listPeerGroups(Caller.OPERATOR))
          .extracting(SubcloudPeerGroup::peerGroupName)
          .containsExactly("pg1");
    } finally {
      second.toHandle().destroy();
      assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  @Timeout(30)
  @DisplayName("refuses a configuration with an unknown key, naming it, with exit code 2")
  void refusesBadConfiguration() throws Exception {
    Path config = dir.resolve("bad.properties");
    Files.writeString(
        config, "site.uuid=u\nsite.name=n\nauth.token.ops=t\nauth.roles.ops=admin\nhttp.prot=1\n");
    Process p = launch(config);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("stderr.log")))
        .contains("unknown configuration key http.prot");
  }
}
