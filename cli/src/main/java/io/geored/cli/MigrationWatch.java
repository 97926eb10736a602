package io.geored.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Follows a migration the site has accepted until the group's migration status leaves {@code
 * migrating}: one status line kept up to date (done / failed / in flight / total, elapsed) and one
 * line per subcloud as it finishes, read from the group's subclouds and their deploy statuses.
 *
 * <p>A subcloud is done when its deploy status is {@code complete}; it has failed when it is {@code
 * rehome-failed} or {@code rehome-prep-failed} after changing since the migration started (a
 * subcloud that was already rehome-failed and is migrated again is in flight until it changes).
 * When the migration ends, every subcloud not done has failed. On a terminal the status line is
 * rewritten in place ({@code \r}); otherwise it is printed as a plain line each time it changes.
 */
final class MigrationWatch {

  private static final Set<String> FAILED = Set.of("rehome-failed", "rehome-prep-failed");
  private static final String COMPLETE = "complete";
  private static final String MIGRATING = "migrating";

  private final SiteClient site;
  private final String group;
  private final Env env;
  private final PrintWriter out;
  private final Duration poll;
  private final Duration timeout;

  /** Deploy status and updated-at of each migrated subcloud as the migrate answer gave them. */
  private final Map<String, String> initial = new LinkedHashMap<>();

  private final Map<String, Boolean> finished = new HashMap<>();
  private int done;
  private int failed;
  private String lastStatus = "";

  MigrationWatch(
      SiteClient site,
      String group,
      JsonNode members,
      Env env,
      PrintWriter out,
      Duration poll,
      Duration timeout) {
    this.site = site;
    this.group = group;
    this.env = env;
    this.out = out;
    this.poll = poll;
    this.timeout = timeout;
    if (members != null) {
      members.forEach(s -> initial.put(s.path("name").asText(), stamp(s)));
    }
  }

  private static String stamp(JsonNode s) {
    return Output.text(s.get("deploy-status")) + "@" + Output.text(s.get("updated-at"));
  }

  int follow() {
    Instant start = env.clock().instant();
    while (true) {
      String migration =
          Output.text(site.get(PeerGroupCommand.item(group)).get("migration_status"));
      Map<String, JsonNode> now = new LinkedHashMap<>();
      site.get(PeerGroupCommand.item(group) + "/subclouds")
          .path("subclouds")
          .forEach(s -> now.put(s.path("name").asText(), s));
      boolean ended = !MIGRATING.equals(migration);
      for (String name : initial.keySet()) {
        if (finished.containsKey(name)) {
          continue;
        }
        JsonNode s = now.get(name);
        String status = s == null ? "None" : Output.text(s.get("deploy-status"));
        if (COMPLETE.equals(status)) {
          finish(name, true, status, null, start);
        } else if (FAILED.contains(status) && !stamp(s).equals(initial.get(name))) {
          finish(name, false, status, s.get("error-description"), start);
        } else if (ended) {
          finish(
              name,
              false,
              s == null ? "gone" : status,
              s == null ? null : s.get("error-description"),
              start);
        }
      }
      status(start, ended);
      if (ended) {
        return failed > 0 ? GeoredCli.EXIT_WAIT_FAILED : GeoredCli.EXIT_OK;
      }
      Duration elapsed = Duration.between(start, env.clock().instant());
      if (elapsed.compareTo(timeout) >= 0) {
        endLine();
        out.println(
            "Timed out after "
                + clock(elapsed)
                + " with "
                + (initial.size() - done - failed)
                + " subclouds in flight");
        out.flush();
        return GeoredCli.EXIT_WAIT_FAILED;
      }
      try {
        env.sleeper().sleep(poll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(GeoredCli.EXIT_WAIT_FAILED, "Interrupted while waiting");
      }
    }
  }

  private void finish(String name, boolean ok, String status, JsonNode reason, Instant start) {
    finished.put(name, ok);
    if (ok) {
      done++;
    } else {
      failed++;
    }
    String line = name + " " + status;
    if (!ok && reason != null && !reason.isNull() && !reason.asText().isBlank()) {
      line += ": " + reason.asText().strip().replace('\n', ' ');
    }
    if (env.terminal()) {
      out.print("\r" + pad(line, lastStatus.length()) + "\n");
      lastStatus = "";
    } else {
      out.println(line);
    }
    out.flush();
  }

  private void status(Instant start, boolean ended) {
    Duration elapsed = Duration.between(start, env.clock().instant());
    String line =
        group
            + ": "
            + done
            + " done, "
            + failed
            + " failed, "
            + (initial.size() - done - failed)
            + " in flight, "
            + initial.size()
            + " total, "
            + clock(elapsed)
            + " elapsed";
    if (env.terminal()) {
      out.print("\r" + pad(line, lastStatus.length()));
      if (ended) {
        out.print("\n");
      }
      lastStatus = line;
    } else if (ended || !withoutTime(line).equals(withoutTime(lastStatus))) {
      out.println(line);
      lastStatus = line;
    }
    out.flush();
  }

  private void endLine() {
    if (env.terminal() && !lastStatus.isEmpty()) {
      out.print("\n");
    }
  }

  private static String withoutTime(String line) {
    int at = line.lastIndexOf(", ");
    return at < 0 ? line : line.substring(0, at);
  }

  private static String pad(String line, int width) {
    return line.length() >= width ? line : line + " ".repeat(width - line.length());
  }

  static String clock(Duration d) {
    long s = d.getSeconds();
    return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
