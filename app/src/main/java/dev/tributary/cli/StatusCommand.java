package dev.tributary.cli;

import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Print the database, schema version and what it holds.")
final class StatusCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    try (Database db = Database.open(TributaryConfig.fromEnvironment())) {
      StatusReport.print(db.dataSource(), db.description(), System.out);
      return 0;
    }
  }
}
