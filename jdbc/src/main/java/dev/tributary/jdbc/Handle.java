package dev.tributary.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGStatement;

/**
 * One connection lent by {@link Jdbc}: run named-parameter SQL on it. Methods throw {@link
 * SQLException}; the {@link Jdbc} call that lent the handle translates it once.
 */
public final class Handle {
  private final Connection connection;

  Handle(Connection connection) {
    this.connection = connection;
  }

  /** Wraps a connection the caller owns (and closes), e.g. to join the caller's transaction. */
  public static Handle on(Connection connection) {
    return new Handle(connection);
  }

  /** The underlying connection, for what the helpers do not cover (COPY, LISTEN). */
  public Connection connection() {
    return connection;
  }

  /** A prepared statement with the parameters bound; the caller closes it. */
  public PreparedStatement prepare(String sql, Params params) throws SQLException {
    NamedSql named = NamedSql.of(sql);
    PreparedStatement ps = connection.prepareStatement(named.sql());
    try {
      Binder.bind(connection, ps, named, params);
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  /**
   * Like {@link #prepare} but planned by the server for its actual parameters on every execution
   * (never a cached generic plan): for statements whose best plan depends on, e.g., array sizes.
   */
  public PreparedStatement prepareEachTime(String sql, Params params) throws SQLException {
    PreparedStatement ps = prepare(sql, params);
    ps.unwrap(PGStatement.class).setPrepareThreshold(0);
    return ps;
  }

  public int update(String sql, Params params) throws SQLException {
    try (PreparedStatement ps = prepare(sql, params)) {
      return ps.executeUpdate();
    }
  }

  public int update(String sql) throws SQLException {
    return update(sql, Params.NONE);
  }

  /**
   * Runs one statement once per element of {@code rows} as a single JDBC batch (one round trip
   * where the driver allows); returns the update count of each.
   */
  public int[] batch(String sql, List<Params> rows) throws SQLException {
    NamedSql named = NamedSql.of(sql);
    try (PreparedStatement ps = connection.prepareStatement(named.sql())) {
      for (Params row : rows) {
        Binder.bind(connection, ps, named, row);
        ps.addBatch();
      }
      return rows.isEmpty() ? new int[0] : ps.executeBatch();
    }
  }

  /** Runs a statement for its effect, whatever it returns (e.g. {@code SELECT some_function()}). */
  public void execute(String sql, Params params) throws SQLException {
    try (PreparedStatement ps = prepare(sql, params)) {
      ps.execute();
    }
  }

  public <T> List<T> query(String sql, Params params, RowMapper<T> mapper) throws SQLException {
    try (PreparedStatement ps = prepare(sql, params)) {
      return readAll(ps, mapper);
    }
  }

  public <T> Optional<T> queryOne(String sql, Params params, RowMapper<T> mapper)
      throws SQLException {
    try (PreparedStatement ps = prepare(sql, params);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
    }
  }

  /** Executes a prepared query and maps every row. */
  public static <T> List<T> readAll(PreparedStatement ps, RowMapper<T> mapper) throws SQLException {
    List<T> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(mapper.map(rs));
      }
    }
    return out;
  }

  /** A nullable timestamp column as an instant. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }

  public static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }
}
