package dev.tributary.testing;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Plain SQL for tests: bind values, insert fixtures, read back rows as maps, a column, or one
 * value. The one row helper of the app's tests.
 *
 * <p>{@link #fresh()} opens a fresh migrated database that closing the helper drops; {@link
 * #Rows(DataSource)} works on a database the test already has (and does not close it).
 */
public final class Rows implements AutoCloseable {
  private final DataSource ds;
  private final boolean owned;

  public Rows(DataSource ds) {
    this(ds, false);
  }

  private Rows(DataSource ds, boolean owned) {
    this.ds = ds;
    this.owned = owned;
  }

  /** A fresh database with the app's migrations applied; close the helper to release it. */
  public static Rows fresh() {
    return new Rows(TestPostgres.freshDatabase(Migrations.LOCATIONS), true);
  }

  public DataSource dataSource() {
    return ds;
  }

  // ---- fixtures

  public UUID profile(String fullName, String linkedinId) {
    return profile(fullName, linkedinId, "external_influencer");
  }

  public UUID profile(String fullName, String linkedinId, String type) {
    return value(
        "INSERT INTO profiles (full_name, linkedin_id, type) VALUES (?, ?, ?) RETURNING id",
        fullName,
        linkedinId,
        type);
  }

  public UUID post(UUID authorId, String content) {
    return value(
        "INSERT INTO viral_posts_bank (author_id, content, post_url) VALUES (?, ?, ?) RETURNING id",
        authorId,
        content,
        "https://example.test/posts/" + UUID.randomUUID());
  }

  // ---- reads

  /** Every row, as column label to value (SQL arrays as Java arrays). */
  public List<Map<String, Object>> all(String sql, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = prepare(c, sql, args);
        ResultSet rs = ps.executeQuery()) {
      List<Map<String, Object>> out = new ArrayList<>();
      ResultSetMetaData meta = rs.getMetaData();
      int n = meta.getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          if (v instanceof java.sql.Array a) {
            v = a.getArray();
          }
          row.put(meta.getColumnLabel(i), v);
        }
        out.add(row);
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The only row; fails when there is none or more than one. */
  public Map<String, Object> row(String sql, Object... args) {
    List<Map<String, Object>> rows = all(sql, args);
    if (rows.size() != 1) {
      throw new IllegalStateException("expected one row, got " + rows.size() + " for " + sql);
    }
    return rows.get(0);
  }

  /** The first column of every row. */
  public <T> List<T> column(String sql, Object... args) {
    try (Connection c = ds.getConnection()) {
      return column(c, sql, args);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The first column of every row, on a connection the test holds (e.g. inside a transaction). */
  @SuppressWarnings("unchecked")
  public static <T> List<T> column(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args);
        ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add((T) rs.getObject(1));
      }
      return out;
    }
  }

  /** The first column of the first row, or null when there is no row. */
  public <T> T value(String sql, Object... args) {
    List<T> all = column(sql, args);
    return all.isEmpty() ? null : all.get(0);
  }

  /** The first column of the only row, as text (null when SQL NULL); fails when there is no row. */
  public String text(String sql, Object... args) {
    List<Object> all = column(sql, args);
    if (all.isEmpty()) {
      throw new IllegalStateException("no row for " + sql);
    }
    Object v = all.get(0);
    return v == null ? null : v.toString();
  }

  /** The first column of the only row as a number, e.g. a {@code count(*)}. */
  public long count(String sql, Object... args) {
    Object v = row(sql, args).values().iterator().next();
    return v instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(v));
  }

  // ---- writes

  public int update(String sql, Object... args) {
    try (Connection c = ds.getConnection()) {
      return update(c, sql, args);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args)) {
      return ps.executeUpdate();
    }
  }

  /** Runs any statement, a SELECT of a function included, and ignores what it returns. */
  public void execute(String sql, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = prepare(c, sql, args)) {
      ps.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Runs a statement expected to fail and returns the exception it failed with. */
  public SQLException failure(String sql, Object... args) {
    try (Connection c = ds.getConnection()) {
      update(c, sql, args);
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("statement succeeded but was expected to fail: " + sql);
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
    if (owned && ds instanceof HikariDataSource h) {
      h.close();
    }
  }
}
