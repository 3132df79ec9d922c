package dev.tributary.workers;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

final class SqlRows {
  private SqlRows() {}

  static int update(DataSource db, String sql) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
