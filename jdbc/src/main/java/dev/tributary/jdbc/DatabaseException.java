package dev.tributary.jdbc;

import java.sql.SQLException;

/**
 * A database operation failed. The one unchecked exception for database failures: {@link Jdbc}
 * translates every {@link SQLException} into it once, at the JDBC edge, keeping the SQLSTATE.
 */
public class DatabaseException extends RuntimeException {
  /** SQLSTATE 23505: a unique index refused the row. */
  public static final String UNIQUE_VIOLATION = "23505";

  private final String sqlState;

  public DatabaseException(String message, SQLException cause) {
    super(message, cause);
    this.sqlState = cause == null ? null : cause.getSQLState();
  }

  /** Translates a driver exception; {@code what} says what was being done ("enqueue a job"). */
  public static DatabaseException of(String what, SQLException e) {
    String detail = e.getMessage();
    return new DatabaseException(what == null ? detail : "could not " + what + ": " + detail, e);
  }

  /** The five-character SQLSTATE of the failure, or null when the driver gave none. */
  public String sqlState() {
    return sqlState;
  }

  public boolean isUniqueViolation() {
    return UNIQUE_VIOLATION.equals(sqlState);
  }

  /** True when {@code e} or one of its causes is a unique violation. */
  public static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DatabaseException d && d.isUniqueViolation()) {
        return true;
      }
      if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
