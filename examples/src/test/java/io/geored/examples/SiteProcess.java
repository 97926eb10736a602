package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A standalone site in a child JVM ({@code java -cp <this classpath> io.geored.examples.SiteMain
 * <config>}), as an operator runs it: its stdout is read for the ready line, its stderr goes to a
 * file. Every wait is bounded.
 */
final class SiteProcess implements AutoCloseable {

  /** The budget of every wait on the child. */
  static final long BUDGET_SECONDS = 30;

  private final Process process;
  private final Path stderr;
  private final BufferedReader out;
  private URI endpoint;

  private SiteProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Launches a site without waiting for it.
   *
   * @param config the configuration file
   * @param stderr where the child's stderr goes (overwritten)
   */
  static SiteProcess launch(Path config, Path stderr) throws IOException {
    return launch(config, stderr, null);
  }

  /**
   * Launches a site in a working directory (relative paths of its configuration resolve there)
   * without waiting for it.
   *
   * @param config the configuration file
   * @param stderr where the child's stderr goes (overwritten)
   * @param workingDirectory where it runs, or null for this process's
   */
  static SiteProcess launch(Path config, Path stderr, Path workingDirectory) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                // A child that starts fast: these tests measure behaviour, not speed.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                SiteMain.class.getName(),
                config.toString())
            .directory(workingDirectory == null ? null : workingDirectory.toFile())
            .redirectError(stderr.toFile())
            .start();
    return new SiteProcess(p, stderr);
  }

  /**
   * Launches a site and waits for its ready line.
   *
   * @param config the configuration file
   * @param stderr where the child's stderr goes (overwritten)
   */
  static SiteProcess start(Path config, Path stderr) throws Exception {
    return start(config, stderr, null);
  }

  /**
   * Launches a site in a working directory and waits for its ready line.
   *
   * @param config the configuration file
   * @param stderr where the child's stderr goes (overwritten)
   * @param workingDirectory where it runs, or null for this process's
   */
  static SiteProcess start(Path config, Path stderr, Path workingDirectory) throws Exception {
    return launch(config, stderr, workingDirectory).awaitReady();
  }

  /**
   * Waits for the ready line of a launched site (so several sites may start side by side).
   *
   * @return this site, its endpoint known
   */
  SiteProcess awaitReady() throws Exception {
    String line = out.readLine();
    if (line == null || !line.startsWith(SiteMain.READY)) {
      process.destroyForcibly();
      process.waitFor(BUDGET_SECONDS, TimeUnit.SECONDS);
      throw new AssertionError(
          "the site did not start; it printed "
              + line
              + " and on stderr:\n"
              + Files.readString(stderr));
    }
    endpoint = URI.create(line.substring(SiteMain.READY.length()));
    return this;
  }

  /** The API's base URI from the ready line. */
  URI endpoint() {
    return endpoint;
  }

  Process process() {
    return process;
  }

  /** Waits (bounded) for the child to end and answers its exit code. */
  int exitCode() throws InterruptedException {
    assertThat(process.waitFor(BUDGET_SECONDS, TimeUnit.SECONDS))
        .as("the site ended within %d s", BUDGET_SECONDS)
        .isTrue();
    return process.exitValue();
  }

  /** What the child wrote to stderr so far. */
  String stderr() throws IOException {
    return Files.readString(stderr);
  }

  /** SIGKILL: no shutdown hook, no close, no flush. Waits (bounded) until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    exitCode();
  }

  /** SIGTERM, then a bounded wait; SIGKILL when it did not end. */
  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(BUDGET_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    out.close();
  }
}
