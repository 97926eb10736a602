package io.geored.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.work.RehomeOutcome;
import io.geored.spi.work.SubcloudRehomer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rehomes each subcloud by running the operator's {@code rehome.command} once, as StarlingX runs
 * its rehome playbook: exit status 0 means rehomed; any other status, a timeout or a command that
 * cannot start means rehome-failed, with the last lines of the command's output as the error
 * description.
 *
 * <p>The command learns what to rehome from a JSON file, {@code {"name": ..., "region_name": ...,
 * "rehome_data": {"saved_payload": {...}}, "sysadmin_password": ...}} (the password as the engine
 * hands it to the rehomer: for a migrate request over HTTP, its {@code sysadmin_password} after the
 * API decoded the base64; for the playbook's SSH and become password). The file is created readable
 * and writable by the site's user only ({@code rw-------}) in the private folder {@code
 * <data>/rehome-tmp} ({@code rwx------}) and deleted when the command ends. Its path is in the
 * environment variable {@code GEORED_REHOME_FILE} and replaces {@code {file}} in the command's
 * words; the subcloud's name and region are in {@code GEORED_SUBCLOUD_NAME} and {@code
 * GEORED_SUBCLOUD_REGION} and replace {@code {name}} and {@code {region}}. The password is never on
 * the command line, in the environment or in a log line.
 *
 * <p>Each run's output (stdout and stderr) is kept in {@code <data>/rehome-logs/<subcloud>-<UTC
 * time>.log}. At most {@code rehome.max-concurrent} commands run at once; more wait their turn (the
 * engine itself starts at most a group's {@code max_subcloud_rehoming} at once). On {@link
 * #close()} running commands are destroyed.
 */
final class CommandRehomer implements SubcloudRehomer, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CommandRehomer.class);

  /** The environment variable holding the hand-over file's path. */
  static final String FILE_VARIABLE = "GEORED_REHOME_FILE";

  /** The environment variable holding the subcloud's name. */
  static final String NAME_VARIABLE = "GEORED_SUBCLOUD_NAME";

  /** The environment variable holding the subcloud's region name. */
  static final String REGION_VARIABLE = "GEORED_SUBCLOUD_REGION";

  /** How many of the output's last lines become the error description. */
  static final int LAST_LINES = 10;

  /** The longest error description taken from the output, in characters (its end is kept). */
  static final int MAX_DESCRIPTION = 2000;

  private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> command;
  private final Duration timeout;
  private final Duration grace;
  private final Path handOverFolder;
  private final Path logFolder;
  private final Clock clock;
  private final ExecutorService pool;

  /**
   * A rehomer running a command.
   *
   * @param command the split command
   * @param timeout the longest one run may take
   * @param grace how long a destroyed command has before it is killed
   * @param maxConcurrent commands running at once
   * @param dataFolder the site's data folder, holding {@code rehome-tmp} and {@code rehome-logs}
   * @param clock names the log files
   */
  CommandRehomer(
      List<String> command,
      Duration timeout,
      Duration grace,
      int maxConcurrent,
      Path dataFolder,
      Clock clock) {
    this.command = List.copyOf(command);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.grace = Objects.requireNonNull(grace, "grace");
    this.handOverFolder = dataFolder.resolve("rehome-tmp");
    this.logFolder = dataFolder.resolve("rehome-logs");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pool = CommandPool.fixed("geored-rehome", maxConcurrent);
  }

  @Override
  public CompletionStage<RehomeOutcome> rehome(
      Subcloud subcloud, RehomeData rehomeData, String sysadminPassword) {
    Objects.requireNonNull(subcloud, "subcloud");
    try {
      return CompletableFuture.supplyAsync(() -> run(subcloud, rehomeData, sysadminPassword), pool);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(
          new RehomeOutcome.Failed("rehome command not run: the site is stopping"));
    }
  }

  private RehomeOutcome run(Subcloud subcloud, RehomeData rehomeData, String sysadminPassword) {
    Path log;
    try {
      ownerOnlyFolder(logFolder);
      log = newLog(subcloud.name());
    } catch (IOException | UnsupportedOperationException e) {
      LOG.error("rehome log not created name={} folder={}", subcloud.name(), logFolder, e);
      return new RehomeOutcome.Failed(
          "rehome command not run: cannot create its log in " + logFolder + ": " + e.getMessage());
    }
    Path file;
    try {
      file = handOver(subcloud, rehomeData, sysadminPassword);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.error("rehome file not created name={} folder={}", subcloud.name(), handOverFolder, e);
      return new RehomeOutcome.Failed(
          "rehome command not run: cannot create its file in "
              + handOverFolder
              + ": "
              + e.getMessage());
    }
    try {
      Map<String, String> env = new LinkedHashMap<>();
      env.put(FILE_VARIABLE, file.toString());
      env.put(NAME_VARIABLE, subcloud.name());
      env.put(REGION_VARIABLE, String.valueOf(subcloud.regionName()));
      List<String> argv =
          CommandLine.expand(
              command,
              Map.of(
                  "file",
                  file.toString(),
                  "name",
                  subcloud.name(),
                  "region",
                  String.valueOf(subcloud.regionName())));
      LOG.info("rehome command started name={} log={}", subcloud.name(), log);
      CommandRun.Result result;
      try {
        result = CommandRun.run(argv, env, log.toFile(), timeout, grace);
      } catch (IOException e) {
        LOG.warn("rehome command could not start name={} error={}", subcloud.name(), e.toString());
        return new RehomeOutcome.Failed("rehome command could not start: " + e.getMessage());
      }
      LOG.info(
          "rehome command ended name={} ending={} exit_code={} log={}",
          subcloud.name(),
          result.ending(),
          result.exitCode(),
          log);
      return switch (result.ending()) {
        case EXITED ->
            result.exitCode() == 0
                ? new RehomeOutcome.Rehomed()
                : new RehomeOutcome.Failed(
                    describe("rehome command exited with status " + result.exitCode(), log));
        case TIMED_OUT ->
            new RehomeOutcome.Failed(
                describe("rehome command timed out after " + SiteConfig.format(timeout), log));
        case INTERRUPTED ->
            new RehomeOutcome.Failed(describe("rehome command stopped: the site is stopping", log));
      };
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.error("rehome file not deleted name={} file={}", subcloud.name(), file, e);
      }
    }
  }

  /** A new log file named after the subcloud and the time, never overwriting an earlier one. */
  private Path newLog(String subcloudName) throws IOException {
    String base = fileSafe(subcloudName) + "-" + STAMP.format(clock.instant());
    for (int n = 0; ; n++) {
      Path candidate = logFolder.resolve(base + (n == 0 ? "" : "-" + n) + ".log");
      try {
        // The output may hold what the playbook prints of the subcloud: owner-only, as the file.
        return Files.createFile(candidate, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
      } catch (FileAlreadyExistsException e) {
        // the same subcloud twice in one millisecond: try the next suffix
      }
    }
  }

  /** The hand-over file: created owner-only, then written, in an owner-only folder. */
  private Path handOver(Subcloud subcloud, RehomeData rehomeData, String sysadminPassword)
      throws IOException {
    ownerOnlyFolder(handOverFolder);
    Path file =
        Files.createTempFile(
            handOverFolder,
            "rehome-",
            ".json",
            PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("name", subcloud.name());
    content.put("region_name", subcloud.regionName());
    content.put("rehome_data", rehomeData == null ? null : rehomeData.content());
    content.put("sysadmin_password", sysadminPassword);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(JSON.writeValueAsBytes(content));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return file;
  }

  /** Creates the folder (and its parents) when missing, and makes it owner-only in any case. */
  private static void ownerOnlyFolder(Path folder) throws IOException {
    if (Files.notExists(folder)) {
      Files.createDirectories(folder);
    }
    Files.setPosixFilePermissions(folder, OWNER_ONLY_FOLDER);
  }

  /** The headline, then the output's last lines when it has any. */
  private static String describe(String headline, Path log) {
    String tail;
    try {
      tail = lastLines(log);
    } catch (IOException e) {
      tail = "";
    }
    return tail.isEmpty() ? headline : headline + "; last output:\n" + tail;
  }

  /** The last {@value #LAST_LINES} non-blank lines of a file, at most {@value #MAX_DESCRIPTION}. */
  static String lastLines(Path file) throws IOException {
    Deque<String> lines = new ArrayDeque<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      lines.addLast(line.stripTrailing());
      if (lines.size() > LAST_LINES) {
        lines.removeFirst();
      }
    }
    String tail = String.join("\n", lines);
    return tail.length() > MAX_DESCRIPTION ? tail.substring(tail.length() - MAX_DESCRIPTION) : tail;
  }

  private static String fileSafe(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9_-]", "_");
    return safe.length() > 100 ? safe.substring(0, 100) : safe;
  }

  /** Destroys running commands (each answers rehome-failed) and stops the threads. */
  @Override
  public void close() {
    CommandPool.stop(pool);
  }

  @Override
  public String toString() {
    return "CommandRehomer[program=" + command.get(0) + ", timeout=" + timeout + "]";
  }
}
