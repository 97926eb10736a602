package io.geored.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code geored system-peer add|list|show|update|delete|list-subcloud-peer-groups}. */
@Command(name = "system-peer", description = "Manage system peers (the other sites).")
final class SystemPeerCommand {

  static final List<Output.Column> LIST =
      Output.columns(
          "id", "id",
          "peer uuid", "peer-uuid",
          "peer name", "peer-name",
          "manager endpoint", "manager-endpoint",
          "controller gateway address", "peer-controller-gateway-address");

  static final List<Output.Column> DETAIL =
      Output.columns(
          "id", "id",
          "peer uuid", "peer-uuid",
          "peer name", "peer-name",
          "manager endpoint", "manager-endpoint",
          "manager username", "manager-username",
          "controller gateway address", "peer-controller-gateway-address",
          "administrative state", "administrative-state",
          "heartbeat interval", "heartbeat-interval",
          "heartbeat failure threshold", "heartbeat-failure-threshold",
          "heartbeat failure policy", "heartbeat-failure-policy",
          "heartbeat maintenance timeout", "heartbeat-maintenance-timeout",
          "availability state", "availability-state",
          "created_at", "created-at",
          "updated_at", "updated-at");

  private static final String PATH = "/system-peers";

  @ParentCommand GeoredCli root;
  @Spec CommandSpec spec;

  /** The options of add and update, sent with the site's (underscore) keys. */
  static final class PeerOptions {
    @Option(names = "--peer-uuid", description = "UUID of the system peer.")
    String peerUuid;

    @Option(names = "--peer-name", description = "Name of the system peer.")
    String peerName;

    @Option(names = "--manager-endpoint", description = "URL of the peer's API.")
    String managerEndpoint;

    @Option(names = "--peer-controller-gateway-address", description = "The peer's gateway.")
    String gatewayAddress;

    @Option(names = "--manager-username", description = "The peer's user name.")
    String managerUsername;

    @Option(
        names = "--administrative-state",
        description = "enabled or disabled.",
        completionCandidates = States.class)
    String administrativeState;

    @Option(names = "--heartbeat-interval", description = "Seconds between heartbeats.")
    Integer heartbeatInterval;

    @Option(
        names = "--heartbeat-failure-threshold",
        description = "Missed heartbeats before the peer is declared failed.")
    Integer heartbeatFailureThreshold;

    @Option(
        names = "--heartbeat-failure-policy",
        description = "alarm, rehome or delegate.",
        completionCandidates = Policies.class)
    String heartbeatFailurePolicy;

    @Option(
        names = "--heartbeat-maintenance-timeout",
        description = "Seconds a peer may stay in maintenance.")
    Integer heartbeatMaintenanceTimeout;

    Map<String, Object> body(String password) {
      Map<String, Object> b = SiteClient.body();
      put(b, "peer_uuid", peerUuid);
      put(b, "peer_name", peerName);
      put(b, "manager_endpoint", managerEndpoint);
      put(b, "manager_username", managerUsername);
      put(b, "manager_password", password == null ? null : Passwords.base64(password));
      put(b, "peer_controller_gateway_address", gatewayAddress);
      put(b, "administrative_state", administrativeState);
      put(b, "heartbeat_interval", heartbeatInterval);
      put(b, "heartbeat_failure_threshold", heartbeatFailureThreshold);
      put(b, "heartbeat_failure_policy", heartbeatFailurePolicy);
      put(b, "heartbeat_maintenance_timeout", heartbeatMaintenanceTimeout);
      return b;
    }
  }

  static final class States extends java.util.ArrayList<String> {
    private static final long serialVersionUID = 1L;

    States() {
      super(List.of("enabled", "disabled"));
    }
  }

  static final class Policies extends java.util.ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Policies() {
      super(List.of("alarm", "rehome", "delegate"));
    }
  }

  static void put(Map<String, Object> body, String key, Object value) {
    if (value != null) {
      body.put(key, value);
    }
  }

  @Command(name = "add", description = "Add a system peer.")
  int add(
      @picocli.CommandLine.Mixin PeerOptions options,
      @Option(
              names = "--manager-password",
              description = "The peer's password (prompted for when left out).")
          String password) {
    for (String[] required :
        new String[][] {
          {"--peer-uuid", options.peerUuid},
          {"--peer-name", options.peerName},
          {"--manager-endpoint", options.managerEndpoint},
          {"--peer-controller-gateway-address", options.gatewayAddress}
        }) {
      if (required[1] == null) {
        throw CliException.usage("Missing required option: '" + required[0] + "'");
      }
    }
    if (options.managerUsername == null) {
      options.managerUsername = "admin";
    }
    String secret = Passwords.orPrompt(password, "--manager-password", "peer's password");
    JsonNode answer = root.site().post(PATH, options.body(secret));
    root.output(spec).one(DETAIL, answer);
    return 0;
  }

  @Command(name = "list", description = "List system peers.")
  int list() {
    root.output(spec).list(LIST, root.site().get(PATH).get("system_peers"));
    return 0;
  }

  @Command(name = "show", description = "Show a system peer.")
  int show(@Parameters(paramLabel = "PEER", description = "ID, UUID or name.") String peer) {
    root.output(spec).one(DETAIL, root.site().get(PATH + "/" + SiteClient.segment(peer)));
    return 0;
  }

  @Command(name = "update", description = "Update a system peer.")
  int update(
      @Parameters(paramLabel = "PEER", description = "ID, UUID or name.") String peer,
      @picocli.CommandLine.Mixin PeerOptions options,
      @Option(names = "--manager-password", description = "The peer's new password.")
          String password) {
    Map<String, Object> body = options.body(password);
    if (body.isEmpty()) {
      throw CliException.usage("Nothing to update");
    }
    JsonNode answer = root.site().patch(PATH + "/" + SiteClient.segment(peer), body);
    root.output(spec).one(DETAIL, answer);
    return 0;
  }

  @Command(name = "delete", description = "Delete a system peer.")
  int delete(@Parameters(paramLabel = "PEER", description = "ID, UUID or name.") String peer) {
    root.site().delete(PATH + "/" + SiteClient.segment(peer));
    return 0;
  }

  @Command(
      name = "list-subcloud-peer-groups",
      description = "List the subcloud peer groups associated with a system peer.")
  int listGroups(@Parameters(paramLabel = "PEER", description = "ID, UUID or name.") String peer) {
    JsonNode answer =
        root.site().get(PATH + "/" + SiteClient.segment(peer) + "/subcloud-peer-groups");
    root.output(spec).list(PeerGroupCommand.LIST, answer.get("subcloud_peer_groups"));
    return 0;
  }
}
