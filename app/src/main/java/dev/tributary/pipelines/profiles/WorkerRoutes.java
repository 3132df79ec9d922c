package dev.tributary.pipelines.profiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.web.ApiException;
import dev.tributary.web.SharedSecrets;
import dev.tributary.web.WebServer;
import dev.tributary.workers.ExecutionLogs;
import dev.tributary.workers.WorkerFlags;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
  public static final String SECRET_HEADER = "X-Scheduler-Secret";

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

  private static final Set<String> FIELDS = Set.of("batch_size", "max_items");

  /** How a call paces its batches; tests pass one that does not wait. */
  @FunctionalInterface
  public interface Pause {
    void sleep(Duration d) throws InterruptedException;
  }

  private final List<CascadeWorker> workers;
  private final WorkerFlags flags;
  private final ExecutionLogs logs;
  private final Optional<String> schedulerSecret;
  private final Duration pause;
  private final Pause sleeper;

  public WorkerRoutes(
      List<CascadeWorker> workers, DataSource dataSource, Optional<String> schedulerSecret) {
    this(workers, dataSource, schedulerSecret, DEFAULT_PAUSE, Thread::sleep);
  }

  public WorkerRoutes(
      List<CascadeWorker> workers,
      DataSource dataSource,
      Optional<String> schedulerSecret,
      Duration pause,
      Pause sleeper) {
    if (pause == null || pause.isNegative()) {
      throw new IllegalArgumentException(
          "the pause between batches must be zero or positive, got " + pause);
    }
    this.workers = List.copyOf(workers);
    this.flags = new WorkerFlags(dataSource);
    this.logs = new ExecutionLogs(dataSource);
    this.schedulerSecret = schedulerSecret;
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
      app.options(path, ctx -> ctx.result("ok"));
      app.post(path, ctx -> run(ctx, w));
    }
  }

  /** The body's options: {@code {batch_size, max_items}}, both optional. */
  record RunOptions(int batchSize, int maxItems) {
    static RunOptions from(JsonNode body) {
      if (body == null || body.isNull() || body.isMissingNode()) {
        return new RunOptions(DEFAULT_BATCH_SIZE, DEFAULT_MAX_ITEMS);
      }
      if (!body.isObject()) {
        throw ApiException.badRequest(
            "the body must be a JSON object like {\"batch_size\": 10, \"max_items\": 100}");
      }
      for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!FIELDS.contains(f)) {
          throw ApiException.badRequest(
              "unknown field '" + f + "'; the fields are batch_size and max_items");
        }
      }
      return new RunOptions(
          number(body, "batch_size", DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE),
          number(body, "max_items", DEFAULT_MAX_ITEMS, MAX_ITEMS_LIMIT));
    }

    private static int number(JsonNode body, String field, int defaultValue, int max) {
      JsonNode v = body.get(field);
      if (v == null || v.isNull()) {
        return defaultValue;
      }
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1 || v.intValue() > max) {
        throw ApiException.badRequest(
            field + " must be a whole number from 1 to " + max + ", got " + v);
      }
      return v.intValue();
    }
  }

  private void run(Context ctx, CascadeWorker worker) throws InterruptedException {
    if (!SharedSecrets.matches(ctx.header(SECRET_HEADER), schedulerSecret)) {
      throw ApiException.unauthorized(
          schedulerSecret.isEmpty()
              ? "the worker endpoints are disabled: SCHEDULER_SECRET is not configured on this server"
              : "missing or wrong " + SECRET_HEADER + " header");
    }
    RunOptions options = RunOptions.from(body(ctx));
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
    @SuppressWarnings("unchecked")
    Map<String, Object> result = WebServer.JSON.convertValue(total.toJson(), Map.class);
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

  private static JsonNode body(Context ctx) {
    String raw = ctx.body();
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return WebServer.JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
