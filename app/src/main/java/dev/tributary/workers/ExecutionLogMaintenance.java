package dev.tributary.workers;

import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.cron.Schedule;
import dev.tributary.engine.cron.Schedules;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Housekeeping of {@code task_execution_logs_v2}, as an app job on an engine schedule (once a
 * minute, once per cluster): closes logs left 'running' by a node that died mid-run, and deletes
 * logs past their retention through the seed's {@code cleanup_old_worker_logs_v2}.
 */
public final class ExecutionLogMaintenance {
  public static final String KIND = "execution_log_maintenance";
  public static final String SCHEDULE = "execution-log-maintenance";
  public static final String CRON = "* * * * *";
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  private final Jdbc jdbc;
  private final Duration retention;

  public ExecutionLogMaintenance(DataSource dataSource, Duration retention) {
    this.jdbc = new Jdbc(dataSource);
    this.retention = retention;
  }

  public EngineBuilder register(EngineBuilder engine) {
    return engine.handler(KIND, ctx -> ctx.itemsProcessed(closeAbandoned() + prune()));
  }

  public void schedule(Schedules schedules) {
    schedules.put(
        new Schedule(
            SCHEDULE, CRON, "UTC", KIND, Map.of(), EnqueueOptions.DEFAULTS.maxAttempts(1)));
  }

  /** Logs still 'running' whose job is no longer running: their node died mid-run. */
  public int closeAbandoned() {
    return jdbc.update(
        """
        UPDATE public.task_execution_logs_v2 l
           SET status = 'failed', completed_at = now(),
               duration_ms = greatest(0, (extract(epoch FROM now() - l.started_at) * 1000)::bigint),
               error_message = 'abandoned: the run stopped without closing its log (job '
                               || l.job_id || ' is ' || coalesce(j.state, 'gone') || ')'
          FROM (SELECT l2.id, j2.state
                  FROM public.task_execution_logs_v2 l2
                  LEFT JOIN tributary.jobs j2 ON j2.id = l2.job_id
                 WHERE l2.status = 'running' AND l2.job_id IS NOT NULL
                   AND (j2.id IS NULL OR j2.state <> 'running')) j
         WHERE l.id = j.id""",
        Params.NONE);
  }

  /** Deletes logs older than the retention; returns how many went. */
  public int prune() {
    return jdbc.queryOne(
            "SELECT public.cleanup_old_worker_logs_v2(make_interval(secs => :seconds))",
            Params.of("seconds", (double) retention.toSeconds()),
            rs -> rs.getInt(1))
        .orElse(0);
  }
}
