package dev.tributary.pipelines.suppliers;

import dev.tributary.connectors.suppliers.SyncScope;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.JobContext;
import dev.tributary.engine.QueueConfig;
import dev.tributary.engine.RetryPolicy;
import dev.tributary.engine.cron.Schedule;
import dev.tributary.engine.cron.Schedules;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Supplier sync (S2) on the engine: import jobs run as engine jobs {@value #IMPORT_KIND} on queue
 * {@value #QUEUE} (woken by the V080 trigger on every new or rescheduled row), the hourly cycle
 * {@value #CYCLE_KIND} catches up and runs the maintenance, {@value WebhookDelivery#KIND} sends the
 * end-of-sync webhooks, and {@value #SCHEDULED_KIND} creates the jobs of suppliers' own schedules.
 */
public final class SupplierPipeline {
  public static final String QUEUE = "suppliers";

  /** Short jobs (webhooks, the cycle, suppliers' schedules) never wait behind long syncs. */
  public static final String OPS_QUEUE = "supplier-ops";

  public static final int OPS_CONCURRENCY = 2;
  public static final String IMPORT_KIND = "supplier.import";
  public static final String CYCLE_KIND = "supplier.cycle";
  public static final String SCHEDULED_KIND = "supplier.scheduled";
  public static final String CYCLE_SCHEDULE = "supplier-sync-cycle";
  public static final RetryPolicy DEFAULT_BACKOFF =
      new RetryPolicy(Duration.ofSeconds(30), Duration.ofHours(1), 0.25);

  /** Rate-limit waits longer than this free the worker; shorter ones are slept through. */
  public static final Duration DEFAULT_PAUSE_OVER = Duration.ofSeconds(30);

  public static final int CYCLE_MAX_JOBS = 20;

  private static final EnqueueOptions OPS = EnqueueOptions.DEFAULTS.queue(OPS_QUEUE);

  private final Jdbc jdbc;
  private final Clock clock;
  private final ImportJobRunner runner;
  private final ImportJobQueries queries;
  private final SupplierMaintenance maintenance;
  private final WebhookDelivery webhooks;
  private final SupplierConnectors connectors;

  public SupplierPipeline(
      DataSource ds,
      SupplierConnectors connectors,
      Optional<String> webhookSecret,
      RetryPolicy backoff,
      Duration pauseOver,
      Clock clock) {
    this.jdbc = new Jdbc(ds);
    this.clock = clock;
    this.connectors = connectors;
    this.runner =
        new ImportJobRunner(new ImportJobStore(jdbc), connectors, backoff, pauseOver, clock);
    this.queries = new ImportJobQueries(jdbc);
    this.maintenance = new SupplierMaintenance(jdbc, clock);
    this.webhooks = new WebhookDelivery(jdbc, webhookSecret, clock);
  }

  public SupplierConnectors connectors() {
    return connectors;
  }

  public void register(EngineBuilder builder, int concurrency) {
    builder.queue(QueueConfig.of(QUEUE, concurrency));
    builder.queue(QueueConfig.of(OPS_QUEUE, OPS_CONCURRENCY));
    builder.handler(IMPORT_KIND, this::runImport, Duration.ofMinutes(10));
    builder.handler(CYCLE_KIND, ctx -> ctx.result(Map.of("cycle", cycleReport(cycle(0)))));
    builder.handler(WebhookDelivery.KIND, ctx -> webhooks.deliver(uuidArg(ctx, "import_job_id")));
    builder.handler(SCHEDULED_KIND, this::runScheduled);
  }

  /** The hourly catch-up cycle (S2.5) and the suppliers' own schedules. */
  public void schedule(Schedules schedules, String cron) {
    schedules.put(new Schedule(CYCLE_SCHEDULE, cron, "UTC", CYCLE_KIND, Map.of(), OPS));
    syncSupplierSchedules(schedules);
  }

  private void runImport(JobContext ctx) {
    UUID id = uuidArg(ctx, "import_job_id");
    runner.run(
        id,
        new ImportJobRunner.Run() {
          @Override
          public long engineJobId() {
            return ctx.jobId();
          }

          @Override
          public void heartbeat() {
            ctx.heartbeat();
          }
        });
  }

  private void runScheduled(JobContext ctx) {
    UUID supplier = uuidArg(ctx, "supplier_id");
    String type = ctx.args().path("job_type").asText();
    jdbc.update(
        """
        INSERT INTO import_jobs (user_id, supplier_id, job_type)
        SELECT s.user_id, s.id, :type FROM suppliers s
         WHERE s.id = :supplier AND s.is_active
           AND NOT EXISTS (SELECT 1 FROM import_jobs j WHERE j.supplier_id = s.id AND j.job_type = :type
                             AND j.status IN ('pending', 'running'))""",
        Params.of("supplier", supplier, "type", type));
  }

  /**
   * Engine schedules from each active supplier's {@code settings.schedules} ({@code
   * {"inventory_update": "0 * * * *", "supplier_api": "0 2 * * *"}}); schedules of suppliers gone
   * or inactive are removed.
   */
  public int syncSupplierSchedules(Schedules schedules) {
    List<String[]> wanted =
        jdbc.query(
            """
            SELECT s.id::text, e.key, e.value #>> '{}'
              FROM suppliers s, jsonb_each(CASE WHEN jsonb_typeof(s.settings->'schedules') = 'object'
                                                THEN s.settings->'schedules' ELSE '{}' END) e
             WHERE s.is_active AND e.key IN ('supplier_api', 'inventory_update', 'price_update', 'order_sync')""",
            Params.NONE,
            rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
    List<String> names = new ArrayList<>();
    for (String[] w : wanted) {
      String name = "supplier:" + w[0] + ":" + w[1];
      try {
        schedules.put(
            Schedule.of(
                name, w[2], "UTC", SCHEDULED_KIND, Map.of("supplier_id", w[0], "job_type", w[1])));
        names.add(name);
      } catch (IllegalArgumentException e) {
        // a bad cron in a supplier's settings leaves that schedule out, the others go on
      }
    }
    int removed = 0;
    for (var s : schedules.list()) {
      if (s.name().startsWith("supplier:") && !names.contains(s.name())) {
        schedules.delete(s.name());
        removed++;
      }
    }
    return names.size() + removed;
  }

  /**
   * One cycle as the seed's {@code automated-sync} runs it: the due pending jobs in priority order
   * (at most {@code maxJobs}; 0 = only catch up, enqueueing any due job that lost its engine job),
   * then the maintenance.
   */
  public CycleReport cycle(int maxJobs) {
    Instant now = clock.instant();
    jdbc.query(
        """
        SELECT (tributary.enqueue_job('supplier.import', jsonb_build_object('import_job_id', id),
                                      'suppliers', priority - 1, run_after, 5,
                                      import_job_engine_key(id, run_after))).inserted
          FROM import_jobs WHERE status = 'pending'""",
        Params.NONE,
        rs -> rs.getBoolean(1));
    List<UUID> due =
        maxJobs <= 0
            ? List.of()
            : jdbc.query(
                """
                SELECT id FROM import_jobs WHERE status = 'pending' AND run_after <= :now
                 ORDER BY priority, run_after, created_at LIMIT :limit""",
                Params.of("now", now, "limit", maxJobs),
                rs -> rs.getObject(1, UUID.class));
    List<ImportJobView> ran = new ArrayList<>();
    for (UUID id : due) {
      runNow(id).ifPresent(ran::add);
    }
    int completed = (int) ran.stream().filter(v -> v.status().equals("completed")).count();
    int failed = (int) ran.stream().filter(v -> v.status().equals("failed")).count();
    return new CycleReport(ran.size(), completed, failed, ran, maintenance.run());
  }

  /**
   * Runs one pending, due import job in this thread (the seed's request-bound run, the CLI, the
   * benchmark), under a run id no engine job has, with the same claim as an engine run: a job
   * another run holds, or one not due yet, is left alone. Its engine job, when it later starts,
   * finds the job finished and does nothing.
   */
  public Optional<ImportJobView> runNow(UUID id) {
    long holder = -ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    try {
      runner.run(
          id,
          new ImportJobRunner.Run() {
            @Override
            public long engineJobId() {
              return holder;
            }

            @Override
            public void heartbeat() {}
          });
    } catch (ImportJobRunner.NotDueYet e) {
      // pending with a later run_after: shown as it is
    }
    return queries.get(id, clock.instant());
  }

  private static Map<String, Object> cycleReport(CycleReport r) {
    return Map.of(
        "processed", r.processed(),
        "logs_deleted", r.maintenance().logsDeleted(),
        "jobs_deleted", r.maintenance().jobsDeleted(),
        "scores_updated", r.maintenance().scoresUpdated());
  }

  /** Creates an import job; the trigger wakes the engine at once. */
  public ImportJobView create(ImportJobRequest request) {
    UUID id =
        jdbc.queryOne(
                """
                INSERT INTO import_jobs (user_id, supplier_id, job_type, priority, webhook_url, run_after)
                SELECT s.user_id, s.id, :type, :priority, :webhook, :now FROM suppliers s WHERE s.id = :supplier
                RETURNING id""",
                Params.with("type", request.jobType())
                    .and("priority", request.priority())
                    .and("webhook", request.webhookUrl())
                    .and("now", clock.instant())
                    .and("supplier", request.supplierId()),
                rs -> rs.getObject(1, UUID.class))
            .orElseThrow(() -> new UnknownSupplierException(request.supplierId()));
    return queries.get(id, clock.instant()).orElseThrow();
  }

  public List<ImportJobView> list(String status, int limit) {
    return queries.list(status, limit, clock.instant());
  }

  public Optional<ImportJobView> get(UUID id) {
    return queries.get(id, clock.instant());
  }

  /** How many streams import job {@code id} reads (0 when its connector is off). */
  public int streamCount(UUID id) {
    return jdbc.queryOne(
            """
            SELECT j.job_type, s.id::text AS supplier, s.provider, s.settings::text AS settings,
                   s.search_keywords
              FROM import_jobs j JOIN suppliers s ON s.id = j.supplier_id WHERE j.id = :id""",
            Params.of("id", id),
            rs -> {
              java.sql.Array kw = rs.getArray("search_keywords");
              var ref =
                  new dev.tributary.connectors.suppliers.SupplierRef(
                      rs.getString("supplier"),
                      ImportJobStore.settings(rs.getString("settings")),
                      kw == null ? List.of() : List.of((String[]) kw.getArray()));
              if (rs.getString("job_type").equals("order_sync")) {
                return 0;
              }
              SyncScope scope = ImportJobRunner.scope(rs.getString("job_type"));
              return connectors
                  .get(rs.getString("provider"))
                  .map(c -> c.streams(scope, ref).size())
                  .orElse(0);
            })
        .orElse(0);
  }

  /** Every supplier with its products per status and its last sync. */
  public List<SupplierSummary> suppliers() {
    return queries.suppliers();
  }

  public ImportJobStats stats() {
    return queries.stats(clock.instant());
  }

  public SupplierMaintenance.Report maintenance() {
    return maintenance.run();
  }

  private static UUID uuidArg(JobContext ctx, String name) {
    try {
      return UUID.fromString(ctx.args().path(name).asText());
    } catch (IllegalArgumentException e) {
      throw new dev.tributary.engine.PermanentJobException("job args need a uuid " + name);
    }
  }
}
