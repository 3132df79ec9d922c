package dev.tributary.pipelines.engagement;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import dev.tributary.jdbc.RowMapper;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The SQL of a refresh: claim due tracking rows, then write a batch's snapshots (tweets, history,
 * tracking, viral alerts) in one transaction, only where the claim is still the writer's own.
 */
final class TrackingStore {
  static final String WEBHOOK_KIND = "engagement_viral_webhook";

  private static final String RETURNING =
      """
      RETURNING t.tweet_db_id, w.tweet_id, coalesce(w.twitter_created_at, w.created_at) AS posted_at,
                w.metrics_updated_at, w.retweet_count, w.reply_count, w.like_count, w.quote_count,
                w.view_count, w.bookmark_count, t.consecutive_errors, t.tracking_enabled
      """;

  private static final String CLAIM_DUE =
      """
      UPDATE twitter_engagement_tracking t
         SET next_update_at = :until, claim_token = :token, claimed_until = :until
        FROM twitter_tweets w
       WHERE t.id IN (SELECT id FROM twitter_engagement_tracking
                       WHERE tracking_enabled AND next_update_at <= :now
                       ORDER BY next_update_at
                       LIMIT :limit
                       FOR UPDATE SKIP LOCKED)
         AND w.id = t.tweet_db_id
         AND (t.claimed_until IS NULL OR t.claimed_until < :now)
      """
          + RETURNING;

  private static final String CLAIM_ONE =
      """
      UPDATE twitter_engagement_tracking t
         SET next_update_at = greatest(t.next_update_at, :until), claim_token = :token,
             claimed_until = :until
        FROM twitter_tweets w
       WHERE t.tweet_db_id = :id AND w.id = t.tweet_db_id
         AND (t.claimed_until IS NULL OR t.claimed_until < :now)
      """
          + RETURNING;

  private static final String WRITE_TRACKING =
      """
      UPDATE twitter_engagement_tracking t
         SET tier = u.tier, next_update_at = u.next_at, tracking_enabled = u.enabled,
             last_updated_at = :now, update_count = t.update_count + 1,
             last_velocity = u.velocity, peak_velocity = greatest(t.peak_velocity, u.velocity),
             initial_engagement = CASE WHEN u.first THEN u.total ELSE t.initial_engagement END,
             consecutive_errors = 0, last_error = NULL, claim_token = NULL, claimed_until = NULL,
             updated_at = :now
        FROM unnest(:ids::uuid[], :tiers::text[], :next::timestamptz[], :enabled::boolean[],
                    :velocity::numeric[], :first::boolean[], :total::int[])
             AS u(id, tier, next_at, enabled, velocity, first, total)
       WHERE t.tweet_db_id = u.id AND t.claim_token = :token
      RETURNING t.tweet_db_id
      """;

  private static final String WRITE_TWEETS =
      """
      UPDATE twitter_tweets w
         SET retweet_count = u.rt, reply_count = u.rp, like_count = u.lk, quote_count = u.qt,
             view_count = u.vw, bookmark_count = u.bm, metrics_updated_at = :now,
             is_unavailable = false, updated_at = :now
        FROM unnest(:ids::uuid[], :rt::int[], :rp::int[], :lk::int[], :qt::int[], :vw::bigint[],
                    :bm::int[]) AS u(id, rt, rp, lk, qt, vw, bm)
       WHERE w.id = u.id
      """;

  private static final String WRITE_HISTORY =
      """
      INSERT INTO twitter_engagement_history
        (tweet_id, snapshot_at, retweet_count, reply_count, like_count, quote_count, view_count,
         bookmark_count, total_engagement, delta_retweets, delta_likes, delta_replies, delta_quotes,
         delta_views, delta_bookmarks, engagement_velocity, tier)
      SELECT u.id, :now, u.rt, u.rp, u.lk, u.qt, u.vw, u.bm, u.rt + u.rp + u.lk + u.qt,
             u.drt, u.dlk, u.drp, u.dqt, u.dvw, u.dbm, u.velocity, u.tier
        FROM unnest(:ids::uuid[], :rt::int[], :rp::int[], :lk::int[], :qt::int[], :vw::bigint[],
                    :bm::int[], :drt::int[], :dlk::int[], :drp::int[], :dqt::int[], :dvw::bigint[],
                    :dbm::int[], :velocity::numeric[], :tiers::text[])
             AS u(id, rt, rp, lk, qt, vw, bm, drt, dlk, drp, dqt, dvw, dbm, velocity, tier)
      """;

  private static final String WRITE_ALERTS =
      """
      WITH hot AS (SELECT * FROM unnest(:ids::uuid[], :velocity::numeric[], :tiers::text[])
                                 AS u(id, velocity, tier)),
           ins AS (INSERT INTO twitter_viral_alerts (tweet_db_id, velocity, threshold, tier)
                   SELECT id, velocity, :threshold::numeric, tier FROM hot
                   ON CONFLICT (tweet_db_id) DO NOTHING
                   RETURNING id, tweet_db_id),
           mark AS (UPDATE twitter_engagement_tracking t SET viral_alerted_at = :now
                      FROM ins WHERE t.tweet_db_id = ins.tweet_db_id)
      SELECT ins.id,
             CASE WHEN :webhook THEN
               (tributary.enqueue_job('engagement_viral_webhook',
                                      jsonb_build_object('alert_id', ins.id), 'default', 0, now(),
                                      10, 'viral-alert:' || ins.id)).job_id
             END AS job_id
        FROM ins
      """;

