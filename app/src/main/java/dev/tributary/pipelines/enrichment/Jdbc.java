package dev.tributary.pipelines.enrichment;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The JDBC edge of the pipeline: one place where {@link SQLException} becomes unchecked. */
public final class Jdbc {
  private Jdbc() {}

  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Thrown when the database refuses or fails a statement; the message names what was being done.
   */
  public static final class DatabaseException extends RuntimeException {
    DatabaseException(String doing, SQLException cause) {
      super("database error while " + doing + ": " + cause.getMessage(), cause);
    }
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   */
  public static <T> T inTransaction(DataSource ds, String doing, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new DatabaseException(doing, e);
    }
  }
}
