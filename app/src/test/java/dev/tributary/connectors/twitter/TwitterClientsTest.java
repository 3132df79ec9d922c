package dev.tributary.connectors.twitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.RateLimiter;
import dev.tributary.connectors.Retrying;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.testing.FakeHttpServer.Reply;
import dev.tributary.testing.TwitterFake;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Both tweet clients over real HTTP against the vendors' fakes, every error case included. */
class TwitterClientsTest {
  private final TwitterFake fake = new TwitterFake();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final SettableClock clock = new SettableClock(Instant.parse("2025-01-10T12:00:00Z"));
  private final AtomicInteger permits = new AtomicInteger();
  private final RateLimiter countingLimiter = permits::incrementAndGet;

  @AfterEach
  void close() {
    fake.close();
  }

  private Retrying recording() {
    return new Retrying(3, Duration.ofSeconds(1), Duration.ofMinutes(5), waits::add);
  }

  private TweetSource twitterApi() {
    return new TwitterApiIoClient(
        TwitterClientConfig.of(TwitterProvider.TWITTERAPI, TwitterFake.KEY, fake.baseUrl())
            .withRetrying(recording())
            .withClock(clock),
        countingLimiter);
  }

  private TweetSource x() {
    return new XApiClient(
        TwitterClientConfig.of(TwitterProvider.X, TwitterFake.BEARER, fake.baseUrl())
            .withRetrying(recording())
            .withClock(clock),
        countingLimiter);
  }

  @Test
  void twitterapi_batch_reads_counts_and_reports_omitted_ids_as_missing() {
    fake.put(TweetMetrics.counts("111", 10, 5, 100, 2, 500));
    fake.put(TweetMetrics.counts("222", 1, 0, 3, 0, 0));

    TweetBatch b = twitterApi().fetch(List.of("111", "222", "333"));

    assertThat(b.found()).containsOnlyKeys("111", "222");
    TweetMetrics t = b.found().get("111");
    assertThat(t.likes()).isEqualTo(100);
    assertThat(t.retweets()).isEqualTo(10);
    assertThat(t.views()).isEqualTo(500);
    assertThat(t.engagement()).isEqualTo(117);
    assertThat(t.authorUsername()).isEqualTo("someuser");
    assertThat(t.createdAt()).isEqualTo(Instant.parse("2024-12-06T12:00:00Z"));
    assertThat(b.missing()).containsExactly("333");
    var req = fake.server().requests().get(0);
    assertThat(req.path()).isEqualTo("/twitter/tweets");
    assertThat(req.query().get("tweet_ids")).isEqualTo("111,222,333");
    assertThat(req.header("x-api-key")).isEqualTo(TwitterFake.KEY);
    assertThat(permits).hasValue(1);
  }

  @Test
  void x_batch_puts_ids_of_errors_array_in_missing_and_sends_the_bearer_and_fields() {
    fake.put(TweetMetrics.counts("111", 10, 2, 100, 1, 5000));

    TweetBatch b = x().fetch(List.of("111", "2"));

    assertThat(b.found().get("111").likes()).isEqualTo(100);
    assertThat(b.found().get("111").views()).isEqualTo(5000);
    assertThat(b.found().get("111").createdAt()).isEqualTo(Instant.parse("2021-10-27T22:33:53Z"));
    assertThat(b.missing()).containsExactly("2");
    var req = fake.server().requests().get(0);
    assertThat(req.path()).isEqualTo("/2/tweets");
    assertThat(req.query().get("ids")).isEqualTo("111,2");
    assertThat(req.query().get("tweet.fields")).isEqualTo("public_metrics,created_at,author_id");
    assertThat(req.header("authorization")).isEqualTo("Bearer " + TwitterFake.BEARER);
  }

  @Test
  void x_answer_with_only_errors_reports_every_id_missing() {
    TweetBatch b = x().fetch(List.of("5", "6"));
    assertThat(b.found()).isEmpty();
    assertThat(b.missing()).containsExactlyInAnyOrder("5", "6");
  }