  private static final String WRITE_ERRORS =
      """
      UPDATE twitter_engagement_tracking t
         SET consecutive_errors = t.consecutive_errors + 1, last_error = u.err,
             next_update_at = u.next_at, claim_token = NULL, claimed_until = NULL, updated_at = :now
        FROM unnest(:ids::uuid[], :errs::text[], :next::timestamptz[]) AS u(id, err, next_at)
       WHERE t.tweet_db_id = u.id AND t.claim_token = :token
      """;

  private static final String WRITE_UNAVAILABLE =
      """
      WITH held AS (
        UPDATE twitter_engagement_tracking t
           SET tier = 'cold', tracking_enabled = false, last_updated_at = :now,
               last_error = 'no longer returned by the provider (deleted, or the account is private)',
               claim_token = NULL, claimed_until = NULL, updated_at = :now
         WHERE t.tweet_db_id = ANY(:ids) AND t.claim_token = :token
        RETURNING t.tweet_db_id)
      UPDATE twitter_tweets w SET is_unavailable = true, updated_at = :now
        FROM held WHERE w.id = held.tweet_db_id
      """;

  private static final String COUNT_CALL =
      """
      INSERT INTO twitter_provider_calls AS c (day, provider, calls, tweets, failures)
      VALUES ((:now::timestamptz AT TIME ZONE 'UTC')::date, :provider, :attempts, :tweets, :failures)
      ON CONFLICT (day, provider) DO UPDATE
        SET calls = c.calls + :attempts, tweets = c.tweets + :tweets, failures = c.failures + :failures
      """;

  private static final RowMapper<Claimed> CLAIMED =
      rs ->
          new Claimed(
              rs.getObject("tweet_db_id", UUID.class),
              rs.getString("tweet_id"),
              Handle.instant(rs, "posted_at"),
              Handle.instant(rs, "metrics_updated_at"),
              new Counts(
                  rs.getInt("retweet_count"),
                  rs.getInt("reply_count"),
                  rs.getInt("like_count"),
                  rs.getInt("quote_count"),
                  rs.getLong("view_count"),
                  rs.getInt("bookmark_count")),
              rs.getInt("consecutive_errors"),
              rs.getBoolean("tracking_enabled"));

  private final Jdbc jdbc;

  TrackingStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  Jdbc jdbc() {
    return jdbc;
  }

  /** Takes up to {@code limit} due tweets, oldest due first, for {@code token}. */
  List<Claimed> claimDue(int limit, UUID token, Instant now) {
    return jdbc.inTransaction(
        "claim due tweets",
        h ->
            h.query(
                CLAIM_DUE,
                Params.of(
                        "token", token, "now", now, "until", now.plus(EngagementPolicy.CLAIM_LEASE))
                    .and("limit", limit),
                CLAIMED));
  }

  /**
   * Takes one tweet whatever its due time; empty when another refresh holds it or it is unknown.
   */
  Optional<Claimed> claimOne(UUID tweetDbId, UUID token, Instant now) {
    return jdbc.inTransaction(
        "claim a tweet",
        h ->
            h.queryOne(
                CLAIM_ONE,
                Params.of(
                        "token", token, "now", now, "until", now.plus(EngagementPolicy.CLAIM_LEASE))
                    .and("id", tweetDbId),
                CLAIMED));
  }

  /** What one provider call brought, written in one transaction. */
  record BatchWrite(
      UUID token,
      Instant now,
      String provider,
      int attempts,
      int asked,
      List<Snapshot> snapshots,
      List<UUID> unavailable,
      Map<UUID, String> errors,
      Map<UUID, Instant> errorNext) {}

  /** Writes the batch; returns the tweets whose snapshot landed (claims still held). */
  Set<UUID> write(BatchWrite b, EngagementPolicy policy) {
    return jdbc.inTransaction(
        "write engagement snapshots",
        h -> {
          Set<UUID> held = b.snapshots().isEmpty() ? Set.of() : writeSnapshots(h, b, policy);
          if (!b.unavailable().isEmpty()) {
            h.update(
                WRITE_UNAVAILABLE,
                Params.of(
                    "ids",
                    b.unavailable().toArray(UUID[]::new),
                    "token",
                    b.token(),
                    "now",
                    b.now()));
          }
          writeErrors(h, b.token(), b.now(), b.errors(), b.errorNext());
          countCall(h, b.now(), b.provider(), b.attempts(), b.asked(), b.errors().size());
          return held;
        });
  }

