package io.geored.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

/**
 * What differs between the supported databases. The schema is one script for both; only the type of
 * unbounded JSON text differs, given to Flyway as the {@code large_text} placeholder.
 */
enum Dialect {
  /** H2 2.x: text columns hold up to 1,048,576 characters, and CLOBs are slow to read in bulk. */
  H2("CHARACTER VARYING"),
  /** PostgreSQL 12 or later. */
  POSTGRESQL("TEXT");

  private final String largeTextType;

  Dialect(String largeTextType) {
    this.largeTextType = largeTextType;
  }

  /**
   * The placeholders of the migration scripts.
   *
   * @return placeholder name to value
   */
  Map<String, String> placeholders() {
    return Map.of("large_text", largeTextType);
  }

  /**
   * An SQL expression for the database's current time plus a duration, on the database's clock.
   *
   * @param millis the duration in milliseconds, 0 or more (a literal: it is the adapter's own
   *     number, never input)
   * @return the expression
   */
  String nowPlusMillis(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("duration must be 0 or more, was " + millis + " ms");
    }
    return switch (this) {
      case H2 -> "DATEADD(MILLISECOND, " + millis + ", CURRENT_TIMESTAMP)";
      case POSTGRESQL -> "(CURRENT_TIMESTAMP + INTERVAL '" + millis + " milliseconds')";
    };
  }

  /**
   * Recognises the database behind a connection.
   *
   * @param connection an open connection
   * @return the dialect
   * @throws SQLException when the metadata cannot be read
   * @throws IllegalArgumentException for a database geored does not support
   */
  static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    String lower = product.toLowerCase(Locale.ROOT);
    if (lower.equals("h2")) {
      return H2;
    }
    if (lower.contains("postgresql")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported database " + product + ": geored's JDBC stores support H2 and PostgreSQL");
  }
}
