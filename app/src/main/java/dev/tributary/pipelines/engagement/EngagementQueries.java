package dev.tributary.pipelines.engagement;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import dev.tributary.pipelines.engagement.Results.DueSummary;
import dev.tributary.pipelines.engagement.Results.HistoryPoint;
import dev.tributary.pipelines.engagement.Results.Stats;
import dev.tributary.pipelines.engagement.Results.TweetEngagement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads of engagement data: one tweet's view, its history, the due summary, the stats, access. */
final class EngagementQueries {
  private static final String VIEW =
      """
      SELECT w.id, w.tweet_id, w.retweet_count, w.reply_count, w.like_count, w.quote_count,
             w.view_count, w.bookmark_count, w.is_unavailable, t.tier, t.tracking_enabled,
             t.last_velocity, t.last_updated_at, t.next_update_at,
             h.delta_retweets, h.delta_replies, h.delta_likes, h.delta_quotes, h.delta_views,
             h.delta_bookmarks
        FROM twitter_tweets w
        JOIN twitter_engagement_tracking t ON t.tweet_db_id = w.id
        LEFT JOIN LATERAL (SELECT * FROM twitter_engagement_history h
                            WHERE h.tweet_id = w.id ORDER BY snapshot_at DESC LIMIT 1) h ON true
       WHERE w.id = :id
      """;

  private static final String ACCESS =
      """
      SELECT EXISTS (
        SELECT 1 FROM twitter_tweets w JOIN twitter_zones z ON z.id = w.zone_id
         WHERE w.id = :id
           AND (z.user_id = :user
                OR EXISTS (SELECT 1 FROM twitter_zone_members m
                            WHERE m.zone_id = z.id AND m.user_id = :user)))
      """;

  private static final String ZONE_ACCESS =
      """
      SELECT EXISTS (
        SELECT 1 FROM twitter_zones z
         WHERE z.id = :zone
           AND (z.user_id = :user
                OR EXISTS (SELECT 1 FROM twitter_zone_members m
                            WHERE m.zone_id = z.id AND m.user_id = :user)))
      """;

  private final Jdbc jdbc;

