package dev.tributary.cli;

import dev.tributary.db.Migrations;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.io.PrintStream;
import java.util.List;
import javax.sql.DataSource;

/** What `tributary status` prints: where the data is, the schema version, and row counts. */
final class StatusReport {
  private StatusReport() {}

  static void print(DataSource ds, String description, PrintStream out) {
    out.printf("database:        %s%n", description);
    out.printf("schema version:  %s%n", Migrations.currentVersion(ds));
    new Jdbc(ds)
        .withConnection(
            "count the rows of each table",
            h -> {
              List<String> tables =
                  h.query(
                      """
                      SELECT table_schema || '.' || table_name FROM information_schema.tables
                       WHERE table_schema IN ('public', 'tributary') AND table_type = 'BASE TABLE'
                         AND table_name NOT LIKE 'flyway%'
                       ORDER BY table_schema DESC, table_name""",
                      Params.NONE, rs -> rs.getString(1));
              out.printf("tables:          %d%n", tables.size());
              for (String table : tables) {
                long rows =
                    h.queryOne("SELECT count(*) FROM " + table, Params.NONE, rs -> rs.getLong(1))
                        .orElse(0L);
                if (rows > 0) {
                  out.printf("  %-40s %8d rows%n", table, rows);
                }
              }
              return null;
            });
  }
}
