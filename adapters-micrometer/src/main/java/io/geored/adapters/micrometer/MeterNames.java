package io.geored.adapters.micrometer;

/**
 * The names and tag keys of every meter {@link GeoredMetrics} registers, in Micrometer's
 * conventions (dot-separated, lower case; a registry renames them for its backend, e.g. Prometheus
 * turns {@code geored.peer.heartbeats} into {@code geored_peer_heartbeats_total}). docs/metrics.md
 * explains each one and what to alert on.
 */
public final class MeterNames {

  /** Gauge, tag {@link #PEER}: 1 while the system peer is available, else 0. */
  public static final String PEER_AVAILABLE = "geored.peer.available";

  /** Counter, tags {@link #PEER}, {@link #OUTCOME}: heartbeats sent, by outcome. */
  public static final String PEER_HEARTBEATS = "geored.peer.heartbeats";

  /** Gauge, tag {@link #PEER}: heartbeats failed in a row since the last good one. */
  public static final String PEER_HEARTBEAT_MISSES = "geored.peer.heartbeat.misses";

  /** Timer, tags {@link #PEER}, {@link #OUTCOME}: how long a heartbeat call took. */
  public static final String PEER_HEARTBEAT_LATENCY = "geored.peer.heartbeat.latency";

  /** Counter, tags {@link #PEER}, {@link #CALL}, {@link #OUTCOME}: calls made to a peer site. */
  public static final String PEER_CALLS = "geored.peer.calls";

  /** Gauge, tags {@link #ASSOCIATION}, {@link #STATUS}: 1 for the association's sync status. */
  public static final String ASSOCIATION_SYNC_STATUS = "geored.association.sync.status";

  /** Counter, tags {@link #ASSOCIATION}, {@link #OUTCOME}: syncs run by this site, by outcome. */
  public static final String ASSOCIATION_SYNCS = "geored.association.syncs";

  /** Timer, tags {@link #ASSOCIATION}, {@link #OUTCOME}: how long a sync ran. */
  public static final String ASSOCIATION_SYNC_DURATION = "geored.association.sync.duration";

  /**
   * Counter, tags {@link #ASSOCIATION}, {@link #CALL}, {@link #OUTCOME}: calls made to the peer
   * site for an association (its syncs, pushes, audits of its group and its removal); heartbeats
   * and migrations are the peer's, not an association's, and count only under {@link #PEER_CALLS}.
   */
  public static final String ASSOCIATION_PEER_CALLS = "geored.association.peer.calls";

  /** Distribution summary, tag {@link #ASSOCIATION}: subclouds one sync copied to the peer. */
  public static final String ASSOCIATION_SYNC_SUBCLOUDS = "geored.association.sync.subclouds";

  /** Gauge, tags {@link #GROUP}, {@link #STATUS}: 1 for the group's migration status. */
  public static final String GROUP_MIGRATION_STATUS = "geored.group.migration.status";

  /** Gauge, tags {@link #GROUP}, {@link #STATUS}: the group's subclouds in a deploy status. */
  public static final String GROUP_SUBCLOUDS = "geored.group.subclouds";

  /** Timer, tag {@link #GROUP}: how long a migration of the group ran on this site. */
  public static final String GROUP_MIGRATION_DURATION = "geored.group.migration.duration";

  /** Counter, tags {@link #GROUP}, {@link #OUTCOME}: rehomes of the group's subclouds. */
  public static final String GROUP_REHOMES = "geored.group.rehomes";

  /**
   * Counter, tags {@link #GROUP}, {@link #OUTCOME}: peer-group audits this site ran of the group,
   * against any peer; run = the sum of both outcomes.
   */
  public static final String GROUP_AUDITS = "geored.group.audits";

  /** Gauge, tag {@link #ALARM}: alarms raised with an id. */
  public static final String ALARMS_RAISED = "geored.alarms.raised";

  /** Gauge: work leases this engine holds. */
  public static final String LEASES_HELD = "geored.leases.held";

  /** Timer, tags {@link #STORE}, {@link #OPERATION}, {@link #OUTCOME}: store operations. */
  public static final String STORE_OPERATIONS = "geored.store.operations";

  /** Counter, tag {@link #STORE}: compare-and-set writes refused because the record changed. */
  public static final String STORE_CONFLICTS = "geored.store.conflicts";

  /** Tag: the system peer's name. */
  public static final String PEER = "peer";

  /** Tag: the peer group's name. */
  public static final String GROUP = "group";

  /** Tag: the peer-group association's id. */
  public static final String ASSOCIATION = "association";

  /** Tag: the peer call, the SiteApi operation in snake case, e.g. {@code list_peer_groups}. */
  public static final String CALL = "call";

  /** Tag: a status's wire spelling, e.g. {@code in-sync} or {@code rehome-failed}. */
  public static final String STATUS = "status";

  /** Tag: {@link #SUCCESS} or {@link #FAILURE}; for stores the result, e.g. {@code stale}. */
  public static final String OUTCOME = "outcome";

  /** Tag: the alarm id, e.g. {@code 280.004}. */
  public static final String ALARM = "alarm";

  /** Tag: the store, e.g. {@code subclouds}. */
  public static final String STORE = "store";

  /** Tag: the store operation in snake case, e.g. {@code find_by_id}. */
  public static final String OPERATION = "operation";

  /** Outcome tag value of something that worked. */
  public static final String SUCCESS = "success";

  /** Outcome tag value of something that failed. */
  public static final String FAILURE = "failure";

  private MeterNames() {}

  /**
   * A Java method name in snake case: {@code findByPeerGroup} becomes {@code find_by_peer_group}.
   */
  static String snake(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 8);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
