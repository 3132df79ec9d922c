package dev.tributary.web.enrichment;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tributary.pipelines.enrichment.CascadeWorker;
import dev.tributary.pipelines.enrichment.WorkerResult;
import dev.tributary.web.Access;
import dev.tributary.web.JsonBody;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import dev.tributary.workers.ExecutionLogs;
import dev.tributary.workers.WorkerFlags;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint per S1.1 worker, {@code POST /functions/v1/worker-<name>-v2}, so an outside cron can
 * drive each worker as in the seed. Each call is the seed's worker lifecycle (S1.2, {@code
 * initWorker} → {@code processBatch} → {@code finalizeWorker}): CORS preflight, {@code
 * X-Scheduler-Secret}, the worker's feature flag, an execution log opened as {@code running},
 * batches with a pause between them, the log closed with its counts, and a JSON answer with the
 * same numbers.
 *
 * <p>The engine's drain jobs and these calls claim rows through the same SKIP LOCKED queues, so
 * both can run at once without sharing a row.
 */
public final class WorkerRoutes implements WebServer.Routes {
  private static final Logger log = LoggerFactory.getLogger(WorkerRoutes.class);
  public static final String SECRET_HEADER = Access.SCHEDULER_HEADER;

  /** The seed's {@code processBatch} defaults. */
  public static final int DEFAULT_BATCH_SIZE = 10;

  public static final Duration DEFAULT_PAUSE = Duration.ofMillis(200);

  /**
   * Rows one call processes at most unless the body says otherwise: bounds the request's duration.
   */
  public static final int DEFAULT_MAX_ITEMS = 100;

  public static final int MAX_BATCH_SIZE = 100;
  public static final int MAX_ITEMS_LIMIT = 10_000;

  /** The seed's corsHeaders: any origin, and the headers its callers send. */
  static final Map<String, String> CORS =
      Map.of(
          "Access-Control-Allow-Origin", "*",
          "Access-Control-Allow-Headers",
              "authorization, x-client-info, apikey, content-type, x-scheduler-secret",
          "Access-Control-Allow-Methods", "POST, OPTIONS");

  /** How a call paces its batches; tests pass one that does not wait. */
  @FunctionalInterface
  public interface Pause {
    void sleep(Duration d) throws InterruptedException;
  }

  private final List<CascadeWorker> workers;
  private final WorkerFlags flags;
  private final ExecutionLogs logs;
  private final Duration pause;
  private final Pause sleeper;

  public WorkerRoutes(List<CascadeWorker> workers, DataSource dataSource) {
    this(workers, dataSource, DEFAULT_PAUSE, Thread::sleep);
  }

  public WorkerRoutes(
      List<CascadeWorker> workers, DataSource dataSource, Duration pause, Pause sleeper) {
    if (pause == null || pause.isNegative()) {
      throw new IllegalArgumentException(
          "the pause between batches must be zero or positive, got " + pause);
    }
    this.workers = List.copyOf(workers);
    this.flags = new WorkerFlags(dataSource);
    this.logs = new ExecutionLogs(dataSource);
    this.pause = pause;
    this.sleeper = sleeper;
  }

  /** {@code worker_extract_hooks_v2} → {@code /functions/v1/worker-extract-hooks-v2}. */
  public static String path(String workerName) {
    return "/functions/v1/" + workerName.replace('_', '-');
  }

  @Override
  public void accept(Javalin app) {
    for (CascadeWorker w : workers) {
      String path = path(w.name());
      app.before(path, ctx -> CORS.forEach(ctx::header));
      // the browser's preflight carries no credentials by design; it reads nothing
      app.options(path, ctx -> ctx.result("ok"), Role.PUBLIC);
      app.post(path, ctx -> run(ctx, w), Role.SCHEDULER);
    }
  }

