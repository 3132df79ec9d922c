package dev.tributary.pipelines.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.connectors.RateLimiter;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.twitter.TweetMetrics;
import dev.tributary.connectors.twitter.TweetSource;
import dev.tributary.connectors.twitter.TwitterClientConfig;
import dev.tributary.connectors.twitter.TwitterClients;
import dev.tributary.connectors.twitter.TwitterProvider;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.pipelines.engagement.Results.BatchResult;
import dev.tributary.testing.FakeHttpServer.Reply;
import dev.tributary.testing.Rows;
import dev.tributary.testing.TwitterFake;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Refreshes over real HTTP against the twitterapi.io fake, on a fresh database and a set clock. */
class EngagementRefreshTest {
  private final Rows rows = Rows.fresh();
  private final TwitterFake fake = new TwitterFake();
  private final SettableClock clock = SettableClock.startingNow();

  @AfterEach
  void close() {
    fake.close();
    rows.close();
  }

  private TweetSource source() {
    return TwitterClients.create(
        TwitterClientConfig.of(TwitterProvider.TWITTERAPI, TwitterFake.KEY, fake.baseUrl())
            .withRetrying(new Retrying(1, Duration.ofMillis(1), Duration.ofSeconds(1), d -> {}))
            .withClock(clock),
        RateLimiter.NONE);
  }

  private EngagementService service(EngagementPolicy policy) {
    EngagementService s =
        new EngagementService(rows.dataSource(), Optional.of(source()), policy, clock);
    s.publishSettings();
    return s;
  }

  private EngagementService service() {
    return service(EngagementPolicy.defaults());
  }

  private UUID tweet(String id, int likes, Instant postedAt) {
    fake.put(TweetMetrics.counts(id, 0, 0, likes, 0, 0));
    return rows.value(
        "INSERT INTO twitter_tweets (tweet_id, like_count, twitter_created_at, metrics_updated_at)"
            + " VALUES (?, ?, ?, ?) RETURNING id",
        id,
        likes,
        Timestamp.from(postedAt),
        Timestamp.from(clock.instant()));
  }

  private void makeDue() {
    rows.update(
        "UPDATE twitter_engagement_tracking SET next_update_at = ?",
        Timestamp.from(clock.instant()));
  }

  @Test
  void an_inserted_tweet_is_tracked_only_when_its_initial_engagement_reaches_the_threshold() {
    service();
    UUID popular = tweet("1", 10, clock.instant());
    UUID quiet = tweet("2", 9, clock.instant());
    UUID unknown = rows.value("INSERT INTO twitter_tweets (tweet_id) VALUES ('3') RETURNING id");

    Map<String, Object> p =
        rows.row("SELECT * FROM twitter_engagement_tracking WHERE tweet_db_id = ?", popular);
    assertThat(p.get("tracking_enabled")).isEqualTo(true);
    assertThat(p.get("tier")).isEqualTo("ultra_hot");
    assertThat(p.get("initial_engagement")).isEqualTo(10);
    assertThat(
            (Object)
                rows.value(
                    "SELECT tracking_enabled FROM twitter_engagement_tracking WHERE tweet_db_id = ?",
                    quiet))
        .isEqualTo(false);
    assertThat(
            (Object)
                rows.value(
                    "SELECT tracking_enabled FROM twitter_engagement_tracking WHERE tweet_db_id = ?",
                    unknown))
        .as("counts unknown: the first refresh decides")
        .isEqualTo(true);
    assertThat(service().setTracking(quiet, true)).isTrue();
    assertThat(
            (Object)
                rows.value(
                    "SELECT tracking_enabled FROM twitter_engagement_tracking WHERE tweet_db_id = ?",
                    quiet))
        .isEqualTo(true);
  }

  @Test
  void a_refresh_writes_counts_history_deltas_velocity_and_the_next_due_time() {
    EngagementService s = service();
    UUID id = tweet("10", 20, clock.instant().minus(Duration.ofMinutes(10)));
    clock.advance(Duration.ofMinutes(30));
    fake.put(TweetMetrics.counts("10", 5, 3, 120, 2, 1000));

    BatchResult r = s.updateBatchTweetEngagement(100);

    assertThat(r.processed()).isEqualTo(1);
    assertThat(r.successful()).isEqualTo(1);
    assertThat(r.providerCalls()).isEqualTo(1);
    Map<String, Object> h =
        rows.row("SELECT * FROM twitter_engagement_history WHERE tweet_id = ?", id);
    assertThat(h.get("like_count")).isEqualTo(120);
    assertThat(h.get("total_engagement")).isEqualTo(130);
    assertThat(h.get("delta_likes")).isEqualTo(100);
    assertThat(h.get("delta_views")).isEqualTo(1000L);
    // 110 gained in 30 minutes
    assertThat(((Number) h.get("engagement_velocity")).doubleValue()).isEqualTo(220.0);
    assertThat((Object) rows.value("SELECT like_count FROM twitter_tweets WHERE id = ?", id))
        .isEqualTo(120);
    Map<String, Object> t =
        rows.row("SELECT * FROM twitter_engagement_tracking WHERE tweet_db_id = ?", id);
    assertThat(t.get("update_count")).isEqualTo(1);
    assertThat(t.get("claim_token")).isNull();
    assertThat(((Timestamp) t.get("next_update_at")).toInstant())
        .isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
    assertThat(s.updateBatchTweetEngagement(100).processed()).as("nothing due now").isZero();
  }

