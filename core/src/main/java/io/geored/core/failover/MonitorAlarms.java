package io.geored.core.failover;

import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import io.geored.spi.model.SystemPeer;
import java.time.Instant;
import java.util.List;

/**
 * Alarm 280.004, raised by the peer monitor on a system peer that missed its heartbeats: the texts
 * operators and their tooling read, exactly as docs/concepts.md gives them.
 */
public final class MonitorAlarms {

  /** The alarm id of a lost system peer. */
  public static final String PEER_HEARTBEAT_FAILED = "280.004";

  /** The entity type the alarm is raised on. */
  public static final String ENTITY_TYPE = "system_peer";

  /** What the operator should do. */
  public static final String PROPOSED_REPAIR =
      "Check the connectivity between the current system and the reported peer site. If the peer"
          + " system is down, migrate the affected peer group(s) to the current system for"
          + " continued subcloud management.";

  private MonitorAlarms() {}

  /**
   * The entity instance of a peer's alarm.
   *
   * @param peerUuid the peer's uuid
   * @return {@code peer=<uuid>}
   */
  public static String entityInstance(String peerUuid) {
    return "peer=" + peerUuid;
  }

  /**
   * The alarm for a lost peer: critical, naming them, when local peer groups are led by the peer;
   * major otherwise. Never service-affecting.
   *
   * @param peer the lost peer
   * @param ledGroups names of the local groups the peer leads, in store order; may be empty
   * @param now when it is raised
   * @return the alarm
   */
  public static Alarm peerLost(SystemPeer peer, List<String> ledGroups, Instant now) {
    boolean leads = !ledGroups.isEmpty();
    String reason =
        leads
            ? "Peer "
                + peer.peerName()
                + " (peer_uuid="
                + peer.peerUuid()
                + ") is in disconnected state. The following subcloud peer groups are impacted: "
                + String.join(", ", ledGroups)
                + "."
            : "Peer "
                + peer.peerName()
                + " (peer_uuid="
                + peer.peerUuid()
                + ") connections in disconnected state.";
    return new Alarm(
        PEER_HEARTBEAT_FAILED,
        ENTITY_TYPE,
        entityInstance(peer.peerUuid()),
        leads ? AlarmSeverity.CRITICAL : AlarmSeverity.MAJOR,
        reason,
        PROPOSED_REPAIR,
        false,
        now);
  }
}