  @Test
  void twitterapi_200_with_status_error_fails_the_call_with_msg_or_message() {
    fake.server()
        .enqueue(Reply.json(200, "{\"status\":\"error\",\"msg\":\"account suspended\"}"))
        .enqueue(Reply.json(200, "{\"tweets\":[],\"status\":\"error\",\"message\":\"bad ids\"}"));

    assertThatThrownBy(() -> twitterApi().fetch(List.of("1")))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining("account suspended");
    assertThatThrownBy(() -> twitterApi().fetch(List.of("1")))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining("bad ids");
  }

  @Test
  void twitterapi_429_waits_the_retry_after_then_succeeds() {
    fake.put(TweetMetrics.counts("1", 0, 0, 7, 0, 0));
    fake.server()
        .enqueue(
            Reply.json(429, "{\"status\":\"error\",\"msg\":\"Too many requests\"}")
                .withHeader("Retry-After", "7"));

    TweetBatch b = twitterApi().fetch(List.of("1"));

    assertThat(b.found().get("1").likes()).isEqualTo(7);
    assertThat(waits).containsExactly(Duration.ofSeconds(7));
    assertThat(permits).as("each attempt is billed, so each asks the limiter").hasValue(2);
  }

  @Test
  void x_429_waits_until_the_rate_limit_reset() {
    fake.put(TweetMetrics.counts("1", 0, 0, 7, 0, 0));
    long reset = clock.instant().getEpochSecond() + 42;
    fake.server()
        .enqueue(
            Reply.json(
                    429,
                    "{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}")
                .withHeader("x-rate-limit-remaining", "0")
                .withHeader("x-rate-limit-reset", String.valueOf(reset)));

    x().fetch(List.of("1"));

    assertThat(waits).containsExactly(Duration.ofSeconds(42));
  }

  @Test
  void x_spent_window_makes_the_next_call_wait_for_its_reset() {
    fake.put(TweetMetrics.counts("1", 0, 0, 7, 0, 0));
    long reset = clock.instant().getEpochSecond() + 30;
    fake.server()
        .enqueue(
            Reply.json(200, fake.x(List.of("1")))
                .withHeader("x-rate-limit-remaining", "0")
                .withHeader("x-rate-limit-reset", String.valueOf(reset)));
    TweetSource client = x();

    client.fetch(List.of("1"));
    assertThat(waits).isEmpty();
    client.fetch(List.of("1"));

    assertThat(waits).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void server_errors_are_retried_with_backoff_and_give_up_after_the_attempts() {
    fake.put(TweetMetrics.counts("1", 0, 0, 7, 0, 0));
    fake.server().enqueue(Reply.json(503, "<html>busy</html>"), Reply.json(500, "{}"));
    assertThat(twitterApi().fetch(List.of("1")).found()).containsKey("1");
    assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));

