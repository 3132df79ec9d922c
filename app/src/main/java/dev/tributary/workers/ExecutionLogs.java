package dev.tributary.workers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Instant;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbc jdbc;

  public ExecutionLogs(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  public UUID start(String workerName, Long jobId) {
    return jdbc.withConnection(
        "open an execution log for " + workerName,
        h ->
            h.queryOne(
                    "SELECT public.log_worker_start(:worker, :job_id::bigint)",
                    Params.of("worker", workerName, "job_id", jobId),
                    rs -> (UUID) rs.getObject(1))
                .orElseThrow());
  }

  public void end(
      UUID logId, boolean success, int processed, int failed, Map<String, ?> result, String error) {
    jdbc.withConnection(
        "close execution log " + logId,
        h -> {
          h.execute(
              "SELECT public.log_worker_end(:id, :status, :processed, :failed, :result::jsonb, :error)",
              Params.with("id", logId)
                  .and("status", success ? "completed" : "failed")
                  .and("processed", processed)
                  .and("failed", failed)
                  .and("result", result == null ? null : write(result))
                  .and("error", error));
          return null;
        });
  }

  /** The latest runs of a worker (all workers when null), newest first. */
  public List<Entry> recent(String workerName, int limit) {
    return jdbc.query(
        """
        SELECT id, worker_name, status, started_at, completed_at, duration_ms, items_processed, items_failed,
               result::text, error_message, job_id
          FROM public.task_execution_logs_v2
         WHERE (:worker::text IS NULL OR worker_name = :worker)
         ORDER BY started_at DESC LIMIT :limit""",
        Params.of("worker", workerName, "limit", limit),
        rs ->
            new Entry(
                (UUID) rs.getObject(1),
                rs.getString(2),
                rs.getString(3),
                Handle.instant(rs, 4),
                Handle.instant(rs, 5),
                (Long) rs.getObject(6),
                rs.getInt(7),
                rs.getInt(8),
                rs.getString(9) == null ? null : read(rs.getString(9)),
                rs.getString(10),
                (Long) rs.getObject(11)));
  }

  private static String write(Map<String, ?> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("result is not JSON: " + e.getMessage(), e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored result is not JSON: " + e.getMessage(), e);
    }
  }
}
