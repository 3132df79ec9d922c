package dev.tributary.pipelines.monitoring;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Read-only numbers for the operator console about the pipelines that keep their state in seed
 * tables: engagement tracking (S4: {@code twitter_tweets}, {@code twitter_engagement_tracking},
 * {@code twitter_engagement_history}), supplier imports (S2: {@code import_jobs}) and publishing
 * (S1.7: {@code scheduled_posts}, {@code production_posts}). They read the tables only, so they
 * answer (with zeros) before those pipelines run and keep answering once they do.
 *
 * <p>A viewer is limited to the zones they are a member of ({@code twitter_zone_members}); a null
 * viewer is an operator and sees every zone.
 */
public final class PipelineBoards {
  public static final int MAX_PAGE = 200;

  private static final String VISIBLE =
      """
      (CAST(:viewer AS uuid) IS NULL
       OR tw.zone_id IN (SELECT m.zone_id FROM twitter_zone_members m WHERE m.user_id = CAST(:viewer AS uuid)))""";

  private final Jdbc jdbc;
  private final Clock clock;

  public PipelineBoards(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(dataSource);
    this.clock = clock;
  }

  /** Tier distribution with due tweets per tier, snapshots per day (14 days) and viral alerts. */
  public Map<String, Object> engagement(Optional<String> viewer) {
    Params p = viewer(viewer).and("now", clock.instant());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "tiers",
        rows(
            """
            SELECT t.tier, count(*) AS tracked,
                   count(*) FILTER (WHERE t.tracking_enabled AND t.next_update_at <= :now) AS due,
                   count(*) FILTER (WHERE t.consecutive_errors > 0) AS failing
              FROM twitter_engagement_tracking t JOIN twitter_tweets tw ON tw.id = t.tweet_db_id
             WHERE """
                + VISIBLE
                + " GROUP BY t.tier ORDER BY array_position(ARRAY['ultra_hot','hot','warm','cold'], t.tier)",
            p));
    out.put(
        "snapshots_per_day",
        rows(
            """
            SELECT date_trunc('day', h.snapshot_at) AS day, count(*) AS snapshots
              FROM twitter_engagement_history h JOIN twitter_tweets tw ON tw.id = h.tweet_id
             WHERE h.snapshot_at >= CAST(:now AS timestamptz) - interval '14 days' AND """
                + VISIBLE
                + " GROUP BY 1 ORDER BY 1",
            p));
    out.put(
        "viral_alerts",
        rows(
            """
            SELECT tw.id, tw.tweet_id, tw.author_username, left(tw.text, 140) AS text,
                   t.viral_alerted_at, t.peak_velocity
              FROM twitter_engagement_tracking t JOIN twitter_tweets tw ON tw.id = t.tweet_db_id
             WHERE t.viral_alerted_at IS NOT NULL AND """
                + VISIBLE
                + " ORDER BY t.viral_alerted_at DESC LIMIT 20",
            p));
    return out;
  }

  /** The newest tweets (optionally of one tier), a page at a time before {@code beforeCreated}. */
  public List<Map<String, Object>> tweets(
      Optional<String> viewer, String tier, java.time.Instant beforeCreated, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE);
    }
    return rows(
        """
        SELECT tw.id, tw.tweet_id, tw.author_username, left(tw.text, 200) AS text, tw.like_count,
               tw.retweet_count, tw.reply_count, tw.view_count, tw.created_at, t.tier,
               t.next_update_at, t.last_updated_at, t.update_count, t.last_error
          FROM twitter_tweets tw LEFT JOIN twitter_engagement_tracking t ON t.tweet_db_id = tw.id
         WHERE (CAST(:tier AS text) IS NULL OR t.tier = :tier)
           AND (CAST(:before AS timestamptz) IS NULL OR tw.created_at < :before) AND """
            + VISIBLE
            + " ORDER BY tw.created_at DESC LIMIT :limit",
        viewer(viewer).and("tier", tier).and("before", beforeCreated).and("limit", limit));
  }

  /** One tweet's engagement snapshots over time, oldest first (empty when not visible). */
  public List<Map<String, Object>> curve(Optional<String> viewer, UUID tweet) {
    return rows(
        """
        SELECT h.snapshot_at, h.like_count, h.retweet_count, h.reply_count, h.quote_count
          FROM twitter_engagement_history h JOIN twitter_tweets tw ON tw.id = h.tweet_id
         WHERE h.tweet_id = :tweet AND """
            + VISIBLE
            + " ORDER BY h.snapshot_at LIMIT 2000",
        viewer(viewer).and("tweet", tweet));
  }

  /** Import jobs by status, the running ones with their progress, and the latest ones. */
  public Map<String, Object> imports() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "by_status",
        rows(
            "SELECT status, count(*) AS jobs FROM import_jobs GROUP BY status ORDER BY status",
            Params.NONE));
    out.put(
        "latest",
        rows(
            """
            SELECT j.id, s.name AS supplier, j.job_type, j.status, j.attempts, j.total_items,
                   j.processed_items, j.success_items, j.failed_items, j.started_at, j.completed_at,
                   j.created_at
              FROM import_jobs j LEFT JOIN suppliers s ON s.id = j.supplier_id
             ORDER BY (j.status = 'running') DESC, j.created_at DESC LIMIT 50""",
            Params.NONE));
    return out;
  }

  /** Scheduled and production posts: counts by status, the ones due now and the failed ones. */
  public Map<String, Object> publishing() {
    Params now = Params.of("now", clock.instant());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "scheduled_by_status",
        rows(
            "SELECT status, count(*) AS posts FROM scheduled_posts GROUP BY status ORDER BY status",
            Params.NONE));
    out.put(
        "production_by_status",
        rows(
            "SELECT status, count(*) AS posts FROM production_posts GROUP BY status ORDER BY status",
            Params.NONE));
    out.put(
        "due",
        rows(
            """
            SELECT 'scheduled_post' AS source, id, left(content, 120) AS content, scheduled_at AS due_at, attempts
              FROM scheduled_posts WHERE status = 'pending' AND scheduled_at <= :now
            UNION ALL
            SELECT 'production_post', id, left(coalesce(title, content), 120), publication_date, publish_attempts
              FROM production_posts WHERE status = 'scheduled' AND publication_date <= :now
            ORDER BY due_at LIMIT 100""",
            now));
    out.put(
        "failed",
        rows(
            """
            SELECT 'scheduled_post' AS source, id, left(content, 120) AS content, attempts, error_message, updated_at
              FROM scheduled_posts WHERE status = 'failed'
            UNION ALL
            SELECT 'production_post', id, left(coalesce(title, content), 120), publish_attempts, error_message, updated_at
              FROM production_posts WHERE status = 'failed'
            ORDER BY updated_at DESC LIMIT 100""",
            Params.NONE));
    return out;
  }

  private static Params viewer(Optional<String> viewer) {
    if (viewer.isEmpty()) {
      return Params.with("viewer", null);
    }
    try {
      return Params.with("viewer", UUID.fromString(viewer.get()).toString());
    } catch (IllegalArgumentException e) {
      // a user id that is no uuid is a member of no zone: a random id matches nothing
      return Params.with("viewer", new UUID(0, 0).toString());
    }
  }

  private List<Map<String, Object>> rows(String sql, Params params) {
    return jdbc.query(sql, params, PipelineBoards::row);
  }

  private static Map<String, Object> row(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      Object v = rs.getObject(i);
      if (v instanceof Timestamp t) {
        v = t.toInstant();
      } else if (v instanceof UUID u) {
        v = u.toString();
      } else if (v instanceof java.math.BigDecimal d) {
        v = d.doubleValue();
      }
      m.put(md.getColumnLabel(i), v);
    }
    return m;
  }
}
