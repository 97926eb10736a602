package io.geored.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code geored peer-group-association add|list|show|sync|update|delete}. */
@Command(
    name = "peer-group-association",
    description = "Manage peer group associations (a group synced to a system peer).")
final class AssociationCommand {

  static final List<Output.Column> LIST =
      Output.columns(
          "id", "id",
          "peer_group_id", "peer-group-id",
          "system_peer_id", "system-peer-id",
          "type", "association-type",
          "sync_status", "sync-status",
          "peer_group_priority", "peer-group-priority");

  static final List<Output.Column> DETAIL =
      Output.columns(
          "id", "id",
          "peer_group_id", "peer-group-id",
          "system_peer_id", "system-peer-id",
          "association_type", "association-type",
          "sync_status", "sync-status",
          "peer_group_priority", "peer-group-priority",
          "sync_message", "sync-message",
          "created_at", "created-at",
          "updated_at", "updated-at");

  private static final String PATH = "/peer-group-associations";

  @ParentCommand GeoredCli root;
  @Spec CommandSpec spec;

  private static String item(long id) {
    return PATH + "/" + id;
  }

  @Command(name = "add", description = "Associate a subcloud peer group with a system peer.")
  int add(
      @Option(
              names = "--peer-group-id",
              required = true,
              paramLabel = "ID",
              description = "The group's ID.")
          long groupId,
      @Option(
              names = "--system-peer-id",
              required = true,
              paramLabel = "ID",
              description = "The system peer's ID.")
          long peerId,
      @Option(
              names = "--peer-group-priority",
              required = true,
              paramLabel = "PRIORITY",
              description = "The group's priority on the peer.")
          int priority) {
    Map<String, Object> body = SiteClient.body();
    body.put("peer_group_id", groupId);
    body.put("system_peer_id", peerId);
    body.put("peer_group_priority", priority);
    root.output(spec).one(DETAIL, root.site().post(PATH, body));
    return 0;
  }

  @Command(name = "list", description = "List peer group associations.")
  int list() {
    root.output(spec).list(LIST, root.site().get(PATH).get("peer_group_associations"));
    return 0;
  }

  @Command(name = "show", description = "Show a peer group association.")
  int show(@Parameters(paramLabel = "ID") long id) {
    root.output(spec).one(DETAIL, root.site().get(item(id)));
    return 0;
  }

  @Command(name = "sync", description = "Sync the group to the peer site now.")
  int sync(@Parameters(paramLabel = "ID") long id) {
    root.output(spec).one(DETAIL, root.site().patch(item(id) + "/sync", SiteClient.body()));
    return 0;
  }

  @Command(name = "update", description = "Change a peer group association's priority.")
  int update(
      @Parameters(paramLabel = "ID") long id,
      @Option(
              names = "--peer-group-priority",
              required = true,
              paramLabel = "PRIORITY",
              description = "The group's priority on the peer.")
          int priority) {
    Map<String, Object> body = SiteClient.body();
    body.put("peer_group_priority", priority);
    root.output(spec).one(DETAIL, root.site().patch(item(id), body));
    return 0;
  }

  @Command(name = "delete", description = "Delete a peer group association.")
  int delete(@Parameters(paramLabel = "ID") long id) {
    root.site().delete(item(id));
    return 0;
  }
}
