package io.geored.testkit.realservice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real, throwaway Keystone (OpenStack's identity service) for a test, run through {@link
 * RealServices}: its own folder, a free loopback port, sqlite and fernet tokens, stopped after the
 * test (after the class when the extension is a static field), also on failure. Skipped locally
 * without {@code keystone-manage} and {@code keystone-wsgi-public} (Debian's {@code
 * python3-keystone}), failing when {@code CI=true}.
 *
 * <pre>{@code
 * @RegisterExtension static final RealServices services = new RealServices();
 * static Keystone keystone;
 *
 * @BeforeAll
 * static void keystone() {
 *   keystone = Keystone.start(services); // or start(services, Keystone.options()
 *                                        //     .tokenExpiration(Duration.ofSeconds(20)))
 *   KeystoneAdmin admin = keystone.admin();
 *   String services = admin.createProject("services");
 *   String user = admin.createUser("geored", "geored-secret");
 *   admin.grant(user, services, admin.createRole("service"));
 *   admin.registerEndpoint("dcmanager", "dcmanager", "SystemController", "http://127.0.0.1:8119/v1.0");
 *   String token = admin.login("geored", "geored-secret", "services").id();
 *   ... keystone.authUrl() is the auth URL, e.g. http://127.0.0.1:40123/v3
 * }
 * }</pre>
 *
 * <p>Setting a Keystone up the documented way ({@code keystone-manage db_sync}, {@code
 * fernet_setup}, {@code credential_setup}, {@code bootstrap}) costs about 20 s of Python start-up.
 * So the database is migrated and bootstrapped once per JVM ({@code db_sync}, sqlite's WAL journal
 * — without it a second write through the API fails with "database is locked" — and {@code
 * bootstrap --bootstrap-region-id RegionOne}), and each Keystone starts from a copy of it with
 * fernet and credential keys of its own, written here the way {@code fernet_setup} writes them.
 * Only {@code keystone-wsgi-public} then starts per Keystone (about 5 s on an idle machine).
 * Consequence: every Keystone of a JVM has the same ids for the bootstrapped {@code admin} user,
 * the {@code admin} project and the {@code admin}, {@code member} and {@code reader} roles, and the
 * same admin password ({@link #adminPassword()}); what a test creates gets ids of its own, and a
 * token of one Keystone is never valid at another (different keys). Passwords are hashed with
 * bcrypt's fewest rounds, to keep logins fast.
 *
 * <p>{@code keystone-wsgi-public} is Python's single-threaded reference server: requests are
 * answered one at a time. Good enough for tests; never a production setup.
 */
public final class Keystone {

  /** The user bootstrap creates, admin of the {@code admin} project. */
  public static final String ADMIN_USER = "admin";

  /** The project bootstrap creates. */
  public static final String ADMIN_PROJECT = "admin";

  /** The region bootstrap creates. */
  public static final String REGION_ONE = "RegionOne";

  private static final Object TEMPLATE_LOCK = new Object();
  private static Path template;
  private static String templatePassword;

  private final RealServices.Running process;
  private final String baseUrl;
  private final String adminPassword;
  private final KeystoneAdmin admin;

  private Keystone(
      RealServices.Running process, String baseUrl, String adminPassword, HttpClient client) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.adminPassword = adminPassword;
    this.admin =
        client == null
            ? new KeystoneAdmin(baseUrl + "/v3", ADMIN_USER, adminPassword)
            : new KeystoneAdmin(baseUrl + "/v3", ADMIN_USER, adminPassword, client);
    this.admin.diagnostics(() -> "\n(Keystone's output ends with:\n" + process.outputTail() + ")");
  }

  /**
   * Default options: tokens valid one hour, served by {@code keystone-wsgi-public} over http.
   *
   * @return new options, to complete
   */
  public static Options options() {
    return new Options();
  }

  /**
   * Starts a Keystone with the default options and waits until {@code GET /v3} answers 200.
   *
   * @param services the extension that stops it after the test (or the class)
   * @return the running Keystone
   * @throws org.opentest4j.TestAbortedException when Keystone is not installed and this is not CI
   * @throws AssertionError when it is not installed on CI, or did not start in time
   */
  public static Keystone start(RealServices services) {
    return start(services, options());
  }

  /**
   * Starts a Keystone and waits until {@code GET /v3} answers 200 (or the options' readiness).
   *
   * @param services the extension that stops it after the test (or the class)
   * @param options e.g. a short token expiration
   * @return the running Keystone
   * @throws org.opentest4j.TestAbortedException when Keystone is not installed and this is not CI
   * @throws AssertionError when it is not installed on CI, or did not start in time
   */
  public static Keystone start(RealServices services, Options options) {
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(options, "options");
    RealServices.Service manage =
        RealServices.service("keystone-manage").pathVariable("GEORED_KEYSTONE_MANAGE");
    Path managePath = services.require(manage);
    RealServices.Service server =
        RealServices.service(options.binary)
            .requires(manage)
            .ports(1)
            .file("keystone.conf", s -> config(s.dir(), options))
            .before(s -> copyTemplate(managePath, s.dir()))
            .env("OS_KEYSTONE_CONFIG_FILES", s -> s.dir().resolve("keystone.conf").toString())
            .args(options.args)
            .readyWhen(
                options.ready != null
                    ? options.ready
                    : s -> KeystoneAdmin.answers(options.url.apply(s.port(0)) + "/v3"))
            .budget(RealServices.MAX_BUDGET);
    if (options.pathVariable != null) {
      server.pathVariable(options.pathVariable);
    }
    options.files.forEach(server::file);
    RealServices.Running running = services.start(server);
    String password;
    synchronized (TEMPLATE_LOCK) {
      password = templatePassword;
    }
    return new Keystone(running, options.url.apply(running.port(0)), password, options.client);
  }

  /**
   * Where it answers, without a path: {@code http://127.0.0.1:<port>}.
   *
   * @return the base URL
   */
  public String url() {
    return baseUrl;
  }

  /**
   * The identity v3 API, the URL a client authenticates at (a system peer's {@code
   * manager_endpoint}): {@code http://127.0.0.1:<port>/v3}.
   *
   * @return the auth URL
   */
  public String authUrl() {
    return baseUrl + "/v3";
  }

  /**
   * Its loopback port.
   *
   * @return the port
   */
  public int port() {
    return process.port(0);
  }

  /**
   * The password of {@link #ADMIN_USER} (random, the same for every Keystone of this JVM).
   *
   * @return the password
   */
  public String adminPassword() {
    return adminPassword;
  }

  /**
   * Its admin API, authenticated as {@link #ADMIN_USER} in project {@link #ADMIN_PROJECT}.
   *
   * @return the helper
   */
  public KeystoneAdmin admin() {
    return admin;
  }

  /**
   * The process, e.g. to read its folder or output.
   *
   * @return the running service
   */
  public RealServices.Running process() {
    return process;
  }

  /** Stops it now (SIGTERM, then SIGKILL); it stays stopped. Idempotent. */
  public void stop() {
    process.stop();
  }

  @Override
  public String toString() {
    return "Keystone[" + baseUrl + "]";
  }

  // ------------------------------------------------------------------ setup

  private static String config(Path dir, Options options) {
    StringBuilder out = new StringBuilder();
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    sections
        .computeIfAbsent("database", k -> new LinkedHashMap<>())
        .put("connection", "sqlite:///" + dir.resolve("keystone.db"));
    Map<String, String> token = sections.computeIfAbsent("token", k -> new LinkedHashMap<>());
    token.put("provider", "fernet");
    token.put("expiration", Long.toString(options.tokenExpiration.toSeconds()));
    sections
        .computeIfAbsent("fernet_tokens", k -> new LinkedHashMap<>())
        .put("key_repository", dir.resolve("fernet-keys").toString());
    sections
        .computeIfAbsent("fernet_receipts", k -> new LinkedHashMap<>())
        .put("key_repository", dir.resolve("fernet-keys").toString());
    sections
        .computeIfAbsent("credential", k -> new LinkedHashMap<>())
        .put("key_repository", dir.resolve("credential-keys").toString());
    sections
        .computeIfAbsent("identity", k -> new LinkedHashMap<>())
        .put("password_hash_rounds", "4");
    options.config.forEach(
        (section, values) ->
            sections.computeIfAbsent(section, k -> new LinkedHashMap<>()).putAll(values));
    sections.forEach(
        (section, values) -> {
          out.append('[').append(section).append("]\n");
          values.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
        });
    return out.toString();
  }

  private static void copyTemplate(Path manage, Path dir) {
    Path db;
    synchronized (TEMPLATE_LOCK) {
      if (template == null) {
        buildTemplate(manage);
      }
      db = template.resolve("keystone.db");
    }
    try {
      Files.copy(db, dir.resolve("keystone.db"), StandardCopyOption.REPLACE_EXISTING);
      writeKeys(dir.resolve("fernet-keys"));
      writeKeys(dir.resolve("credential-keys"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Two fresh keys, as {@code fernet_setup} leaves them: 0 staged, 1 primary; owner-only. */
  private static void writeKeys(Path folder) throws IOException {
    Files.createDirectories(folder);
    SecureRandom random = new SecureRandom();
    for (String name : List.of("0", "1")) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      Files.writeString(
          folder.resolve(name),
          Base64.getUrlEncoder().encodeToString(key),
          StandardCharsets.US_ASCII);
    }
    try {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: Keystone only warns about readable keys.
    }
  }

  private static void buildTemplate(Path manage) {
    try {
      Path dir = Files.createTempDirectory("geored-keystone-template-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
      byte[] secret = new byte[12];
      new SecureRandom().nextBytes(secret);
      String password = "ks-" + HexFormat.of().formatHex(secret);
      Path conf = dir.resolve("keystone.conf");
      // Keys of the template's own: bootstrap exits 1 when a key repository is missing (it reads
      // the receipts' one, by default /etc/keystone/fernet-keys/, which a test machine lacks).
      writeKeys(dir.resolve("fernet-keys"));
      writeKeys(dir.resolve("credential-keys"));
      Files.writeString(
          conf,
          "[database]\nconnection = sqlite:///"
              + dir.resolve("keystone.db")
              + "\n[fernet_tokens]\nkey_repository = "
              + dir.resolve("fernet-keys")
              + "\n[fernet_receipts]\nkey_repository = "
              + dir.resolve("fernet-keys")
              + "\n[credential]\nkey_repository = "
              + dir.resolve("credential-keys")
              + "\n[identity]\npassword_hash_rounds = 4\n",
          StandardCharsets.UTF_8);
      Path log = dir.resolve("setup.log");
      run(dir, log, List.of(manage.toString(), "--config-file", conf.toString(), "db_sync"));
      List<String> wal = new ArrayList<>(interpreter(manage));
      wal.addAll(
          List.of(
              "-c",
              "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
                  + " c.execute('PRAGMA journal_mode=WAL'); c.close()",
              dir.resolve("keystone.db").toString()));
      run(dir, log, wal);
      run(
          dir,
          log,
          List.of(
              manage.toString(),
              "--config-file",
              conf.toString(),
              "bootstrap",
              "--bootstrap-password",
              password,
              "--bootstrap-username",
              ADMIN_USER,
              "--bootstrap-project-name",
              ADMIN_PROJECT,
              "--bootstrap-region-id",
              REGION_ONE));
      template = dir;
      templatePassword = password;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Keystone's database", e);
    }
  }

  /** The interpreter on a script's {@code #!} line (keystone-manage is a Python script). */
  private static List<String> interpreter(Path script) throws IOException {
    String first;
    try (var lines = Files.lines(script, StandardCharsets.UTF_8)) {
      first = lines.findFirst().orElse("");
    }
    if (!first.startsWith("#!")) {
      return List.of("python3");
    }
    return List.of(first.substring(2).trim().split("\\s+"));
  }

  private static void run(Path dir, Path log, List<String> command) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            "Keystone setup step " + command.get(command.size() > 3 ? 3 : 0) + " took over 120 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while preparing Keystone", e);
    }
    if (p.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      throw new AssertionError(
          "Keystone setup failed (exit code "
              + p.exitValue()
              + "); its output ends with:\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A leftover temporary folder is harmless.
    }
  }

  /** How to run one Keystone; not thread-safe. */
  public static final class Options {
    private Duration tokenExpiration = Duration.ofHours(1);
    private final Map<String, Map<String, String>> config = new LinkedHashMap<>();
    private final Map<String, Function<RealServices.Setup, String>> files = new LinkedHashMap<>();
    private String binary = "keystone-wsgi-public";
    private String pathVariable = "GEORED_KEYSTONE_WSGI_PUBLIC";
    private Function<RealServices.Setup, List<String>> args =
        s -> List.of("--host", "127.0.0.1", "--port", Integer.toString(s.port(0)));
    private Function<Integer, String> url = port -> "http://127.0.0.1:" + port;
    private java.util.function.Predicate<RealServices.Setup> ready;
    private HttpClient client;

    private Options() {}

    /**
     * The HTTP client {@link Keystone#admin()} calls through (e.g. one trusting a test CA, with
     * {@link #server}); default a plain one.
     *
     * @param value the client
     * @return these options
     */
    public Options client(HttpClient value) {
      this.client = Objects.requireNonNull(value, "client");
      return this;
    }

    /**
     * How long a token is valid ({@code [token] expiration}); default one hour.
     *
     * @param value at least one second
     * @return these options
     */
    public Options tokenExpiration(Duration value) {
      if (value.toSeconds() < 1) {
        throw new IllegalArgumentException("tokenExpiration must be at least 1 s, was " + value);
      }
      this.tokenExpiration = value;
      return this;
    }

    /**
     * A further {@code keystone.conf} setting (overrides the fixture's own).
     *
     * @param section e.g. {@code token}
     * @param key e.g. {@code allow_expired_window}
     * @param value its value
     * @return these options
     */
    public Options config(String section, String key, String value) {
      config
          .computeIfAbsent(Objects.requireNonNull(section, "section"), k -> new LinkedHashMap<>())
          .put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * A further file in the Keystone's folder (e.g. a script or a certificate for {@link #server}).
     *
     * @param relativePath where, relative to the folder
     * @param content its text, from the folder and the port
     * @return these options
     */
    public Options file(String relativePath, Function<RealServices.Setup, String> content) {
      files.put(Objects.requireNonNull(relativePath, "relativePath"), content);
      return this;
    }

    /**
     * Serves the prepared Keystone with another program than {@code keystone-wsgi-public} (e.g.
     * Python serving {@code keystone.server.wsgi.initialize_public_application()} over https). It
     * runs in the Keystone's folder with {@code OS_KEYSTONE_CONFIG_FILES} naming its {@code
     * keystone.conf}, and must listen on {@code s.port(0)}.
     *
     * @param binary the executable's file name, looked up on {@code PATH}
     * @param arguments its arguments, from the folder and the port
     * @param baseUrl where it then answers, from the port, without a path (e.g. {@code
     *     https://localhost:<port>})
     * @param readyWhen when it is ready (polled, a throw counting as not yet)
     * @return these options
     */
    public Options server(
        String binary,
        Function<RealServices.Setup, List<String>> arguments,
        Function<Integer, String> baseUrl,
        java.util.function.Predicate<RealServices.Setup> readyWhen) {
      this.binary = Objects.requireNonNull(binary, "binary");
      this.pathVariable = null;
      this.args = Objects.requireNonNull(arguments, "arguments");
      this.url = Objects.requireNonNull(baseUrl, "baseUrl");
      this.ready = Objects.requireNonNull(readyWhen, "readyWhen");
      return this;
    }
  }
}
