package dev.tributary.web.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tributary.engine.JobStats;
import dev.tributary.web.ApiException;
import dev.tributary.web.Caller;
import dev.tributary.web.JsonBody;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import dev.tributary.workers.ExecutionLogs;
import dev.tributary.workers.UnknownWorkerException;
import dev.tributary.workers.WorkerFlag;
import dev.tributary.workers.WorkerFlags;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the operator console reads and changes beyond jobs, queues and schedules: who is signed in
 * (operator or read-only viewer), job counts by queue and state with the last hour's throughput,
 * and the six worker flags with their last runs from {@code task_execution_logs_v2}.
 */
public final class ConsoleOpsRoutes implements WebServer.Routes {
  static final int RUNS_PER_WORKER = 5;

  private final JobStats stats;
  private final WorkerFlags flags;
  private final ExecutionLogs logs;

  public ConsoleOpsRoutes(DataSource dataSource, Clock clock) {
    this.stats = new JobStats(dataSource, clock);
    this.flags = new WorkerFlags(dataSource);
    this.logs = new ExecutionLogs(dataSource);
  }

  /** {@code {"enabled": true|false}}. */
  record FlagBody(@JsonProperty(value = "enabled", required = true) Boolean enabled) {
    FlagBody {
      if (enabled == null) {
        throw new IllegalArgumentException("enabled must be true or false");
      }
    }
  }

  @Override
  public void accept(Javalin app) {
    app.get("/api/session", ConsoleOpsRoutes::session, Role.SERVICE, Role.USER);
    app.get("/api/stats/jobs", this::jobStats, Role.SERVICE);
    app.get("/api/workers", this::workers, Role.SERVICE);
    app.put(
        "/api/workers/{name}",
        ctx -> {
          FlagBody body = JsonBody.read(ctx, FlagBody.class);
          try {
            ctx.json(worker(flags.setEnabled(ctx.pathParam("name"), body.enabled())));
          } catch (UnknownWorkerException e) {
            throw ApiException.notFound(e.getMessage());
          }
        },
        Role.SERVICE);
  }

  private static void session(Context ctx) {
    Caller caller = Caller.of(ctx);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", caller.operator() ? "operator" : "viewer");
    out.put("user_id", caller.userId().orElse(null));
    ctx.json(out);
  }

  private void jobStats(Context ctx) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "by_queue_state",
        stats.byQueueAndState().stream()
            .map(
                q -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("queue", q.queue());
                  m.put("state", q.state().dbName());
                  m.put("count", q.count());
                  return m;
                })
            .toList());
    out.put(
        "throughput",
        stats.throughput(Duration.ofHours(1)).stream()
            .map(
                m -> {
                  Map<String, Object> r = new LinkedHashMap<>();
                  r.put("minute", m.start());
                  r.put("completed", m.completed());
                  r.put("dead", m.dead());
                  r.put("cancelled", m.cancelled());
                  return r;
                })
            .toList());
    ctx.json(out);
  }

  private void workers(Context ctx) {
    List<Map<String, Object>> out =
        flags.list().stream()
            .map(
                f -> {
                  Map<String, Object> w = worker(f);
                  w.put(
                      "last_runs",
                      logs.recent(f.workerName(), RUNS_PER_WORKER).stream()
                          .map(OrchestratorRoutes::run)
                          .toList());
                  return w;
                })
            .toList();
    ctx.json(Map.of("workers", out));
  }

  private static Map<String, Object> worker(WorkerFlag f) {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("worker_name", f.workerName());
    w.put("is_enabled", f.enabled());
    w.put("description", f.description());
    w.put("updated_at", f.updatedAt());
    return w;
  }
}
