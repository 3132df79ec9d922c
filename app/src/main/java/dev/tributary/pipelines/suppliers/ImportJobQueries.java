package dev.tributary.pipelines.suppliers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The read side of import_jobs: lists and the S2.7 stats. */
final class ImportJobQueries {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String COLUMNS =
      """
      id, supplier_id, job_type, status, priority, attempts, max_attempts, run_after, processed_items,
      failed_items, result::text AS result, sync_state::text AS sync_state, errors::text AS errors,
      last_error, created_at, started_at, completed_at, webhook_sent_at""";

  private final Jdbc jdbc;

  ImportJobQueries(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  List<ImportJobView> list(String status, int limit, Instant now) {
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + """
         FROM import_jobs WHERE (:status::text IS NULL OR status = :status)
        ORDER BY created_at DESC, id LIMIT :limit""",
        Params.of("status", status, "limit", limit),
        rs -> view(rs, now));
  }

  Optional<ImportJobView> get(UUID id, Instant now) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM import_jobs WHERE id = :id",
        Params.of("id", id),
        rs -> view(rs, now));
  }

  ImportJobStats stats(Instant now) {
    Params p = Params.of("since", now.minus(java.time.Duration.ofDays(7)));
    Map<String, ImportJobStats.StatusStats> byStatus = new LinkedHashMap<>();
    jdbc.query(
            """
            SELECT status, count(*) AS n,
                   avg(extract(epoch FROM completed_at - started_at)) AS avg_s
              FROM import_jobs WHERE created_at > :since GROUP BY status ORDER BY status""",
            p,
            rs -> {
              double avg = rs.getDouble("avg_s");
              return Map.entry(
                  rs.getString("status"),
                  new ImportJobStats.StatusStats(rs.getLong("n"), rs.wasNull() ? null : avg));
            })
        .forEach(e -> byStatus.put(e.getKey(), e.getValue()));
    Map<String, Double> rates = new LinkedHashMap<>();
    jdbc.query(
            """
            SELECT job_type, count(*) FILTER (WHERE status = 'completed')::float8
                             / nullif(count(*) FILTER (WHERE status IN ('completed', 'failed')), 0) AS rate
              FROM import_jobs WHERE created_at > :since GROUP BY job_type ORDER BY job_type""",
            p,
            rs -> {
              double r = rs.getDouble("rate");
              return Map.entry(rs.getString("job_type"), rs.wasNull() ? -1.0 : r);
            })
        .forEach(e -> rates.put(e.getKey(), e.getValue() < 0 ? null : e.getValue()));
    return new ImportJobStats(byStatus, rates, list("running", 100, now));
  }

  List<SupplierSummary> suppliers() {
    return jdbc.query(
        """
        SELECT s.id, s.name, s.provider, s.is_active, s.last_sync_at,
               (SELECT coalesce(jsonb_object_agg(status, n), '{}')::text
                  FROM (SELECT status, count(*) AS n FROM imported_products p
                         WHERE p.supplier_id = s.id GROUP BY status) c) AS products
          FROM suppliers s ORDER BY s.name, s.id""",
        Params.NONE,
        rs -> {
          Map<String, Long> products = new LinkedHashMap<>();
          map(rs.getString("products"))
              .forEach((k, v) -> products.put(k, ((Number) v).longValue()));
          return new SupplierSummary(
              rs.getObject("id", UUID.class),
              rs.getString("name"),
              rs.getString("provider"),
              rs.getBoolean("is_active"),
              products,
              Handle.instant(rs, "last_sync_at"));
        });
  }

  static ImportJobView view(ResultSet rs, Instant now) throws SQLException {
    String status = rs.getString("status");
    int attempts = rs.getInt("attempts");
    Instant runAfter = Handle.instant(rs, "run_after");
    String lastError = rs.getString("last_error");
    String phase = status;
    if (status.equals("pending") && lastError != null && lastError.startsWith("rate limited")) {
      phase = "waiting";
    } else if (status.equals("pending") && attempts > 0) {
      phase = "retrying";
    }
    return new ImportJobView(
        rs.getObject("id", UUID.class),
        rs.getObject("supplier_id", UUID.class),
        rs.getString("job_type"),
        status,
        phase,
        rs.getInt("priority"),
        attempts,
        rs.getInt("max_attempts"),
        runAfter,
        rs.getInt("processed_items"),
        rs.getInt("failed_items"),
        map(rs.getString("result")),
        map(rs.getString("sync_state")),
        list(rs.getString("errors")),
        lastError,
        Handle.instant(rs, "created_at"),
        Handle.instant(rs, "started_at"),
        Handle.instant(rs, "completed_at"),
        Handle.instant(rs, "webhook_sent_at"));
  }

  private static Map<String, Object> map(String json) {
    try {
      return json == null
          ? Map.of()
          : JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Map.of();
    }
  }

  private static List<Object> list(String json) {
    try {
      return json == null ? List.of() : JSON.readValue(json, new TypeReference<List<Object>>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return List.of();
    }
  }
}
