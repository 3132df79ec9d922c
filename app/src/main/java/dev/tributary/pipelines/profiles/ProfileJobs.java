package dev.tributary.pipelines.profiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.config.NodeSettings;
import dev.tributary.config.TributaryConfig;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.JobArgsException;
import dev.tributary.engine.JobContext;
import dev.tributary.engine.JobHandler;
import dev.tributary.engine.cron.Schedule;
import dev.tributary.engine.cron.Schedules;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import dev.tributary.pipelines.enrichment.CascadeWorker;
import dev.tributary.pipelines.enrichment.WorkerResult;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The profile pipeline on the engine. The six S1.1 workers are engine workers (feature flags,
 * execution logs) whose jobs drain their queue: the {@code needs_*} triggers of V041 enqueue them
 * in the {@value #CASCADE_QUEUE} queue, and a reconcile every minute wakes any queue whose job went
 * missing. The weekly sync (S0.9) and the monthly style refresh (S1.8) are cron schedules.
 */
public final class ProfileJobs {
  public static final String CASCADE_QUEUE = "cascade";
  public static final String SYNC_QUEUE = "sync";
  public static final String PROFILE_SYNC = "profile_sync";
  public static final String STYLE_REFRESH = "style_refresh";
  public static final String RECONCILE = "cascade_reconcile";

  /**
   * S0.9: the seed's weekly sync, Monday 03:00 UTC; {@code TRIBUTARY_PROFILE_SYNC_CRON} overrides.
   */
  public static final String DEFAULT_SYNC_CRON = NodeSettings.DEFAULT_PROFILE_SYNC_CRON;

  /** S1.8: the 1st of the month at 03:00; {@code TRIBUTARY_STYLE_REFRESH_CRON} overrides. */
  public static final String DEFAULT_STYLE_REFRESH_CRON = NodeSettings.DEFAULT_STYLE_REFRESH_CRON;

  public static final String RECONCILE_CRON = "* * * * *";

  /** Rows one batch of a drain claims; the embedder batches within it. */
  public static final int DEFAULT_DRAIN_BATCH = NodeSettings.DEFAULT_CASCADE_BATCH;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> DESCRIPTIONS =
      Map.of(
          "worker_extract_hooks_v2", "Hook extraction (text, no AI)",
          "worker_generate_embeddings_v2", "Embeddings of hook + content",
          "worker_classify_hooks_v2", "Hook type classification",
          "worker_classify_topics_v2", "Topic classification",
          "worker_classify_audiences_v2", "Audience classification",
          "worker_complete_profiles_v2", "Profile style completion");

  private final ProfilePipeline pipeline;
  private final DataSource dataSource;
  private final int drainBatch;

  public ProfileJobs(ProfilePipeline pipeline, DataSource dataSource, int drainBatch) {
    if (drainBatch < 1) {
      throw new IllegalArgumentException("drain batch must be at least 1, got " + drainBatch);
    }
    this.pipeline = pipeline;
    this.dataSource = dataSource;
    this.drainBatch = drainBatch;
  }

  /**
   * Registers the handlers; the caller adds the queues ({@link #CASCADE_QUEUE}, {@link
   * #SYNC_QUEUE}).
   */
  public EngineBuilder register(EngineBuilder engine) {
    for (CascadeWorker w : pipeline.workers()) {
      engine.handler(w.name(), drain(w));
    }
    engine.handler(RECONCILE, ctx -> ctx.itemsProcessed(reconcile().size()));
    engine.handler(
        STYLE_REFRESH, ctx -> ctx.itemsProcessed(pipeline.styleRefresh().markInternalProfiles()));
    if (pipeline.syncAvailable()) {
      engine.handler(PROFILE_SYNC, this::runSync);
    }
    return engine;
  }

  /** The six S1.1 workers (job kinds) with their descriptions, for their flags and logs. */
  public Map<String, String> workers() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (CascadeWorker w : pipeline.workers()) {
      out.put(w.name(), DESCRIPTIONS.getOrDefault(w.name(), w.name()));
    }
    return out;
  }

  /** Declares (or updates) the schedules; a restart keeps each one's next tick and enabled flag. */
  public void schedule(Schedules schedules, TributaryConfig config) {
    schedules.put(
        new Schedule(
            "cascade-reconcile",
            RECONCILE_CRON,
            "UTC",
            RECONCILE,
            Map.of(),
            EnqueueOptions.DEFAULTS.queue(CASCADE_QUEUE).maxAttempts(1)));
    schedules.put(
        new Schedule(
            "monthly-style-refresh",
            config.node().styleRefreshCron(),
            "UTC",
            STYLE_REFRESH,
            Map.of(),
            EnqueueOptions.DEFAULTS.queue(CASCADE_QUEUE)));
    if (pipeline.syncAvailable()) {
      schedules.put(
          new Schedule(
              "weekly-profile-sync",
              config.node().profileSyncCron(),
              "UTC",
              PROFILE_SYNC,
              Map.of("max_profiles", 50, "generate_embeddings", true, "classify_hooks", true),
              EnqueueOptions.DEFAULTS.queue(SYNC_QUEUE).maxAttempts(3)));
    }
  }

  /** A handler that drains one worker's queue batch by batch, heartbeating between batches. */
  JobHandler drain(CascadeWorker worker) {
    return ctx -> {
      WorkerResult total = WorkerResult.NOTHING;
      while (!ctx.stopRequested()) {
        WorkerResult r = worker.processBatch(drainBatch);
        total = total.plus(r);
        ctx.itemsProcessed(r.processed() + r.skipped());
        ctx.itemsFailed(r.failed());
        if (r.failed() > 0 && r.failureCause().isPresent()) {
          // the rows stay flagged and unclaimed; failing the attempt gives the provider a backoff
          report(ctx, total);
          throw r.failureCause().get();
        }
        if (r.claimed() == 0) {
          break;
        }
        ctx.heartbeat();
      }
      report(ctx, total);
    };
  }

  private static void report(JobContext ctx, WorkerResult total) {
    Map<String, Object> result = total.toLog();
    ctx.result(result);
  }

  private void runSync(JobContext ctx) {
    SyncRequest request;
    try {
      request = SyncRequest.fromJson(ctx.args());
    } catch (IllegalArgumentException e) {
      throw new JobArgsException("profile_sync args: " + e.getMessage(), e);
    }
    SyncReport report =
        pipeline.sync().run(request, "job:" + ctx.jobId(), outcome -> ctx.heartbeat());
    @SuppressWarnings("unchecked")
    Map<String, Object> result = JSON.convertValue(report.response(), Map.class);
    ctx.result(result);
  }

  /** Wakes every cascade queue that has flagged rows; returns the workers woken. */
  public List<String> reconcile() {
    return new Jdbc(dataSource)
        .query("SELECT reconcile_cascade_jobs()", Params.NONE, rs -> rs.getString(1));
  }
}
