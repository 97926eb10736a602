package io.geored.adapters.jdbc;

import io.geored.spi.PersistenceException;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections and transactions over a data source. A transaction binds its connection to the
 * thread, so every store call on that thread joins it; outside one, each call takes a connection in
 * auto-commit mode for itself. Every {@link SQLException} leaves as a {@link PersistenceException}
 * naming the operation.
 */
final class Database implements Transactions {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** SQLSTATE of a unique or primary key violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;
  private final boolean failedStatementAbortsTransaction;
  private final ThreadLocal<Connection> transaction = new ThreadLocal<>();

  /**
   * A database whose failed statement aborts the transaction around it, as PostgreSQL does: every
   * write in a transaction runs under a savepoint.
   *
   * @param dataSource the connections
   */
  Database(DataSource dataSource) {
    this(dataSource, true);
  }

  /**
   * A database of a known dialect.
   *
   * @param dataSource the connections
   * @param dialect H2 undoes only the failed statement and keeps its transaction usable, so a write
   *     in a transaction needs no savepoint there; PostgreSQL aborts the whole transaction
   */
  Database(DataSource dataSource, Dialect dialect) {
    this(dataSource, dialect != Dialect.H2);
  }

  private Database(DataSource dataSource, boolean failedStatementAbortsTransaction) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.failedStatementAbortsTransaction = failedStatementAbortsTransaction;
  }

  DataSource dataSource() {
    return dataSource;
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    Objects.requireNonNull(work, "work");
    if (transaction.get() != null) {
      // Nested: join the outer transaction; its end commits or rolls back both.
      return work.get();
    }
    Connection connection = open("begin transaction");
    try {
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw failed("begin transaction", e);
    }
    transaction.set(connection);
    try {
      T result = work.get();
      try {
        connection.commit();
      } catch (SQLException e) {
        throw failed("commit transaction", e);
      }
      return result;
    } catch (Throwable t) {
      rollbackQuietly(connection, t);
      throw t;
    } finally {
      transaction.remove();
      try {
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        LOG.debug("could not restore auto-commit sql_state={}", e.getSQLState(), e);
      }
      closeQuietly(connection);
    }
  }

  /**
   * Runs reads (or writes that cannot break a uniqueness rule) on the thread's transaction or a
   * connection of its own.
   *
   * @param operation what is done, for the exception's message
   * @param work the statements
   * @param <T> the result
   * @return what the work answered
   */
  <T> T call(String operation, SqlWork<T> work) {
    Connection current = transaction.get();
    if (current != null) {
      try {
        return work.apply(current);
      } catch (SQLException e) {
        throw failed(operation, e);
      }
    }
    try (Connection connection = open(operation)) {
      return work.apply(connection);
    } catch (SQLException e) {
      throw failed(operation, e);
    }
  }

  /**
   * Runs a write whose uniqueness violation is an expected outcome. Inside a transaction on
   * PostgreSQL the write runs under a savepoint, so a refused write leaves the transaction usable
   * (PostgreSQL would otherwise abort it; each savepoint costs two more round trips, its creation
   * and its release). H2 undoes a failed statement alone and keeps the transaction usable, so there
   * the write runs as it is: one statement, not three.
   *
   * @param operation what is done, for the exception's message
   * @param uniqueKeys constraint name (lower case) to the store's {@code UNIQUE_*} rule
   * @param work the statements
   * @param <T> the record type
   * @return the work's outcome, or Duplicate naming the violated rule
   */
  <T> StoreResult<T> write(
      String operation, Map<String, String> uniqueKeys, SqlWork<StoreResult<T>> work) {
    Connection current = transaction.get();
    if (current == null) {
      try (Connection connection = open(operation)) {
        return work.apply(connection);
      } catch (SQLException e) {
        return duplicateOrThrow(operation, uniqueKeys, e);
      }
    }
    if (!failedStatementAbortsTransaction) {
      try {
        return work.apply(current);
      } catch (SQLException e) {
        return duplicateOrThrow(operation, uniqueKeys, e);
      }
    }
    Savepoint savepoint;
    try {
      savepoint = current.setSavepoint();
    } catch (SQLException e) {
      throw failed(operation, e);
    }
    try {
      StoreResult<T> result = work.apply(current);
      current.releaseSavepoint(savepoint);
      return result;
    } catch (SQLException e) {
      try {
        current.rollback(savepoint);
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
        throw failed(operation, e);
      }
      return duplicateOrThrow(operation, uniqueKeys, e);
    }
  }

  private static <T> StoreResult<T> duplicateOrThrow(
      String operation, Map<String, String> uniqueKeys, SQLException e) {
    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
      String key = violatedKey(uniqueKeys, e);
      if (key != null) {
        return new StoreResult.Duplicate<>(key);
      }
    }
    throw failed(operation, e);
  }

  /**
   * Which rule a violation broke. Both databases name the constraint in the message (H2 through its
   * index name, PostgreSQL in quotes) before any value, so the earliest name found is the one.
   */
  private static String violatedKey(Map<String, String> uniqueKeys, SQLException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    String key = null;
    int earliest = Integer.MAX_VALUE;
    for (Map.Entry<String, String> entry : uniqueKeys.entrySet()) {
      int at = message.indexOf(entry.getKey());
      if (at >= 0 && at < earliest) {
        earliest = at;
        key = entry.getValue();
      }
    }
    return key;
  }

  private Connection open(String operation) {
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw failed(operation + " (no connection)", e);
    }
  }

  /**
   * The exception for a failed operation: the message names the operation and the SQLSTATE only,
   * never values or credentials; the driver's exception is the cause.
   */
  static PersistenceException failed(String operation, SQLException e) {
    return new PersistenceException(
        operation + " failed: sql_state=" + e.getSQLState() + " error_code=" + e.getErrorCode(), e);
  }

  private static void rollbackQuietly(Connection connection, Throwable reason) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // The connection is likely gone, and the database drops an unfinished transaction anyway.
      reason.addSuppressed(e);
      LOG.warn("rollback failed sql_state={}", e.getSQLState());
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("could not close connection sql_state={}", e.getSQLState(), e);
    }
  }
}
