package io.geored.adapters.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.geored.spi.api.PeerGroupStatus;
import io.geored.spi.api.WorkProgress;
import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.model.WireValue;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The field spellings of the dcmanager dialect (docs/dialect.md), both ways: model records to the
 * maps a server answers, and answers back to records on the client. A field with no value is
 * written as JSON null, never left out.
 */
public final class Wire {

  /** The list key of system peers. */
  public static final String SYSTEM_PEERS = "system_peers";

  /** The list key of peer groups. */
  public static final String PEER_GROUPS = "subcloud_peer_groups";

  /** The list key of associations. */
  public static final String ASSOCIATIONS = "peer_group_associations";

  /** The list key of subclouds. */
  public static final String SUBCLOUDS = "subclouds";

  /** The key of an operator note on an answer. */
  public static final String INFO_MESSAGE = "info_message";

  private Wire() {}

  // ------------------------------------------------------------------ answers (server side)

  /**
   * A system peer as answered: hyphen keys, never the password.
   *
   * @param p the peer
   * @return the fields in the dialect's order
   */
  public static Map<String, Object> systemPeer(SystemPeer p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("peer-uuid", p.peerUuid());
    m.put("peer-name", p.peerName());
    m.put("manager-endpoint", p.managerEndpoint());
    m.put("manager-username", p.managerUsername());
    m.put("peer-controller-gateway-address", p.peerControllerGatewayIp());
    m.put("administrative-state", wire(p.administrativeState()));
    m.put("heartbeat-interval", p.heartbeatInterval());
    m.put("heartbeat-failure-threshold", p.heartbeatFailureThreshold());
    m.put("heartbeat-failure-policy", wire(p.heartbeatFailurePolicy()));
    m.put("heartbeat-maintenance-timeout", p.heartbeatMaintenanceTimeout());
    m.put("availability-state", wire(p.availabilityState()));
    m.put("created-at", time(p.createdAt()));
    m.put("updated-at", time(p.updatedAt()));
    return m;
  }

  /**
   * A peer group as answered: underscore keys, hyphen timestamps.
   *
   * @param g the group
   * @return the fields
   */
  public static Map<String, Object> peerGroup(SubcloudPeerGroup g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", g.id());
    m.put("peer_group_name", g.peerGroupName());
    m.put("group_priority", g.groupPriority());
    m.put("group_state", wire(g.groupState()));
    m.put("max_subcloud_rehoming", g.maxSubcloudRehoming());
    m.put("system_leader_id", g.systemLeaderId());
    m.put("system_leader_name", g.systemLeaderName());
    m.put("migration_status", migrationStatus(g.migrationStatus()));
    m.put("created-at", time(g.createdAt()));
    m.put("updated-at", time(g.updatedAt()));
    return m;
  }

