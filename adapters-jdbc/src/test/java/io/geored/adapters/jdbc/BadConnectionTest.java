package io.geored.adapters.jdbc;

import static io.geored.testkit.contract.Fixtures.saved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.geored.spi.PersistenceException;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.store.Stores;
import io.geored.testkit.contract.Fixtures;
import java.sql.SQLException;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JDBC stores when the database goes away (H2 behind a failing data source)")
class BadConnectionTest {

  private FlakyDataSource flaky;
  private JdbcStores db;
  private Stores stores;
  private SubcloudPeerGroup group;
  private Subcloud member;

  @BeforeEach
  void open() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(TestDatabases.h2MemoryUrl());
    h2.setUser("sa");
    flaky = new FlakyDataSource(h2);
    db = JdbcStores.onDataSource(flaky);
    stores = db.stores();
    group = saved(stores.peerGroups().insert(Fixtures.peerGroup("group-1")));
    member =
        saved(
            stores
                .subclouds()
                .insert(
                    Fixtures.subcloud("subcloud1").toBuilder().peerGroupId(group.id()).build()));
  }

  @AfterEach
  void close() {
    flaky.comeBack();
    db.close();
  }

  private record Snapshot(List<SubcloudPeerGroup> groups, List<Subcloud> subclouds) {}

  private Snapshot snapshot() {
    return new Snapshot(stores.peerGroups().findAll(), stores.subclouds().findAll());
  }

  @Test
  @DisplayName(
      "mid-transaction: the persistence exception names the operation, keeps the cause, and no"
          + " write of the transaction is left once the database is back")
  void midTransaction() {
    Snapshot before = snapshot();

    Throwable thrown =
        catchThrowable(
            () ->
                stores
                    .transactions()
                    .run(
                        () -> {
                          saved(stores.subclouds().insert(Fixtures.subcloud("subcloud2")));
                          saved(
                              stores
                                  .peerGroups()
                                  .update(group.toBuilder().maxSubcloudRehoming(50).build()));
                          saved(
                              stores
                                  .subclouds()
                                  .update(
                                      member.toBuilder()
                                          .deployStatus(DeployStatus.REHOMING)
                                          .build()));
                          flaky.goDown();
                          stores.subclouds().insert(Fixtures.subcloud("subcloud3"));
                        }));

    assertThat(thrown)
        .isInstanceOf(PersistenceException.class)
        .hasMessage("insert subcloud name=subcloud3 failed: sql_state=08006 error_code=0")
        .hasCauseInstanceOf(SQLException.class);
    flaky.comeBack();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  @DisplayName("at commit: the persistence exception names the commit and nothing is written")
  void atCommit() {
    Snapshot before = snapshot();

    Throwable thrown =
        catchThrowable(
            () ->
                stores
                    .transactions()
                    .run(
                        () -> {
                          saved(stores.subclouds().insert(Fixtures.subcloud("subcloud2")));
                          assertThat(stores.subclouds().delete(member.id())).isTrue();
                          flaky.goDown();
                        }));

    assertThat(thrown)
        .isInstanceOf(PersistenceException.class)
        .hasMessage("commit transaction failed: sql_state=08006 error_code=0")
        .hasCauseInstanceOf(SQLException.class);
    flaky.comeBack();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  @DisplayName("outside a transaction: reads and writes fail with the operation named, then work")
  void outsideTransaction() {
    Snapshot before = snapshot();
    flaky.goDown();

    Throwable read = catchThrowable(() -> stores.subclouds().findByPeerGroup(group.id()));
    Throwable write =
        catchThrowable(
            () -> stores.subclouds().update(member.toBuilder().description("changed").build()));
    Throwable begin = catchThrowable(() -> stores.transactions().run(() -> {}));

    assertThat(read)
        .isInstanceOf(PersistenceException.class)
        .hasMessage(
            "list subclouds peer_group_id="
                + group.id()
                + " (no connection) failed: sql_state=08001 error_code=0")
        .hasCauseInstanceOf(SQLException.class);
    assertThat(write)
        .isInstanceOf(PersistenceException.class)
        .hasMessage(
            "update subcloud id="
                + member.id()
                + " (no connection) failed: sql_state=08001 error_code=0");
    assertThat(begin)
        .isInstanceOf(PersistenceException.class)
        .hasMessage("begin transaction (no connection) failed: sql_state=08001 error_code=0");
    flaky.comeBack();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(stores.subclouds().findByPeerGroup(group.id())).containsExactly(member);
  }

  @Test
  @DisplayName("a group's members are read in one query, however many there are")
  void groupReadIsOneQuery() {
    for (int n = 2; n <= 50; n++) {
      saved(
          stores
              .subclouds()
              .insert(
                  Fixtures.subcloud("subcloud" + n).toBuilder().peerGroupId(group.id()).build()));
    }
    int before = flaky.prepared();

    List<Subcloud> members = stores.subclouds().findByPeerGroup(group.id());

    assertThat(members).hasSize(50);
    assertThat(flaky.prepared() - before).isEqualTo(1);
  }
}
