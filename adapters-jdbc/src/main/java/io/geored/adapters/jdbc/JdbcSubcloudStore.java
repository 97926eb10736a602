package io.geored.adapters.jdbc;

import static io.geored.adapters.jdbc.Columns.enumName;
import static io.geored.adapters.jdbc.Columns.instant;
import static io.geored.adapters.jdbc.Columns.nullableLong;
import static io.geored.adapters.jdbc.Columns.text;

import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.SubcloudStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Subclouds in {@code geored_subcloud}. Rehome data and install values are JSON text; a group's
 * members and the subclouds in some states are each read in one query.
 */
final class JdbcSubcloudStore implements SubcloudStore {

  private final RecordTable<Subcloud> table;

  JdbcSubcloudStore(Database db) {
    table =
        new RecordTable<>(
            db,
            "geored_subcloud",
            "subcloud",
            List.of(
                "name",
                "region_name",
                "description",
                "location",
                "software_version",
                "management_state",
                "availability_status",
                "deploy_status",
                "error_description",
                "group_id",
                "peer_group_id",
                "rehome_data",
                "install_values",
                "rehomed",
                "created_at",
                "updated_at",
                "handed_over_to"),
            Map.of(
                "uq_geored_subcloud_name", UNIQUE_NAME,
                "uq_geored_subcloud_region", UNIQUE_REGION)) {

          @Override
          void bind(PreparedStatement ps, Subcloud s) throws SQLException {
            text(ps, 1, s.name());
            text(ps, 2, s.regionName());
            text(ps, 3, s.description());
            text(ps, 4, s.location());
            text(ps, 5, s.softwareVersion());
            enumName(ps, 6, s.managementState());
            enumName(ps, 7, s.availabilityStatus());
            enumName(ps, 8, s.deployStatus());
            text(ps, 9, s.errorDescription());
            nullableLong(ps, 10, s.groupId());
            nullableLong(ps, 11, s.peerGroupId());
            text(ps, 12, s.rehomeData() == null ? null : Json.write(s.rehomeData().content()));
            text(ps, 13, Json.write(s.installValues()));
            ps.setBoolean(14, s.rehomed());
            instant(ps, 15, s.createdAt());
            instant(ps, 16, s.updatedAt());
            text(ps, 17, s.handedOverTo());
          }

          @Override
          Subcloud read(ResultSet rs) throws SQLException {
            Map<String, Object> rehome = Json.read(rs.getString("rehome_data"));
            return Subcloud.builder()
                .id(rs.getLong("id"))
                .name(rs.getString("name"))
                .regionName(rs.getString("region_name"))
                .description(rs.getString("description"))
                .location(rs.getString("location"))
                .softwareVersion(rs.getString("software_version"))
                .managementState(enumName(rs, "management_state", ManagementState.class))
                .availabilityStatus(enumName(rs, "availability_status", AvailabilityStatus.class))
                .deployStatus(enumName(rs, "deploy_status", DeployStatus.class))
                .errorDescription(rs.getString("error_description"))
                .groupId(nullableLong(rs, "group_id"))
                .peerGroupId(nullableLong(rs, "peer_group_id"))
                .rehomeData(rehome == null ? null : new RehomeData(rehome))
                .installValues(Json.read(rs.getString("install_values")))
                .rehomed(rs.getBoolean("rehomed"))
                .handedOverTo(rs.getString("handed_over_to"))
                .createdAt(instant(rs, "created_at"))
                .updatedAt(instant(rs, "updated_at"))
                .version(rs.getLong("version"))
                .build();
          }

          @Override
          long idOf(Subcloud record) {
            return record.id();
          }

          @Override
          long versionOf(Subcloud record) {
            return record.version();
          }

          @Override
          Subcloud withIdAndVersion(Subcloud record, long id, long version) {
            // As the database holds it: instants to the microsecond.
            return record.toBuilder()
                .id(id)
                .version(version)
                .createdAt(Columns.micros(record.createdAt()))
                .updatedAt(Columns.micros(record.updatedAt()))
                .build();
          }

          @Override
          String describe(Subcloud record) {
            return "name=" + record.name();
          }
        };
  }

  @Override
  public StoreResult<Subcloud> insert(Subcloud subcloud) {
    return table.insert(subcloud);
  }

  @Override
  public StoreResult<Subcloud> update(Subcloud subcloud) {
    return table.update(subcloud);
  }

  @Override
  public boolean delete(long id) {
    return table.delete(id);
  }

  @Override
  public Optional<Subcloud> findById(long id) {
    return table.findById(id);
  }

  @Override
  public Optional<Subcloud> findByName(String name) {
    return table.findOne("find subcloud name=" + name, "name = ?", name);
  }

  @Override
  public Optional<Subcloud> findByRegionName(String regionName) {
    return table.findOne("find subcloud region_name=" + regionName, "region_name = ?", regionName);
  }

  @Override
  public List<Subcloud> findByPeerGroup(long peerGroupId) {
    return table.findAll(
        "list subclouds peer_group_id=" + peerGroupId, "peer_group_id = ?", peerGroupId);
  }

  @Override
  public List<Subcloud> findByDeployStatus(Collection<DeployStatus> statuses) {
    if (statuses.isEmpty()) {
      return List.of();
    }
    Object[] names = EnumSet.copyOf(statuses).stream().map(Enum::name).toArray();
    String placeholders = String.join(", ", java.util.Collections.nCopies(names.length, "?"));
    return table.findAll(
        "list subclouds deploy_status in " + EnumSet.copyOf(statuses),
        "deploy_status IN (" + placeholders + ")",
        names);
  }

  @Override
  public List<Subcloud> findAll() {
    return table.findAll("list subclouds", null);
  }
}
