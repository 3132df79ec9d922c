package dev.tributary.cli;

import dev.tributary.db.Migrations;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** What `tributary status` prints: where the data is, the schema version, and row counts. */
final class StatusReport {
  private StatusReport() {}

  static void print(DataSource ds, String description, PrintStream out) throws SQLException {
    out.printf("database:        %s%n", description);
    out.printf("schema version:  %s%n", Migrations.currentVersion(ds));
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              """
          SELECT table_schema || '.' || table_name FROM information_schema.tables
           WHERE table_schema IN ('public', 'tributary') AND table_type = 'BASE TABLE'
             AND table_name NOT LIKE 'flyway%'
           ORDER BY table_schema DESC, table_name""")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      out.printf("tables:          %d%n", tables.size());
      for (String table : tables) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          long rows = rs.getLong(1);
          if (rows > 0) {
            out.printf("  %-40s %8d rows%n", table, rows);
          }
        }
      }
    }
  }
}
