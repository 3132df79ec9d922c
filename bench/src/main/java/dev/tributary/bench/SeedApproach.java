package dev.tributary.bench;

import dev.tributary.connectors.twitter.TweetBatch;
import dev.tributary.connectors.twitter.TweetMetrics;
import dev.tributary.pipelines.engagement.Tier;
import dev.tributary.sandbox.TwitterSandbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The seed's updater as its guide describes it (S4.1, "Batch API calls: 10-20 tweets per call"):
 * read up to 100 due tweets, ask the provider 20 ids at a time, then for each tweet one INSERT of
 * its snapshot and one UPDATE of its counts and tracking (one statement: a writable CTE), each
 * committed on its own. Tier and next due time are computed as Tributary computes them, so both
 * sides do the same work. Each thread takes its own share of the due tweets (the seed has no claim;
 * without the split two threads would refresh the same tweets).
 */
final class SeedApproach {
  static final int IDS_PER_CALL = 20;
  static final Duration COLD =
      dev.tributary.pipelines.engagement.EngagementPolicy.defaults().coldInterval();

  private static final String DUE =
      """
      SELECT t.tweet_db_id, w.tweet_id, coalesce(w.twitter_created_at, w.created_at),
             w.metrics_updated_at, w.like_count + w.retweet_count + w.reply_count + w.quote_count,
             w.like_count, w.retweet_count, w.reply_count, w.quote_count, w.view_count
        FROM twitter_engagement_tracking t JOIN twitter_tweets w ON w.id = t.tweet_db_id
       WHERE t.tracking_enabled AND t.next_update_at <= now()
         AND abs(hashtext(t.id::text)) % ? = ?
       ORDER BY t.next_update_at LIMIT 100
      """;

  private static final String INSERT =
      """
      INSERT INTO twitter_engagement_history
        (tweet_id, snapshot_at, retweet_count, reply_count, like_count, quote_count, view_count,
         total_engagement, delta_retweets, delta_likes, delta_replies, delta_quotes, delta_views,
         engagement_velocity, tier)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """;

  private static final String UPDATE =
      """
      WITH w AS (UPDATE twitter_tweets SET like_count = ?, retweet_count = ?, reply_count = ?,
                        quote_count = ?, view_count = ?, metrics_updated_at = ?, updated_at = ?
                  WHERE id = ?)
      UPDATE twitter_engagement_tracking
         SET tier = ?, next_update_at = ?, last_updated_at = ?, update_count = update_count + 1,
             last_velocity = ?, updated_at = ?
       WHERE tweet_db_id = ?
      """;

  private record Due(
      Object dbId, String tweetId, Instant posted, Instant previousAt, int total, int[] counts) {}

  private final DataSource ds;
  private final TimedSource source;
  private final TwitterSandbox sandbox;

  SeedApproach(DataSource ds, TimedSource source, TwitterSandbox sandbox) {
    this.ds = ds;
    this.source = source;
    this.sandbox = sandbox;
  }

  EngagementBench.Side run(int threads) throws Exception {
    AtomicInteger share = new AtomicInteger();
    return EngagementBench.timed(
        sandbox, source, threads, () -> refreshShare(threads, share.getAndIncrement()));
  }

  private int refreshShare(int threads, int share) {
    int done = 0;
    try (Connection c = ds.getConnection();
        PreparedStatement due = c.prepareStatement(DUE);
        PreparedStatement insert = c.prepareStatement(INSERT);
        PreparedStatement update = c.prepareStatement(UPDATE)) {
      c.setAutoCommit(true);
      for (List<Due> batch; !(batch = due(due, threads, share)).isEmpty(); ) {
        for (int i = 0; i < batch.size(); i += IDS_PER_CALL) {
          List<Due> chunk = batch.subList(i, Math.min(batch.size(), i + IDS_PER_CALL));
          TweetBatch answer = source.fetch(chunk.stream().map(Due::tweetId).toList());
          Instant now = Instant.now();
          for (Due d : chunk) {
            TweetMetrics m = answer.found().get(d.tweetId());
            if (m != null) {
              write(insert, update, d, m, now);
              done++;
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return done;
  }

  private static List<Due> due(PreparedStatement ps, int threads, int share) throws SQLException {
    ps.setInt(1, threads);
    ps.setInt(2, share);
    List<Due> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Timestamp prev = rs.getTimestamp(4);
        out.add(
            new Due(
                rs.getObject(1),
                rs.getString(2),
                rs.getTimestamp(3).toInstant(),
                prev == null ? null : prev.toInstant(),
                rs.getInt(5),
                new int[] {rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10)}));
      }
    }
    return out;
  }

  private static void write(
      PreparedStatement insert, PreparedStatement update, Due d, TweetMetrics m, Instant now)
      throws SQLException {
    int total = m.engagement();
    Duration span = d.previousAt() == null ? Duration.ZERO : Duration.between(d.previousAt(), now);
    double velocity =
        span.toMillis() <= 0 ? 0 : Math.max(0, total - d.total()) * 3_600_000.0 / span.toMillis();
    Tier tier = Tier.classify(Duration.between(d.posted(), now), velocity);
    Timestamp at = Timestamp.from(now);
    int i = 1;
    insert.setObject(i++, d.dbId());
    insert.setTimestamp(i++, at);
    insert.setInt(i++, m.retweets());
    insert.setInt(i++, m.replies());
    insert.setInt(i++, m.likes());
    insert.setInt(i++, m.quotes());
    insert.setLong(i++, m.views());
    insert.setInt(i++, total);
    insert.setInt(i++, m.retweets() - d.counts()[1]);
    insert.setInt(i++, m.likes() - d.counts()[0]);
    insert.setInt(i++, m.replies() - d.counts()[2]);
    insert.setInt(i++, m.quotes() - d.counts()[3]);
    insert.setLong(i++, m.views() - d.counts()[4]);
    insert.setDouble(i++, velocity);
    insert.setString(i, tier.sqlName());
    insert.executeUpdate();
    i = 1;
    update.setInt(i++, m.likes());
    update.setInt(i++, m.retweets());
    update.setInt(i++, m.replies());
    update.setInt(i++, m.quotes());
    update.setLong(i++, m.views());
    update.setTimestamp(i++, at);
    update.setTimestamp(i++, at);
    update.setObject(i++, d.dbId());
    update.setString(i++, tier.sqlName());
    update.setTimestamp(i++, Timestamp.from(now.plus(tier.interval(COLD))));
    update.setTimestamp(i++, at);
    update.setDouble(i++, velocity);
    update.setTimestamp(i++, at);
    update.setObject(i, d.dbId());
    update.executeUpdate();
  }
}
