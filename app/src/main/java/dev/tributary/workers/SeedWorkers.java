package dev.tributary.workers;

import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.cron.Schedules;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Wires the seed's named workers (S1.1-S1.4) onto the engine: a flag row per worker in {@code
 * worker_feature_flags_v2} (kept in step with the engine's kind switches by V061), an execution log
 * per run through a job listener, and the logs' housekeeping as a scheduled job.
 */
public final class SeedWorkers {
  private final DataSource dataSource;
  private final Map<String, String> workers;
  private final ExecutionLogMaintenance maintenance;

  /** {@code workers}: job kind (the worker's name) to description. */
  public SeedWorkers(DataSource dataSource, Map<String, String> workers) {
    this.dataSource = dataSource;
    this.workers = Map.copyOf(workers);
    this.maintenance =
        new ExecutionLogMaintenance(dataSource, ExecutionLogMaintenance.DEFAULT_RETENTION);
  }

  /** Adds missing flag rows (enabled), the execution-log listener and the housekeeping handler. */
  public EngineBuilder register(EngineBuilder engine) {
    WorkerFlags flags = new WorkerFlags(dataSource);
    workers.forEach(flags::ensure);
    engine.listener(new ExecutionLogListener(new ExecutionLogs(dataSource), workers.keySet()));
    return maintenance.register(engine);
  }

  public void schedule(Schedules schedules) {
    maintenance.schedule(schedules);
  }
}
