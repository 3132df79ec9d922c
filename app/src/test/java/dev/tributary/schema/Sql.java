package dev.tributary.schema;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh migrated database with terse helpers for the schema tests: bind values, read one value or
 * a column.
 */
final class Sql implements AutoCloseable {
  final HikariDataSource ds;

  private Sql(HikariDataSource ds) {
    this.ds = ds;
  }

  static Sql fresh() {
    return new Sql(TestPostgres.freshDatabase(Migrations.LOCATIONS));
  }

  int update(String sql, Object... args) {
    try (Connection c = ds.getConnection()) {
      return update(c, sql, args);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args)) {
      return ps.executeUpdate();
    }
  }

  /** The first column of the first row, or null when there is no row. */
  <T> T one(String sql, Object... args) {
    List<T> all = column(sql, args);
    return all.isEmpty() ? null : all.get(0);
  }

  <T> List<T> column(String sql, Object... args) {
    try (Connection c = ds.getConnection()) {
      return column(c, sql, args);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  static <T> List<T> column(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args);
        ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add((T) rs.getObject(1));
      }
      return out;
    }
  }

  /** Runs a statement expected to fail and returns the SQLState and message it failed with. */
  SQLException failure(String sql, Object... args) {
    try (Connection c = ds.getConnection()) {
      update(c, sql, args);
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("statement succeeded but was expected to fail: " + sql);
  }

  UUID profile(String name, String linkedinId, String type) {
    return one(
        "INSERT INTO profiles (full_name, linkedin_id, type) VALUES (?, ?, ?) RETURNING id",
        name,
        linkedinId,
        type);
  }

  UUID post(UUID authorId, String content) {
    return one(
        "INSERT INTO viral_posts_bank (author_id, content, post_url) VALUES (?, ?, ?) RETURNING id",
        authorId,
        content,
        "https://example.test/posts/" + UUID.randomUUID());
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
    return ps;
  }

  @Override
  public void close() {
    ds.close();
  }
}
