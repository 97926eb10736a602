package io.geored.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code geored subcloud list|show|update}. */
@Command(name = "subcloud", description = "List, show and update subclouds.")
final class SubcloudCommand {

  /** dcmanager's short list, without the sync column (geored keeps no endpoint sync status). */
  static final List<Output.Column> LIST =
      Output.columns(
          "id", "id",
          "name", "name",
          "management", "management-state",
          "availability", "availability-status",
          "deploy status", "deploy-status",
          "backup status", "backup-status",
          "prestage status", "prestage-status");

  static final List<Output.Column> DETAIL =
      Output.columns(
          "id", "id",
          "name", "name",
          "description", "description",
          "location", "location",
          "software_version", "software-version",
          "management", "management-state",
          "availability", "availability-status",
          "deploy_status", "deploy-status",
          "management_subnet", "management-subnet",
          "management_start_ip", "management-start-ip",
          "management_end_ip", "management-end-ip",
          "management_gateway_ip", "management-gateway-ip",
          "systemcontroller_gateway_ip", "systemcontroller-gateway-ip",
          "group_id", "group_id",
          "peer_group_id", "peer_group_id",
          "created_at", "created-at",
          "updated_at", "updated-at",
          "backup_status", "backup-status",
          "backup_datetime", "backup-datetime",
          "prestage_status", "prestage-status",
          "prestage_versions", "prestage-versions");

  static final List<Output.Column> SHOW =
      concat(
          DETAIL,
          Output.columns("region_name", "region-name", "error_description", "error-description"));

  private static final Set<String> SECONDARY = Set.of("secondary", "secondary-failed");
  private static final String PATH = "/subclouds";

  @ParentCommand GeoredCli root;
  @Spec CommandSpec spec;

  private static List<Output.Column> concat(List<Output.Column> a, List<Output.Column> b) {
    List<Output.Column> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  @Command(name = "list", description = "List subclouds (without secondary ones unless --all).")
  int list(
      @Option(names = "--all", description = "Also list secondary and secondary-failed subclouds.")
          boolean all,
      @Option(
              names = {"-d", "--detail"},
              description = "List every column.")
          boolean detail) {
    JsonNode answer = root.site().get(PATH).path("subclouds");
    var shown = JsonNodeFactory.instance.arrayNode();
    answer.forEach(
        s -> {
          if (all || !SECONDARY.contains(Output.text(s.get("deploy-status")))) {
            shown.add(s);
          }
        });
    root.output(spec).list(detail ? DETAIL : LIST, shown);
    return 0;
  }

  @Command(name = "show", description = "Show a subcloud.")
  int show(
      @Parameters(paramLabel = "SUBCLOUD", description = "ID or name.") String subcloud,
      @Option(
              names = {"-d", "--detail"},
              description = "Ask the site for the subcloud's details.")
          boolean detail) {
    String path = PATH + "/" + SiteClient.segment(subcloud) + (detail ? "/detail" : "");
    root.output(spec).one(SHOW, root.site().get(path));
    return 0;
  }

  @Command(
      name = "update",
      description = {
        "Update a subcloud. To correct a subcloud that failed to rehome, give its bootstrap"
            + " values and bootstrap address, then migrate its group again."
      })
  int update(
      @Parameters(paramLabel = "SUBCLOUD", description = "ID or name.") String subcloud,
      @Option(names = "--description", description = "A new description.") String description,
      @Option(names = "--location", description = "A new location.") String location,
      @Option(names = "--group", description = "ID of the subcloud group.") String group,
      @Option(
              names = "--peer-group",
              description = "ID or name of the subcloud peer group, or none to leave it.")
          String peerGroup,
      @Option(
              names = "--bootstrap-address",
              description = "The address the subcloud is reached at for bootstrap and rehoming.")
          String bootstrapAddress,
      @Option(
              names = "--bootstrap-values",
              paramLabel = "FILE",
              description = "A YAML file with the subcloud's bootstrap values.")
          Path bootstrapValues) {
    Map<String, String> texts = new LinkedHashMap<>();
    putText(texts, "description", description);
    putText(texts, "location", location);
    putText(texts, "group_id", group);
    putText(texts, "peer_group", peerGroup);
    putText(texts, "bootstrap_address", bootstrapAddress);
    Map<String, SiteClient.NamedFile> files = new LinkedHashMap<>();
    if (bootstrapValues != null) {
      if (!Files.isRegularFile(bootstrapValues)) {
        throw CliException.usage("bootstrap-values does not exist: " + bootstrapValues);
      }
      try {
        files.put(
            "bootstrap_values",
            new SiteClient.NamedFile(
                String.valueOf(bootstrapValues.getFileName()),
                Files.readAllBytes(bootstrapValues)));
      } catch (IOException e) {
        throw CliException.usage("Cannot read " + bootstrapValues);
      }
    }
    if (texts.isEmpty() && files.isEmpty()) {
      throw CliException.usage("Nothing to update");
    }
    JsonNode answer =
        root.site().patchForm(PATH + "/" + SiteClient.segment(subcloud), texts, files);
    root.output(spec).one(SHOW, answer);
    if (answer.hasNonNull("info_message")) {
      spec.commandLine().getErr().println(answer.get("info_message").asText());
      spec.commandLine().getErr().flush();
    }
    return 0;
  }

  private static void putText(Map<String, String> texts, String key, String value) {
    if (value != null) {
      texts.put(key, value);
    }
  }
}