  /** The body's options: {@code {batch_size, max_items}}, both optional. */
  record RunOptions(
      @JsonProperty("batch_size") Integer batchSize, @JsonProperty("max_items") Integer maxItems) {
    static final RunOptions DEFAULTS = new RunOptions(DEFAULT_BATCH_SIZE, DEFAULT_MAX_ITEMS);

    RunOptions {
      batchSize = within("batch_size", batchSize, DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE);
      maxItems = within("max_items", maxItems, DEFAULT_MAX_ITEMS, MAX_ITEMS_LIMIT);
    }

    private static int within(String field, Integer value, int defaultValue, int max) {
      if (value == null) {
        return defaultValue;
      }
      if (value < 1 || value > max) {
        throw new IllegalArgumentException(
            field + " must be a whole number from 1 to " + max + ", got " + value);
      }
      return value;
    }
  }

  private void run(Context ctx, CascadeWorker worker) throws InterruptedException {
    RunOptions options = JsonBody.readOr(ctx, RunOptions.class, () -> RunOptions.DEFAULTS);
    if (!flags.isEnabled(worker.name())) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("success", true);
      body.put("worker", worker.name());
      body.put("skipped", true);
      body.put(
          "message",
          worker.name()
              + " is disabled in worker_feature_flags_v2; nothing was processed"
              + " (enable it with orchestrator-v2?action=enable&worker="
              + worker.name()
              + ")");
      body.put("items_processed", 0);
      body.put("items_failed", 0);
      ctx.json(body);
      return;
    }
    UUID logId = logs.start(worker.name(), null);
    long t0 = System.nanoTime();
    Outcome outcome;
    try {
      outcome = process(worker, options);
    } catch (RuntimeException | InterruptedException e) {
      // the seed's handleWorkerError: the log is closed as failed, never left running
      closeQuietly(
          logId,
          false,
          0,
          0,
          Map.of("error", String.valueOf(e.getMessage())),
          String.valueOf(e.getMessage()));
      throw e;
    }
    long durationMs = (System.nanoTime() - t0) / 1_000_000;
    WorkerResult total = outcome.total();
    // a run that did some work and then met a failing batch still completed what it did; a run
    // whose every claimed row failed is the worker failing (provider down, catalogue empty)
    boolean failed = total.failed() > 0 && total.processed() + total.skipped() == 0;
    String error = total.failureCause().map(Throwable::getMessage).orElse(null);
    Map<String, Object> result = total.toLog();
    result.put("batches", outcome.batches());
    logs.end(logId, !failed, total.processed(), total.failed(), result, error);

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", !failed);
    body.put("worker", worker.name());
    body.put("log_id", logId);
    body.put("status", failed ? "failed" : "completed");
    body.put("duration_ms", durationMs);
    body.put("items_processed", total.processed());
    body.put("items_failed", total.failed());
    body.put("items_skipped", total.skipped());
    body.put("batches", outcome.batches());
    body.put("batch_size", options.batchSize());
    body.put("max_items", options.maxItems());
    body.put("result", result);
    if (failed) {
      body.put("error", "worker_failed");
      body.put("message", error);
    }
    ctx.status(failed ? 500 : 200).json(body);
  }

  private record Outcome(WorkerResult total, int batches) {}

  /** Batches until the queue is empty, {@code maxItems} rows were claimed, or a batch failed. */
  private Outcome process(CascadeWorker worker, RunOptions options) throws InterruptedException {
    WorkerResult total = WorkerResult.NOTHING;
    int batches = 0;
    while (total.claimed() < options.maxItems()) {
      if (batches > 0 && !pause.isZero()) {
        sleeper.sleep(pause);
      }
      int asked = Math.min(options.batchSize(), options.maxItems() - total.claimed());
      WorkerResult r = worker.processBatch(asked);
      if (r.claimed() == 0) {
        break;
      }
      batches++;
      total = total.plus(r);
      if (r.failed() > 0) {
        // the failed rows stay flagged; the next call (or the engine's drain) tries them again
        break;
      }
      if (r.claimed() < asked) {
        break; // the queue had fewer rows than asked: it is empty now, no need to pause and look
        // again
      }
    }
    return new Outcome(total, batches);
  }

  private void closeQuietly(
      UUID logId, boolean success, int processed, int failed, Map<String, ?> result, String error) {
    try {
      logs.end(logId, success, processed, failed, result, error);
    } catch (RuntimeException e) {
      log.warn("could not close execution log {}: {}", logId, e.getMessage());
    }
  }
}
