package dev.tributary.web.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tributary.engine.ChangeOutcome;
import dev.tributary.engine.Job;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.MatchingJobs;
import dev.tributary.engine.QueueInfo;
import dev.tributary.engine.Queues;
import dev.tributary.engine.cron.ScheduleFire;
import dev.tributary.engine.cron.ScheduleInfo;
import dev.tributary.engine.cron.Schedules;
import dev.tributary.engine.metrics.EngineMetrics;
import dev.tributary.web.ApiException;
import dev.tributary.web.JsonBody;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.sql.DataSource;

/**
 * The JSON operations API of the engine: jobs (list, show, retry, cancel), queues (list, pause,
 * resume, rate limit) and schedules (list, enable, disable, run now). Every call needs {@code
 * Authorization: Bearer <SERVICE_ROLE_KEY>}: job args may hold private data, so reads are guarded
 * like writes.
 */
public final class EngineOpsRoutes implements WebServer.Routes {
  private final Jobs jobs;
  private final Queues queues;
  private final Schedules schedules;
  private final MatchingJobs matching;
  static final int DEFAULT_PAGE = 50;

  public EngineOpsRoutes(DataSource dataSource, Clock clock, EngineMetrics metrics) {
    this.jobs = new Jobs(dataSource, clock, metrics);
    this.queues = new Queues(dataSource, clock);
    this.schedules = new Schedules(dataSource, clock, jobs);
    this.matching = new MatchingJobs(dataSource, clock);
  }

  @Override
  public void accept(Javalin app) {
    jobRoutes(app);
    queueRoutes(app);
    scheduleRoutes(app);
  }

  private void jobRoutes(Javalin app) {
    app.get("/api/jobs", this::page, Role.SERVICE);
    app.get(
        "/api/jobs/{id}",
        ctx -> ctx.json(job(jobs.get(id(ctx)).orElseThrow(() -> notFound(ctx)))),
        Role.SERVICE);
    app.post(
        "/api/jobs/{id}/retry", ctx -> change(ctx, jobs.retry(id(ctx)), "retry"), Role.SERVICE);
    app.post(
        "/api/jobs/{id}/cancel", ctx -> change(ctx, jobs.cancel(id(ctx)), "cancel"), Role.SERVICE);
    app.delete(
        "/api/jobs/{id}",
        ctx -> {
          ChangeOutcome outcome = jobs.delete(id(ctx));
          if (outcome == ChangeOutcome.CHANGED) {
            ctx.json(Map.of("success", true, "deleted", id(ctx)));
          } else {
            change(ctx, outcome, "delete");
          }
        },
        Role.SERVICE);
  }

