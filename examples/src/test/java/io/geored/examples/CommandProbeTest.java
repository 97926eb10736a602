package io.geored.examples;

import static io.geored.examples.CommandRehomerTest.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.Subcloud;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command probe with real processes; waits are bounded polls, never fixed sleeps. */
@DisplayName("A standalone site's probe command")
class CommandProbeTest {

  @TempDir Path dir;
  private CommandProbe probe;

  @AfterEach
  void close() {
    if (probe != null) {
      probe.close();
    }
  }

  private CommandProbe probe(String command, Duration timeout, int maxConcurrent) {
    probe =
        new CommandProbe(
            CommandLine.split("probe.command", command),
            timeout,
            Duration.ofMillis(300),
            maxConcurrent);
    return probe;
  }

  private static Subcloud subcloud(String name) {
    return Subcloud.builder().name(name).regionName("region-" + name).build();
  }

  private AvailabilityStatus probe(String name) throws Exception {
    return probe.probe(subcloud(name)).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private Path script(String body) throws Exception {
    Path file = dir.resolve("probe.sh");
    Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  @DisplayName("exit 0 is online, any other status offline; name and region are handed over")
  void exitDecides() throws Exception {
    Path script =
        script(
            "echo \"$GEORED_SUBCLOUD_NAME $GEORED_SUBCLOUD_REGION $1\""
                + " > \"$(dirname \"$0\")/seen-$1\"\n"
                + "exit \"$(cat \"$(dirname \"$0\")/status-$1\")\"\n");
    Files.writeString(dir.resolve("status-up"), "0");
    Files.writeString(dir.resolve("status-down"), "3");
    probe("sh " + script + " {name}", Duration.ofSeconds(30), 8);

    assertThat(probe("up")).isEqualTo(AvailabilityStatus.ONLINE);
    assertThat(probe("down")).isEqualTo(AvailabilityStatus.OFFLINE);
    assertThat(Files.readString(dir.resolve("seen-up")).strip()).isEqualTo("up region-up up");

    Files.writeString(dir.resolve("status-down"), "0");
    assertThat(probe("down")).isEqualTo(AvailabilityStatus.ONLINE);
  }

  @Test
  @DisplayName("a probe past its timeout, or one that cannot start, is offline")
  void timeoutAndMissing() throws Exception {
    probe("sh -c 'sleep 20'", Duration.ofMillis(300), 8);
    assertThat(probe("slow")).isEqualTo(AvailabilityStatus.OFFLINE);
    probe.close();

    probe(dir.resolve("no-such-probe").toString(), Duration.ofSeconds(30), 8);
    assertThat(probe("missing")).isEqualTo(AvailabilityStatus.OFFLINE);
  }

  @Test
  @DisplayName("runs at most probe.max-concurrent commands at once, the others in turn")
  void concurrencyBound() throws Exception {
    // Each run marks itself running, then waits for its own release file.
    Path script =
        script(
            "d=\"$(dirname \"$0\")\"\n"
                + "mkdir \"$d/running/$GEORED_SUBCLOUD_NAME\"\n"
                + "while [ ! -e \"$d/release-$GEORED_SUBCLOUD_NAME\" ]; do sleep 0.02; done\n"
                + "rmdir \"$d/running/$GEORED_SUBCLOUD_NAME\"\n");
    Files.createDirectory(dir.resolve("running"));
    probe("sh " + script, Duration.ofSeconds(30), 2);

    List<CompletableFuture<AvailabilityStatus>> answers =
        Stream.of("a", "b", "c", "d")
            .map(n -> probe.probe(subcloud(n)).toCompletableFuture())
            .toList();

    poll(() -> running().equals(Set.of("a", "b")));
    release("a");
    // c starts only when a ended; d cannot start while b and c wait for their release.
    poll(() -> running().equals(Set.of("b", "c")));
    release("b");
    poll(() -> running().equals(Set.of("c", "d")));
    release("c");
    release("d");
    for (CompletableFuture<AvailabilityStatus> answer : answers) {
      assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(AvailabilityStatus.ONLINE);
    }
  }

  private void release(String name) throws Exception {
    Files.createFile(dir.resolve("release-" + name));
  }

  private Set<String> running() {
    try (Stream<Path> names = Files.list(dir.resolve("running"))) {
      return names.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
