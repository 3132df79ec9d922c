package dev.tributary.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testing.Rows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo's engagement part against the local Twitter sandbox, on a fresh database. */
class TwitterDemoTest {
  private final Rows rows = Rows.fresh();

  @AfterEach
  void close() {
    rows.close();
  }

  private String run() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code =
        new TwitterDemo(rows.dataSource(), new PrintStream(bytes, true, StandardCharsets.UTF_8))
            .run();
    assertThat(code).isZero();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private long snapshotsOf(String tweetId) {
    return rows.count(
        "SELECT count(*) FROM twitter_engagement_history h JOIN twitter_tweets w"
            + " ON w.id = h.tweet_id WHERE w.tweet_id = ?",
        tweetId);
  }

  @Test
  void synthetic_tweets_move_through_the_tiers_over_twelve_simulated_hours() {
    String out = run();

    assertThat(out)
        .contains(
            "6 tweets added in 1 provider call(s); 5 tracked, 1 below ENGAGEMENT_TRACKING_MIN")
        .contains("ultra_hot → hot")
        .contains("hot → warm")
        .containsPattern("tweet 1990000000000000004 VIRAL: \\+\\d+ engagement")
        .containsPattern("tweet 1990000000000000004 warm → ultra_hot")
        .contains("not tracked (below the minimum)")
        .contains("snapshots of tweet 1990000000000000002");
    assertThat(snapshotsOf("1990000000000000002"))
        .as("about 16 refreshes in a young tweet's first 12 hours")
        .isBetween(12L, 17L);
    assertThat(snapshotsOf("1990000000000000001"))
        .as("a tweet gaining fast stays ultra_hot longer: more refreshes")
        .isGreaterThan(snapshotsOf("1990000000000000002"));
    assertThat(snapshotsOf("1990000000000000005")).as("cold: once a day").isEqualTo(1);
    assertThat(rows.count("SELECT count(*) FROM twitter_viral_alerts")).isEqualTo(1);
    assertThat(
            rows.count("SELECT count(*) FROM twitter_engagement_tracking WHERE tracking_enabled"))
        .as("a real node never asks the real provider about synthetic tweets")
        .isZero();

    long first = rows.count("SELECT count(*) FROM twitter_engagement_history");
    run();
    assertThat(rows.count("SELECT count(*) FROM twitter_engagement_history"))
        .as("a second run replaces the demo's tweets")
        .isEqualTo(first);
    assertThat(rows.count("SELECT count(*) FROM twitter_tweets")).isEqualTo(6);
  }

  @Test
  void a_database_tracking_other_tweets_is_left_alone() {
    rows.execute(
        "INSERT INTO twitter_tweets (tweet_id, like_count, metrics_updated_at)"
            + " VALUES ('42', 500, now())");

    String out = run();

    assertThat(out).contains("skipped — this database tracks 1 tweet(s)");
    assertThat(rows.count("SELECT count(*) FROM twitter_tweets")).isEqualTo(1);
    assertThat(rows.count("SELECT count(*) FROM twitter_engagement_history")).isZero();
  }
}
