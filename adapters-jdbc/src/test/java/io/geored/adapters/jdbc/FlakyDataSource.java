package io.geored.adapters.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that can be made to fail as a database that went away: while it is down, new
 * connections are refused and every call on an open connection or statement fails with SQLSTATE
 * 08006, except close, which lets the database drop the unfinished transaction. It also counts the
 * statements prepared, to show that a read is one query.
 */
final class FlakyDataSource implements DataSource {

  private final DataSource delegate;
  private volatile boolean down;
  private final AtomicInteger prepared = new AtomicInteger();

  FlakyDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  void goDown() {
    down = true;
  }

  void comeBack() {
    down = false;
  }

  int prepared() {
    return prepared.get();
  }

  private SQLException gone() {
    return new SQLException("connection to the database lost", "08006");
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (down) {
      throw new SQLException("connection refused", "08001");
    }
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }

  private Connection wrap(Connection connection) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            return invoke(connection, method, args);
          }
          if (down) {
            throw gone();
          }
          Object result = invoke(connection, method, args);
          if (result instanceof PreparedStatement statement) {
            prepared.incrementAndGet();
            return wrapStatement(statement, PreparedStatement.class);
          }
          if (result instanceof Statement statement) {
            return wrapStatement(statement, Statement.class);
          }
          return result;
        };
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private <S extends Statement> S wrapStatement(S statement, Class<S> type) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (down && !method.getName().equals("close")) {
            throw gone();
          }
          return invoke(statement, method, args);
        };
    return type.cast(
        Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
