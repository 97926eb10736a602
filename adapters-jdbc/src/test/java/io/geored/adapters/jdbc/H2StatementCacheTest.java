package io.geored.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.store.Stores;
import io.geored.testkit.contract.StoresContract;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 database keeps more parsed statements per connection than the stores run, so a
 * statement is parsed once per connection, not on every use (H2's default cache of 8 made the
 * stores parse most statements again each time). Counted: every store contract runs through a data
 * source that notes each distinct statement prepared.
 */
@DisplayName("The embedded H2 store keeps every statement the stores run parsed")
class H2StatementCacheTest extends StoresContract {

  @TempDir static Path folder;

  private static JdbcStores embedded;
  private static final Set<String> STATEMENTS = ConcurrentHashMap.newKeySet();

  @Override
  protected Stores newStores() {
    if (embedded == null) {
      embedded = JdbcStores.embedded(folder);
    }
    embedded.deleteEverything();
    return JdbcStores.onDataSource(noting(embedded.dataSource())).stores();
  }

  @Test
  @DisplayName("each connection of the embedded database caches 128 parsed statements")
  void cacheSize() throws SQLException {
    newStores();
    try (Connection c = embedded.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo(String.valueOf(JdbcStores.EMBEDDED_QUERY_CACHE));
    }
  }

  @AfterAll
  static void everyStatementFits() {
    try {
      // The contracts use every store method; the statements they prepared must all fit the cache.
      assertThat(STATEMENTS).hasSizeGreaterThan(8).hasSizeLessThan(JdbcStores.EMBEDDED_QUERY_CACHE);
    } finally {
      if (embedded != null) {
        embedded.close();
        embedded = null;
      }
    }
  }

  private static DataSource noting(DataSource real) {
    return (DataSource)
        Proxy.newProxyInstance(
            H2StatementCacheTest.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              Object result = invoke(real, method, args);
              return result instanceof Connection c ? noting(c) : result;
            });
  }

  private static Connection noting(Connection real) {
    return (Connection)
        Proxy.newProxyInstance(
            H2StatementCacheTest.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("prepareStatement")) {
                STATEMENTS.add((String) args[0]);
              }
              return invoke(real, method, args);
            });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