  @Test
  void with_the_default_tiers_a_tweet_gets_about_16_refreshes_in_its_first_12_hours() {
    EngagementService s = service();
    UUID id = tweet("20", 50, clock.instant());
    // the trigger stamps the database's now(); line it up with the test's clock
    rows.update(
        "UPDATE twitter_engagement_tracking SET next_update_at = ?",
        Timestamp.from(clock.instant().plus(Duration.ofMinutes(15))));
    List<String> tiers = new ArrayList<>();
    for (int step = 0; step < 144; step++) {
      clock.advance(Duration.ofMinutes(5));
      if (s.updateBatchTweetEngagement(100).successful() > 0) {
        tiers.add(
            rows.text("SELECT tier FROM twitter_engagement_tracking WHERE tweet_db_id = ?", id));
      }
    }
    assertThat(tiers).hasSize(16);
    assertThat(tiers.get(0)).isEqualTo("ultra_hot");
    assertThat(tiers).contains("hot");
    assertThat(tiers.get(tiers.size() - 1)).isEqualTo("warm");
    assertThat(rows.count("SELECT count(*) FROM twitter_engagement_history WHERE tweet_id = ?", id))
        .isEqualTo(16);
  }

  @Test
  void a_cold_tweet_whose_velocity_jumps_is_promoted_back_and_raises_one_viral_alert() {
    EngagementService s = service();
    UUID id = tweet("30", 50, clock.instant().minus(Duration.ofDays(3)));
    assertThat(rows.text("SELECT tier FROM twitter_engagement_tracking WHERE tweet_db_id = ?", id))
        .isEqualTo("cold");
    clock.advance(Duration.ofHours(1));
    makeDue();
    fake.put(TweetMetrics.counts("30", 100, 100, 1000, 50, 0));
    s.updateBatchTweetEngagement(10);
    assertThat(rows.text("SELECT tier FROM twitter_engagement_tracking WHERE tweet_db_id = ?", id))
        .isEqualTo("ultra_hot");
    assertThat(rows.count("SELECT count(*) FROM twitter_viral_alerts WHERE tweet_db_id = ?", id))
        .isEqualTo(1);

    clock.advance(Duration.ofHours(1));
    makeDue();
    fake.put(TweetMetrics.counts("30", 200, 200, 2000, 100, 0));
    s.updateBatchTweetEngagement(10);
    assertThat(rows.count("SELECT count(*) FROM twitter_viral_alerts"))
        .as("one alert per tweet")
        .isEqualTo(1);
    assertThat(
            rows.count(
                "SELECT count(*) FROM tributary.jobs WHERE kind = 'engagement_viral_webhook'"))
        .as("no webhook configured")
        .isZero();
  }

  @Test
  void with_a_webhook_the_alert_enqueues_one_delivery_job() {
    EngagementPolicy p =
        new EngagementPolicy(10, 500, Duration.ofDays(1), Duration.ofMinutes(1), true);
    EngagementService s = service(p);
    UUID id = tweet("31", 50, clock.instant());
    clock.advance(Duration.ofMinutes(30));
    makeDue();
    fake.put(TweetMetrics.counts("31", 0, 0, 5000, 0, 0));
    s.updateBatchTweetEngagement(10);
    assertThat(
            rows.count(
                "SELECT count(*) FROM tributary.jobs WHERE kind = 'engagement_viral_webhook'"))
        .isEqualTo(1);
    UUID alert = rows.value("SELECT id FROM twitter_viral_alerts WHERE tweet_db_id = ?", id);
    assertThat(
            rows.text(
                "SELECT unique_key FROM tributary.jobs WHERE kind = 'engagement_viral_webhook'"))
        .isEqualTo("viral-alert:" + alert);
  }

