package io.geored.adapters.jdbc;

import io.geored.spi.store.StoreResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table of versioned records: generated ids, compare-and-set updates on the version column, and
 * finders that answer in one query, ordered by id.
 *
 * @param <T> the record type
 */
abstract class RecordTable<T> {

  private final Database db;
  private final String table;
  private final String what;
  private final Map<String, String> uniqueKeys;
  private final String insertSql;
  private final String updateSql;
  private final String selectSql;
  private final int columnCount;

  /**
   * Describes the table.
   *
   * @param db the database
   * @param table the table name
   * @param what the record's name in operation messages
   * @param columns every column but id and version, in {@link #bind} order
   * @param uniqueKeys constraint name to the store's rule
   */
  RecordTable(
      Database db,
      String table,
      String what,
      List<String> columns,
      Map<String, String> uniqueKeys) {
    this.db = db;
    this.table = table;
    this.what = what;
    this.uniqueKeys = Map.copyOf(uniqueKeys);
    this.columnCount = columns.size();
    this.insertSql =
        "INSERT INTO "
            + table
            + " ("
            + String.join(", ", columns)
            + ", version) VALUES ("
            + "?, ".repeat(columns.size())
            + "1)";
    this.updateSql =
        "UPDATE "
            + table
            + " SET "
            + String.join(" = ?, ", columns)
            + " = ?, version = version + 1 WHERE id = ? AND version = ?";
    this.selectSql = "SELECT id, " + String.join(", ", columns) + ", version FROM " + table;
  }

  /** Binds every column but id and version from parameter 1 on. */
  abstract void bind(PreparedStatement ps, T record) throws SQLException;

  /** Reads a whole row, id and version included. */
  abstract T read(ResultSet rs) throws SQLException;

  abstract long idOf(T record);

  abstract long versionOf(T record);

  abstract T withIdAndVersion(T record, long id, long version);

  /** How the record is named in an operation message: id or unique key, never a secret. */
  abstract String describe(T record);

  StoreResult<T> insert(T record) {
    return db.write(
        "insert " + what + " " + describe(record),
        uniqueKeys,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(insertSql, Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, record);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
              if (!keys.next()) {
                throw new SQLException("no id generated for " + table);
              }
              return new StoreResult.Saved<>(withIdAndVersion(record, keys.getLong("id"), 1));
            }
          }
        });
  }

  StoreResult<T> update(T record) {
    long id = idOf(record);
    long version = versionOf(record);
    return db.write(
        "update " + what + " id=" + id,
        uniqueKeys,
        c -> {
          int changed;
          try (PreparedStatement ps = c.prepareStatement(updateSql)) {
            bind(ps, record);
            int next = columnCount + 1;
            ps.setLong(next, id);
            ps.setLong(next + 1, version);
            changed = ps.executeUpdate();
          }
          if (changed == 1) {
            return new StoreResult.Saved<>(withIdAndVersion(record, id, version + 1));
          }
          // Nothing matched: the row is gone, or another writer moved its version on.
          return exists(c, id) ? new StoreResult.Stale<>() : new StoreResult.Missing<>();
        });
  }

  boolean delete(long id) {
    return db.call(
        "delete " + what + " id=" + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
          }
        });
  }

  Optional<T> findById(long id) {
    return findOne("find " + what + " id=" + id, "id = ?", id);
  }

  /**
   * The one record matching a condition on a unique column.
   *
   * @param operation for the message
   * @param where the condition, with ? parameters
   * @param params the parameters
   * @return the record or empty
   */
  Optional<T> findOne(String operation, String where, Object... params) {
    List<T> found = query(operation, selectSql + " WHERE " + where, params);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /**
   * Every record matching a condition, in one query, ordered by id.
   *
   * @param operation for the message
   * @param where the condition with ? parameters, or null for every record
   * @param params the parameters
   * @return the records
   */
  List<T> findAll(String operation, String where, Object... params) {
    String sql = where == null ? selectSql : selectSql + " WHERE " + where;
    return query(operation, sql + " ORDER BY id", params);
  }

  private List<T> query(String operation, String sql, Object... params) {
    return db.call(
        operation,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
              ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
              List<T> rows = new ArrayList<>();
              while (rs.next()) {
                rows.add(read(rs));
              }
              return rows;
            }
          }
        });
  }

  private boolean exists(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
