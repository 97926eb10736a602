package io.geored.adapters.jdbc;

import static io.geored.adapters.jdbc.Columns.enumName;
import static io.geored.adapters.jdbc.Columns.instant;
import static io.geored.adapters.jdbc.Columns.text;

import io.geored.spi.model.GroupState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.PeerGroupStore;
import io.geored.spi.store.StoreResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Subcloud peer groups in {@code geored_peer_group}. */
final class JdbcPeerGroupStore implements PeerGroupStore {

  private final RecordTable<SubcloudPeerGroup> table;

  JdbcPeerGroupStore(Database db) {
    table =
        new RecordTable<>(
            db,
            "geored_peer_group",
            "peer group",
            List.of(
                "peer_group_name",
                "group_priority",
                "group_state",
                "max_subcloud_rehoming",
                "system_leader_id",
                "system_leader_name",
                "migration_status",
                "created_at",
                "updated_at"),
            Map.of("uq_geored_peer_group_name", UNIQUE_NAME)) {

          @Override
          void bind(PreparedStatement ps, SubcloudPeerGroup g) throws SQLException {
            text(ps, 1, g.peerGroupName());
            ps.setInt(2, g.groupPriority());
            enumName(ps, 3, g.groupState());
            ps.setInt(4, g.maxSubcloudRehoming());
            text(ps, 5, g.systemLeaderId());
            text(ps, 6, g.systemLeaderName());
            enumName(ps, 7, g.migrationStatus());
            instant(ps, 8, g.createdAt());
            instant(ps, 9, g.updatedAt());
          }

          @Override
          SubcloudPeerGroup read(ResultSet rs) throws SQLException {
            return SubcloudPeerGroup.builder()
                .id(rs.getLong("id"))
                .peerGroupName(rs.getString("peer_group_name"))
                .groupPriority(rs.getInt("group_priority"))
                .groupState(enumName(rs, "group_state", GroupState.class))
                .maxSubcloudRehoming(rs.getInt("max_subcloud_rehoming"))
                .systemLeaderId(rs.getString("system_leader_id"))
                .systemLeaderName(rs.getString("system_leader_name"))
                .migrationStatus(enumName(rs, "migration_status", MigrationStatus.class))
                .createdAt(instant(rs, "created_at"))
                .updatedAt(instant(rs, "updated_at"))
                .version(rs.getLong("version"))
                .build();
          }

          @Override
          long idOf(SubcloudPeerGroup record) {
            return record.id();
          }

          @Override
          long versionOf(SubcloudPeerGroup record) {
            return record.version();
          }

          @Override
          SubcloudPeerGroup withIdAndVersion(SubcloudPeerGroup record, long id, long version) {
            // As the database holds it: instants to the microsecond.
            return record.toBuilder()
                .id(id)
                .version(version)
                .createdAt(Columns.micros(record.createdAt()))
                .updatedAt(Columns.micros(record.updatedAt()))
                .build();
          }

          @Override
          String describe(SubcloudPeerGroup record) {
            return "peer_group_name=" + record.peerGroupName();
          }
        };
  }

  @Override
  public StoreResult<SubcloudPeerGroup> insert(SubcloudPeerGroup group) {
    return table.insert(group);
  }

  @Override
  public StoreResult<SubcloudPeerGroup> update(SubcloudPeerGroup group) {
    return table.update(group);
  }

  @Override
  public boolean delete(long id) {
    return table.delete(id);
  }

  @Override
  public Optional<SubcloudPeerGroup> findById(long id) {
    return table.findById(id);
  }

  @Override
  public Optional<SubcloudPeerGroup> findByName(String name) {
    return table.findOne("find peer group peer_group_name=" + name, "peer_group_name = ?", name);
  }

  @Override
  public List<SubcloudPeerGroup> findAll() {
    return table.findAll("list peer groups", null);
  }
}
