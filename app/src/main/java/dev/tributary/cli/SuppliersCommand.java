package dev.tributary.cli;

import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Database;
import dev.tributary.pipelines.suppliers.ImportJobRequest;
import dev.tributary.pipelines.suppliers.ImportJobStats;
import dev.tributary.pipelines.suppliers.ImportJobView;
import dev.tributary.pipelines.suppliers.SupplierConnectors;
import dev.tributary.pipelines.suppliers.SupplierPipeline;
import dev.tributary.pipelines.suppliers.SupplierSummary;
import dev.tributary.pipelines.suppliers.UnknownSupplierException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary suppliers list|sync|jobs|stats}: the suppliers and their products, one sync run
 * now in this process with its progress, the import jobs, and the S2.7 stats.
 */
@Command(
    name = "suppliers",
    description = "List suppliers, sync one now, list import jobs, show sync stats.",
    mixinStandardHelpOptions = true)
final class SuppliersCommand {
  static final Duration POLL = Duration.ofMillis(250);

  @Command(name = "list", description = "Suppliers with their products per status.")
  int list() {
    List<SupplierSummary> suppliers = withPipeline(SupplierPipeline::suppliers);
    PrintStream out = System.out;
    out.printf(
        "%-36s %-24s %-10s %-7s %-9s %-24s %s%n",
        "ID", "NAME", "PROVIDER", "ACTIVE", "PRODUCTS", "LAST SYNC", "BY STATUS");
    for (SupplierSummary s : suppliers) {
      out.printf(
          "%-36s %-24s %-10s %-7s %-9d %-24s %s%n",
          s.id(),
          cut(s.name(), 24),
          s.provider(),
          s.active() ? "yes" : "no",
          s.products(),
          s.lastSyncAt() == null ? "never" : s.lastSyncAt().toString(),
          s.productsByStatus());
    }
    out.printf("%d supplier(s)%n", suppliers.size());
    return 0;
  }

  @Command(
      name = "sync",
      description =
          "Queue an import job for SUPPLIER_ID and run it now in this process, showing its progress"
              + " (a running node may take it first: it is then followed until it ends).")
  int sync(
      @Parameters(paramLabel = "SUPPLIER_ID") String supplierId,
      @Option(
              names = "--type",
              defaultValue = "supplier_api",
              description =
                  "supplier_api, inventory_update, price_update or order_sync (default ${DEFAULT-VALUE})")
          String type,
      @Option(
              names = "--priority",
              defaultValue = "5",
              description = "1 (first) to 10 (default ${DEFAULT-VALUE})")
          int priority) {
    ImportJobRequest request;
    try {
      request = new ImportJobRequest(UUID.fromString(supplierId), type, priority, null);
    } catch (IllegalArgumentException e) {
      System.err.println(
          "tributary: "
              + (e.getMessage().startsWith("Invalid UUID")
                  ? "SUPPLIER_ID must be a supplier's uuid, got '" + supplierId + "'"
                  : e.getMessage()));
      return 2;
    }
    return withPipeline(
        p -> {
          ImportJobView job;
          try {
            job = p.create(request);
          } catch (UnknownSupplierException e) {
            System.err.println("tributary: " + e.getMessage());
            return 1;
          }
          System.out.printf("import job %s (%s) queued%n", job.id(), job.jobType());
          ImportJobView end = runShowing(p, job, System.out);
          printResult(end, System.out);
          return end.status().equals("completed") ? 0 : 1;
        });
  }

