package io.geored.adapters.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the tests run on. PostgreSQL comes from {@code GEORED_PG_URL} (user {@code
 * GEORED_PG_USER}, default postgres; password {@code GEORED_PG_PASSWORD}, default secret), as
 * {@code .ci/run} exports it. Without the variable the PostgreSQL tests are skipped locally, but
 * fail in CI ({@code CI=true}), where a missing database is a broken build.
 */
final class TestDatabases {

  static final String PG_URL_VARIABLE = "GEORED_PG_URL";

  private TestDatabases() {}

  /** A fresh private H2 database in memory, alive until the pool closes. */
  static JdbcStores h2Memory() {
    return JdbcStores.connect(h2MemoryUrl(), "sa", "");
  }

  static String h2MemoryUrl() {
    return "jdbc:h2:mem:geored-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
  }

  static String pgUrl() {
    String url = System.getenv(PG_URL_VARIABLE);
    if (url == null || url.isBlank()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(
            PG_URL_VARIABLE
                + " is not set: in CI the PostgreSQL tests must run (.ci/run starts the database)");
      }
      Assumptions.abort(PG_URL_VARIABLE + " is not set: PostgreSQL tests skipped");
    }
    return url;
  }

  static String pgUser() {
    String user = System.getenv("GEORED_PG_USER");
    return user == null ? "postgres" : user;
  }

  static String pgPassword() {
    String password = System.getenv("GEORED_PG_PASSWORD");
    return password == null ? "secret" : password;
  }

  /** The shared PostgreSQL database, emptied; fails or skips as the class says when absent. */
  static JdbcStores postgres() {
    JdbcStores stores = JdbcStores.connect(pgUrl(), pgUser(), pgPassword());
    stores.deleteEverything();
    return stores;
  }
}
