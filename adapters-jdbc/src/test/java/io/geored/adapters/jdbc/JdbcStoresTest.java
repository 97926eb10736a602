package io.geored.adapters.jdbc;

import static io.geored.testkit.contract.Fixtures.saved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.geored.spi.PersistenceException;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.testkit.contract.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("JdbcStores factories")
class JdbcStoresTest {

  @TempDir Path folder;

  private static List<String> causeMessages(Throwable thrown) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    return messages;
  }

  @Nested
  @DisplayName("embedded")
  class Embedded {

    @Test
    @DisplayName("creates a missing folder and keeps every record across a restart")
    void survivesRestart() throws Exception {
      Path dbFolder = folder.resolve("state").resolve("geored");
      SystemPeer peer;
      SubcloudPeerGroup group;
      PeerGroupAssociation association;
      Subcloud subcloud;
      try (JdbcStores db = JdbcStores.embedded(dbFolder)) {
        peer = saved(db.stores().systemPeers().insert(Fixtures.systemPeer("site-b")));
        group = saved(db.stores().peerGroups().insert(Fixtures.peerGroup("group-1")));
        association =
            saved(db.stores().associations().insert(Fixtures.association(group.id(), peer.id())));
        subcloud =
            saved(
                db.stores()
                    .subclouds()
                    .insert(
                        Fixtures.subcloud("subcloud1").toBuilder()
                            .peerGroupId(group.id())
                            .updatedAt(Fixtures.UPDATED_AT)
                            .build()));
      }
      assertThat(dbFolder.resolve(JdbcStores.EMBEDDED_NAME + ".mv.db")).exists();

      try (JdbcStores db = JdbcStores.embedded(dbFolder)) {
        assertThat(db.dialect()).isEqualTo(Dialect.H2);
        assertThat(db.stores().systemPeers().findAll()).containsExactly(peer);
        assertThat(db.stores().peerGroups().findAll()).containsExactly(group);
        assertThat(db.stores().associations().findAll()).containsExactly(association);
        assertThat(db.stores().subclouds().findAll()).containsExactly(subcloud);
        assertThat(appliedMigrations(db)).containsExactly("1", "2", "3", "4", "5");
      }
    }

    @Test
    @DisplayName("refuses a file where the folder should be, naming the folder")
    void folderIsAFile() throws Exception {
      Path file = Files.writeString(folder.resolve("not-a-folder"), "x");

      Throwable thrown = catchThrowable(() -> JdbcStores.embedded(file));

      assertThat(thrown)
          .isInstanceOf(PersistenceException.class)
          .hasMessage("create database folder " + file.toAbsolutePath());
    }
  }

  private static List<String> appliedMigrations(JdbcStores db) throws Exception {
    List<String> versions = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT \"version\" FROM \"geored_schema_history\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL"
                    + " ORDER BY \"installed_rank\"")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }

  @Nested
  @DisplayName("from a JDBC URL")
  class FromUrl {

    @Test
    @DisplayName("a wrong password fails with the URL and user named and the password nowhere")
    void wrongPasswordH2() {
      String url = TestDatabases.h2MemoryUrl();
      try (JdbcStores owner = JdbcStores.connect(url, "sa", "right-horse-battery")) {
        Throwable thrown =
            catchThrowable(() -> JdbcStores.connect(url, "sa", "wrong-staple-42").close());

        assertThat(thrown)
            .isInstanceOf(PersistenceException.class)
            .hasMessage("connect to " + url.substring(0, url.indexOf(';')) + " as sa")
            .hasCauseInstanceOf(RuntimeException.class);
        assertThat(causeMessages(thrown))
            .noneMatch(m -> m.contains("wrong-staple-42") || m.contains("right-horse-battery"));
        assertThat(owner.stores().subclouds().findAll()).isEmpty();
      }
    }

    @Test
    @DisplayName("on PostgreSQL, a wrong password fails without the password in any message")
    void wrongPasswordPostgres() {
      String url = TestDatabases.pgUrl();

      Throwable thrown =
          catchThrowable(
              () -> JdbcStores.connect(url, TestDatabases.pgUser(), "wrong-staple-42").close());

      assertThat(thrown)
          .isInstanceOf(PersistenceException.class)
          .hasMessage("connect to " + url + " as " + TestDatabases.pgUser());
      assertThat(causeMessages(thrown)).noneMatch(m -> m.contains("wrong-staple-42"));
    }

    @Test
    @DisplayName("on PostgreSQL, detects the dialect and migrates once however often it opens")
    void postgresMigratesOnce() throws Exception {
      try (JdbcStores first = TestDatabases.postgres();
          JdbcStores second = TestDatabases.postgres()) {
        assertThat(first.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(appliedMigrations(second)).containsExactly("1", "2", "3", "4", "5");
      }
    }
  }

  private static String writeDelay(JdbcStores db) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME = 'WRITE_DELAY'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Nested
  @DisplayName("H2 on a file writes every commit before answering (a killed process loses none)")
  class WriteDelay {

    @Test
    @DisplayName("the embedded database writes each commit at once: WRITE_DELAY=0")
    void embedded() throws Exception {
      try (JdbcStores db = JdbcStores.embedded(folder.resolve("db"))) {
        assertThat(writeDelay(db)).isEqualTo("0");
      }
    }

    @Test
    @DisplayName("an H2 file URL without WRITE_DELAY gets WRITE_DELAY=0")
    void fileUrlWithoutTheSetting() throws Exception {
      String file = folder.resolve("db").resolve("geored").toString().replace('\\', '/');
      try (JdbcStores db = JdbcStores.connect("jdbc:h2:file:" + file, "sa", "")) {
        assertThat(writeDelay(db)).isEqualTo("0");
      }
      try (JdbcStores db =
          JdbcStores.connect("jdbc:h2:" + file + ";LOCK_TIMEOUT=5000;", "sa", "")) {
        assertThat(writeDelay(db)).isEqualTo("0");
      }
    }

    @Test
    @DisplayName("a URL that sets WRITE_DELAY itself keeps the operator's value")
    void explicitSettingKept() throws Exception {
      String file = folder.resolve("db").resolve("geored").toString().replace('\\', '/');
      try (JdbcStores db =
          JdbcStores.connect("jdbc:h2:file:" + file + ";write_delay=300", "sa", "")) {
        assertThat(writeDelay(db)).isEqualTo("300");
      }
    }

    @Test
    @DisplayName("URLs that are not an H2 file are used as given")
    void otherUrls() {
      assertThat(JdbcStores.durable("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1"))
          .isEqualTo("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1");
      assertThat(JdbcStores.durable("jdbc:h2:tcp://db:9092/geored"))
          .isEqualTo("jdbc:h2:tcp://db:9092/geored");
      assertThat(JdbcStores.durable("jdbc:postgresql://db:5432/geored"))
          .isEqualTo("jdbc:postgresql://db:5432/geored");
      assertThat(JdbcStores.durable("jdbc:h2:./data/geored"))
          .isEqualTo("jdbc:h2:./data/geored;WRITE_DELAY=0");
      assertThat(JdbcStores.durable("jdbc:h2:C:/data/geored"))
          .isEqualTo("jdbc:h2:C:/data/geored;WRITE_DELAY=0");
    }
  }

  @Nested
  @DisplayName("on a host's data source")
  class HostDataSource {

    @Test
    @DisplayName("migrates beside the host's own tables and leaves the data source open on close")
    void leavesItOpen() throws Exception {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL(TestDatabases.h2MemoryUrl());
      h2.setUser("sa");
      try (Connection c = h2.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE host_inventory (id INT PRIMARY KEY)");
        s.execute("INSERT INTO host_inventory VALUES (7)");
      }

      JdbcStores db = JdbcStores.onDataSource(h2);
      saved(db.stores().peerGroups().insert(Fixtures.peerGroup("group-1")));
      db.close();
      db.close();

      try (Connection c = h2.getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT (SELECT COUNT(*) FROM host_inventory),"
                      + " (SELECT COUNT(*) FROM geored_peer_group)")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getInt(2)).isEqualTo(1);
      }
    }
  }
}
