package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.work.RehomeOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command rehomer with real processes: shell scripts the test writes. Waits are bounded polls
 * (a process boundary is crossed), never fixed sleeps.
 */
@DisplayName("A standalone site's rehome command")
class CommandRehomerTest {

  private static final long BUDGET_SECONDS = 30;
  private static final String PASSWORD = "c3lzYWRtaW4tc2VjcmV0"; // base64 of sysadmin-secret

  @TempDir Path dir;
  private CommandRehomer rehomer;

  @AfterEach
  void close() {
    if (rehomer != null) {
      rehomer.close();
    }
  }

  private Path data() {
    return dir.resolve("data");
  }

  private Path script(String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  private CommandRehomer rehomer(String command, Duration timeout) {
    rehomer =
        new CommandRehomer(
            CommandLine.split("rehome.command", command),
            timeout,
            Duration.ofMillis(300),
            2,
            data(),
            Clock.fixed(Instant.parse("2026-12-01T23:10:00.123Z"), ZoneOffset.UTC));
    return rehomer;
  }

  private static Subcloud subcloud(String name, String bootstrapAddress) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", name);
    payload.put("bootstrap-address", bootstrapAddress);
    payload.put("systemcontroller_gateway_address", "192.168.204.101");
    return Subcloud.builder()
        .name(name)
        .regionName("region-" + name)
        .rehomeData(RehomeData.ofSavedPayload(payload))
        .build();
  }

  private RehomeOutcome rehome(Subcloud s) throws Exception {
    return rehomer
        .rehome(s, s.rehomeData(), PASSWORD)
        .toCompletableFuture()
        .get(BUDGET_SECONDS, TimeUnit.SECONDS);
  }

  /** Fails for any bootstrap address but 10.10.10.12; records what it saw of its file. */
  private Path bootstrapScript() throws Exception {
    return script(
        "rehome.sh",
        "seen=\"$(dirname \"$0\")/seen-$GEORED_SUBCLOUD_NAME\"\n"
            + "echo \"$GEORED_REHOME_FILE\" > \"$seen.path\"\n"
            + "stat -c %a \"$GEORED_REHOME_FILE\" > \"$seen.mode\"\n"
            + "stat -c %a \"$(dirname \"$GEORED_REHOME_FILE\")\" > \"$seen.folder\"\n"
            + "cp \"$GEORED_REHOME_FILE\" \"$seen.json\"\n"
            + "echo \"args: $*\" > \"$seen.args\"\n"
            + "i=1; while [ $i -le 12 ]; do echo \"playbook line $i\"; i=$((i+1)); done\n"
            + "if grep -q '\"bootstrap-address\":\"10.10.10.12\"' \"$GEORED_REHOME_FILE\"; then\n"
            + "  echo \"rehomed $GEORED_SUBCLOUD_NAME ($GEORED_SUBCLOUD_REGION)\"; exit 0\n"
            + "fi\n"
            + "echo 'TASK [validate-target] fatal: 10.10.10.2 unreachable' >&2\n"
            + "exit 2\n");
  }

  private static String read(Path file) throws Exception {
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }

  private List<Path> logs() throws Exception {
    try (Stream<Path> files = Files.list(data().resolve("rehome-logs"))) {
      return files.sorted().toList();
    }
  }

