package dev.tributary.web.ops;

import dev.tributary.engine.metrics.EngineMetrics;
import dev.tributary.pipelines.publishing.PublishingMetrics;
import dev.tributary.web.ApiException;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import dev.tributary.workers.ExecutionLogs;
import dev.tributary.workers.UnknownWorkerException;
import dev.tributary.workers.WorkerFlag;
import dev.tributary.workers.WorkerFlags;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The engine's HTTP surface: the seed's orchestrator ({@code /functions/v1/orchestrator-v2}, S1.3)
 * guarded by {@code X-Scheduler-Secret}, Prometheus metrics at {@code /metrics}, and the JSON
 * operations API for jobs, queues and schedules ({@link EngineOpsRoutes}).
 */
public final class OrchestratorRoutes implements WebServer.Routes {
  public static final String PATH = "/functions/v1/orchestrator-v2";
  public static final String SECRET_HEADER = "X-Scheduler-Secret";

  private final WorkerFlags flags;
  private final ExecutionLogs logs;
  private final boolean metricsGuarded;
  private final PrometheusMetrics metrics;

  public OrchestratorRoutes(
      DataSource dataSource, Clock clock, EngineMetrics engineMetrics, boolean metricsGuarded) {
    this(dataSource, clock, engineMetrics, null, metricsGuarded);
  }

  /** With the node's publishing metrics in {@code /metrics} (null when publishing is off). */
  public OrchestratorRoutes(
      DataSource dataSource,
      Clock clock,
      EngineMetrics engineMetrics,
      PublishingMetrics publishingMetrics,
      boolean metricsGuarded) {
    this.flags = new WorkerFlags(dataSource);
    this.logs = new ExecutionLogs(dataSource);
    this.metricsGuarded = metricsGuarded;
    this.metrics = new PrometheusMetrics(dataSource, clock, engineMetrics, publishingMetrics);
  }

  @Override
  public void accept(Javalin app) {
    app.get(PATH, this::orchestrate, Role.SCHEDULER);
    app.post(PATH, this::orchestrate, Role.SCHEDULER);
    // open as Prometheus scrapes usually are, unless METRICS_TOKEN asks for a bearer
    Role[] metricsRoles =
        metricsGuarded ? new Role[] {Role.METRICS, Role.SERVICE} : new Role[] {Role.PUBLIC};
    app.get(
        "/metrics",
        ctx -> ctx.contentType(PrometheusMetrics.CONTENT_TYPE).result(metrics.render()),
        metricsRoles);
  }

  private void orchestrate(Context ctx) {
    String action = ctx.queryParam("action");
    String worker = ctx.queryParam("worker");
    if (action == null || action.isBlank()) {
      action = "status";
    }
    switch (action) {
      case "status" -> ctx.json(status(worker));
      case "enable", "disable" -> ctx.json(setEnabled(worker, action.equals("enable")));
      default ->
          throw ApiException.badRequest(
              "unknown action '" + action + "': use status, enable or disable");
    }
  }

  private Map<String, Object> status(String worker) {
    List<WorkerFlag> all = flags.list();
    if (worker != null && !worker.isBlank()) {
      all = all.stream().filter(f -> f.workerName().equals(worker)).toList();
      if (all.isEmpty()) {
        throw ApiException.badRequest("unknown worker '" + worker + "'");
      }
    }
    List<Map<String, Object>> workers = new ArrayList<>();
    for (WorkerFlag f : all) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("worker_name", f.workerName());
      w.put("is_enabled", f.enabled());
      w.put("description", f.description());
      w.put("updated_at", f.updatedAt());
      w.put(
          "last_run",
          logs.recent(f.workerName(), 1).stream()
              .findFirst()
              .map(OrchestratorRoutes::run)
              .orElse(null));
      workers.add(w);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("action", "status");
    body.put("workers", workers);
    return body;
  }

  private Map<String, Object> setEnabled(String worker, boolean enabled) {
    if (worker == null || worker.isBlank()) {
      throw ApiException.badRequest(
          "the worker parameter is required to " + (enabled ? "enable" : "disable"));
    }
    WorkerFlag f;
    try {
      f = flags.setEnabled(worker, enabled);
    } catch (UnknownWorkerException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("action", enabled ? "enable" : "disable");
    body.put("worker", f.workerName());
    body.put("is_enabled", f.enabled());
    body.put("updated_at", f.updatedAt());
    return body;
  }

  static Map<String, Object> run(ExecutionLogs.Entry e) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", e.id());
    r.put("status", e.status());
    r.put("started_at", e.startedAt());
    r.put("completed_at", e.completedAt());
    r.put("duration_ms", e.durationMs());
    r.put("items_processed", e.itemsProcessed());
    r.put("items_failed", e.itemsFailed());
    r.put("result", e.result());
    r.put("error_message", e.errorMessage());
    r.put("job_id", e.jobId());
    return r;
  }
}
