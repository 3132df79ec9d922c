package dev.tributary.pipelines.profiles;

import static dev.tributary.jdbc.Handle.instant;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The seed's monitoring numbers (S0.10) and troubleshooting recipes (S0.11) as calls, for the CLI
 * and the JSON API: stats, recent runs, failing profiles with their last error, reset a profile,
 * force a re-sync, pending counts per queue.
 */
public final class SyncOperations {
  private final Jdbc jdbc;

  public SyncOperations(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /**
   * S0.10: totalProfiles, profilesNeedingSync, postsWithoutEmbedding, lastSyncDate, and whether a
   * run is on.
   */
  public record Stats(
      long totalProfiles,
      long profilesNeedingSync,
      long postsWithoutEmbedding,
      Instant lastSyncDate,
      boolean syncRunning) {}

  public record FailingProfile(
      UUID profileId,
      String fullName,
      String linkedinId,
      int consecutiveFailures,
      String lastError,
      Instant lastAttemptAt,
      boolean disabled) {}

  public record SyncJob(
      UUID id,
      String jobType,
      String status,
      int profilesProcessed,
      int postsScraped,
      int postsNew,
      int embeddingsUpdated,
      int hooksClassified,
      Instant startedAt,
      Instant completedAt,
      Double durationSeconds,
      String errorMessage) {}

  public Stats stats() {
    return jdbc.inTransaction(
        "read sync stats",
        h ->
            h.queryOne(
                    """
                    SELECT (SELECT count(*) FROM profiles),
                           (SELECT count(*) FROM get_profiles_to_sync(2147483647)),
                           (SELECT count(*) FROM viral_posts_bank WHERE needs_embedding),
                           (SELECT max(completed_at) FROM sync_jobs WHERE status IN ('completed', 'partial')),
                           EXISTS (SELECT 1 FROM sync_jobs WHERE status = 'running')
                    """,
                    Params.NONE,
                    rs ->
                        new Stats(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            instant(rs, 4),
                            rs.getBoolean(5)))
                .orElseThrow());
  }

  /** The troubleshooting query of seed 000: profiles with failures, worst first. */
  public List<FailingProfile> failingProfiles() {
    return jdbc.inTransaction(
        "list failing profiles",
        h ->
            h.query(
                """
                SELECT p.id, p.full_name, p.linkedin_id, s.consecutive_failures, s.last_error, s.last_attempt_at
                  FROM profile_sync_status s JOIN profiles p ON p.id = s.profile_id
                 WHERE s.consecutive_failures > 0
                 ORDER BY s.consecutive_failures DESC, s.last_attempt_at DESC NULLS LAST
                """,
                Params.NONE,
                rs ->
                    new FailingProfile(
                        (UUID) rs.getObject(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getInt(4),
                        rs.getString(5),
                        instant(rs, 6),
                        rs.getInt(4) >= 5)));
  }

  /**
   * Seed 000 "réinitialiser un profil": failures back to 0, error cleared. False when the profile
   * is unknown.
   */
  public boolean resetProfile(UUID profileId) {
    return update(
        "UPDATE profile_sync_status SET consecutive_failures = 0, last_error = NULL WHERE profile_id = :id",
        profileId);
  }

  /**
   * Seed 000 "forcer un re-sync": the profile is due at the next run. False when the profile is
   * unknown.
   */
  public boolean forceResync(UUID profileId) {
    return update(
        "UPDATE profile_sync_status SET last_scraped_at = NULL WHERE profile_id = :id", profileId);
  }

  /** Rows still flagged per queue, plus profiles waiting for a style. */
  public Map<String, Long> pendingCounts() {
    return jdbc.inTransaction(
        "count pending work",
        h ->
            h.queryOne(
                    """
                    SELECT count(*) FILTER (WHERE needs_hook_extraction),
                           count(*) FILTER (WHERE needs_embedding),
                           count(*) FILTER (WHERE needs_hook_classification),
                           count(*) FILTER (WHERE needs_topic_classification),
                           count(*) FILTER (WHERE needs_audience_classification),
                           (SELECT count(*) FROM profiles WHERE needs_style_analysis OR writing_style_prompt IS NULL)
                      FROM viral_posts_bank
                    """,
                    Params.NONE,
                    rs -> {
                      Map<String, Long> out = new LinkedHashMap<>();
                      out.put("pending_hook_extraction", rs.getLong(1));
                      out.put("pending_embeddings", rs.getLong(2));
                      out.put("pending_classification", rs.getLong(3));
                      out.put("pending_topic_classification", rs.getLong(4));
                      out.put("pending_audience_classification", rs.getLong(5));
                      out.put("profiles_without_style", rs.getLong(6));
                      return out;
                    })
                .orElseThrow());
  }

  public List<SyncJob> recentJobs(int limit) {
    return jdbc.inTransaction(
        "list sync jobs",
        h ->
            h.query(
                """
                SELECT id, job_type, status, profiles_processed, posts_scraped, posts_new, embeddings_updated,
                       hooks_classified, started_at, completed_at, duration_seconds, error_message
                  FROM sync_jobs ORDER BY created_at DESC LIMIT :limit
                """,
                Params.of("limit", Math.max(0, limit)),
                rs -> {
                  Number d = (Number) rs.getObject(11);
                  return new SyncJob(
                      (UUID) rs.getObject(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getInt(4),
                      rs.getInt(5),
                      rs.getInt(6),
                      rs.getInt(7),
                      rs.getInt(8),
                      instant(rs, 9),
                      instant(rs, 10),
                      d == null ? null : d.doubleValue(),
                      rs.getString(12));
                }));
  }

  /**
   * A profile id as an operator types it; only the canonical UUID form is accepted ({@code
   * UUID.fromString} alone takes short forms like {@code 1-2-3-4-5}).
   *
   * @throws IllegalArgumentException with a message that shows the expected form
   */
  public static UUID profileId(String raw) {
    if (raw != null) {
      try {
        UUID id = UUID.fromString(raw.strip());
        if (id.toString().equalsIgnoreCase(raw.strip())) {
          return id;
        }
      } catch (IllegalArgumentException e) {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException(
        "profile id must be a UUID like 3f2b6c1e-8a4d-4c3b-9e0f-1a2b3c4d5e6f, got '" + raw + "'");
  }

  private boolean update(String sql, UUID id) {
    return jdbc.inTransaction(
        "update a profile's sync status", h -> h.update(sql, Params.of("id", id)) == 1);
  }
}
