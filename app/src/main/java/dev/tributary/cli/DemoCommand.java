package dev.tributary.cli;

import dev.tributary.config.StartupException;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "Start, migrate, load example rows (synthetic) and show what happened.")
final class DemoCommand implements Callable<Integer> {
  static final String EXAMPLE_ROWS = "/demo/example-rows.sql";

  @Override
  public Integer call() throws SQLException, IOException {
    try (Database db = Database.open(TributaryConfig.fromEnvironment())) {
      var result = db.migrate();
      System.out.printf("migrated: %d migration(s) applied, schema version %s%n", result.applied(), result.version());
      loadExampleRows(db);
      System.out.println("loaded synthetic example rows (idempotent: running the demo again adds nothing)");
      StatusReport.print(db.dataSource(), db.description(), System.out);
      return 0;
    }
  }

  private static void loadExampleRows(Database db) throws SQLException, IOException {
    String sql;
    try (InputStream in = DemoCommand.class.getResourceAsStream(EXAMPLE_ROWS)) {
      if (in == null) {
        throw new StartupException("the demo data " + EXAMPLE_ROWS + " is missing from the jar");
      }
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
