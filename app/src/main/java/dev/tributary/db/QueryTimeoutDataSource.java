package dev.tributary.db;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.jdbc.PgStatement;

/**
 * A pool whose every statement carries a query timeout the driver enforces (it sends the server a
 * cancel request when the time is up). Behind a pooler in transaction mode a session {@code SET
 * statement_timeout} would stay on whichever server session ran it, for other clients to inherit,
 * and never follow this connection's later transactions; a cancel request does follow them
 * (PgBouncer forwards it to the server session the client is using).
 */
final class QueryTimeoutDataSource implements DataSource {
  private final DataSource pool;
  private final long timeoutMs;

  QueryTimeoutDataSource(DataSource pool, long timeoutMs) {
    this.pool = pool;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return timed(pool.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return timed(pool.getConnection(user, password));
  }

  private Connection timed(Connection c) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (result instanceof Statement s && createsStatement(method)) {
            s.unwrap(PgStatement.class).setQueryTimeoutMs(timeoutMs);
          }
          return result;
        };
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private static boolean createsStatement(Method m) {
    String name = m.getName();
    return name.equals("createStatement")
        || name.equals("prepareStatement")
        || name.equals("prepareCall");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || pool.isWrapperFor(iface);
  }
}
