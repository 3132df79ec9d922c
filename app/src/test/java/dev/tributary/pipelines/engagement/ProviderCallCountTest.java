package dev.tributary.pipelines.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.connectors.RateLimiter;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.twitter.TweetMetrics;
import dev.tributary.connectors.twitter.TwitterClientConfig;
import dev.tributary.connectors.twitter.TwitterClients;
import dev.tributary.connectors.twitter.TwitterProvider;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.pipelines.engagement.Results.BatchResult;
import dev.tributary.testing.FakeHttpServer.Reply;
import dev.tributary.testing.Rows;
import dev.tributary.testing.TwitterFake;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stats count what the vendor bills: every HTTP request, retries included. */
class ProviderCallCountTest {
  private final Rows rows = Rows.fresh();
  private final TwitterFake fake = new TwitterFake();
  private final SettableClock clock = SettableClock.startingNow();

  @AfterEach
  void close() {
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
                        new Retrying(3, Duration.ofMillis(1), Duration.ofSeconds(5), d -> {}))
                    .withClock(clock),
                RateLimiter.NONE)),
        EngagementPolicy.defaults(),
        clock);
  }

  @Test
  void a_call_retried_after_a_503_and_a_429_counts_three_provider_calls_today() {
    EngagementService s = service();
    fake.put(TweetMetrics.counts("77", 1, 1, 40, 0, 100));
    rows.execute(
        "INSERT INTO twitter_tweets (tweet_id, like_count, metrics_updated_at) VALUES ('77', 30, ?)",
        java.sql.Timestamp.from(clock.instant()));
    clock.advance(Duration.ofMinutes(20));
    fake.server()
        .enqueue(
            Reply.json(503, "{\"status\":\"error\",\"msg\":\"overloaded\"}"),
            Reply.json(429, "{\"status\":\"error\",\"msg\":\"Too many requests\"}")
                .withHeader("Retry-After", "1"));

    BatchResult r = s.updateBatchTweetEngagement(10);

    assertThat(r.successful()).isEqualTo(1);
    assertThat(r.providerCalls()).as("one batch of ids").isEqualTo(1);
    assertThat(fake.calls()).isEqualTo(3);
    assertThat(rows.count("SELECT calls FROM twitter_provider_calls")).isEqualTo(3);
    assertThat(s.getEngagementTrackingStats().providerCallsToday()).isEqualTo(3);
    assertThat(s.getEngagementTrackingStats().tweetsFetchedToday()).isEqualTo(1);
  }

  @Test
  void a_call_that_fails_after_its_retries_counts_each_attempt_and_one_failure() {
    EngagementService s = service();
    rows.execute(
        "INSERT INTO twitter_tweets (tweet_id, like_count, metrics_updated_at) VALUES ('78', 30, ?)",
        java.sql.Timestamp.from(clock.instant()));
    clock.advance(Duration.ofMinutes(20));
    fake.server()
        .otherwise(req -> Reply.json(502, "{\"status\":\"error\",\"msg\":\"bad gateway\"}"));

    BatchResult r = s.updateBatchTweetEngagement(10);

    assertThat(r.failed()).isEqualTo(1);
    assertThat(fake.calls()).isEqualTo(3);
    assertThat(rows.count("SELECT calls FROM twitter_provider_calls")).isEqualTo(3);
    assertThat(rows.count("SELECT failures FROM twitter_provider_calls")).isEqualTo(1);
  }
}