  EngagementQueries(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  Optional<TweetEngagement> view(UUID id) {
    return jdbc.queryOne(VIEW, Params.of("id", id), EngagementQueries::engagement);
  }

  private static TweetEngagement engagement(ResultSet rs) throws SQLException {
    return new TweetEngagement(
        rs.getObject("id", UUID.class),
        rs.getString("tweet_id"),
        new Counts(
            rs.getInt("retweet_count"),
            rs.getInt("reply_count"),
            rs.getInt("like_count"),
            rs.getInt("quote_count"),
            rs.getLong("view_count"),
            rs.getInt("bookmark_count")),
        new Counts(
            rs.getInt("delta_retweets"),
            rs.getInt("delta_replies"),
            rs.getInt("delta_likes"),
            rs.getInt("delta_quotes"),
            rs.getLong("delta_views"),
            rs.getInt("delta_bookmarks")),
        rs.getDouble("last_velocity"),
        rs.getString("tier"),
        rs.getBoolean("tracking_enabled"),
        rs.getBoolean("is_unavailable"),
        Handle.instant(rs, "last_updated_at"),
        Handle.instant(rs, "next_update_at"),
        true);
  }

  /** Whether the user owns or belongs to the tweet's zone; a user id that is no UUID has none. */
  boolean userMaySee(UUID tweetDbId, String userId) {
    Optional<UUID> user = uuid(userId);
    return user.isPresent()
        && jdbc.queryOne(
                ACCESS, Params.of("id", tweetDbId, "user", user.get()), rs -> rs.getBoolean(1))
            .orElse(false);
  }

  boolean userMayUseZone(UUID zoneId, String userId) {
    Optional<UUID> user = uuid(userId);
    return user.isPresent()
        && jdbc.queryOne(
                ZONE_ACCESS, Params.of("zone", zoneId, "user", user.get()), rs -> rs.getBoolean(1))
            .orElse(false);
  }

  boolean zoneExists(UUID zoneId) {
    return jdbc.queryOne(
            "SELECT EXISTS (SELECT 1 FROM twitter_zones WHERE id = :zone)",
            Params.of("zone", zoneId),
            rs -> rs.getBoolean(1))
        .orElse(false);
  }

  static Optional<UUID> uuid(String s) {
    try {
      return s == null ? Optional.empty() : Optional.of(UUID.fromString(s));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  List<HistoryPoint> history(UUID id, int limit) {
    return jdbc.query(
        """
        SELECT * FROM (
          SELECT snapshot_at, retweet_count, reply_count, like_count, quote_count, view_count,
                 bookmark_count, total_engagement, delta_retweets, delta_replies, delta_likes,
                 delta_quotes, delta_views, delta_bookmarks, engagement_velocity, tier
            FROM twitter_engagement_history WHERE tweet_id = :id
           ORDER BY snapshot_at DESC LIMIT :limit) s
         ORDER BY snapshot_at
        """,
        Params.of("id", id, "limit", limit),
        rs ->
            new HistoryPoint(
                Handle.instant(rs, "snapshot_at"),
                new Counts(
                    rs.getInt("retweet_count"),
                    rs.getInt("reply_count"),
                    rs.getInt("like_count"),
                    rs.getInt("quote_count"),
                    rs.getLong("view_count"),
                    rs.getInt("bookmark_count")),
                rs.getInt("total_engagement"),
                new Counts(
                    rs.getInt("delta_retweets"),
                    rs.getInt("delta_replies"),
                    rs.getInt("delta_likes"),
                    rs.getInt("delta_quotes"),
                    rs.getLong("delta_views"),
                    rs.getInt("delta_bookmarks")),
                rs.getDouble("engagement_velocity"),
                rs.getString("tier")));
  }

  DueSummary due(Instant now) {
    Map<String, Long> tiers = trackedPerTier();
    long due =
        jdbc.queryOne(
                "SELECT count(*) FROM twitter_engagement_tracking"
                    + " WHERE tracking_enabled AND next_update_at <= :now",
                Params.of("now", now),
                rs -> rs.getLong(1))
            .orElse(0L);
    return new DueSummary(due, tiers.values().stream().mapToLong(Long::longValue).sum(), tiers);
  }

  private Map<String, Long> trackedPerTier() {
    Map<String, Long> tiers = new LinkedHashMap<>();
    for (Tier t : Tier.values()) {
      tiers.put(t.sqlName(), 0L);
    }
    jdbc.query(
            "SELECT tier, count(*) FROM twitter_engagement_tracking WHERE tracking_enabled"
                + " GROUP BY tier",
            Params.NONE,
            rs -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(e -> tiers.put(e.getKey(), e.getValue()));
    return tiers;
  }

  Stats stats(Instant now, EngagementPolicy policy, int batchSize) {
    Map<String, Long> tiers = trackedPerTier();
    Map<LocalDate, Long> perDay = new LinkedHashMap<>();
    jdbc.query(
            """
            SELECT (snapshot_at AT TIME ZONE 'UTC')::date AS day, count(*)
              FROM twitter_engagement_history WHERE snapshot_at > :since
             GROUP BY 1 ORDER BY 1
            """,
            Params.of("since", now.minus(Duration.ofDays(7))),
            rs -> Map.entry(rs.getObject(1, LocalDate.class), rs.getLong(2)))
        .forEach(e -> perDay.put(e.getKey(), e.getValue()));
    long[] counts =
        jdbc.queryOne(
                """
                SELECT (SELECT count(*) FROM twitter_engagement_tracking WHERE NOT tracking_enabled),
                       (SELECT count(*) FROM twitter_tweets WHERE is_unavailable),
                       (SELECT count(*) FROM twitter_engagement_tracking
                         WHERE tracking_enabled AND next_update_at <= :now),
                       (SELECT coalesce(sum(calls), 0) FROM twitter_provider_calls
                         WHERE day = (:now::timestamptz AT TIME ZONE 'UTC')::date),
                       (SELECT coalesce(sum(tweets), 0) FROM twitter_provider_calls
                         WHERE day = (:now::timestamptz AT TIME ZONE 'UTC')::date),
                       (SELECT count(*) FROM twitter_viral_alerts WHERE acknowledged_at IS NULL)
                """,
                Params.of("now", now),
                rs ->
                    new long[] {
                      rs.getLong(1),
                      rs.getLong(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getLong(5),
                      rs.getLong(6)
                    })
            .orElseThrow();
    long refreshes = 0;
    for (Tier t : Tier.values()) {
      Duration interval = t.interval(policy.coldInterval());
      if (!interval.isZero()) {
        refreshes +=
            tiers.getOrDefault(t.sqlName(), 0L)
                * Duration.ofDays(1).toSeconds()
                / interval.toSeconds();
      }
    }
    long calls = (refreshes + batchSize - 1) / batchSize;
    return new Stats(
        tiers, counts[0], counts[1], counts[2], perDay, counts[3], counts[4], refreshes, calls,
        counts[5]);
  }
}
