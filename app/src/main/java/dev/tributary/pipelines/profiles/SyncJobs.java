package dev.tributary.pipelines.profiles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.pipelines.enrichment.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code sync_jobs} history (S0.6): a row opens as {@code running} and closes as {@code
 * completed}, {@code partial} or {@code failed} with its counters, per-profile results, errors and
 * timings (durations measured by the database clock, like the timestamps).
 */
final class SyncJobs {
  private final DataSource dataSource;

  SyncJobs(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  UUID start(String jobType, ObjectNode parameters, String triggeredBy) {
    return Jdbc.inTransaction(
        dataSource,
        "opening a sync_jobs row",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          INSERT INTO sync_jobs (job_type, status, parameters, triggered_by, started_at)
          VALUES (?, 'running', ?::jsonb, ?, now())
          RETURNING id
          """)) {
            ps.setString(1, jobType);
            ps.setString(2, parameters.toString());
            ps.setString(3, triggeredBy);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return (UUID) rs.getObject(1);
            }
          }
        });
  }

  record Totals(
      int profilesProcessed,
      int successfulProfiles,
      int postsScraped,
      int postsNew,
      int embeddingsUpdated,
      int hooksClassified) {}

  /** Closes the row; returns its duration in seconds (completed_at - started_at). */
  double finish(
      UUID id, String status, Totals t, ArrayNode results, ArrayNode errors, String errorMessage) {
    return Jdbc.inTransaction(
        dataSource,
        "closing a sync_jobs row",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          UPDATE sync_jobs
             SET status = ?, profiles_processed = ?, successful_profiles = ?, posts_scraped = ?, posts_new = ?,
                 embeddings_updated = ?, hooks_classified = ?, results = ?::jsonb, errors = ?::jsonb,
                 error_message = ?, completed_at = clock_timestamp(),
                 duration_seconds = round(extract(epoch FROM clock_timestamp() - started_at)::numeric, 2),
                 updated_at = now()
           WHERE id = ?
          RETURNING duration_seconds
          """)) {
            ps.setString(1, status);
            ps.setInt(2, t.profilesProcessed());
            ps.setInt(3, t.successfulProfiles());
            ps.setInt(4, t.postsScraped());
            ps.setInt(5, t.postsNew());
            ps.setInt(6, t.embeddingsUpdated());
            ps.setInt(7, t.hooksClassified());
            ps.setString(8, results.toString());
            ps.setString(9, errors.toString());
            ps.setString(10, errorMessage);
            ps.setObject(11, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getDouble(1) : 0.0;
            }
          }
        });
  }
}