  private Set<UUID> writeSnapshots(Handle h, BatchWrite b, EngagementPolicy policy)
      throws SQLException {
    List<Snapshot> s = b.snapshots();
    int n = s.size();
    UUID[] ids = new UUID[n];
    String[] tiers = new String[n];
    Instant[] next = new Instant[n];
    Boolean[] enabled = new Boolean[n];
    String[] velocity = new String[n];
    Boolean[] first = new Boolean[n];
    Integer[] total = new Integer[n];
    for (int i = 0; i < n; i++) {
      Snapshot x = s.get(i);
      ids[i] = x.tweetDbId();
      tiers[i] = x.tier().sqlName();
      next[i] = x.nextUpdateAt();
      enabled[i] = x.trackingEnabled();
      velocity[i] = Double.toString(x.velocity());
      first[i] = x.firstMetrics();
      total[i] = x.counts().total();
    }
    Set<UUID> held =
        new HashSet<>(
            h.query(
                WRITE_TRACKING,
                Params.of("ids", ids, "tiers", tiers, "next", next)
                    .and("enabled", enabled)
                    .and("velocity", velocity)
                    .and("first", first)
                    .and("total", total)
                    .and("token", b.token())
                    .and("now", b.now()),
                rs -> rs.getObject(1, UUID.class)));
    List<Snapshot> kept = s.stream().filter(x -> held.contains(x.tweetDbId())).toList();
    if (kept.isEmpty()) {
      return held;
    }
    Params counts = countArrays(kept).and("now", b.now());
    h.update(WRITE_TWEETS, counts);
    h.update(WRITE_HISTORY, counts);
    writeAlerts(h, kept, b.now(), policy);
    return held;
  }

  private static Params countArrays(List<Snapshot> s) {
    int n = s.size();
    UUID[] ids = new UUID[n];
    int[] rt = new int[n], rp = new int[n], lk = new int[n], qt = new int[n], bm = new int[n];
    long[] vw = new long[n], dvw = new long[n];
    int[] drt = new int[n], drp = new int[n], dlk = new int[n], dqt = new int[n], dbm = new int[n];
    String[] velocity = new String[n];
    String[] tiers = new String[n];
    for (int i = 0; i < n; i++) {
      Snapshot x = s.get(i);
      Counts c = x.counts();
      Counts d = x.deltas();
      ids[i] = x.tweetDbId();
      rt[i] = c.retweets();
      rp[i] = c.replies();
      lk[i] = c.likes();
      qt[i] = c.quotes();
      vw[i] = c.views();
      bm[i] = c.bookmarks();
      drt[i] = d.retweets();
      drp[i] = d.replies();
      dlk[i] = d.likes();
      dqt[i] = d.quotes();
      dvw[i] = d.views();
      dbm[i] = d.bookmarks();
      velocity[i] = Double.toString(x.velocity());
      tiers[i] = x.tier().sqlName();
    }
    return Params.of("ids", ids, "rt", rt, "rp", rp)
        .and("lk", lk)
        .and("qt", qt)
        .and("vw", vw)
        .and("bm", bm)
        .and("drt", drt)
        .and("drp", drp)
        .and("dlk", dlk)
        .and("dqt", dqt)
        .and("dvw", dvw)
        .and("dbm", dbm)
        .and("velocity", velocity)
        .and("tiers", tiers);
  }

  private static void writeAlerts(Handle h, List<Snapshot> s, Instant now, EngagementPolicy policy)
      throws SQLException {
    List<Snapshot> viral = s.stream().filter(x -> x.velocity() >= policy.viralVelocity()).toList();
    if (viral.isEmpty()) {
      return;
    }
    h.query(
        WRITE_ALERTS,
        Params.of(
                "ids",
                viral.stream().map(Snapshot::tweetDbId).toArray(UUID[]::new),
                "velocity",
                viral.stream().map(x -> Double.toString(x.velocity())).toArray(String[]::new),
                "tiers",
                viral.stream().map(x -> x.tier().sqlName()).toArray(String[]::new))
            .and("threshold", policy.viralVelocity())
            .and("now", now)
            .and("webhook", policy.webhook()),
        rs -> rs.getObject(1, UUID.class));
  }

  private static void writeErrors(
      Handle h, UUID token, Instant now, Map<UUID, String> errors, Map<UUID, Instant> next)
      throws SQLException {
    if (errors.isEmpty()) {
      return;
    }
    List<UUID> ids = new ArrayList<>(errors.keySet());
    h.update(
        WRITE_ERRORS,
        Params.of(
                "ids",
                ids.toArray(UUID[]::new),
                "errs",
                ids.stream().map(errors::get).toArray(String[]::new),
                "next",
                ids.stream().map(next::get).toArray(Instant[]::new))
            .and("token", token)
            .and("now", now));
  }

  private static void countCall(
      Handle h, Instant now, String provider, int attempts, int tweets, int failures)
      throws SQLException {
    h.update(
        COUNT_CALL,
        Params.of("now", now, "provider", provider, "tweets", tweets)
            .and("failures", failures)
            .and("attempts", attempts));
  }
}