  private void queueRoutes(Javalin app) {
    app.get(
        "/api/queues",
        ctx ->
            ctx.json(Map.of("queues", queues.list().stream().map(EngineOpsRoutes::queue).toList())),
        Role.SERVICE);
    app.post(
        "/api/queues/{name}/pause",
        ctx -> {
          queues.pause(ctx.pathParam("name"));
          ctx.json(queue(queues.get(ctx.pathParam("name")).orElseThrow()));
        },
        Role.SERVICE);
    app.post(
        "/api/queues/{name}/resume",
        ctx -> {
          queues.resume(ctx.pathParam("name"));
          ctx.json(queue(queues.get(ctx.pathParam("name")).orElseThrow()));
        },
        Role.SERVICE);
    app.put(
        "/api/queues/{name}/rate-limit",
        ctx -> {
          RateLimitBody body = JsonBody.read(ctx, RateLimitBody.class);
          try {
            queues.setRateLimit(
                ctx.pathParam("name"), body.limit(), Duration.ofSeconds(body.intervalSeconds()));
          } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                e.getMessage() + " (body: {\"limit\": N, \"interval_seconds\": S})");
          }
          ctx.json(queue(queues.get(ctx.pathParam("name")).orElseThrow()));
        },
        Role.SERVICE);
    app.delete(
        "/api/queues/{name}/rate-limit",
        ctx -> {
          queues.clearRateLimit(ctx.pathParam("name"));
          ctx.json(queue(queues.get(ctx.pathParam("name")).orElseThrow()));
        },
        Role.SERVICE);
  }

  private void scheduleRoutes(Javalin app) {
    app.get(
        "/api/schedules",
        ctx ->
            ctx.json(
                Map.of(
                    "schedules",
                    schedules.list().stream().map(EngineOpsRoutes::schedule).toList())),
        Role.SERVICE);
    app.post(
        "/api/schedules/{name}/enable",
        ctx -> ctx.json(schedule(knownSchedule(() -> schedules.enable(ctx.pathParam("name"))))),
        Role.SERVICE);
    app.post(
        "/api/schedules/{name}/disable",
        ctx -> ctx.json(schedule(knownSchedule(() -> schedules.disable(ctx.pathParam("name"))))),
        Role.SERVICE);
    app.get(
        "/api/schedules/{name}/fires",
        ctx -> {
          knownSchedule(() -> schedules.get(ctx.pathParam("name")).orElseThrow());
          ctx.json(
              Map.of(
                  "fires",
                  schedules.fires(ctx.pathParam("name"), 20).stream()
                      .map(EngineOpsRoutes::fire)
                      .toList()));
        },
        Role.SERVICE);
    app.post(
        "/api/schedules/{name}/run",
        ctx -> {
          long id = knownSchedule(() -> schedules.runNow(ctx.pathParam("name"))).jobId();
          ctx.status(202).json(Map.of("success", true, "job_id", id));
        },
        Role.SERVICE);
  }

  private static <T> T knownSchedule(java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (NoSuchElementException e) {
      throw ApiException.notFound(e.getMessage());
    }
  }

  /** A page of jobs matching the query's filter, newest first; {@code next_before} pages on. */
  private void page(Context ctx) {
    int limit = JobQueries.limit(ctx.queryParam("limit"), DEFAULT_PAGE, MatchingJobs.MAX_PAGE);
    List<Job> page =
        matching.page(
            JobQueries.match(ctx::queryParam),
            JobQueries.optionalId("before", ctx.queryParam("before")),
            limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jobs", page.stream().map(EngineOpsRoutes::job).toList());
    body.put("next_before", page.size() == limit ? page.get(page.size() - 1).id() : null);
    ctx.json(body);
  }

  private static long id(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("job id must be a number, got '" + ctx.pathParam("id") + "'");
    }
  }

  private static ApiException notFound(Context ctx) {
    return ApiException.notFound("no job " + ctx.pathParam("id"));
  }

  private void change(Context ctx, ChangeOutcome outcome, String what) {
    long id = id(ctx);
    switch (outcome) {
      case CHANGED -> ctx.json(job(jobs.get(id).orElseThrow(() -> notFound(ctx))));
      case NOT_FOUND -> throw notFound(ctx);
      case NOT_ALLOWED ->
          throw new ApiException(
              409,
              "conflict",
              "job "
                  + id
                  + " is "
                  + jobs.get(id).map(j -> j.state().dbName()).orElse("gone")
                  + "; cannot "
                  + what
                  + " it");
      case UNIQUE_KEY_TAKEN ->
          throw new ApiException(
              409,
              "conflict",
              "another live job holds the unique key of job " + id + "; cannot " + what + " it");
    }
  }

  static Map<String, Object> job(Job j) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", j.id());
    m.put("kind", j.kind());
    m.put("queue", j.queue());
    m.put("state", j.state().dbName());
    m.put("args", j.args());
    m.put("priority", j.priority());
    m.put("attempt", j.attempt());
    m.put("max_attempts", j.maxAttempts());
    m.put("run_at", j.runAt());
    m.put("unique_key", j.uniqueKey());
    m.put("locked_by", j.lockedBy());
    m.put("lease_until", j.leaseUntil());
    m.put("attempted_at", j.attemptedAt());
    m.put("finished_at", j.finishedAt());
    m.put("last_error", j.lastError());
    m.put("errors", j.errors());
    m.put("created_at", j.createdAt());
    return m;
  }

  static Map<String, Object> queue(QueueInfo q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", q.name());
    m.put("paused", q.paused());
    m.put("rate_limit", q.rateLimit());
    m.put(
        "rate_interval_seconds",
        q.rateInterval() == null ? null : q.rateInterval().toMillis() / 1000.0);
    m.put("available", q.available());
    m.put("scheduled", q.scheduled());
    m.put("running", q.running());
    m.put("dead", q.dead());
    return m;
  }

  static Map<String, Object> fire(ScheduleFire f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fire_time", f.fireTime());
    m.put("fired_at", f.firedAt());
    m.put("fired_by", f.firedBy());
    m.put("job_id", f.jobId());
    m.put("job_state", f.jobState());
    return m;
  }

  static Map<String, Object> schedule(ScheduleInfo s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("cron", s.cron());
    m.put("time_zone", s.timeZone());
    m.put("kind", s.kind());
    m.put("args", s.args());
    m.put("queue", s.queue());
    m.put("enabled", s.enabled());
    m.put("next_fire_at", s.nextFireAt());
    m.put("last_fired_at", s.lastFiredAt());
    m.put("last_job_id", s.lastJobId());
    return m;
  }

  /** {@code {"limit": N, "interval_seconds": S}}: at most N job starts in any S seconds. */
  record RateLimitBody(
      @JsonProperty(value = "limit", required = true) int limit,
      @JsonProperty(value = "interval_seconds", required = true) long intervalSeconds) {
    static final long MAX_INTERVAL_SECONDS = 366L * 24 * 3600;

    RateLimitBody {
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be a whole number of at least 1");
      }
      if (intervalSeconds < 1 || intervalSeconds > MAX_INTERVAL_SECONDS) {
        throw new IllegalArgumentException(
            "interval_seconds must be a whole number from 1 to " + MAX_INTERVAL_SECONDS);
      }
    }
  }
}
