package dev.tributary.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The one way to run SQL: {@link #withConnection} or {@link #inTransaction} lend a {@link Handle}
 * whose statements take named parameters; any {@link SQLException} leaves as a {@link
 * DatabaseException}, translated here and nowhere else. The one-statement helpers ({@link #query},
 * {@link #update}) each borrow a pooled connection for their statement.
 *
 * <pre>{@code
 * jdbc.query("SELECT id FROM tributary.jobs WHERE queue = :queue", Params.of("queue", q),
 *     rs -> rs.getLong(1));
 * jdbc.inTransaction("move a job", tx -> tx.update(…) + tx.update(…));
 * }</pre>
 */
public final class Jdbc {
  /** Work done on a lent connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Handle handle) throws SQLException;
  }

  private final DataSource dataSource;

  public Jdbc(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Runs {@code work} on a pooled connection in auto-commit mode. */
  public <T> T withConnection(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(new Handle(c));
    } catch (SQLException e) {
      throw DatabaseException.of(what, e);
    }
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   */
  public <T> T inTransaction(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(new Handle(c));
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw DatabaseException.of(what, e);
    }
  }

  /** Runs {@code work} on the caller's connection, leaving its transaction alone. */
  public static <T> T onConnection(Connection c, String what, Work<T> work) {
    try {
      return work.run(new Handle(c));
    } catch (SQLException e) {
      throw DatabaseException.of(what, e);
    }
  }

  public <T> List<T> query(String sql, Params params, RowMapper<T> mapper) {
    return withConnection(describe(sql), h -> h.query(sql, params, mapper));
  }

  public <T> Optional<T> queryOne(String sql, Params params, RowMapper<T> mapper) {
    return withConnection(describe(sql), h -> h.queryOne(sql, params, mapper));
  }

  public int update(String sql, Params params) {
    return withConnection(describe(sql), h -> h.update(sql, params));
  }

  private static String describe(String sql) {
    return "run " + Binder.shortSql(sql);
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }
}
