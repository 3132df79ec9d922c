package dev.tributary.pipelines.profiles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code sync_jobs} history (S0.6): a row opens as {@code running} and closes as {@code
 * completed}, {@code partial} or {@code failed} with its counters, per-profile results, errors and
 * timings (durations measured by the database clock, like the timestamps).
 */
final class SyncJobs {
  private final Jdbc jdbc;

  SyncJobs(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  UUID start(String jobType, ObjectNode parameters, String triggeredBy) {
    return jdbc.inTransaction(
        "open a sync_jobs row",
        h ->
            h.queryOne(
                    """
                    INSERT INTO sync_jobs (job_type, status, parameters, triggered_by, started_at)
                    VALUES (:job_type, 'running', :parameters::jsonb, :triggered_by, now())
                    RETURNING id
                    """,
                    Params.of(
                        "job_type",
                        jobType,
                        "parameters",
                        parameters.toString(),
                        "triggered_by",
                        triggeredBy),
                    rs -> (UUID) rs.getObject(1))
                .orElseThrow());
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
    return jdbc.inTransaction(
        "close a sync_jobs row",
        h ->
            h.queryOne(
                    """
                    UPDATE sync_jobs
                       SET status = :status, profiles_processed = :profiles_processed,
                           successful_profiles = :successful_profiles, posts_scraped = :posts_scraped,
                           posts_new = :posts_new, embeddings_updated = :embeddings_updated,
                           hooks_classified = :hooks_classified, results = :results::jsonb,
                           errors = :errors::jsonb, error_message = :error_message,
                           completed_at = clock_timestamp(),
                           duration_seconds = round(extract(epoch FROM clock_timestamp() - started_at)::numeric, 2),
                           updated_at = now()
                     WHERE id = :id
                    RETURNING duration_seconds
                    """,
                    Params.with("status", status)
                        .and("profiles_processed", t.profilesProcessed())
                        .and("successful_profiles", t.successfulProfiles())
                        .and("posts_scraped", t.postsScraped())
                        .and("posts_new", t.postsNew())
                        .and("embeddings_updated", t.embeddingsUpdated())
                        .and("hooks_classified", t.hooksClassified())
                        .and("results", results.toString())
                        .and("errors", errors.toString())
                        .and("error_message", errorMessage)
                        .and("id", id),
                    rs -> rs.getDouble(1))
                .orElse(0.0));
  }
}