  /** Runs the job here (or follows the node that took it) with the progress display. */
  static ImportJobView runShowing(SupplierPipeline p, ImportJobView job, PrintStream out) {
    SupplierSyncDisplay display = new SupplierSyncDisplay(out, Terminal.interactive());
    int streams = p.streamCount(job.id());
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "supplier-sync-progress");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(
        () -> p.get(job.id()).ifPresent(v -> display.show(v, streams)),
        0,
        POLL.toMillis(),
        TimeUnit.MILLISECONDS);
    try {
      ImportJobView v = p.runNow(job.id()).orElseThrow();
      while (v.status().equals("running")) {
        Thread.sleep(POLL.toMillis()); // a node holds it: follow it
        v = p.get(job.id()).orElseThrow();
      }
      ticker.shutdownNow();
      ticker.awaitTermination(1, TimeUnit.SECONDS);
      display.show(v, streams);
      return v;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return p.get(job.id()).orElseThrow();
    } finally {
      ticker.shutdownNow();
      display.close();
    }
  }

  static void printResult(ImportJobView v, PrintStream out) {
    Map<String, Object> r = v.result();
    out.printf(
        Locale.ROOT,
        "import job %s: %s (phase %s, attempt %d/%d)%n",
        v.id(),
        v.status(),
        v.phase(),
        v.attempts(),
        v.maxAttempts());
    if (r.containsKey("inserted")) {
      out.printf(
          "  inserted %s, updated %s, unchanged %s, discontinued %s, failed %s%n",
          r.get("inserted"),
          r.get("updated"),
          r.get("unchanged"),
          r.get("discontinued"),
          r.get("failed"));
    } else if (r.containsKey("orders_checked")) {
      out.printf(
          "  orders checked %s, updated %s, failed %s%n",
          r.get("orders_checked"), r.get("orders_updated"), r.get("failed"));
    }
    if (v.status().equals("pending")) {
      out.printf("  comes back at %s%n", v.runAfter());
    }
    if (v.lastError() != null) {
      out.printf("  error: %s%n", JobsCommand.firstLine(v.lastError()));
    }
  }

  @Command(name = "jobs", description = "Import jobs, newest first.")
  int jobs(
      @Option(names = "--status", description = "pending, running, completed or failed")
          String status,
      @Option(names = "--limit", defaultValue = "50", description = "at most (default 50)")
          int limit) {
    if (status != null && !List.of("pending", "running", "completed", "failed").contains(status)) {
      System.err.println(
          "tributary: unknown status '" + status + "': use pending, running, completed or failed");
      return 2;
    }
    if (limit < 1 || limit > 1000) {
      System.err.println("tributary: --limit is 1 to 1000");
      return 2;
    }
    List<ImportJobView> jobs = withPipeline(p -> p.list(status, limit));
    PrintStream out = System.out;
    out.printf(
        "%-36s %-36s %-16s %-9s %-3s %-7s %-9s %s%n",
        "ID", "SUPPLIER", "TYPE", "PHASE", "PRI", "ATTEMPT", "ITEMS", "LAST ERROR");
    for (ImportJobView j : jobs) {
      out.printf(
          "%-36s %-36s %-16s %-9s %-3d %-7s %-9d %s%n",
          j.id(),
          j.supplierId(),
          j.jobType(),
          j.phase(),
          j.priority(),
          j.attempts() + "/" + j.maxAttempts(),
          j.processedItems(),
          JobsCommand.firstLine(j.lastError()));
    }
    out.printf("%d import job(s)%n", jobs.size());
    return 0;
  }

  @Command(name = "stats", description = "Import jobs of the last 7 days (S2.7).")
  int stats() {
    ImportJobStats s = withPipeline(SupplierPipeline::stats);
    PrintStream out = System.out;
    out.println("last 7 days, per status:");
    s.byStatus()
        .forEach(
            (status, st) ->
                out.printf(
                    Locale.ROOT,
                    "  %-10s %6d job(s)  average %s%n",
                    status,
                    st.count(),
                    st.avgDurationSeconds() == null
                        ? "-"
                        : String.format(Locale.ROOT, "%.1f s", st.avgDurationSeconds())));
    out.println("success rate per job type:");
    s.successRateByType()
        .forEach(
            (type, rate) ->
                out.printf(
                    Locale.ROOT,
                    "  %-16s %s%n",
                    type,
                    rate == null ? "-" : String.format(Locale.ROOT, "%.0f %%", rate * 100)));
    out.printf("running: %d%n", s.running().size());
    for (ImportJobView j : s.running()) {
      int items =
          SupplierSyncDisplay.streams(j).values().stream()
              .mapToInt(SupplierSyncDisplay.Stream::items)
              .sum();
      out.printf("  %s %s: %d items read%n", j.id(), j.jobType(), items);
    }
    return 0;
  }

  private static <T> T withPipeline(Function<SupplierPipeline, T> f) {
    TributaryConfig config = TributaryConfig.fromEnvironment();
    Terminal.quietLogs(config.node());
    try (Database db = Database.open(config)) {
      db.migrate();
      Clock clock = Clock.systemUTC();
      SupplierPipeline p =
          new SupplierPipeline(
              db.dataSource(),
              SupplierConnectors.from(config.suppliers(), db.dataSource(), clock),
              config.suppliers().webhookSecret(),
              SupplierPipeline.DEFAULT_BACKOFF,
              SupplierPipeline.DEFAULT_PAUSE_OVER,
              clock);
      return f.apply(p);
    }
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