  @Test
  void
      a_tweet_the_provider_no_longer_returns_goes_cold_and_unavailable_without_failing_the_batch() {
    EngagementService s = service();
    UUID kept = tweet("40", 50, clock.instant());
    UUID gone = tweet("41", 50, clock.instant());
    fake.remove("41");
    clock.advance(Duration.ofMinutes(20));

    BatchResult r = s.updateBatchTweetEngagement(100);

    assertThat(r.successful()).isEqualTo(1);
    assertThat(r.failed()).isZero();
    assertThat(r.skipped()).isEqualTo(1);
    assertThat((Object) rows.value("SELECT is_unavailable FROM twitter_tweets WHERE id = ?", gone))
        .isEqualTo(true);
    Map<String, Object> t =
        rows.row("SELECT * FROM twitter_engagement_tracking WHERE tweet_db_id = ?", gone);
    assertThat(t.get("tier")).isEqualTo("cold");
    assertThat(t.get("tracking_enabled")).isEqualTo(false);
    assertThat(
            rows.count("SELECT count(*) FROM twitter_engagement_history WHERE tweet_id = ?", kept))
        .isEqualTo(1);
  }

  @Test
  void a_provider_failure_leaves_the_batch_due_again_with_backoff_and_the_error() {
    EngagementService s = service();
    UUID id = tweet("50", 50, clock.instant());
    clock.advance(Duration.ofMinutes(20));
    fake.server().enqueue(Reply.json(503, "{\"status\":\"error\",\"msg\":\"overloaded\"}"));

    BatchResult r = s.updateBatchTweetEngagement(100);

    assertThat(r.failed()).isEqualTo(1);
    Map<String, Object> t =
        rows.row("SELECT * FROM twitter_engagement_tracking WHERE tweet_db_id = ?", id);
    assertThat(t.get("consecutive_errors")).isEqualTo(1);
    assertThat((String) t.get("last_error")).contains("503").doesNotContain(TwitterFake.KEY);
    assertThat(((Timestamp) t.get("next_update_at")).toInstant())
        .isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
    assertThat(rows.count("SELECT count(*) FROM twitter_engagement_history")).isZero();
    assertThat(rows.count("SELECT failures FROM twitter_provider_calls")).isEqualTo(1);

    clock.advance(Duration.ofMinutes(1));
    assertThat(s.updateBatchTweetEngagement(100).successful()).isEqualTo(1);
    assertThat(
            (Object)
                rows.value(
                    "SELECT consecutive_errors FROM twitter_engagement_tracking WHERE tweet_db_id = ?",
                    id))
        .isEqualTo(0);
  }

  @Test
  void the_recently_updated_cache_answers_without_a_call_unless_forced() {
    EngagementService s = service();
    UUID id = tweet("60", 50, clock.instant());
    clock.advance(Duration.ofMinutes(20));
    assertThat(s.updateSingleTweetEngagement(id).orElseThrow().cached()).isFalse();
    int calls = fake.calls();
    clock.advance(Duration.ofSeconds(30));
    assertThat(s.updateSingleTweetEngagement(id).orElseThrow().cached()).isTrue();
    assertThat(fake.calls()).isEqualTo(calls);
    assertThat(s.forceUpdateTweetEngagement(id).orElseThrow().cached()).isFalse();
    assertThat(fake.calls()).isEqualTo(calls + 1);
    assertThat(s.updateSingleTweetEngagement(UUID.randomUUID())).isEmpty();
  }

  @Test
  void two_nodes_refreshing_one_due_set_never_refresh_a_tweet_twice() throws Exception {
    int n = 600;
    for (int i = 0; i < n; i++) {
      fake.put(TweetMetrics.counts(String.valueOf(1000 + i), 1, 1, 20, 1, 10));
    }
    rows.execute(
        "INSERT INTO twitter_tweets (tweet_id, like_count, metrics_updated_at)"
            + " SELECT (1000 + g)::text, 20, now() FROM generate_series(0, ?) g",
        n - 1);
    makeDue();
    EngagementService a = service();
    EngagementService b =
        new EngagementService(
            rows.dataSource(), Optional.of(source()), EngagementPolicy.defaults(), clock);
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<Integer>> done = new ArrayList<>();
      for (EngagementService s : List.of(a, b, a, b)) {
        Callable<Integer> drain =
            () -> {
              int total = 0;
              for (BatchResult r; (r = s.updateBatchTweetEngagement(50)).processed() > 0; ) {
                total += r.successful();
              }
              return total;
            };
        done.add(pool.submit(drain));
      }
      int sum = 0;
      for (Future<Integer> f : done) {
        sum += f.get();
      }
      assertThat(sum).isEqualTo(n);
    }
    assertThat(rows.count("SELECT count(*) FROM twitter_engagement_history")).isEqualTo(n);
    assertThat(rows.count("SELECT count(DISTINCT tweet_id) FROM twitter_engagement_history"))
        .isEqualTo(n);
  }
}
