package dev.tributary.pipelines.vectorsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The rows of one {@link ColumnSource} as a model switch reads them: id, the text to embed and its
 * content hash, a batch at a time in id order; plus counts and updates against the source's table.
 */
final class ColumnRows {
  static final String FIRST_ID = "00000000-0000-0000-0000-000000000000";

  private final DataSource dataSource;
  private final ColumnSource source;
  private final int textColumnCount;

  ColumnRows(DataSource dataSource, ColumnSource source) {
    this.dataSource = dataSource;
    this.source = source;
    this.textColumnCount = source.textColumns().split(",").length;
  }

  /** A row's id, the text its vector is made from, and that text's hash. */
  record Row(String id, String text, String hash) {}

  DataSource dataSource() {
    return dataSource;
  }

  ColumnSource source() {
    return source;
  }

  String table() {
    return source.table();
  }

  /**
   * Reads {@code SELECT id, text, hash FROM table v WHERE <where> ORDER BY v.id LIMIT <limit>};
   * {@code doing} names the read in an error ("to embed").
   */
  List<Row> read(String where, int limit, String doing, Object... args) {
    String sql =
        "SELECT v.id::text, "
            + source.textColumns()
            + ", "
            + source.hash()
            + " FROM "
            + source.table()
            + " v"
            + " WHERE "
            + where
            + " ORDER BY v.id LIMIT ?";
    List<Row> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = bind(ps, args);
      ps.setInt(i, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Row(
                  rs.getString(1), source.reader().text(rs, 2), rs.getString(2 + textColumnCount)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not read " + source.table() + " rows " + doing + ": " + e.getMessage(), e);
    }
  }

  long count(String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not count " + source.table() + " rows: " + e.getMessage(), e);
    }
  }

  int update(String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not update " + source.table() + ": " + e.getMessage(), e);
    }
  }

  /** Binds {@code args} from the first parameter on; returns the next parameter's index. */
  private static int bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
    return args.length + 1;
  }
}
