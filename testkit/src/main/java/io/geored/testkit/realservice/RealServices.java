package io.geored.testkit.realservice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs real services (a Prometheus, a Keystone, an etcd) as child processes for tests, the same way
 * for every service:
 *
 * <ol>
 *   <li>finds the binary: the path in the system property or environment variable the test names
 *       (e.g. {@code GEORED_PROMETHEUS}), else the first match on {@code PATH};
 *   <li>picks free loopback ports, as many as asked;
 *   <li>writes the configuration files the test gives (which may use those ports) into a fresh
 *       temporary folder, then runs the test's {@linkplain Service#before preparation steps} there;
 *   <li>starts the process in that folder (with the {@linkplain Service#env environment variables}
 *       the test adds), its stdout and stderr going to {@code output.log} there;
 *   <li>polls the test's readiness condition every 100 ms within a wall-time budget (at most 30 s,
 *       default 20 s) and fails, naming the service and showing the end of its output, when the
 *       service is not ready in time or ends;
 *   <li>stops every service it started after each test (after all tests when the extension is a
 *       static field), also when the test failed: {@link Process#destroy()} (SIGTERM), a bounded
 *       wait, then {@link Process#destroyForcibly()}; then deletes the folder.
 * </ol>
 *
 * <p>When the binary is missing the test is <em>skipped</em> (aborted, with the reason) on a
 * developer's machine, but <em>fails</em> when the environment variable {@code CI} is {@code true}:
 * a CI run never passes by not running the real-service tests. {@code .ci/run} installs the
 * services it needs.
 *
 * <pre>{@code
 * @RegisterExtension final RealServices services = new RealServices();
 *
 * @Test
 * void scrapes() {
 *   RealServices.Running prometheus =
 *       services.start(
 *           RealServices.service("prometheus")
 *               .pathVariable("GEORED_PROMETHEUS")
 *               .ports(1)
 *               .file("prometheus.yml", s -> "global: {scrape_interval: 1s}\n...")
 *               .args(s -> List.of("--config.file=" + s.dir().resolve("prometheus.yml"),
 *                   "--web.listen-address=127.0.0.1:" + s.port(0)))
 *               .readyWhen(s -> httpOk("http://127.0.0.1:" + s.port(0) + "/-/ready")));
 *   ...
 * }
 * }</pre>
 */
public final class RealServices implements AfterEachCallback, AfterAllCallback {

  /** The longest readiness budget a test may ask for. */
  public static final Duration MAX_BUDGET = Duration.ofSeconds(30);

  /** How long a stopped service gets to end on SIGTERM before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Function<String, String> environment;
  private final List<Running> running = Collections.synchronizedList(new ArrayList<>());

  /** An extension reading the process environment ({@code PATH}, {@code CI}, path variables). */
  public RealServices() {
    this(System::getenv);
  }

  /**
   * An extension reading another environment: for the extension's own tests.
   *
   * @param environment a variable's value by name, or null when unset
   */
  public RealServices(Function<String, String> environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /**
   * Starts describing a service.
   *
   * @param binary the executable's file name, looked up on {@code PATH}
   * @return the description, to complete
   */
  public static Service service(String binary) {
    return new Service(binary);
  }

  /**
   * Whether this run is a CI run ({@code CI=true}), where a missing binary fails the test.
   *
   * @return true on CI
   */
  public boolean onCi() {
    return "true".equalsIgnoreCase(environment.apply("CI"));
  }

  /**
   * Finds the binary, as {@link #start} does, without starting anything.
   *
   * @param service the description
   * @return the executable's path, or empty when it is missing
   */
  public Optional<Path> find(Service service) {
    if (service.pathVariable != null) {
      String configured = System.getProperty(service.pathVariable);
      if (configured == null || configured.isBlank()) {
        configured = environment.apply(service.pathVariable);
      }
      if (configured != null && !configured.isBlank()) {
        Path path = Path.of(configured.trim());
        return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
      }
    }
    String path = environment.apply("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String folder : path.split(java.io.File.pathSeparator)) {
      if (!folder.isEmpty()) {
        Path candidate = Path.of(folder, service.binary);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Finds the binary, or ends the test the way {@link #start} does when it is missing: skipped
   * locally, failed when {@code CI=true}. For a service that needs other tools (e.g. a setup
   * command run before it starts).
   *
   * @param service the description
   * @return the executable's path
   * @throws org.opentest4j.TestAbortedException when the binary is missing and this is not CI
   * @throws AssertionError when the binary is missing on CI
   */
  public Path require(Service service) {
    Optional<Path> binary = find(service);
    if (binary.isPresent()) {
      return binary.get();
    }
    String where =
        service.binary
            + " is not on PATH"
            + (service.pathVariable == null
                ? ""
                : " and " + service.pathVariable + " names no executable");
    if (onCi()) {
      throw new AssertionError(where + " (CI=true: real-service tests must run, not skip)");
    }
    return Assumptions.abort(where + ": test skipped (it fails instead when CI=true)");
  }

  /**
   * Starts a service and waits until it is ready; it is stopped after the test.
   *
   * @param service the description
   * @return the running service
   * @throws org.opentest4j.TestAbortedException when the binary is missing and this is not CI
   * @throws AssertionError when the binary is missing on CI, or the service did not get ready
   *     within its budget
   */
  public Running start(Service service) {
    Objects.requireNonNull(service, "service");
    Path binary = require(service);
    for (Service other : service.requires) {
      require(other);
    }
    Path dir;
    List<Integer> ports = new ArrayList<>();
    try {
      dir = Files.createTempDirectory("geored-" + service.binary + "-");
      for (int i = 0; i < service.ports; i++) {
        ports.add(freeLoopbackPort(ports));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Setup setup = new Setup(dir, List.copyOf(ports));
    Path log = dir.resolve("output.log");
    Process process;
    try {
      for (Map.Entry<String, Function<Setup, String>> file : service.files.entrySet()) {
        Path target = dir.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue().apply(setup), StandardCharsets.UTF_8);
      }
      for (Consumer<Setup> step : service.before) {
        step.accept(setup);
      }
      List<String> command = new ArrayList<>();
      command.add(binary.toString());
      command.addAll(service.args.apply(setup));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      for (Map.Entry<String, Function<Setup, String>> variable : service.env.entrySet()) {
        builder.environment().put(variable.getKey(), variable.getValue().apply(setup));
      }
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + service.binary, e);
    }
    Running started = new Running(service.binary, process, setup, log);
    running.add(started);
    long deadline = System.nanoTime() + service.budget.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError(
            service.binary
                + " ended with exit code "
                + process.exitValue()
                + " before it was ready; its output ends with:\n"
                + started.outputTail());
      }
      boolean ready;
      try {
        ready = service.ready.test(setup);
      } catch (RuntimeException e) {
        ready = false;
      }
      if (ready) {
        return started;
      }
      if (System.nanoTime() > deadline) {
        started.stop();
        throw new AssertionError(
            service.binary
                + " was not ready within "
                + service.budget.toMillis()
                + " ms; its output ends with:\n"
                + started.outputTail());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        started.stop();
        throw new AssertionError("interrupted while waiting for " + service.binary, e);
      }
    }
  }

  /**
   * A free TCP port on the loopback address (bound and released at once; none of {@code taken}).
   *
   * @return the port
   * @throws IOException when no port can be bound
   */
  public static int freeLoopbackPort() throws IOException {
    return freeLoopbackPort(List.of());
  }

  private static int freeLoopbackPort(List<Integer> taken) throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (!taken.contains(port)) {
          return port;
        }
      }
    }
    throw new IOException("no free loopback port found");
  }

  /** Stops what the test started (destroy, bounded wait, destroy forcibly). */
  @Override
  public void afterEach(ExtensionContext context) {
    stopAll();
  }

  /** Stops what the class started, for an extension in a static field. */
  @Override
  public void afterAll(ExtensionContext context) {
    stopAll();
  }

  private void stopAll() {
    List<Running> started;
    synchronized (running) {
      started = new ArrayList<>(running);
      running.clear();
    }
    Collections.reverse(started);
    for (Running r : started) {
      r.stop();
      r.deleteFolder();
    }
  }

  /**
   * What the test's files, arguments and readiness condition see: the folder and the ports.
   *
   * @param dir the service's temporary folder (its working directory)
   * @param ports the free loopback ports picked for it
   */
  public record Setup(Path dir, List<Integer> ports) {
    /**
     * One of the picked ports.
     *
     * @param index from 0
     * @return the port
     */
    public int port(int index) {
      return ports.get(index);
    }
  }

  /** How to run one service; not thread-safe. */
  public static final class Service {
    private final String binary;
    private String pathVariable;
    private int ports;
    private final Map<String, Function<Setup, String>> files = new LinkedHashMap<>();
    private final Map<String, Function<Setup, String>> env = new LinkedHashMap<>();
    private final List<Consumer<Setup>> before = new ArrayList<>();
    private final List<Service> requires = new ArrayList<>();
    private Function<Setup, List<String>> args = s -> List.of();
    private Predicate<Setup> ready = s -> true;
    private Duration budget = Duration.ofSeconds(20);

    private Service(String binary) {
      Objects.requireNonNull(binary, "binary");
      if (binary.isBlank() || binary.contains("/")) {
        throw new IllegalArgumentException("binary must be a file name, was " + binary);
      }
      this.binary = binary;
    }

    /**
     * A system property or environment variable (the property first) that may hold the binary's
     * path, overriding {@code PATH}; when set it must name an executable.
     *
     * @param name e.g. {@code GEORED_PROMETHEUS}
     * @return this description
     */
    public Service pathVariable(String name) {
      this.pathVariable = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * How many free loopback ports to pick; default none.
     *
     * @param count 0 to 10
     * @return this description
     */
    public Service ports(int count) {
      if (count < 0 || count > 10) {
        throw new IllegalArgumentException("ports must be from 0 to 10, was " + count);
      }
      this.ports = count;
      return this;
    }

    /**
     * A file to write into the service's folder before it starts.
     *
     * @param relativePath where, relative to the folder
     * @param content its text (UTF-8), from the folder and the ports
     * @return this description
     */
    public Service file(String relativePath, Function<Setup, String> content) {
      files.put(Objects.requireNonNull(relativePath, "relativePath"), content);
      return this;
    }

    /**
     * An environment variable of the process (added to the test JVM's environment).
     *
     * @param name the variable
     * @param value its value, from the folder and the ports
     * @return this description
     */
    public Service env(String name, Function<Setup, String> value) {
      env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Work done in the service's folder after its files are written and before it starts, in the
     * order given (e.g. copying a prepared database in); a throw fails the start.
     *
     * @param step the work, given the folder and the ports
     * @return this description
     */
    public Service before(Consumer<Setup> step) {
      before.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    /**
     * Another binary the service needs (e.g. the setup command its {@link #before} steps run): when
     * it is missing the test is skipped or fails exactly as for the service's own binary.
     *
     * @param other the other binary's description
     * @return this description
     */
    public Service requires(Service other) {
      requires.add(Objects.requireNonNull(other, "other"));
      return this;
    }

    /**
     * The command-line arguments after the binary.
     *
     * @param value the arguments, from the folder and the ports
     * @return this description
     */
    public Service args(Function<Setup, List<String>> value) {
      this.args = Objects.requireNonNull(value, "args");
      return this;
    }

    /**
     * When the service is ready (e.g. its health URL answers 200); polled every 100 ms, a throw
     * counting as not yet. Default: at once.
     *
     * @param value the condition
     * @return this description
     */
    public Service readyWhen(Predicate<Setup> value) {
      this.ready = Objects.requireNonNull(value, "readyWhen");
      return this;
    }

    /**
     * How long to wait for readiness; default 20 s.
     *
     * @param value at most {@link RealServices#MAX_BUDGET}
     * @return this description
     */
    public Service budget(Duration value) {
      if (value.isNegative() || value.compareTo(MAX_BUDGET) > 0) {
        throw new IllegalArgumentException(
            "budget must be from 0 to " + MAX_BUDGET.toSeconds() + " s, was " + value);
      }
      this.budget = value;
      return this;
    }
  }

  /** A service this extension started. */
  public static final class Running {
    private final String name;
    private final Process process;
    private final Setup setup;
    private final Path log;

    private Running(String name, Process process, Setup setup, Path log) {
      this.name = name;
      this.process = process;
      this.setup = setup;
      this.log = log;
    }

    /**
     * One of the ports picked for it.
     *
     * @param index from 0
     * @return the port
     */
    public int port(int index) {
      return setup.port(index);
    }

    /**
     * Its folder (configuration files, {@code output.log}).
     *
     * @return the folder
     */
    public Path dir() {
      return setup.dir();
    }

    /**
     * The process, e.g. to check it is alive.
     *
     * @return the process
     */
    public Process process() {
      return process;
    }

    /**
     * The last lines of what it printed, for a failure message.
     *
     * @return up to 20 lines
     */
    public String outputTail() {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
      } catch (IOException | UncheckedIOException e) {
        return "(no output: " + e.getMessage() + ")";
      }
    }

    /** SIGTERM, up to 10 s to end, then SIGKILL. Idempotent. */
    public void stop() {
      if (!process.isAlive()) {
        return;
      }
      process.destroy();
      try {
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }

    private void deleteFolder() {
      try (var paths = Files.walk(setup.dir())) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        // A leftover temporary folder is harmless.
      }
    }

    @Override
    public String toString() {
      return "Running[" + name + " pid=" + process.pid() + " ports=" + setup.ports() + "]";
    }
  }
}
