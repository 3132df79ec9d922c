package dev.tributary.pipelines.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.connectors.RateLimiter;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.twitter.TweetMetrics;
import dev.tributary.connectors.twitter.TwitterClientConfig;
import dev.tributary.connectors.twitter.TwitterClients;
import dev.tributary.connectors.twitter.TwitterProvider;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.QueueConfig;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestEngines;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import dev.tributary.testing.Rows;
import dev.tributary.testing.TwitterFake;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
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

/**
 * Two engines on one database run the engagement cron job and the drain over one due set, and send
 * the viral alerts' webhooks: every tweet is refreshed once in the window, every alert is POSTed
 * once.
 */
class EngagementTwoNodesTest {
  static final int TWEETS = 400;
  static final int VIRAL = 25;
  static final String SECRET = "whsec_two_nodes";

  private final Rows rows = Rows.fresh();
  private final TwitterFake fake = new TwitterFake();
  private final FakeHttpServer receiver = new FakeHttpServer();
  private final SettableClock clock = SettableClock.startingNow();
  private final List<Engine> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(Engine::close);
    receiver.close();
    fake.close();
    rows.close();
  }

  private EngagementService service() {
    return new EngagementService(
        rows.dataSource(),
        Optional.of(
            TwitterClients.create(
                TwitterClientConfig.of(TwitterProvider.TWITTERAPI, TwitterFake.KEY, fake.baseUrl())
                    .withRetrying(
                        new Retrying(2, Duration.ofMillis(1), Duration.ofSeconds(1), d -> {}))
                    .withClock(clock),
                RateLimiter.NONE)),
        new EngagementPolicy(10, 500, Duration.ofDays(1), Duration.ofMinutes(1), true),
        clock);
  }

  private ViralAlertWebhook webhook() {
    // the webhook's claim runs on real time: the engines run jobs on real time too
    return new ViralAlertWebhook(
        rows.dataSource(), URI.create(receiver.baseUrl() + "/alerts"), SECRET, Clock.systemUTC());
  }

  private Engine node(String id) {
    EngagementService s = service();
    s.publishSettings();
    EngagementJobs jobs =
        new EngagementJobs(s, rows.dataSource(), Optional.of(webhook()), "*/10 * * * *");
    Engine e =
        jobs.register(
                TestEngines.builder(rows.dataSource(), Clock.systemUTC(), id)
                    .queue(QueueConfig.of(EngagementJobs.QUEUE, 3))
                    .queue(QueueConfig.of("default", 3)))
            .build();
    engines.add(e);
    e.start();
    return e;
  }

  /** {@code TWEETS} tracked tweets, all due; the first {@code VIRAL} have gained 5,000 likes. */
  private void dueSet() {
    rows.execute(
        "INSERT INTO twitter_tweets (tweet_id, like_count, twitter_created_at, metrics_updated_at)"
            + " SELECT (5000 + g)::text, 20, ?, ? FROM generate_series(0, ?) g",
        Timestamp.from(clock.instant().minus(Duration.ofMinutes(20))),
        Timestamp.from(clock.instant().minus(Duration.ofMinutes(15))),
        TWEETS - 1);
    for (int i = 0; i < TWEETS; i++) {
      fake.put(TweetMetrics.counts(String.valueOf(5000 + i), 1, 1, i < VIRAL ? 5000 : 22, 0, 10));
    }
    rows.update(
        "UPDATE twitter_engagement_tracking SET next_update_at = ?",
        Timestamp.from(clock.instant()));
  }

  @Test
  void two_engines_running_the_cron_job_and_the_drain_refresh_each_due_tweet_once() {
    dueSet();
    receiver.otherwise(r -> Reply.json(200, "{\"ok\":true}"));
    Engine a = node("node-a");
    Engine b = node("node-b");
    // what the cron fires on each node (once per cluster in production; here on both, to race)
    for (Engine e : List.of(a, b, a, b)) {
      e.jobs()
          .enqueue(
              EngagementJobs.UPDATE,
              Map.of("limit", 100),
              EnqueueOptions.DEFAULTS.queue(EngagementJobs.QUEUE));
    }

    Await.until(
        "every due tweet refreshed and every alert delivered",
        Duration.ofSeconds(60),
        () ->
            rows.count(
                        "SELECT count(*) FROM twitter_engagement_tracking"
                            + " WHERE tracking_enabled AND next_update_at <= ?",
                        Timestamp.from(clock.instant()))
                    == 0
                && rows.count(
                        "SELECT count(*) FROM twitter_viral_alerts WHERE webhook_sent_at IS NULL")
                    == 0
                && rows.count(
                        "SELECT count(*) FROM tributary.jobs WHERE state IN ('available', 'running')")
                    == 0);

    assertThat(
            rows.count(
                "SELECT count(*) FROM (SELECT tweet_id FROM twitter_engagement_history"
                    + " GROUP BY tweet_id HAVING count(*) > 1) twice"))
        .as("tweets refreshed twice in this window")
        .isZero();
    assertThat(rows.count("SELECT count(DISTINCT tweet_id) FROM twitter_engagement_history"))
        .isEqualTo(TWEETS);
    assertThat(rows.count("SELECT count(*) FROM twitter_viral_alerts")).isEqualTo(VIRAL);
    List<FakeHttpServer.Request> posts = receiver.requests();
    assertThat(posts).hasSize(VIRAL);
    assertThat(posts.stream().map(FakeHttpServer.Request::body).distinct()).hasSize(VIRAL);
    for (FakeHttpServer.Request p : posts) {
      assertThat(p.header(ViralAlertWebhook.SIGNATURE_HEADER))
          .isEqualTo("sha256=" + ViralAlertWebhook.sign(SECRET, p.body()));
    }
    assertThat(fake.calls())
        .as("at most one call per 100 tweets per claim, never a tweet asked twice")
        .isLessThanOrEqualTo(TWEETS / 100 + 4);
  }

  @Test
  void two_nodes_delivering_the_same_alerts_at_once_post_each_alert_once() throws Exception {
    List<UUID> alerts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      UUID tweet =
          rows.value(
              "INSERT INTO twitter_tweets (tweet_id, like_count) VALUES (?, 900) RETURNING id",
              String.valueOf(9000 + i));
      alerts.add(
          rows.value(
              "INSERT INTO twitter_viral_alerts (tweet_db_id, velocity, threshold, tier)"
                  + " VALUES (?, 800, 500, 'ultra_hot') RETURNING id",
              tweet));
    }
    receiver.otherwise(r -> Reply.json(200, "{}"));
    ViralAlertWebhook a = webhook();
    ViralAlertWebhook b = webhook();
    int sent = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<Integer>> all = new ArrayList<>();
      for (ViralAlertWebhook w : List.of(a, b, a, b)) {
        Callable<Integer> deliverAll =
            () -> (int) alerts.stream().filter(w::deliver).count(); // every node tries every alert
        all.add(pool.submit(deliverAll));
      }
      for (Future<Integer> f : all) {
        sent += f.get();
      }
    }
    assertThat(sent).isEqualTo(alerts.size());
    assertThat(receiver.requests()).hasSize(alerts.size());
    assertThat(
            rows.count("SELECT count(*) FROM twitter_viral_alerts WHERE webhook_sent_at IS NULL"))
        .isZero();
  }
}