  /**
   * An association as answered: hyphen keys.
   *
   * @param a the association
   * @param withSyncMessage false in list entries, which leave {@code sync-message} out
   * @return the fields
   */
  public static Map<String, Object> association(PeerGroupAssociation a, boolean withSyncMessage) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("peer-group-id", a.peerGroupId());
    m.put("system-peer-id", a.systemPeerId());
    m.put("peer-group-priority", a.peerGroupPriority());
    m.put("association-type", wire(a.associationType()));
    m.put("sync-status", wire(a.syncStatus()));
    if (withSyncMessage) {
      m.put("sync-message", a.syncMessage());
    }
    m.put("created-at", time(a.createdAt()));
    m.put("updated-at", time(a.updatedAt()));
    return m;
  }

  /**
   * A subcloud as answered: every key upstream answers (its clients read several and fail when one
   * is missing), in upstream's order, mixed spellings as upstream. The management and gateway
   * addresses come from the bootstrap values kept in the rehome data (null when unknown); the
   * backup, prestage and upgrade keys are null and {@code openstack-installed} false, as geored
   * keeps no such state. Rehome data and install values are JSON strings.
   *
   * @param s the subcloud
   * @return the fields
   */
  public static Map<String, Object> subcloud(Subcloud s) {
    Map<String, Object> payload =
        s.rehomeData() == null ? Map.of() : s.rehomeData().savedPayload().orElse(Map.of());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("name", s.name());
    m.put("description", s.description());
    m.put("location", s.location());
    m.put("software-version", s.softwareVersion());
    m.put("management-state", wire(s.managementState()));
    m.put("availability-status", wire(s.availabilityStatus()));
    m.put("deploy-status", wire(s.deployStatus()));
    m.put("backup-status", null);
    m.put("backup-datetime", null);
    m.put("error-description", s.errorDescription());
    m.put("region-name", s.regionName());
    m.put("management-subnet", text(payload.get("management_subnet")));
    m.put("management-start-ip", text(payload.get("management_start_address")));
    m.put("management-end-ip", text(payload.get("management_end_address")));
    m.put("management-gateway-ip", text(payload.get("management_gateway_address")));
    m.put("openstack-installed", false);
    m.put("prestage-status", null);
    m.put("prestage-versions", null);
    m.put(
        "systemcontroller-gateway-ip",
        text(payload.get(RehomeData.SYSTEMCONTROLLER_GATEWAY_ADDRESS)));
    m.put("data_install", s.installValues() == null ? null : Json.writeString(s.installValues()));
    m.put("data_upgrade", null);
    m.put("created-at", time(s.createdAt()));
    m.put("updated-at", time(s.updatedAt()));
    m.put("group_id", s.groupId());
    m.put("peer_group_id", s.peerGroupId());
    m.put(
        "rehome_data", s.rehomeData() == null ? null : Json.writeString(s.rehomeData().content()));
    return m;
  }

  /** A bootstrap value as text: null stays null, anything else its string form. */
  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  /**
   * A group's status counts as answered.
   *
   * @param s the counts
   * @return the fields
   */
  public static Map<String, Object> status(PeerGroupStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("peer_group_id", s.peerGroupId());
    m.put("peer_group_name", s.peerGroupName());
    m.put("total_subclouds", s.totalSubclouds());
    m.put("complete", s.complete());
    m.put("waiting_for_migrate", s.waitingForMigrate());
    m.put("rehoming", s.rehoming());
    m.put("rehome_failed", s.rehomeFailed());
    m.put("managed", s.managed());
    m.put("unmanaged", s.unmanaged());
    return m;
  }

  /**
   * The identity answer of {@code GET /isystems}.
   *
   * @param system the site
   * @return {@code {"isystems": [{"uuid":..., "name":...}]}}
   */
  public static Map<String, Object> isystems(LocalSystem system) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("uuid", system.uuid());
    entry.put("name", system.name());
    return Map.of("isystems", List.of(entry));
  }

  /**
   * Wraps a list of answers under its key.
   *
   * @param key the list key
   * @param items the entries
   * @param mapper each entry's fields
   * @param <T> the entry type
   * @return the wrapped list
   */
  public static <T> Map<String, Object> list(
      String key, List<T> items, Function<T, Map<String, Object>> mapper) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(key, items.stream().map(mapper).toList());
    return m;
  }

  private static String wire(WireValue value) {
    return value == null ? null : value.wire();
  }

  private static String migrationStatus(MigrationStatus status) {
    // Upstream stores "no migration" as null; answering null keeps its clients' checks working.
    return status == null || status == MigrationStatus.NONE ? null : status.wire();
  }

  /**
   * A time as answered: ISO-8601 in UTC.
   *
   * @param t the time, or null
   * @return the text, or null
   */
  public static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  // ------------------------------------------------------------------ answers read back (client)

  /**
   * Reads a system peer answer. The password is never answered, so it is empty.
   *
   * @param n the object
   * @return the peer
   */
  public static SystemPeer systemPeer(JsonNode n) {
    return SystemPeer.builder()
        .id(n.path("id").asLong())
        .peerUuid(text(n, "peer-uuid"))
        .peerName(text(n, "peer-name"))
        .managerEndpoint(text(n, "manager-endpoint"))
        .managerUsername(text(n, "manager-username"))
        .peerControllerGatewayIp(text(n, "peer-controller-gateway-address"))
        .administrativeState(
            AdministrativeState.fromWire(text(n, "administrative-state")).orElse(null))
        .heartbeatInterval(n.path("heartbeat-interval").asInt())
        .heartbeatFailureThreshold(n.path("heartbeat-failure-threshold").asInt())
        .heartbeatFailurePolicy(
            HeartbeatFailurePolicy.fromWire(text(n, "heartbeat-failure-policy")).orElse(null))
        .heartbeatMaintenanceTimeout(n.path("heartbeat-maintenance-timeout").asInt())
        .availabilityState(PeerAvailability.fromWire(text(n, "availability-state")).orElse(null))
        .createdAt(instant(text(n, "created-at")))
        .updatedAt(instant(text(n, "updated-at")))
        .build();
  }

  /**
   * Reads a peer group answer.
   *
   * @param n the object
   * @return the group
   */
  public static SubcloudPeerGroup peerGroup(JsonNode n) {
    return SubcloudPeerGroup.builder()
        .id(n.path("id").asLong())
        .peerGroupName(text(n, "peer_group_name"))
        .groupPriority(n.path("group_priority").asInt())
        .groupState(GroupState.fromWire(text(n, "group_state")).orElse(null))
        .maxSubcloudRehoming(n.path("max_subcloud_rehoming").asInt())
        .systemLeaderId(text(n, "system_leader_id"))
        .systemLeaderName(text(n, "system_leader_name"))
        .migrationStatus(MigrationStatus.fromWire(text(n, "migration_status")).orElse(null))
        .createdAt(instant(text(n, "created-at")))
        .updatedAt(instant(text(n, "updated-at")))
        .build();
  }

  /**
   * Reads an association answer (accepting the underscore spelling of the sync status too).
   *
   * @param n the object
   * @return the association
   */
  public static PeerGroupAssociation association(JsonNode n) {
    String status = text(n, "sync-status");
    if (status == null) {
      status = text(n, "sync_status");
    }
    JsonNode priority = n.path("peer-group-priority");
    return PeerGroupAssociation.builder()
        .id(n.path("id").asLong())
        .peerGroupId(n.path("peer-group-id").asLong())
        .systemPeerId(n.path("system-peer-id").asLong())
        .peerGroupPriority(priority.isNumber() ? priority.asInt() : null)
        .associationType(AssociationType.fromWire(text(n, "association-type")).orElse(null))
        .syncStatus(SyncStatus.fromWire(status).orElse(null))
        .syncMessage(text(n, "sync-message"))
        .createdAt(instant(text(n, "created-at")))
        .updatedAt(instant(text(n, "updated-at")))
        .build();
  }

  /**
   * Reads a subcloud answer; accepts {@code deploy-status} or {@code deploy_status}, and rehome
   * data or install values as a JSON string or an object.
   *
   * @param n the object
   * @return the subcloud
   */
  public static Subcloud subcloud(JsonNode n) {
    String deploy = text(n, "deploy-status");
    if (deploy == null) {
      deploy = text(n, "deploy_status");
    }
    Map<String, Object> rehome = embeddedObject(n.path("rehome_data"));
    return Subcloud.builder()
        .id(n.path("id").asLong())
        .name(text(n, "name"))
        .regionName(text(n, "region-name"))
        .description(text(n, "description"))
        .location(text(n, "location"))
        .softwareVersion(text(n, "software-version"))
        .managementState(ManagementState.fromWire(text(n, "management-state")).orElse(null))
        .availabilityStatus(
            AvailabilityStatus.fromWire(text(n, "availability-status")).orElse(null))
        .deployStatus(DeployStatus.fromWire(deploy).orElse(null))
        .errorDescription(text(n, "error-description"))
        .groupId(optionalLong(n.path("group_id")))
        .peerGroupId(optionalLong(n.path("peer_group_id")))
        .rehomeData(rehome == null ? null : new RehomeData(rehome))
        .installValues(embeddedObject(n.path("data_install")))
        .createdAt(instant(text(n, "created-at")))
        .updatedAt(instant(text(n, "updated-at")))
        .build();
  }

  /**
   * A migration's or a sync's progress as answered: keys in the style of the resource it belongs to
   * (underscores for a peer group's, hyphens for an association's), instants in UTC, null when
   * unknown; a group's status {@code none} is null, as its {@code migration_status} is.
   *
   * @param p the progress
   * @param hyphens true for an association's keys
   * @return the fields
   */
  public static Map<String, Object> progress(WorkProgress p, boolean hyphens) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "none".equals(p.status()) ? null : p.status());
    m.put("total", p.total());
    m.put("done", p.done());
    m.put("failed", p.failed());
    m.put(hyphens ? "in-flight" : "in_flight", p.inFlight());
    m.put(hyphens ? "started-at" : "started_at", time(p.startedAt()));
    m.put(hyphens ? "estimated-end" : "estimated_end", time(p.estimatedEnd()));
    return m;
  }

  /**
   * Reads a progress answer.
   *
   * @param n the object
   * @param hyphens true for an association's keys
   * @return the progress; a null status reads {@code none}
   */
  public static WorkProgress progress(JsonNode n, boolean hyphens) {
    String status = text(n, "status");
    String started = text(n, hyphens ? "started-at" : "started_at");
    String end = text(n, hyphens ? "estimated-end" : "estimated_end");
    return new WorkProgress(
        status == null ? "none" : status,
        n.path("total").asInt(),
        n.path("done").asInt(),
        n.path("failed").asInt(),
        n.path(hyphens ? "in-flight" : "in_flight").asInt(),
        started == null ? null : instant(started),
        end == null ? null : instant(end));
  }

  /**
   * Reads a status answer.
   *
   * @param n the object
   * @return the counts
   */
  public static PeerGroupStatus status(JsonNode n) {
    return new PeerGroupStatus(
        n.path("peer_group_id").asLong(),
        text(n, "peer_group_name"),
        n.path("total_subclouds").asInt(),
        n.path("complete").asInt(),
        n.path("waiting_for_migrate").asInt(),
        n.path("rehoming").asInt(),
        n.path("rehome_failed").asInt(),
        n.path("managed").asInt(),
        n.path("unmanaged").asInt());
  }

  /**
   * A text field, null when absent or JSON null.
   *
   * @param n the object
   * @param key the key
   * @return the text or null
   */
  public static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Long optionalLong(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isTextual() && v.asText().matches("\\d{1,18}")) {
      return Long.parseLong(v.asText());
    }
    return null;
  }

  private static Map<String, Object> embeddedObject(JsonNode v) {
    if (v.isObject()) {
      return Json.toMap(v);
    }
    if (v.isTextual() && !v.asText().isBlank()) {
      try {
        return Json.parseObject(v.asText());
      } catch (IOException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * Reads a time as geored writes it (ISO-8601 instant) or as upstream does (a UTC date-time
   * without zone, with a space or a {@code T}).
   *
   * @param text the text, or null
   * @return the instant, or null when absent or unreadable
   */
  public static Instant instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Instant canonical = canonicalInstant(text);
    if (canonical != null) {
      return canonical;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }

  private static final int[] NANOS_PER_DIGIT = {
    100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
  };

  /**
   * A time written as {@link Instant#toString()} writes it, which is how every geored site answers
   * ({@code 2026-12-02T01:35:08.448812Z}: UTC, 0 to 9 fraction digits), read without {@link
   * Instant#parse}: that builds a new formatter on each call, and a client reads two times per
   * record it is answered (a heartbeat's groups, each synced subcloud). Null for any other form,
   * and for a time that does not exist or is a leap second, which {@link #instant} then reads the
   * general way, so the answer is always the same as {@link Instant#parse} gives.
   *
   * @param t the text
   * @return the instant, or null when the text is not in that form
   */
  static Instant canonicalInstant(String t) {
    int n = t.length();
    if (n < 20
        || n > 30
        || t.charAt(n - 1) != 'Z'
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != 'T'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    if (year < 0 || month < 0 || day < 0 || hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    if (hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int fractionDigits = n - 21;
      if (t.charAt(19) != '.' || fractionDigits < 1) {
        return null;
      }
      int fraction = digits(t, 20, n - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction * NANOS_PER_DIGIT[fractionDigits - 1];
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
          .toInstant(ZoneOffset.UTC);
    } catch (java.time.DateTimeException notADate) {
      return null;
    }
  }

  /** The number written by the decimal digits from {@code from} to {@code to}; -1 when not. */
  private static int digits(String t, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * The optional text at a key.
   *
   * @param n the object
   * @param key the key
   * @return the text
   */
  public static Optional<String> optionalText(JsonNode n, String key) {
    return Optional.ofNullable(text(n, key));
  }
}
