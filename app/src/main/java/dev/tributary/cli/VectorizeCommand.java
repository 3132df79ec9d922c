package dev.tributary.cli;

import dev.tributary.config.StartupException;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.pipelines.vectorsync.VectorSyncAdmin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary vectorize register|status|resync}: the S3 vector sync from the command line. */
@Command(
    name = "vectorize",
    description = "Keep a table's rows embedded and searchable (S3 vector sync).",
    subcommands = {
      VectorizeCommand.Register.class,
      VectorizeCommand.Status.class,
      VectorizeCommand.Resync.class
    })
public final class VectorizeCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(
      name = "register",
      description = "Install the sync trigger on a table and enqueue its existing rows.")
  static final class Register implements Callable<Integer> {
    @Option(names = "--table", required = true, description = "Table whose rows are embedded.")
    String table;

    @Option(
        names = "--id-column",
        required = true,
        description = "Column identifying a row (e.g. id).")
    String idColumn;

    @Option(
        names = "--content",
        required = true,
        description =
            "SQL expression over the row's columns giving the text to embed, e.g. \"question || ' ' || answer\".")
    String content;

    @Option(
        names = "--where",
        description = "SQL condition over the row's columns: only matching rows are embedded.")
    String where;

    @Override
    public Integer call() {
      try (Database db = Database.open(TributaryConfig.fromEnvironment())) {
        db.migrate();
        int enqueued =
            new VectorSyncAdmin(db.dataSource()).register(table, idColumn, content, where);
        System.out.printf(
            "registered %s: trigger installed, %d row(s) enqueued for embedding%n",
            table, enqueued);
        return 0;
      } catch (VectorSyncAdmin.InvalidRequest e) {
        throw new StartupException("cannot register " + table + ": " + e.getMessage());
      }
    }
  }

  @Command(
      name = "status",
      description = "Queue counts per source (embedding_sync_status) and stuck items.")
  static final class Status implements Callable<Integer> {
    @Override
    public Integer call() {
      try (Database db = Database.open(TributaryConfig.fromEnvironment())) {
        db.migrate();
        VectorSyncAdmin admin = new VectorSyncAdmin(db.dataSource());
        System.out.printf(
            "%-28s %8s %10s %10s %7s%n",
            "source_table", "pending", "processing", "completed", "failed");
        for (var row : admin.status()) {
          System.out.printf(
              "%-28s %8s %10s %10s %7s%n",
              row.get("source_table"),
              row.get("pending"),
              row.get("processing"),
              row.get("completed"),
              row.get("failed"));
        }
        int stuck = admin.stuckItems(VectorSyncAdmin.STUCK_AFTER).size();
        System.out.printf(
            "stuck items (processing for over %d min): %d%n",
            VectorSyncAdmin.STUCK_AFTER.toMinutes(), stuck);
        return 0;
      }
    }
  }

  @Command(
      name = "resync",
      description = "Enqueue every row of a table again (or of all registered tables).")
  static final class Resync implements Callable<Integer> {
    @Option(names = "--table", description = "Registered table; all when omitted.")
    String table;

    @Override
    public Integer call() {
      try (Database db = Database.open(TributaryConfig.fromEnvironment())) {
        db.migrate();
        int n = new VectorSyncAdmin(db.dataSource()).resync(table);
        System.out.printf("enqueued %d item(s); unchanged content is not embedded again%n", n);
        return 0;
      } catch (VectorSyncAdmin.InvalidRequest e) {
        throw new StartupException("cannot resync: " + e.getMessage());
      }
    }
  }
}
