package io.geored.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code geored subcloud-peer-group add|list|show|update|delete|list-subclouds|migrate|status}. */
@Command(name = "subcloud-peer-group", description = "Manage subcloud peer groups.")
final class PeerGroupCommand {

  static final List<Output.Column> LIST =
      Output.columns(
          "id", "id",
          "peer_group_name", "peer_group_name",
          "group_priority", "group_priority",
          "group_state", "group_state",
          "system_leader_id", "system_leader_id",
          "system_leader_name", "system_leader_name",
          "max_subcloud_rehoming", "max_subcloud_rehoming",
          "migration_status", "migration_status",
          "created_at", "created-at",
          "updated_at", "updated-at");

  static final List<Output.Column> STATUS =
      Output.columns(
          "peer_group_id", "peer_group_id",
          "peer_group_name", "peer_group_name",
          "total_subclouds", "total_subclouds",
          "complete", "complete",
          "waiting_for_migrate", "waiting_for_migrate",
          "rehoming", "rehoming",
          "rehome_failed", "rehome_failed",
          "managed", "managed",
          "unmanaged", "unmanaged");

  static final String PATH = "/subcloud-peer-groups";

  @ParentCommand GeoredCli root;
  @Spec CommandSpec spec;

  /** The options of add and update, sent with the site's hyphen keys. */
  static final class GroupOptions {
    @Option(names = "--peer-group-name", description = "Name of the group.")
    String name;

    @Option(names = "--group-priority", description = "0 for the primary site's group.")
    Integer priority;

    @Option(names = "--group-state", description = "enabled or disabled.")
    String state;

    @Option(
        names = "--max-subcloud-rehoming",
        description = "How many subclouds a migration rehomes at once.")
    Integer maxRehoming;

    Map<String, Object> body() {
      Map<String, Object> b = SiteClient.body();
      SystemPeerCommand.put(b, "peer-group-name", name);
      SystemPeerCommand.put(b, "group-priority", priority);
      SystemPeerCommand.put(b, "group-state", state);
      SystemPeerCommand.put(b, "max-subcloud-rehoming", maxRehoming);
      return b;
    }
  }

  static String item(String group) {
    return PATH + "/" + SiteClient.segment(group);
  }

  @Command(name = "add", description = "Add a subcloud peer group.")
  int add(@picocli.CommandLine.Mixin GroupOptions options) {
    if (options.name == null) {
      throw CliException.usage("Missing required option: '--peer-group-name'");
    }
    root.output(spec).one(LIST, root.site().post(PATH, options.body()));
    return 0;
  }

  @Command(name = "list", description = "List subcloud peer groups.")
  int list() {
    root.output(spec).list(LIST, root.site().get(PATH).get("subcloud_peer_groups"));
    return 0;
  }

  @Command(name = "show", description = "Show a subcloud peer group.")
  int show(@Parameters(paramLabel = "GROUP", description = "ID or name.") String group) {
    root.output(spec).one(LIST, root.site().get(item(group)));
    return 0;
  }

  @Command(name = "update", description = "Update a subcloud peer group.")
  int update(
      @Parameters(paramLabel = "GROUP", description = "ID or name.") String group,
      @picocli.CommandLine.Mixin GroupOptions options) {
    Map<String, Object> body = options.body();
    if (body.isEmpty()) {
      throw CliException.usage("Nothing to update");
    }
    root.output(spec).one(LIST, root.site().patch(item(group), body));
    return 0;
  }

  @Command(name = "delete", description = "Delete a subcloud peer group.")
  int delete(@Parameters(paramLabel = "GROUP", description = "ID or name.") String group) {
    root.site().delete(item(group));
    return 0;
  }

  @Command(name = "list-subclouds", description = "List the subclouds of a subcloud peer group.")
  int listSubclouds(@Parameters(paramLabel = "GROUP", description = "ID or name.") String group) {
    JsonNode answer = root.site().get(item(group) + "/subclouds");
    root.output(spec).list(SubcloudCommand.DETAIL, answer.get("subclouds"));
    return 0;
  }

  @Command(
      name = "status",
      description = "Show how many subclouds of a group stand where in a migration.")
  int status(@Parameters(paramLabel = "GROUP", description = "ID or name.") String group) {
    root.output(spec).one(STATUS, root.site().get(item(group) + "/status"));
    return 0;
  }

  @Command(
      name = "migrate",
      description = {
        "Migrate (rehome to this site) the subclouds of a subcloud peer group.",
        "Without --wait, lists the subclouds the site will migrate; with --wait, follows the"
            + " migration to its end."
      })
  int migrate(
      @Parameters(paramLabel = "GROUP", description = "ID or name.") String group,
      @Option(
              names = "--sysadmin-password",
              description = "The subclouds' sysadmin password (prompted for when left out).")
          String password,
      @Option(names = "--wait", description = "Follow the migration until it completes.")
          boolean wait,
      @Option(
              names = "--poll-interval",
              paramLabel = "SECONDS",
              defaultValue = "5",
              description = "Seconds between two looks at the group with --wait (default 5).")
          long pollSeconds,
      @Option(
              names = "--timeout",
              paramLabel = "SECONDS",
              defaultValue = "3600",
              description = "Give up waiting after this many seconds (default 3600).")
          long timeoutSeconds) {
    if (pollSeconds < 1) {
      throw CliException.usage("--poll-interval must be at least 1 second");
    }
    if (timeoutSeconds < 1) {
      throw CliException.usage("--timeout must be at least 1 second");
    }
    String secret = Passwords.orPrompt(password, "--sysadmin-password", "sysadmin password");
    SiteClient site = root.site();
    Map<String, Object> body = SiteClient.body();
    body.put("sysadmin_password", Passwords.base64(secret));
    JsonNode answer = site.patch(item(group) + "/migrate", body).get("subclouds");
    if (!wait) {
      root.output(spec).list(SubcloudCommand.DETAIL, answer);
      return 0;
    }
    return new MigrationWatch(
            site,
            group,
            answer,
            root.env(),
            spec.commandLine().getOut(),
            Duration.ofSeconds(pollSeconds),
            Duration.ofSeconds(timeoutSeconds))
        .follow();
  }
}
