package io.geored.testkit.realservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The shared real-service extension, with {@code sh} as the service (every POSIX machine has it).
 * Only these tests wait on the wall clock, bounded: they run child processes.
 */
@DisplayName("RealServices, the shared real-service extension")
class RealServicesTest {

  private static final String PATH = System.getenv("PATH");

  private static RealServices services(Map<String, String> env) {
    return new RealServices(env::get);
  }

  @Test
  @DisplayName(
      "in a static field, a service the class started outlives each test and stops after all;"
          + " one a test started stops after that test")
  void classLevelServices() {
    RealServices services = services(Map.of("PATH", PATH));
    RealServices.Service sleeper =
        RealServices.service("sh").args(s -> List.of("-c", "exec sleep 60"));
    RealServices.Running shared = services.start(sleeper);
    services.beforeEach(null);
    RealServices.Running own = services.start(sleeper);

    services.afterEach(null);

    assertThat(own.process().isAlive()).isFalse();
    assertThat(shared.process().isAlive()).isTrue();
    services.beforeEach(null);
    services.afterEach(null);
    assertThat(shared.process().isAlive()).isTrue();

    services.afterAll(null);

    assertThat(shared.process().isAlive()).isFalse();
    assertThat(shared.dir()).doesNotExist();
  }

  @Test
  @DisplayName("a missing binary skips the test locally and fails it when CI=true")
  void missingBinary() {
    RealServices.Service absent = RealServices.service("geored-no-such-binary");
    assertThatThrownBy(() -> services(Map.of("PATH", PATH)).start(absent))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining(
            "geored-no-such-binary is not on PATH: test skipped (it fails instead when CI=true)");
    assertThatThrownBy(() -> services(Map.of("PATH", PATH, "CI", "true")).start(absent))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage(
            "geored-no-such-binary is not on PATH (CI=true: real-service tests must run, not"
                + " skip)");
    assertThatThrownBy(
            () ->
                services(Map.of("PATH", PATH, "CI", "true", "GEORED_NOPE", "/nonexistent/nope"))
                    .start(RealServices.service("sh").pathVariable("GEORED_NOPE")))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage(
            "sh is not on PATH and GEORED_NOPE names no executable (CI=true: real-service tests"
                + " must run, not skip)");
  }

  @Test
  @DisplayName(
      "writes the test's files with the picked port, starts the binary in its folder, returns once"
          + " ready, and stops it afterwards")
  void startsAndStops() throws Exception {
    RealServices services = services(Map.of("PATH", PATH));
    services.beforeEach(null);
    RealServices.Running sh =
        services.start(
            RealServices.service("sh")
                .ports(2)
                .file("serve.sh", s -> "echo port=" + s.port(0) + " > ready.txt\nexec sleep 60\n")
                .args(s -> List.of(s.dir().resolve("serve.sh").toString()))
                .readyWhen(s -> Files.exists(s.dir().resolve("ready.txt")))
                .budget(Duration.ofSeconds(10)));
    Path dir = sh.dir();
    assertThat(sh.port(0)).isNotEqualTo(sh.port(1)).isBetween(1, 65535);
    assertThat(Files.readString(dir.resolve("ready.txt"))).isEqualTo("port=" + sh.port(0) + "\n");
    assertThat(sh.process().isAlive()).isTrue();

    services.afterEach(null);

    assertThat(sh.process().isAlive()).isFalse();
    assertThat(dir).doesNotExist();
  }

  @Test
  @DisplayName(
      "a service not ready within its budget fails the test, naming it, with its output; it is"
          + " stopped")
  void notReadyInTime() {
    RealServices services = services(Map.of("PATH", PATH));
    RealServices.Service never =
        RealServices.service("sh")
            .args(s -> List.of("-c", "echo starting; exec sleep 60"))
            .readyWhen(s -> false)
            .budget(Duration.ofMillis(500));
    assertThatThrownBy(() -> services.start(never))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage("sh was not ready within 500 ms; its output ends with:\nstarting");
  }

  @Test
  @DisplayName("a service that ends before it is ready fails the test with its exit code")
  void endsEarly() {
    RealServices services = services(Map.of("PATH", PATH));
    assertThatThrownBy(
            () ->
                services.start(
                    RealServices.service("sh")
                        .args(s -> List.of("-c", "echo bad config; exit 3"))
                        .readyWhen(s -> false)))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage(
            "sh ended with exit code 3 before it was ready; its output ends with:\nbad config");
  }

  @Test
  @DisplayName("a readiness budget above 30 s is refused")
  void budgetBounded() {
    assertThatThrownBy(() -> RealServices.service("sh").budget(Duration.ofSeconds(31)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("budget must be from 0 to 30 s, was PT31S");
  }

  @Test
  @DisplayName(
      "runs the preparation steps in the folder after the files and before the start, and gives"
          + " the process the test's environment variables")
  void preparesAndSetsEnvironment() throws Exception {
    RealServices services = services(Map.of("PATH", PATH));
    services.beforeEach(null);
    RealServices.Running sh =
        services.start(
            RealServices.service("sh")
                .ports(1)
                .file("seed.txt", s -> "seed")
                .before(
                    s -> {
                      try {
                        Files.writeString(
                            s.dir().resolve("prepared.txt"),
                            Files.readString(s.dir().resolve("seed.txt")) + "+" + s.port(0));
                      } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    })
                .env("GEORED_TEST_VALUE", s -> "port-" + s.port(0))
                .args(
                    s ->
                        List.of(
                            "-c",
                            "{ cat prepared.txt; echo \" $GEORED_TEST_VALUE\"; } > seen.tmp;"
                                + " mv seen.tmp seen.txt; exec sleep 60"))
                .readyWhen(s -> Files.exists(s.dir().resolve("seen.txt")))
                .budget(Duration.ofSeconds(10)));
    assertThat(Files.readString(sh.dir().resolve("seen.txt")))
        .isEqualTo("seed+" + sh.port(0) + " port-" + sh.port(0) + "\n");
    services.afterEach(null);
  }

  @Test
  @DisplayName("a binary the service requires is missing: skipped locally, failed when CI=true")
  void requiredBinaryMissing() {
    RealServices.Service needy =
        RealServices.service("sh")
            .requires(RealServices.service("geored-no-such-setup-tool"))
            .args(s -> List.of("-c", "exec sleep 60"));
    assertThatThrownBy(() -> services(Map.of("PATH", PATH)).start(needy))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining(
            "geored-no-such-setup-tool is not on PATH: test skipped (it fails instead when"
                + " CI=true)");
    assertThatThrownBy(() -> services(Map.of("PATH", PATH, "CI", "true")).start(needy))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage(
            "geored-no-such-setup-tool is not on PATH (CI=true: real-service tests must run, not"
                + " skip)");
  }
}
