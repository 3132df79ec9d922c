package dev.tributary.engine.internal;

import dev.tributary.engine.EngineException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The JDBC edge: runs work on a pooled connection (optionally in a transaction) and turns {@link
 * SQLException} into {@link EngineException} naming what was being done. Public so the engine's
 * other packages can share it; not part of the engine's API.
 */
public final class Sql {
  private Sql() {}

  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  public static <T> T withConnection(DataSource ds, String what, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new EngineException("could not " + what + ": " + e.getMessage(), e);
    }
  }

  /** Runs on the caller's connection, leaving its transaction alone. */
  public static <T> T onConnection(Connection c, String what, Work<T> work) {
    try {
      return work.run(c);
    } catch (SQLException e) {
      throw new EngineException("could not " + what + ": " + e.getMessage(), e);
    }
  }

  public static <T> T inTransaction(DataSource ds, String what, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new EngineException("could not " + what + ": " + e.getMessage(), e);
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  public static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  public static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }

  /** SQLSTATE 23505: a unique index refused the row. */
  public static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