  @Test
  @DisplayName("fails for the wrong bootstrap address with the output's last lines, then rehomes")
  void wrongThenCorrectedAddress() throws Exception {
    Path script = bootstrapScript();
    rehomer("sh " + script + " {name} {region}", Duration.ofMinutes(1));

    RehomeOutcome failed = rehome(subcloud("subcloud1", "10.10.10.2"));

    assertThat(failed)
        .isEqualTo(
            new RehomeOutcome.Failed(
                "rehome command exited with status 2; last output:\n"
                    + "playbook line 4\nplaybook line 5\nplaybook line 6\nplaybook line 7\n"
                    + "playbook line 8\nplaybook line 9\nplaybook line 10\nplaybook line 11\n"
                    + "playbook line 12\n"
                    + "TASK [validate-target] fatal: 10.10.10.2 unreachable"));

    RehomeOutcome rehomed = rehome(subcloud("subcloud1", "10.10.10.12"));

    assertThat(rehomed).isEqualTo(new RehomeOutcome.Rehomed());
    assertThat(logs())
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "subcloud1-20261201T231000.123Z-1.log", "subcloud1-20261201T231000.123Z.log");
    assertThat(read(data().resolve("rehome-logs/subcloud1-20261201T231000.123Z.log")))
        .startsWith("playbook line 1\n")
        .endsWith("TASK [validate-target] fatal: 10.10.10.2 unreachable");
    assertThat(read(data().resolve("rehome-logs/subcloud1-20261201T231000.123Z-1.log")))
        .endsWith("playbook line 12\nrehomed subcloud1 (region-subcloud1)");
  }

  @Test
  @DisplayName("hands the data over in an owner-only file, removed afterwards, never on argv")
  void handOverFile() throws Exception {
    Path script = bootstrapScript();
    rehomer("sh " + script + " {name} {region}", Duration.ofMinutes(1));

    assertThat(rehome(subcloud("subcloud1", "10.10.10.12"))).isEqualTo(new RehomeOutcome.Rehomed());

    Path seen = dir.resolve("seen-subcloud1");
    Path handedOver = Path.of(read(Path.of(seen + ".path")));
    assertThat(handedOver.getParent()).isEqualTo(data().resolve("rehome-tmp"));
    assertThat(read(Path.of(seen + ".mode"))).isEqualTo("600");
    assertThat(read(Path.of(seen + ".folder"))).isEqualTo("700");
    assertThat(handedOver).doesNotExist();
    assertThat(read(Path.of(seen + ".json")))
        .isEqualTo(
            "{\"name\":\"subcloud1\",\"region_name\":\"region-subcloud1\","
                + "\"rehome_data\":{\"saved_payload\":{\"name\":\"subcloud1\","
                + "\"bootstrap-address\":\"10.10.10.12\","
                + "\"systemcontroller_gateway_address\":\"192.168.204.101\"}},"
                + "\"sysadmin_password\":\""
                + PASSWORD
                + "\"}");
    assertThat(read(Path.of(seen + ".args"))).isEqualTo("args: subcloud1 region-subcloud1");
    assertThat(read(logs().get(0))).doesNotContain(PASSWORD);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logs().get(0))))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data().resolve("rehome-logs"))))
        .isEqualTo("rwx------");
  }

  @Test
  @DisplayName("a command past its timeout is destroyed, then killed, and the rehome fails")
  void timeout() throws Exception {
    // The script ignores SIGTERM, so only the forcible kill after the grace ends it.
    Path script =
        script(
            "stuck.sh",
            "trap '' TERM\n"
                + "echo $$ > \"$(dirname \"$0\")/stuck.pid\"\n"
                + "echo 'waiting for the subcloud'\n"
                + "while :; do sleep 1; done\n");
    rehomer("sh " + script, Duration.ofMillis(500));

    RehomeOutcome outcome = rehome(subcloud("subcloud2", "10.10.10.12"));

    // The shell may report its killed sleep ("Killed") before it is killed itself.
    assertThat(outcome).isInstanceOf(RehomeOutcome.Failed.class);
    assertThat(((RehomeOutcome.Failed) outcome).errorDescription())
        .startsWith("rehome command timed out after 500ms; last output:\nwaiting for the subcloud");
    long pid = Long.parseLong(read(dir.resolve("stuck.pid")));
    poll(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    try (Stream<Path> left = Files.list(data().resolve("rehome-tmp"))) {
      assertThat(left).isEmpty();
    }
    assertThat(read(logs().get(0))).startsWith("waiting for the subcloud");
  }

  @Test
  @DisplayName("a command that cannot start fails the rehome and leaves no file")
  void cannotStart() throws Exception {
    rehomer(dir.resolve("missing-playbook").toString(), Duration.ofMinutes(1));

    RehomeOutcome outcome = rehome(subcloud("subcloud3", "10.10.10.12"));

    assertThat(outcome).isInstanceOf(RehomeOutcome.Failed.class);
    assertThat(((RehomeOutcome.Failed) outcome).errorDescription())
        .startsWith(
            "rehome command could not start: Cannot run program \""
                + dir.resolve("missing-playbook")
                + "\"");
    try (Stream<Path> left = Files.list(data().resolve("rehome-tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  @DisplayName("a failing command with no output says its status")
  void silentFailure() throws Exception {
    rehomer("sh -c 'exit 7'", Duration.ofMinutes(1));

    assertThat(rehome(subcloud("subcloud4", "10.10.10.12")))
        .isEqualTo(new RehomeOutcome.Failed("rehome command exited with status 7"));
  }

  static void poll(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BUDGET_SECONDS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime())
          .as("condition met within %d s", BUDGET_SECONDS)
          .isLessThan(deadline);
      Thread.onSpinWait();
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
