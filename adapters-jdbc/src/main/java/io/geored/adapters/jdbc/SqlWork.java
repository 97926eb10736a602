package io.geored.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work on a connection that may fail with an {@link SQLException}.
 *
 * @param <T> its result
 */
@FunctionalInterface
interface SqlWork<T> {

  /**
   * Does the work.
   *
   * @param connection the connection, in a transaction or in auto-commit
   * @return the result
   * @throws SQLException when a statement fails
   */
  T apply(Connection connection) throws SQLException;
}
