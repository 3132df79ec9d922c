package dev.tributary.engine.workers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.internal.Json;
import dev.tributary.engine.internal.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Execution logs of workers ({@code task_execution_logs_v2}, S1.4), written through the seed's own
 * SQL functions {@code log_worker_start} and {@code log_worker_end}.
 */
public final class ExecutionLogs {
  /** One row of the log. */
  public record Entry(
      UUID id,
      String workerName,
      String status,
      Instant startedAt,
      Instant completedAt,
      Long durationMs,
      int itemsProcessed,
      int itemsFailed,
      JsonNode result,
      String errorMessage,
      Long jobId) {}

  private final DataSource dataSource;

  public ExecutionLogs(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public UUID start(String workerName, Long jobId) {
    return Sql.withConnection(
        dataSource,
        "open an execution log for " + workerName,
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT public.log_worker_start(?, ?)")) {
            ps.setString(1, workerName);
            if (jobId == null) {
              ps.setNull(2, Types.BIGINT);
            } else {
              ps.setLong(2, jobId);
            }
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return (UUID) rs.getObject(1);
            }
          }
        });
  }

  public void end(
      UUID logId, boolean success, int processed, int failed, Map<String, ?> result, String error) {
    Sql.withConnection(
        dataSource,
        "close execution log " + logId,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT public.log_worker_end(?, ?, ?, ?, ?::jsonb, ?)")) {
            ps.setObject(1, logId);
            ps.setString(2, success ? "completed" : "failed");
            ps.setInt(3, processed);
            ps.setInt(4, failed);
            ps.setString(5, result == null ? null : Json.write(result));
            ps.setString(6, error);
            ps.executeQuery().close();
            return null;
          }
        });
  }

  /** The latest runs of a worker (all workers when null), newest first. */
  public List<Entry> recent(String workerName, int limit) {
    return Sql.withConnection(
        dataSource,
        "read execution logs",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          SELECT id, worker_name, status, started_at, completed_at, duration_ms, items_processed, items_failed,
                 result::text, error_message, job_id
            FROM public.task_execution_logs_v2
           WHERE (?::text IS NULL OR worker_name = ?)
           ORDER BY started_at DESC LIMIT ?""")) {
            ps.setString(1, workerName);
            ps.setString(2, workerName);
            ps.setInt(3, limit);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Entry(
                        (UUID) rs.getObject(1),
                        rs.getString(2),
                        rs.getString(3),
                        Sql.instant(rs.getTimestamp(4)),
                        Sql.instant(rs.getTimestamp(5)),
                        (Long) rs.getObject(6),
                        rs.getInt(7),
                        rs.getInt(8),
                        rs.getString(9) == null ? null : Json.read(rs.getString(9)),
                        rs.getString(10),
                        (Long) rs.getObject(11)));
              }
            }
            return out;
          }
        });
  }
}
