package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README's two-site Keystone lines are a configuration the site accepts, as printed. */
class ReadmeKeystoneSnippetTest {

  @Test
  @DisplayName(
      "the README's Keystone lines, with a site's identity, parse to Keystone on both sides")
  void readmeKeystoneLinesParse() throws Exception {
    Path readme = Path.of("..", "README.md");
    if (!Files.exists(readme)) {
      readme = Path.of("README.md");
    }
    List<String> lines = Files.readAllLines(readme);
    int section = lines.indexOf("#### Peering through Keystone");
    assertThat(section).as("README has the Keystone section").isNotNegative();
    int open = lines.subList(section, lines.size()).indexOf("```properties") + section;
    assertThat(open).as("the section has a properties block").isGreaterThan(section);
    int close = lines.subList(open + 1, lines.size()).indexOf("```") + open + 1;
    Properties p = new Properties();
    p.load(
        new StringReader(
            "site.uuid=aaaaaaaa-0000-4000-8000-000000000001\nsite.name=site-a\n"
                + String.join("\n", lines.subList(open + 1, close))));

    SiteConfig config = SiteConfig.parse(p);

    SiteConfig.KeystoneServer keystone = config.keystone().orElseThrow();
    assertThat(keystone.authUrl()).isEqualTo("https://ks-a.example:5001/v3");
    assertThat(keystone.user()).isEqualTo("geored");
    assertThat(keystone.passwordFile()).isEqualTo(Path.of("keystone-password"));
    assertThat(keystone.project()).isEqualTo("services");
    assertThat(keystone.projects()).isEqualTo(Set.of("admin", "services"));
    assertThat(keystone.cacheTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(keystone.peerUsers())
        .isEqualTo(
            Map.of("8f2c6f0a9b1e4c55a1e0c3d5b7a9e1f2", "bbbbbbbb-0000-4000-8000-000000000002"));
    assertThat(config.peerLogin().keystone()).isTrue();
    assertThat(config.tokens()).isEmpty();
    assertThat(config.peerTokens()).isEmpty();
  }
}
