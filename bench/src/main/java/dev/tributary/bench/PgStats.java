package dev.tributary.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * With {@code --pg-stats 1}: the statements that took the database's time, from pg_stat_statements.
 */
final class PgStats {
  private PgStats() {}

  static void reset(DataSource ds, boolean on) throws SQLException {
    if (!on) {
      return;
    }
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      s.execute("SELECT pg_stat_statements_reset()");
    }
  }

  static void print(DataSource ds, boolean on, String side) throws SQLException {
    if (!on) {
      return;
    }
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT calls, total_exec_time, regexp_replace(left(query, 90), '\\s+', ' ', 'g')"
                    + " FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 8")) {
      while (rs.next()) {
        System.out.printf(
            Locale.ROOT,
            "engagement: %s db %6d calls %8.1f ms  %s%n",
            side,
            rs.getLong(1),
            rs.getDouble(2),
            rs.getString(3));
      }
    }
  }
}
