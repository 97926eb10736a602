package io.geored.benchmarks;

import io.geored.spi.model.Subcloud;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * PostgreSQL's own load client, {@code pgbench}, run beside the store's figures: the rate the
 * database itself reaches on this machine for the smallest update of the store's own rows, with a C
 * client and server-side prepared statements. No Java client, geored's or another, can be faster
 * over the same connection; a target above it is a target for another machine.
 */
final class Pgbench {

  private static final Pattern TPS =
      Pattern.compile("^tps = ([0-9.]+) \\(without initial connection time\\)", Pattern.MULTILINE);

  private Pgbench() {}

  /**
   * The pgbench binary: on the PATH, else the newest under {@code /usr/lib/postgresql/N/bin} (where
   * Debian's server package puts it).
   *
   * @return its path, or empty when there is none
   */
  static Optional<Path> binary() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pgbench"))) {
        return Optional.of(Path.of(dir, "pgbench"));
      }
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(debian)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(debian)) {
      return versions
          .map(v -> v.resolve("bin").resolve("pgbench"))
          .filter(Files::isExecutable)
          .max(Comparator.comparing(p -> versionOf(p.getParent().getParent())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Where a single-host PostgreSQL JDBC URL points.
   *
   * @param host the host
   * @param port the port
   * @param database the database name
   */
  record Target(String host, int port, String database) {

    /**
     * Reads {@code jdbc:postgresql://host[:port]/database[?...]}.
     *
     * @param jdbcUrl the URL
     * @return the target, or empty for another form (several hosts, a socket, no database)
     */
    static Optional<Target> of(String jdbcUrl) {
      String prefix = "jdbc:postgresql://";
      if (jdbcUrl == null || !jdbcUrl.startsWith(prefix) || jdbcUrl.indexOf(',') >= 0) {
        return Optional.empty();
      }
      try {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (uri.getHost() == null || db.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new Target(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * The script: each client updates its own row of the store's table with the statement the store
   * runs — every column set, the subcloud-group id changed, the version raised — its values written
   * as literals (pgbench binds no strings), without comparing the version (pgbench cannot carry a
   * row's version from one update to the next; the comparison is a filter on the row its key
   * found). Client {@code i} updates {@code records.get(i)}.
   *
   * @param records one subcloud per client
   * @return the script's text
   */
  static String script(List<Subcloud> records) {
    StringBuilder out = new StringBuilder("\\set c :client_id\n");
    for (int i = 0; i < records.size(); i++) {
      out.append(i == 0 ? "\\if :c = 0" : "\\elif :c = " + i).append('\n');
      out.append(update(records.get(i))).append('\n');
    }
    return out.append("\\endif\n").toString();
  }

  /** The store's update of one record, its values as SQL literals, on one line. */
  static String update(Subcloud s) {
    // In the order of JdbcFigure.COLUMNS; the subcloud-group id changes on every update.
    List<String> values =
        List.of(
            literal(s.name()),
            literal(s.regionName()),
            literal(s.description()),
            literal(s.location()),
            literal(s.softwareVersion()),
            literal(s.managementState().name()),
            literal(s.availabilityStatus().name()),
            literal(s.deployStatus().name()),
            literal(s.errorDescription()),
            "COALESCE(group_id, 0) + 1",
            String.valueOf(s.peerGroupId()),
            literal(JdbcFigure.REHOME_JSON),
            "'{}'",
            String.valueOf(s.rehomed()),
            literal(s.createdAt().toString()) + "::timestamptz",
            "NULL",
            literal(s.handedOverTo()));
    StringBuilder sql = new StringBuilder("UPDATE geored_subcloud SET ");
    for (int i = 0; i < values.size(); i++) {
      sql.append(JdbcFigure.COLUMNS.get(i)).append(" = ").append(values.get(i)).append(", ");
    }
    return sql.append("version = version + 1 WHERE id = ").append(s.id()).append(';').toString();
  }

  /** A SQL string literal ('' for a quote), or NULL. */
  static String literal(String value) {
    return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
  }

  /**
   * Runs pgbench with one client per record, each on its own row, server-side prepared statements,
   * for the given time after a warm-up of a third of it.
   *
   * @param binary pgbench
   * @param target the database
   * @param user the user
   * @param password the password, passed in the child's environment only
   * @param records one subcloud per client
   * @param time the timed run
   * @return transactions (updates) per second, or empty when pgbench failed
   */
  static OptionalDouble updatesPerSecond(
      Path binary,
      Target target,
      String user,
      String password,
      List<Subcloud> records,
      Duration time) {
    Path script = null;
    try {
      script = Files.createTempFile("geored-pgbench-", ".sql");
      Files.writeString(script, script(records), StandardCharsets.UTF_8);
      long warmUp = Math.max(1, time.toSeconds() / 3);
      if (run(binary, target, user, password, records.size(), warmUp, script) == null) {
        return OptionalDouble.empty();
      }
      Double tps = run(binary, target, user, password, records.size(), time.toSeconds(), script);
      return tps == null ? OptionalDouble.empty() : OptionalDouble.of(tps);
    } catch (IOException e) {
      return OptionalDouble.empty();
    } finally {
      if (script != null) {
        try {
          Files.deleteIfExists(script);
        } catch (IOException e) {
          // a temporary file of a few bytes; nothing to do
        }
      }
    }
  }

  private static Double run(
      Path binary,
      Target target,
      String user,
      String password,
      int clients,
      long seconds,
      Path script) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(
        List.of(
            "-n",
            "-h",
            target.host(),
            "-p",
            String.valueOf(target.port()),
            "-U",
            user,
            "-c",
            String.valueOf(clients),
            "-j",
            String.valueOf(clients),
            "-T",
            String.valueOf(seconds),
            "-M",
            "prepared",
            "-f",
            script.toString(),
            target.database()));
    // Output to a file and no input: pgbench asks for a password when the server wants one it was
    // not given; with nothing to read it fails, and a prompt on a terminal ends at the time limit.
    Path output = null;
    try {
      output = Files.createTempFile("geored-pgbench-", ".out");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().put("PGPASSWORD", password);
      Process p = pb.start();
      boolean ended = p.waitFor(seconds + 30, TimeUnit.SECONDS);
      if (!ended) {
        p.destroyForcibly();
      }
      String out = Files.readString(output, StandardCharsets.UTF_8);
      if (!ended || p.exitValue() != 0) {
        System.err.println(
            "pgbench failed: "
                + (ended ? "" : "no answer in time; ")
                + out.lines().reduce((a, b) -> b).orElse(""));
        return null;
      }
      Matcher m = TPS.matcher(out);
      return m.find() ? Double.parseDouble(m.group(1)) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // a temporary file of a few lines; nothing to do
        }
      }
    }
  }
}
