package io.geored.adapters.jdbc;

import static io.geored.adapters.jdbc.Columns.enumName;
import static io.geored.adapters.jdbc.Columns.instant;
import static io.geored.adapters.jdbc.Columns.text;

import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.SystemPeerStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * System peers in {@code geored_system_peer}. The manager password is stored as the cipher port's
 * text and never appears in an operation message.
 */
final class JdbcSystemPeerStore implements SystemPeerStore {

  private final RecordTable<SystemPeer> table;

  JdbcSystemPeerStore(Database db) {
    table =
        new RecordTable<>(
            db,
            "geored_system_peer",
            "system peer",
            List.of(
                "peer_uuid",
                "peer_name",
                "manager_endpoint",
                "manager_username",
                "manager_password",
                "peer_controller_gateway_ip",
                "administrative_state",
                "heartbeat_interval",
                "heartbeat_failure_threshold",
                "heartbeat_failure_policy",
                "heartbeat_maintenance_timeout",
                "availability_state",
                "created_at",
                "updated_at"),
            Map.of(
                "uq_geored_system_peer_uuid", UNIQUE_UUID,
                "uq_geored_system_peer_name", UNIQUE_NAME)) {

          @Override
          void bind(PreparedStatement ps, SystemPeer p) throws SQLException {
            text(ps, 1, p.peerUuid());
            text(ps, 2, p.peerName());
            text(ps, 3, p.managerEndpoint());
            text(ps, 4, p.managerUsername());
            text(ps, 5, p.managerPassword().reveal());
            text(ps, 6, p.peerControllerGatewayIp());
            enumName(ps, 7, p.administrativeState());
            ps.setInt(8, p.heartbeatInterval());
            ps.setInt(9, p.heartbeatFailureThreshold());
            enumName(ps, 10, p.heartbeatFailurePolicy());
            ps.setInt(11, p.heartbeatMaintenanceTimeout());
            enumName(ps, 12, p.availabilityState());
            instant(ps, 13, p.createdAt());
            instant(ps, 14, p.updatedAt());
          }

          @Override
          SystemPeer read(ResultSet rs) throws SQLException {
            return SystemPeer.builder()
                .id(rs.getLong("id"))
                .peerUuid(rs.getString("peer_uuid"))
                .peerName(rs.getString("peer_name"))
                .managerEndpoint(rs.getString("manager_endpoint"))
                .managerUsername(rs.getString("manager_username"))
                .managerPassword(Secret.of(rs.getString("manager_password")))
                .peerControllerGatewayIp(rs.getString("peer_controller_gateway_ip"))
                .administrativeState(
                    enumName(rs, "administrative_state", AdministrativeState.class))
                .heartbeatInterval(rs.getInt("heartbeat_interval"))
                .heartbeatFailureThreshold(rs.getInt("heartbeat_failure_threshold"))
                .heartbeatFailurePolicy(
                    enumName(rs, "heartbeat_failure_policy", HeartbeatFailurePolicy.class))
                .heartbeatMaintenanceTimeout(rs.getInt("heartbeat_maintenance_timeout"))
                .availabilityState(enumName(rs, "availability_state", PeerAvailability.class))
                .createdAt(instant(rs, "created_at"))
                .updatedAt(instant(rs, "updated_at"))
                .version(rs.getLong("version"))
                .build();
          }

          @Override
          long idOf(SystemPeer record) {
            return record.id();
          }

          @Override
          long versionOf(SystemPeer record) {
            return record.version();
          }

          @Override
          SystemPeer withIdAndVersion(SystemPeer record, long id, long version) {
            // As the database holds it: instants to the microsecond.
            return record.toBuilder()
                .id(id)
                .version(version)
                .createdAt(Columns.micros(record.createdAt()))
                .updatedAt(Columns.micros(record.updatedAt()))
                .build();
          }

          @Override
          String describe(SystemPeer record) {
            return "peer_name=" + record.peerName();
          }
        };
  }

  @Override
  public StoreResult<SystemPeer> insert(SystemPeer peer) {
    return table.insert(peer);
  }

  @Override
  public StoreResult<SystemPeer> update(SystemPeer peer) {
    return table.update(peer);
  }

  @Override
  public boolean delete(long id) {
    return table.delete(id);
  }

  @Override
  public Optional<SystemPeer> findById(long id) {
    return table.findById(id);
  }

  @Override
  public Optional<SystemPeer> findByUuid(String peerUuid) {
    return table.findOne("find system peer peer_uuid=" + peerUuid, "peer_uuid = ?", peerUuid);
  }

  @Override
  public Optional<SystemPeer> findByName(String peerName) {
    return table.findOne("find system peer peer_name=" + peerName, "peer_name = ?", peerName);
  }

  @Override
  public List<SystemPeer> findAll() {
    return table.findAll("list system peers", null);
  }
}
