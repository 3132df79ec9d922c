package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.connectors.twitter.TweetMetrics;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.testing.Rows;
import dev.tributary.testing.TwitterFake;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tributary engagement …} in a child JVM against a real database and the twitterapi.io fake.
 */
class EngagementCliTest {
  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows sql = new Rows(db);
  private final TwitterFake fake = new TwitterFake();
  private final Map<String, String> env =
      Map.of(
          "DATABASE_URL",
          db.getJdbcUrl(),
          "TWITTER_API_KEY",
          TwitterFake.KEY,
          "TWITTER_API_BASE_URL",
          fake.baseUrl());

  @AfterEach
  void close() {
    fake.close();
    db.close();
  }

  private UUID tweet(String id, int likes) {
    fake.put(TweetMetrics.counts(id, 2, 1, likes, 0, 500));
    return sql.value(
        "INSERT INTO twitter_tweets (tweet_id, like_count, twitter_created_at, metrics_updated_at)"
            + " VALUES (?, 20, now() - interval '30 minutes', now() - interval '20 minutes')"
            + " RETURNING id",
        id);
  }

  @Test
  void update_refreshes_the_due_tweets_in_one_call_and_stats_show_them() throws Exception {
    for (int i = 0; i < 3; i++) {
      tweet(String.valueOf(100 + i), 80);
    }
    sql.update("UPDATE twitter_engagement_tracking SET next_update_at = now() - interval '1 s'");

    var update = CliProcess.run(env, "engagement", "update", "--limit", "50");
    assertThat(update.exitCode()).as(update.stderr()).isZero();
    assertThat(update.stdout())
        .contains("processed:      3")
        .contains("successful:     3")
        .contains("provider calls: 1")
        .contains("still due:      0");
    assertThat(fake.calls()).isEqualTo(1);
    assertThat(sql.count("SELECT count(*) FROM twitter_engagement_history")).isEqualTo(3);

    var stats = CliProcess.run(env, "engagement", "stats");
    assertThat(stats.exitCode()).as(stats.stderr()).isZero();
    assertThat(stats.stdout())
        .containsPattern("tracked ultra_hot\\s+3\\b")
        .containsPattern("due now\\s+0\\b")
        .containsPattern("calls today\\s+1\\b")
        .containsPattern("snapshots \\d{4}-\\d{2}-\\d{2}\\s+3\\b");
    assertThat(update.stdout() + update.stderr() + stats.stdout()).doesNotContain(TwitterFake.KEY);
  }

  @Test
  void refresh_answers_from_the_cache_unless_forced_and_refuses_bad_ids() throws Exception {
    UUID id = tweet("200", 95);

    var first = CliProcess.run(env, "engagement", "refresh", id.toString());
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(first.stdout())
        .contains("tweet 200 (" + id + ")")
        .contains("likes 95 (+75)")
        .contains("tier ultra_hot")
        .doesNotContain("cached");
    var cached = CliProcess.run(env, "engagement", "refresh", id.toString());
    assertThat(cached.stdout()).contains("cached, not asked");
    var forced = CliProcess.run(env, "engagement", "refresh", id.toString(), "--force");
    assertThat(forced.exitCode()).isZero();
    assertThat(forced.stdout()).doesNotContain("cached");
    assertThat(fake.calls()).isEqualTo(2);

    var bad = CliProcess.run(env, "engagement", "refresh", "not-a-uuid");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).contains("a tweet's database id is a UUID");
    var unknown = CliProcess.run(env, "engagement", "refresh", UUID.randomUUID().toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.stderr()).contains("no tracked tweet");
    var limit = CliProcess.run(env, "engagement", "update", "--limit", "0");
    assertThat(limit.exitCode()).isEqualTo(2);
    assertThat(limit.stderr()).contains("--limit must be between 1 and 10000");
  }

  @Test
  void without_a_provider_key_a_refresh_names_the_variables_and_stats_still_answer()
      throws Exception {
    UUID id = tweet("300", 50);
    Map<String, String> noKey = Map.of("DATABASE_URL", db.getJdbcUrl());

    var refresh = CliProcess.run(noKey, "engagement", "refresh", id.toString(), "--force");
    assertThat(refresh.exitCode()).isEqualTo(2);
    assertThat(refresh.stderr()).contains("TWITTER_API_KEY").contains("X_BEARER_TOKEN");
    var stats = CliProcess.run(noKey, "engagement", "stats");
    assertThat(stats.exitCode()).isZero();
    assertThat(stats.stdout()).containsPattern("tracked ultra_hot\\s+1\\b");
    assertThat(fake.calls()).isZero();
  }
}