    waits.clear();
    fake.server().enqueue(Reply.json(502, "a"), Reply.json(502, "b"), Reply.json(502, "c"));
    assertThatThrownBy(() -> twitterApi().fetch(List.of("1")))
        .isInstanceOfSatisfying(
            ConnectorException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.status()).isEqualTo(502);
            });
  }

  @Test
  void wrong_key_is_final_and_names_the_variable_without_showing_any_key() {
    TweetSource wrong =
        new TwitterApiIoClient(
            TwitterClientConfig.of(TwitterProvider.TWITTERAPI, "wrong-key-123", fake.baseUrl())
                .withRetrying(recording()),
            RateLimiter.NONE);
    assertThatThrownBy(() -> wrong.fetch(List.of("1")))
        .isInstanceOfSatisfying(
            ConnectorException.class,
            e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.getMessage()).contains("TWITTER_API_KEY").doesNotContain("wrong-key");
            });
    assertThat(fake.calls()).isEqualTo(1);

    TweetSource wrongX =
        new XApiClient(
            TwitterClientConfig.of(TwitterProvider.X, "nope", fake.baseUrl())
                .withRetrying(recording()),
            RateLimiter.NONE);
    assertThatThrownBy(() -> wrongX.fetch(List.of("1"))).hasMessageContaining("X_BEARER_TOKEN");
    fake.server().enqueue(Reply.json(403, "{\"title\":\"Forbidden\"}"));
    assertThatThrownBy(() -> x().fetch(List.of("1")))
        .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("X_BEARER_TOKEN");
  }

  @Test
  void a_vendor_body_echoing_the_key_is_kept_without_it() {
    fake.server()
        .enqueue(
            Reply.json(400, "{\"status\":\"error\",\"msg\":\"bad key " + TwitterFake.KEY + "\"}"));
    assertThatThrownBy(() -> twitterApi().fetch(List.of("1")))
        .isInstanceOfSatisfying(
            ConnectorException.class,
            e -> {
              assertThat(e.body()).doesNotContain(TwitterFake.KEY).contains("***");
              assertThat(e.getMessage()).doesNotContain(TwitterFake.KEY);
            });
  }

  @Test
  void timeouts_and_dropped_connections_are_retryable_failures() {
    TweetSource slow =
        new TwitterApiIoClient(
            TwitterClientConfig.of(TwitterProvider.TWITTERAPI, TwitterFake.KEY, fake.baseUrl())
                .withRequestTimeout(Duration.ofMillis(200))
                .withRetrying(
                    new Retrying(2, Duration.ofMillis(1), Duration.ofSeconds(1), waits::add)),
            RateLimiter.NONE);
    fake.server().enqueue(Reply.hang(), Reply.hang());
    assertThatThrownBy(() -> slow.fetch(List.of("1")))
        .isInstanceOfSatisfying(
            ConnectorException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage()).contains("no answer");
            });

    fake.put(TweetMetrics.counts("1", 0, 0, 7, 0, 0));
    int before = fake.calls();
    fake.server().enqueue(Reply.drop());
    assertThat(twitterApi().fetch(List.of("1")).found()).containsKey("1");
    assertThat(fake.calls() - before).as("the dropped request was sent again").isEqualTo(2);
  }

  @Test
  void a_cut_off_body_is_retried_and_a_tweet_with_unreadable_counts_fails_alone() {
    fake.server()
        .enqueue(Reply.json(200, "{\"tweets\":[{\"id\":\"1\",\"likeCount\":"))
        .enqueue(
            Reply.json(
                200,
                "{\"status\":\"success\",\"message\":\"\",\"tweets\":["
                    + "{\"id\":\"1\",\"retweetCount\":\"3\",\"replyCount\":1,\"likeCount\":\"12\",\"quoteCount\":0},"
                    + "{\"id\":\"2\",\"retweetCount\":\"lots\",\"replyCount\":1,\"likeCount\":1,\"quoteCount\":0},"
                    + "{\"id\":\"3\",\"retweetCount\":1,\"replyCount\":1,\"quoteCount\":0},"
                    + "{\"id\":\"4\",\"retweetCount\":-1,\"replyCount\":1,\"likeCount\":1,\"quoteCount\":0}]}"));

    TweetBatch b = twitterApi().fetch(List.of("1", "2", "3", "4", "5"));

    assertThat(b.found()).containsOnlyKeys("1");
    assertThat(b.found().get("1").likes()).isEqualTo(12);
    assertThat(b.found().get("1").views()).isZero();
    assertThat(b.unreadable()).containsOnlyKeys("2", "3", "4");
    assertThat(b.unreadable().get("3")).contains("likeCount is missing");
    assertThat(b.missing()).containsExactly("5");
    assertThat(waits).hasSize(1);
  }

  @Test
  void bad_ids_and_oversized_batches_are_refused_before_any_call() {
    assertThatThrownBy(() -> twitterApi().fetch(List.of("12a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> twitterApi().fetch(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    List<String> many = java.util.stream.IntStream.range(0, 101).mapToObj(String::valueOf).toList();
    assertThatThrownBy(() -> twitterApi().fetch(many)).hasMessageContaining("at most 100");
    assertThat(fake.calls()).isZero();
  }
}
