package dev.tributary.pipelines.suppliers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.suppliers.SupplierRef;
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

/**
 * The state changes of {@code import_jobs}, each one guarded so that only the engine job holding a
 * row ({@code engine_job_id}) can move it: pending → running → completed | failed, or back to
 * pending with a later {@code run_after} (a retry with backoff, or a rate-limit pause), which the
 * V080 trigger turns into the next engine job.
 */
final class ImportJobStore {
  static final int MAX_ERRORS = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbc jdbc;

  ImportJobStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  Jdbc jdbc() {
    return jdbc;
  }

  /**
   * Takes a due pending job (one more attempt), or takes back the job this same engine job held
   * when its node died. Empty when another run holds it, it finished, or it is not due yet.
   */
  Optional<ClaimedImport> claim(UUID id, long engineJobId, Instant now) {
    return jdbc.inTransaction(
        "claim import job " + id,
        h -> {
          Optional<UUID> taken =
              h.queryOne(
                  """
              UPDATE import_jobs
                 SET status = 'running',
                     attempts = attempts + CASE WHEN status = 'pending' THEN 1 ELSE 0 END,
                     started_at = coalesce(started_at, :now), engine_job_id = :engine_job
               WHERE id = :id
                 AND ((status = 'pending' AND run_after <= :now)
                      OR (status = 'running' AND engine_job_id = :engine_job))
              RETURNING id""",
                  Params.of("id", id, "engine_job", engineJobId, "now", now),
                  rs -> rs.getObject(1, UUID.class));
          if (taken.isEmpty()) {
            return Optional.empty();
          }
          return h.queryOne(
              """
              SELECT j.id, j.user_id, j.job_type, j.attempts, j.max_attempts, j.started_at,
                     j.sync_state::text AS sync_state, s.id AS supplier_id, s.provider, s.is_active,
                     s.settings::text AS settings, s.search_keywords
                FROM import_jobs j LEFT JOIN suppliers s ON s.id = j.supplier_id
               WHERE j.id = :id""",
              Params.of("id", id),
              ImportJobStore::readClaim);
        });
  }

  /** Whether a pending job is waiting for a later time (so this engine job came too early). */
  Optional<Instant> pendingUntil(UUID id) {
    return jdbc.queryOne(
        "SELECT run_after FROM import_jobs WHERE id = :id AND status = 'pending'",
        Params.of("id", id),
        rs -> Handle.instant(rs, 1));
  }

  private static ClaimedImport readClaim(ResultSet rs) throws SQLException {
    UUID supplierId = rs.getObject("supplier_id", UUID.class);
    SupplierRef ref = null;
    if (supplierId != null) {
      java.sql.Array kw = rs.getArray("search_keywords");
      List<String> keywords = kw == null ? List.of() : List.of((String[]) kw.getArray());
      ref = new SupplierRef(supplierId.toString(), settings(rs.getString("settings")), keywords);
    }
    return new ClaimedImport(
        rs.getObject("id", UUID.class),
        rs.getObject("user_id", UUID.class),
        rs.getString("job_type"),
        rs.getInt("attempts"),
        rs.getInt("max_attempts"),
        Handle.instant(rs, "started_at"),
        SyncState.parse(rs.getString("sync_state")),
        rs.getString("provider"),
        rs.getBoolean("is_active"),
        ref);
  }

