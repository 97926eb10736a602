package io.geored.adapters.jdbc;

import io.geored.spi.store.StoreResult;
import io.geored.spi.witness.FencedGroup;
import io.geored.spi.witness.LeadershipStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A site's {@link LeadershipStore} in its own database, beside its other stores: tables {@code
 * geored_leader_epoch}, {@code geored_fenced_group} and {@code geored_fenced_member}. Each call
 * joins the calling thread's store transaction when there is one (so a fence mark commits with the
 * members it unmanaged), else commits before it answers. Raising an epoch is one {@code UPDATE ...
 * GREATEST} (the row lock orders concurrent raises) and, for a group's first epoch, an {@code
 * INSERT} that falls back to that update when another raise inserted first. Thread-safe.
 */
final class JdbcLeadershipStore implements LeadershipStore {

  private static final String DUPLICATE = "group";

  private static final Map<String, String> EPOCH_KEY = Map.of("pk_geored_leader_epoch", DUPLICATE);

  private static final Map<String, String> MARK_KEY = Map.of("pk_geored_fenced_group", DUPLICATE);

  private final Database db;

  JdbcLeadershipStore(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public long highestEpoch(String group) {
    checkName(group);
    return db.call(
        "read leader epoch of " + group,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT epoch FROM geored_leader_epoch WHERE group_name = ?")) {
            ps.setString(1, group);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }

  @Override
  public long raiseEpoch(String group, long counter) {
    checkName(group);
    if (counter <= 0) {
      throw new IllegalArgumentException("epoch counter must be positive, was " + counter);
    }
    String operation = "raise leader epoch of " + group;
    return db.inTransaction(
        () -> {
          Long raised = db.call(operation, c -> raise(c, group, counter));
          if (raised != null) {
            return raised;
          }
          StoreResult<Long> inserted =
              db.write(
                  operation,
                  EPOCH_KEY,
                  c -> {
                    try (PreparedStatement ps =
                        c.prepareStatement(
                            "INSERT INTO geored_leader_epoch (group_name, epoch) VALUES (?, ?)")) {
                      ps.setString(1, group);
                      ps.setLong(2, counter);
                      ps.executeUpdate();
                    }
                    return new StoreResult.Saved<>(counter);
                  });
          if (inserted instanceof StoreResult.Saved<Long> saved) {
            return saved.value();
          }
          // Another raise inserted the group's first row meanwhile: raise that one.
          Long again = db.call(operation, c -> raise(c, group, counter));
          if (again == null) {
            throw new IllegalStateException(operation + ": row neither insertable nor present");
          }
          return again;
        });
  }

  /** Raises the row, locking it until the transaction ends; null when the group has no row. */
  private static Long raise(Connection c, String group, long counter) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE geored_leader_epoch SET epoch = GREATEST(epoch, ?) WHERE group_name = ?")) {
      ps.setLong(1, counter);
      ps.setString(2, group);
      if (ps.executeUpdate() == 0) {
        return null;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT epoch FROM geored_leader_epoch WHERE group_name = ?")) {
      ps.setString(1, group);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public Optional<FencedGroup> fenced(String group) {
    checkName(group);
    List<FencedGroup> found = read(group);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  @Override
  public List<FencedGroup> fencedGroups() {
    return read(null);
  }

  /** The marks of one group, or of every group when it is null, in group name order. */
  private List<FencedGroup> read(String group) {
    String where = group == null ? "" : " WHERE g.group_name = ?";
    return db.call(
        group == null ? "read fence marks" : "read fence mark of " + group,
        c -> {
          Map<String, Long> epochs = new LinkedHashMap<>();
          Map<String, List<String>> members = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT g.group_name, g.epoch, m.member_name FROM geored_fenced_group g"
                      + " LEFT JOIN geored_fenced_member m ON m.group_name = g.group_name"
                      + where
                      + " ORDER BY g.group_name, m.member_index")) {
            if (group != null) {
              ps.setString(1, group);
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String name = rs.getString(1);
                epochs.put(name, rs.getLong(2));
                List<String> names = members.computeIfAbsent(name, n -> new ArrayList<>());
                String member = rs.getString(3);
                if (member != null) {
                  names.add(member);
                }
              }
            }
          }
          List<FencedGroup> marks = new ArrayList<>();
          epochs.forEach(
              (name, epoch) -> marks.add(new FencedGroup(name, epoch, members.get(name))));
          return List.copyOf(marks);
        });
  }

  @Override
  public void putFenced(FencedGroup fenced) {
    Objects.requireNonNull(fenced, "fenced");
    checkName(fenced.group());
    fenced.members().forEach(JdbcLeadershipStore::checkName);
    String group = fenced.group();
    String operation = "store fence mark of " + group;
    db.inTransaction(
        () -> {
          // The group's row first, locked until the end: concurrent marks of a group take turns.
          if (!db.call(operation, c -> updateMark(c, fenced))) {
            StoreResult<Boolean> inserted =
                db.write(
                    operation,
                    MARK_KEY,
                    c -> {
                      try (PreparedStatement ps =
                          c.prepareStatement(
                              "INSERT INTO geored_fenced_group (group_name, epoch) VALUES (?, ?)")) {
                        ps.setString(1, group);
                        ps.setLong(2, fenced.epoch());
                        ps.executeUpdate();
                      }
                      return new StoreResult.Saved<>(true);
                    });
            if (!(inserted instanceof StoreResult.Saved<Boolean>)
                && !db.call(operation, c -> updateMark(c, fenced))) {
              throw new IllegalStateException(operation + ": row neither insertable nor present");
            }
          }
          return db.call(
              operation,
              c -> {
                deleteMembers(c, group);
                if (!fenced.members().isEmpty()) {
                  try (PreparedStatement ps =
                      c.prepareStatement(
                          "INSERT INTO geored_fenced_member (group_name, member_index,"
                              + " member_name) VALUES (?, ?, ?)")) {
                    int index = 0;
                    for (String member : fenced.members()) {
                      ps.setString(1, group);
                      ps.setInt(2, index++);
                      ps.setString(3, member);
                      ps.addBatch();
                    }
                    ps.executeBatch();
                  }
                }
                return null;
              });
        });
  }

  private static boolean updateMark(Connection c, FencedGroup fenced) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE geored_fenced_group SET epoch = ? WHERE group_name = ?")) {
      ps.setLong(1, fenced.epoch());
      ps.setString(2, fenced.group());
      return ps.executeUpdate() == 1;
    }
  }

  @Override
  public void removeFenced(String group) {
    checkName(group);
    db.inTransaction(
        () ->
            db.call(
                "remove fence mark of " + group,
                c -> {
                  deleteMembers(c, group);
                  try (PreparedStatement ps =
                      c.prepareStatement("DELETE FROM geored_fenced_group WHERE group_name = ?")) {
                    ps.setString(1, group);
                    ps.executeUpdate();
                  }
                  return null;
                }));
  }

  private static void deleteMembers(Connection c, String group) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM geored_fenced_member WHERE group_name = ?")) {
      ps.setString(1, group);
      ps.executeUpdate();
    }
  }

  /** Names are kept in columns of 255 characters. */
  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > 255) {
      throw new IllegalArgumentException(
          "leadership store names must be 1 to 255 characters, was " + name.length());
    }
  }
}
