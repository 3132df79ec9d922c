package dev.tributary.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The due query of a refresh ({@code tracking_enabled AND next_update_at <= now ORDER BY
 * next_update_at LIMIT 100}) timed with {@code big} tracked tweets, about 4% of them due; its plan
 * must be an index-only scan. The claim that wraps it ({@code FOR UPDATE SKIP LOCKED} and the lease
 * write, rolled back) is timed beside it: locking rows has to visit them, so it cannot be
 * index-only.
 */
final class DueQuery {
  static final int RUNS = 30;

  record Timing(double p50, double claimP50, String plan) {
    static final Timing NOT_RUN = new Timing(Double.NaN, Double.NaN, "");

    String p50Text() {
      return Double.isNaN(p50) ? "not-run" : String.format(Locale.ROOT, "%.2f", p50);
    }
  }

  static final String DUE =
      """
      SELECT id FROM twitter_engagement_tracking
       WHERE tracking_enabled AND next_update_at <= now()
       ORDER BY next_update_at LIMIT 100
      """;

  static final String CLAIM =
      """
      UPDATE twitter_engagement_tracking t
         SET next_update_at = now() + interval '5 minutes', claim_token = gen_random_uuid(),
             claimed_until = now() + interval '5 minutes'
       WHERE t.id IN (SELECT id FROM twitter_engagement_tracking
                       WHERE tracking_enabled AND next_update_at <= now()
                       ORDER BY next_update_at LIMIT 100 FOR UPDATE SKIP LOCKED)
      """;

  private final DataSource ds;

  DueQuery(DataSource ds) {
    this.ds = ds;
  }

  Timing measure(int big) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      long t0 = System.nanoTime();
      int have = count(s, "SELECT count(*) FROM twitter_engagement_tracking");
      // the insert trigger would add one row each; the bulk load writes the tracking rows itself
      s.execute("ALTER TABLE twitter_tweets DISABLE TRIGGER twitter_tweets_start_tracking");
      s.execute(
          "WITH w AS (INSERT INTO twitter_tweets (tweet_id, metrics_updated_at)"
              + " SELECT (2000000000000000000 + g)::text, now() FROM generate_series(1, "
              + Math.max(0, big - have)
              + ") g RETURNING id)"
              + " INSERT INTO twitter_engagement_tracking (tweet_db_id, tier, next_update_at)"
              + " SELECT id, 'warm', now() - interval '1 hour' + random() * interval '25 hours'"
              + " FROM w");
      s.execute("ALTER TABLE twitter_tweets ENABLE TRIGGER twitter_tweets_start_tracking");
      s.execute("VACUUM ANALYZE twitter_engagement_tracking");
      int total = count(s, "SELECT count(*) FROM twitter_engagement_tracking");
      int due =
          count(
              s,
              "SELECT count(*) FROM twitter_engagement_tracking"
                  + " WHERE tracking_enabled AND next_update_at <= now()");
      System.out.printf(
          Locale.ROOT,
          "engagement: %d tracked tweets (%d due) loaded in %.1f s%n",
          total,
          due,
          (System.nanoTime() - t0) / 1e9);
      String plan = plan(s);
      System.out.println("engagement: due query plan:");
      System.out.print(plan.indent(4));
      if (!plan.contains("Index Only Scan")) {
        System.out.println("engagement: WARNING the due query is not an index-only scan");
      }
      double p50 = p50(c, DUE, false);
      double claim = p50(c, CLAIM, true);
      System.out.printf(
          Locale.ROOT,
          "engagement: at %d tracked: due query p50 %.2f ms, claim (FOR UPDATE SKIP LOCKED +"
              + " lease) p50 %.2f ms%n",
          total,
          p50,
          claim);
      return new Timing(p50, claim, plan);
    }
  }

  private static String plan(Statement s) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + DUE)) {
      while (rs.next()) {
        b.append(rs.getString(1)).append('\n');
      }
    }
    return b.toString();
  }

  /** Median of {@link #RUNS} runs; a claim runs in a transaction that is rolled back. */
  private static double p50(Connection c, String sql, boolean rollback) throws SQLException {
    List<Double> ms = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < RUNS + 3; i++) {
        c.setAutoCommit(!rollback);
        long t0 = System.nanoTime();
        if (rollback) {
          ps.executeUpdate();
        } else {
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              rs.getObject(1);
            }
          }
        }
        double took = (System.nanoTime() - t0) / 1e6;
        if (rollback) {
          c.rollback();
        }
        if (i >= 3) { // the first runs warm the plan cache and the buffers
          ms.add(took);
        }
      }
    } finally {
      c.setAutoCommit(true);
    }
    Collections.sort(ms);
    return ms.get(ms.size() / 2);
  }

  private static int count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
