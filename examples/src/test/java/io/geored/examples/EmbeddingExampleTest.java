package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.LocalSystem;
import io.geored.spi.work.RehomeOutcome;
import io.geored.testkit.work.ScriptedProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("README.md's embedding code")
class EmbeddingExampleTest {

  @TempDir Path dir;

  @Test
  @DisplayName("builds, starts, answers over its API and closes a site on H2 and HTTP")
  void runs() {
    LocalSystem answered =
        EmbeddingExample.run(
            dir.resolve("db"),
            new byte[32],
            (subcloud, data, password) ->
                CompletableFuture.completedFuture(new RehomeOutcome.Failed("not in this test")),
            new ScriptedProbe());

    assertThat(answered)
        .isEqualTo(new LocalSystem("6c5b1a5e-7d0e-4c1e-9f49-3f0a7d1f0c11", "site-a"));
    assertThat(dir.resolve("db")).isDirectoryContaining("glob:**.mv.db");
  }

  @Test
  @DisplayName("README.md shows exactly the code between the example's markers")
  void readmeShowsTheSameCode() throws Exception {
    String source =
        Files.readString(
            Path.of("src/main/java/io/geored/examples/EmbeddingExample.java"),
            StandardCharsets.UTF_8);
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    String code =
        source.substring(
            source.indexOf("// --- README: embedding\n") + "// --- README: embedding\n".length(),
            source.indexOf("    // --- end"));
    // README.md shows it without the method's indentation.
    String unindented = code.replaceAll("(?m)^    ", "");

    assertThat(readme).contains("```java\n" + unindented + "```\n");
  }
}
