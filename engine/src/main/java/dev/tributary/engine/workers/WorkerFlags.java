package dev.tributary.engine.workers;

import dev.tributary.engine.internal.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Per-worker feature flags ({@code worker_feature_flags_v2}, S1.3). The flag name is the job kind:
 * while a worker is disabled no node claims jobs of that kind (they wait, they are not lost).
 */
public final class WorkerFlags {
  private final DataSource dataSource;

  public WorkerFlags(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<WorkerFlag> list() {
    return Sql.withConnection(
        dataSource,
        "list worker flags",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT worker_name, is_enabled, description, updated_at FROM public.worker_feature_flags_v2 ORDER BY worker_name");
              ResultSet rs = ps.executeQuery()) {
            List<WorkerFlag> out = new ArrayList<>();
            while (rs.next()) {
              out.add(
                  new WorkerFlag(
                      rs.getString(1),
                      rs.getBoolean(2),
                      rs.getString(3),
                      rs.getTimestamp(4).toInstant()));
            }
            return out;
          }
        });
  }

  public Optional<WorkerFlag> get(String workerName) {
    return list().stream().filter(f -> f.workerName().equals(workerName)).findFirst();
  }

  /** The seed's {@code is_worker_enabled}: a worker without a row is enabled. */
  public boolean isEnabled(String workerName) {
    return Sql.withConnection(
        dataSource,
        "read the flag of worker " + workerName,
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT public.is_worker_enabled(?)")) {
            ps.setString(1, workerName);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getBoolean(1);
            }
          }
        });
  }

  /** Turns a known worker on or off across the cluster; an unknown name is an error. */
  public WorkerFlag setEnabled(String workerName, boolean enabled) {
    return Sql.withConnection(
        dataSource,
        "set the flag of worker " + workerName,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          UPDATE public.worker_feature_flags_v2 SET is_enabled = ?, updated_at = now()
           WHERE worker_name = ?
          RETURNING worker_name, is_enabled, description, updated_at""")) {
            ps.setBoolean(1, enabled);
            ps.setString(2, workerName);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                throw new UnknownWorkerException(workerName);
              }
              WorkerFlag flag =
                  new WorkerFlag(
                      rs.getString(1),
                      rs.getBoolean(2),
                      rs.getString(3),
                      rs.getTimestamp(4).toInstant());
              if (enabled) {
                // jobs of this kind may be waiting: wake every node's queues
                try (PreparedStatement n =
                    c.prepareStatement("SELECT pg_notify('tributary_jobs', '*')")) {
                  n.executeQuery().close();
                }
              }
              return flag;
            }
          }
        });
  }

  /** Adds a worker's flag row (enabled) if it has none; an existing row keeps its setting. */
  public void ensure(String workerName, String description) {
    Sql.withConnection(
        dataSource,
        "register worker " + workerName,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          INSERT INTO public.worker_feature_flags_v2 (worker_name, description) VALUES (?, ?)
          ON CONFLICT (worker_name) DO NOTHING""")) {
            ps.setString(1, workerName);
            ps.setString(2, description);
            return ps.executeUpdate();
          }
        });
  }
}
