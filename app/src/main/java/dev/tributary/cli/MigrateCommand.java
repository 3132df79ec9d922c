package dev.tributary.cli;

import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.db.Migrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "migrate", description = "Apply every pending schema migration and exit.")
final class MigrateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    try (Database db = Database.open(TributaryConfig.fromEnvironment())) {
      Migrations.Result result = db.migrate();
      System.out.printf(
          "%s: %d migration(s) applied, schema version %s%n",
          db.description(), result.applied(), result.version());
      return 0;
    }
  }
}
