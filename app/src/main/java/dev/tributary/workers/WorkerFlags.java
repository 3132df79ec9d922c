package dev.tributary.workers;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Per-worker feature flags ({@code worker_feature_flags_v2}, S1.3). The flag name is the job kind:
 * while a worker is disabled no node claims jobs of that kind (they wait, they are not lost). A
 * trigger (V061) carries every change onto the engine's kind switches, and switching a worker on
 * wakes every node's queues.
 */
public final class WorkerFlags {
  private static final String COLUMNS = "worker_name, is_enabled, description, updated_at";

  private final Jdbc jdbc;

  public WorkerFlags(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  public List<WorkerFlag> list() {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM public.worker_feature_flags_v2 ORDER BY worker_name",
        Params.NONE,
        WorkerFlags::flag);
  }

  public Optional<WorkerFlag> get(String workerName) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM public.worker_feature_flags_v2 WHERE worker_name = :worker",
        Params.of("worker", workerName),
        WorkerFlags::flag);
  }

  /** The seed's {@code is_worker_enabled}: a worker without a row is enabled. */
  public boolean isEnabled(String workerName) {
    return jdbc.queryOne(
            "SELECT public.is_worker_enabled(:worker)",
            Params.of("worker", workerName),
            rs -> rs.getBoolean(1))
        .orElse(true);
  }

  /** Turns a known worker on or off across the cluster; an unknown name is an error. */
  public WorkerFlag setEnabled(String workerName, boolean enabled) {
    return jdbc.queryOne(
            """
            UPDATE public.worker_feature_flags_v2 SET is_enabled = :enabled, updated_at = now()
             WHERE worker_name = :worker
            RETURNING worker_name, is_enabled, description, updated_at""",
            Params.of("enabled", enabled, "worker", workerName),
            WorkerFlags::flag)
        .orElseThrow(() -> new UnknownWorkerException(workerName));
  }

  /** Adds a worker's flag row (enabled) if it has none; an existing row keeps its setting. */
  public void ensure(String workerName, String description) {
    jdbc.update(
        """
        INSERT INTO public.worker_feature_flags_v2 (worker_name, description) VALUES (:worker, :description)
        ON CONFLICT (worker_name) DO NOTHING""",
        Params.of("worker", workerName, "description", description));
  }

  private static WorkerFlag flag(ResultSet rs) throws SQLException {
    return new WorkerFlag(
        rs.getString(1), rs.getBoolean(2), rs.getString(3), Handle.instant(rs, 4));
  }
}
