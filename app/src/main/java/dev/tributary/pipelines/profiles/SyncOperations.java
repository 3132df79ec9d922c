package dev.tributary.pipelines.profiles;

import dev.tributary.pipelines.enrichment.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
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
  private final DataSource dataSource;

  public SyncOperations(DataSource dataSource) {
    this.dataSource = dataSource;
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
    return Jdbc.inTransaction(
        dataSource,
        "reading sync stats",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      """
          SELECT (SELECT count(*) FROM profiles),
                 (SELECT count(*) FROM get_profiles_to_sync(2147483647)),
                 (SELECT count(*) FROM viral_posts_bank WHERE needs_embedding),
                 (SELECT max(completed_at) FROM sync_jobs WHERE status IN ('completed', 'partial')),
                 EXISTS (SELECT 1 FROM sync_jobs WHERE status = 'running')
          """);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Stats(
                rs.getLong(1),
                rs.getLong(2),
                rs.getLong(3),
                instant(rs.getTimestamp(4)),
                rs.getBoolean(5));
          }
        });
  }

  /** The troubleshooting query of seed 000: profiles with failures, worst first. */
  public List<FailingProfile> failingProfiles() {
    return Jdbc.inTransaction(
        dataSource,
        "listing failing profiles",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      """
          SELECT p.id, p.full_name, p.linkedin_id, s.consecutive_failures, s.last_error, s.last_attempt_at
            FROM profile_sync_status s JOIN profiles p ON p.id = s.profile_id
           WHERE s.consecutive_failures > 0
           ORDER BY s.consecutive_failures DESC, s.last_attempt_at DESC NULLS LAST
          """);
              ResultSet rs = ps.executeQuery()) {
            List<FailingProfile> out = new ArrayList<>();
            while (rs.next()) {
              int failures = rs.getInt(4);
              out.add(
                  new FailingProfile(
                      (UUID) rs.getObject(1),
                      rs.getString(2),
                      rs.getString(3),
                      failures,
                      rs.getString(5),
                      instant(rs.getTimestamp(6)),
                      failures >= 5));
            }
            return out;
          }
        });
  }

  /**
   * Seed 000 "réinitialiser un profil": failures back to 0, error cleared. False when the profile
   * is unknown.
   */
  public boolean resetProfile(UUID profileId) {
    return update(
        "UPDATE profile_sync_status SET consecutive_failures = 0, last_error = NULL WHERE profile_id = ?",
        profileId);
  }

  /**
   * Seed 000 "forcer un re-sync": the profile is due at the next run. False when the profile is
   * unknown.
   */
  public boolean forceResync(UUID profileId) {
    return update(
        "UPDATE profile_sync_status SET last_scraped_at = NULL WHERE profile_id = ?", profileId);
  }

  /** Rows still flagged per queue, plus profiles waiting for a style. */
  public Map<String, Long> pendingCounts() {
    return Jdbc.inTransaction(
        dataSource,
        "counting pending work",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      """
          SELECT count(*) FILTER (WHERE needs_hook_extraction),
                 count(*) FILTER (WHERE needs_embedding),
                 count(*) FILTER (WHERE needs_hook_classification),
                 count(*) FILTER (WHERE needs_topic_classification),
                 count(*) FILTER (WHERE needs_audience_classification),
                 (SELECT count(*) FROM profiles WHERE needs_style_analysis OR writing_style_prompt IS NULL)
            FROM viral_posts_bank
          """);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            Map<String, Long> out = new LinkedHashMap<>();
            out.put("pending_hook_extraction", rs.getLong(1));
            out.put("pending_embeddings", rs.getLong(2));
            out.put("pending_classification", rs.getLong(3));
            out.put("pending_topic_classification", rs.getLong(4));
            out.put("pending_audience_classification", rs.getLong(5));
            out.put("profiles_without_style", rs.getLong(6));
            return out;
          }
        });
  }

  public List<SyncJob> recentJobs(int limit) {
    return Jdbc.inTransaction(
        dataSource,
        "listing sync jobs",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          SELECT id, job_type, status, profiles_processed, posts_scraped, posts_new, embeddings_updated,
                 hooks_classified, started_at, completed_at, duration_seconds, error_message
            FROM sync_jobs ORDER BY created_at DESC LIMIT ?
          """)) {
            ps.setInt(1, Math.max(0, limit));
            List<SyncJob> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Number d = (Number) rs.getObject(11);
                out.add(
                    new SyncJob(
                        (UUID) rs.getObject(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getInt(4),
                        rs.getInt(5),
                        rs.getInt(6),
                        rs.getInt(7),
                        rs.getInt(8),
                        instant(rs.getTimestamp(9)),
                        instant(rs.getTimestamp(10)),
                        d == null ? null : d.doubleValue(),
                        rs.getString(12)));
              }
            }
            return out;
          }
        });
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
    return Jdbc.inTransaction(
        dataSource,
        "updating a profile's sync status",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
          }
        });
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
