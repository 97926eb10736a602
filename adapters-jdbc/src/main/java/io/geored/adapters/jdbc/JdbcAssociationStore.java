package io.geored.adapters.jdbc;

import static io.geored.adapters.jdbc.Columns.enumName;
import static io.geored.adapters.jdbc.Columns.instant;
import static io.geored.adapters.jdbc.Columns.nullableInt;
import static io.geored.adapters.jdbc.Columns.text;

import io.geored.spi.model.AssociationType;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.store.AssociationStore;
import io.geored.spi.store.StoreResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Peer-group associations in {@code geored_association}. */
final class JdbcAssociationStore implements AssociationStore {

  private final RecordTable<PeerGroupAssociation> table;

  JdbcAssociationStore(Database db) {
    table =
        new RecordTable<>(
            db,
            "geored_association",
            "association",
            List.of(
                "peer_group_id",
                "system_peer_id",
                "peer_group_priority",
                "association_type",
                "sync_status",
                "sync_message",
                "created_at",
                "updated_at",
                "owed_peer_status"),
            Map.of("uq_geored_association_group_peer", UNIQUE_GROUP_AND_PEER)) {

          @Override
          void bind(PreparedStatement ps, PeerGroupAssociation a) throws SQLException {
            ps.setLong(1, a.peerGroupId());
            ps.setLong(2, a.systemPeerId());
            nullableInt(ps, 3, a.peerGroupPriority());
            enumName(ps, 4, a.associationType());
            enumName(ps, 5, a.syncStatus());
            text(ps, 6, a.syncMessage());
            instant(ps, 7, a.createdAt());
            instant(ps, 8, a.updatedAt());
            enumName(ps, 9, a.owedPeerStatus());
          }

          @Override
          PeerGroupAssociation read(ResultSet rs) throws SQLException {
            return PeerGroupAssociation.builder()
                .id(rs.getLong("id"))
                .peerGroupId(rs.getLong("peer_group_id"))
                .systemPeerId(rs.getLong("system_peer_id"))
                .peerGroupPriority(nullableInt(rs, "peer_group_priority"))
                .associationType(enumName(rs, "association_type", AssociationType.class))
                .syncStatus(enumName(rs, "sync_status", SyncStatus.class))
                .syncMessage(rs.getString("sync_message"))
                .createdAt(instant(rs, "created_at"))
                .updatedAt(instant(rs, "updated_at"))
                .owedPeerStatus(enumName(rs, "owed_peer_status", SyncStatus.class))
                .version(rs.getLong("version"))
                .build();
          }

          @Override
          long idOf(PeerGroupAssociation record) {
            return record.id();
          }

          @Override
          long versionOf(PeerGroupAssociation record) {
            return record.version();
          }

          @Override
          PeerGroupAssociation withIdAndVersion(
              PeerGroupAssociation record, long id, long version) {
            // As the database holds it: instants to the microsecond.
            return record.toBuilder()
                .id(id)
                .version(version)
                .createdAt(Columns.micros(record.createdAt()))
                .updatedAt(Columns.micros(record.updatedAt()))
                .build();
          }

          @Override
          String describe(PeerGroupAssociation record) {
            return "peer_group_id="
                + record.peerGroupId()
                + " system_peer_id="
                + record.systemPeerId();
          }
        };
  }

  @Override
  public StoreResult<PeerGroupAssociation> insert(PeerGroupAssociation association) {
    return table.insert(association);
  }

  @Override
  public StoreResult<PeerGroupAssociation> update(PeerGroupAssociation association) {
    return table.update(association);
  }

  @Override
  public boolean delete(long id) {
    return table.delete(id);
  }

  @Override
  public Optional<PeerGroupAssociation> findById(long id) {
    return table.findById(id);
  }

  @Override
  public Optional<PeerGroupAssociation> findByGroupAndPeer(long peerGroupId, long systemPeerId) {
    return table.findOne(
        "find association peer_group_id=" + peerGroupId + " system_peer_id=" + systemPeerId,
        "peer_group_id = ? AND system_peer_id = ?",
        peerGroupId,
        systemPeerId);
  }

  @Override
  public List<PeerGroupAssociation> findByPeerGroup(long peerGroupId) {
    return table.findAll(
        "list associations peer_group_id=" + peerGroupId, "peer_group_id = ?", peerGroupId);
  }

  @Override
  public List<PeerGroupAssociation> findBySystemPeer(long systemPeerId) {
    return table.findAll(
        "list associations system_peer_id=" + systemPeerId, "system_peer_id = ?", systemPeerId);
  }

  @Override
  public List<PeerGroupAssociation> findAll() {
    return table.findAll("list associations", null);
  }
}