  /** Supplier settings as text values (nested values keep their JSON text). */
  static Map<String, String> settings(String json) {
    Map<String, String> out = new LinkedHashMap<>();
    if (json == null) {
      return out;
    }
    try {
      JsonNode root = JSON.readTree(json);
      root.properties()
          .forEach(
              e ->
                  out.put(
                      e.getKey(),
                      e.getValue().isValueNode()
                          ? e.getValue().asText()
                          : e.getValue().toString()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // unreadable settings are no settings
    }
    return out;
  }

  /**
   * Saves a page's cursor with its counts and item errors, on the caller's transaction (the one
   * that staged the page). False when this run no longer holds the job.
   */
  static boolean savePage(
      Handle h,
      UUID id,
      long engineJobId,
      SyncState state,
      int processed,
      int failed,
      List<Map<String, Object>> errors)
      throws SQLException {
    return h.update(
            """
        UPDATE import_jobs
           SET sync_state = :state::jsonb,
               processed_items = processed_items + :processed,
               success_items = success_items + :processed - :failed,
               failed_items = failed_items + :failed,
               errors = (SELECT coalesce(jsonb_agg(e), '[]'::jsonb)
                           FROM (SELECT e FROM jsonb_array_elements(errors || :errors::jsonb) e
                                  LIMIT %d) x)
         WHERE id = :id AND status = 'running' AND engine_job_id = :engine_job"""
                .formatted(MAX_ERRORS),
            Params.with("state", state.toJson())
                .and("processed", processed)
                .and("failed", failed)
                .and("errors", CatalogStaging.json(errors))
                .and("id", id)
                .and("engine_job", engineJobId))
        == 1;
  }

  void saveState(UUID id, long engineJobId, SyncState state, List<Map<String, Object>> errors) {
    jdbc.inTransaction(
        "save import job state " + id, h -> savePage(h, id, engineJobId, state, 0, 0, errors));
  }

  /**
   * Back to pending, due at {@code runAfter}. {@code countsAsAttempt} false for a rate-limit pause:
   * waiting for a vendor's reset is not a failed attempt.
   */
  boolean reschedule(
      UUID id, long engineJobId, Instant runAfter, String error, boolean countsAsAttempt) {
    return jdbc.update(
            """
        UPDATE import_jobs
           SET status = 'pending', run_after = :run_after, last_error = :error, engine_job_id = NULL,
               attempts = attempts - CASE WHEN :counts THEN 0 ELSE 1 END
         WHERE id = :id AND status = 'running' AND engine_job_id = :engine_job""",
            Params.with("run_after", runAfter)
                .and("error", error)
                .and("counts", countsAsAttempt)
                .and("id", id)
                .and("engine_job", engineJobId))
        == 1;
  }

  /**
   * Ends the job and, when it has somewhere to go, enqueues its end-of-sync webhook in the same
   * transaction (unique per job: sent once).
   */
  static boolean finish(
      Handle h,
      UUID id,
      long engineJobId,
      String status,
      Map<String, Object> result,
      String lastError,
      Instant now)
      throws SQLException {
    Optional<String> webhook =
        h.queryOne(
            """
        UPDATE import_jobs j
           SET status = :status, result = :result::jsonb, completed_at = :now, last_error = :error,
               total_items = greatest(total_items, processed_items)
          FROM (SELECT id, coalesce(webhook_url, (SELECT s.settings->>'webhook_url' FROM suppliers s
                                                   WHERE s.id = supplier_id)) AS url
                  FROM import_jobs WHERE id = :id) w
         WHERE j.id = w.id AND j.status = 'running' AND j.engine_job_id = :engine_job
        RETURNING coalesce(w.url, '')""",
            Params.with("status", status)
                .and("result", CatalogStaging.json(result))
                .and("now", now)
                .and("error", lastError)
                .and("id", id)
                .and("engine_job", engineJobId),
            rs -> rs.getString(1));
    if (webhook.isEmpty()) {
      return false;
    }
    if (!webhook.get().isBlank()) {
      h.execute(
          """
          SELECT * FROM tributary.enqueue_job('supplier.webhook', jsonb_build_object('import_job_id', :id::text),
                                              'supplier-ops', 0, :now::timestamptz, :attempts,
                                              'supplier_webhook:' || :id::text)""",
          Params.of("id", id.toString(), "now", now, "attempts", WebhookDelivery.MAX_ATTEMPTS));
    }
    return true;
  }

  /** Saves the merge's counts and ends the job (sets the supplier's last sync when it merged). */
  static boolean endJob(
      Handle h,
      ClaimedImport job,
      long engineJobId,
      String status,
      SyncState state,
      MergeCounts c,
      String error,
      Instant now,
      boolean merged)
      throws SQLException {
    SyncState finalState = state.withMerge(c);
    ImportJobStore.savePage(h, job.id(), engineJobId, finalState, 0, 0, List.of());
    if (job.supplier() != null && merged) {
      h.update(
          "UPDATE suppliers SET last_sync_at = :now WHERE id = :id",
          Params.of("now", now, "id", job.supplierId()));
    }
    return ImportJobStore.finish(
        h, job.id(), engineJobId, status, result(c, finalState), error, now);
  }

  static Map<String, Object> result(MergeCounts c, SyncState state) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("inserted", c.inserted());
    r.put("updated", c.updated());
    r.put("unchanged", c.unchanged());
    r.put("discontinued", c.discontinued());
    int failed = 0;
    Map<String, Object> streams = new LinkedHashMap<>();
    for (Map.Entry<String, StreamState> e : state.streams().entrySet()) {
      StreamState s = e.getValue();
      failed += s.failed();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", s.status());
      m.put("pages", s.page());
      m.put("items", s.items());
      m.put("failed", s.failed());
      if (s.error() != null) {
        m.put("error", s.error());
      }
      streams.put(e.getKey(), m);
    }
    r.put("failed", failed);
    r.put("streams", streams);
    return r;
  }
}
