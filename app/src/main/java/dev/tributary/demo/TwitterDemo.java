package dev.tributary.demo;

import dev.tributary.connectors.RateLimiter;
import dev.tributary.connectors.twitter.TwitterClientConfig;
import dev.tributary.connectors.twitter.TwitterClients;
import dev.tributary.connectors.twitter.TwitterProvider;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import dev.tributary.pipelines.engagement.EngagementPolicy;
import dev.tributary.pipelines.engagement.EngagementService;
import dev.tributary.pipelines.engagement.Results.AddResult;
import dev.tributary.pipelines.engagement.Results.BatchResult;
import dev.tributary.sandbox.TwitterSandbox;
import dev.tributary.sandbox.TwitterSandbox.SyntheticTweet;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The demo's tweet engagement part: SYNTHETIC tweets on the local Twitter sandbox (twitterapi.io's
 * wire format, no key, no network), added through the same service as {@code POST
 * /api/twitter/tweets}, then 12 hours of refreshes on an accelerated clock: each round jumps to the
 * next due time and runs the batch update the cron runs. It prints the tier changes, the viral
 * alert of a tweet that suddenly gains 2,000 likes, and one tweet's snapshots. The tweets live in
 * their own zone, replaced at each run and left untracked afterwards, so a real node never asks the
 * real provider about them.
 */
final class TwitterDemo {
  static final String ZONE = "Tributary demo (SYNTHETIC tweets)";
  static final Duration SIMULATED = Duration.ofHours(12);
  static final Duration BOOST_AT = Duration.ofHours(4);
  static final int BOOST_LIKES = 2_000;
  static final int MAX_ROUNDS = 500;

  private final Jdbc jdbc;
  private final DataSource ds;
  private final PrintStream out;

  TwitterDemo(DataSource ds, PrintStream out) {
    this.jdbc = new Jdbc(ds);
    this.ds = ds;
    this.out = out;
  }

  /** The synthetic tweets, posted relative to the start: from 2 minutes to 30 hours ago. */
  static List<SyntheticTweet> tweets(Instant start) {
    return List.of(
        new SyntheticTweet("1990000000000000001", start.minus(Duration.ofMinutes(5)), 1200, "nova"),
        new SyntheticTweet(
            "1990000000000000002", start.minus(Duration.ofMinutes(40)), 300, "orbit"),
        new SyntheticTweet("1990000000000000003", start.minus(Duration.ofHours(3)), 600, "quill"),
        new SyntheticTweet("1990000000000000004", start.minus(Duration.ofHours(10)), 400, "ember"),
        new SyntheticTweet("1990000000000000005", start.minus(Duration.ofHours(30)), 200, "atlas"),
        new SyntheticTweet("1990000000000000006", start.minus(Duration.ofMinutes(2)), 5, "quiet"));
  }

  /** Runs the part; 0 when it ran or was skipped with a reason. */
  int run() {
    out.println();
    long foreign =
        jdbc.queryOne(
                """
                SELECT count(*) FROM twitter_engagement_tracking t
                  JOIN twitter_tweets w ON w.id = t.tweet_db_id
                  LEFT JOIN twitter_zones z ON z.id = w.zone_id
                 WHERE t.tracking_enabled AND z.name IS DISTINCT FROM :zone
                """,
                Params.of("zone", ZONE),
                rs -> rs.getLong(1))
            .orElse(0L);
    if (foreign > 0) {
      out.printf(
          "Tweet engagement: skipped — this database tracks %d tweet(s) the SYNTHETIC sandbox does"
              + " not know; run the demo on a database of its own to see it.%n",
          foreign);
      return 0;
    }
    DemoClock clock = new DemoClock(Instant.now());
    Instant start = clock.instant();
    UUID zone = freshZone();
    try (TwitterSandbox sandbox = TwitterSandbox.start(Demo.SANDBOX_KEY, clock)) {
      List<SyntheticTweet> synthetic = tweets(start);
      synthetic.forEach(sandbox::post);
      EngagementService service =
          new EngagementService(
              ds,
              Optional.of(
                  TwitterClients.create(
                      TwitterClientConfig.of(
                              TwitterProvider.TWITTERAPI, Demo.SANDBOX_KEY, sandbox.baseUrl())
                          .withClock(clock),
                      RateLimiter.NONE)),
              EngagementPolicy.defaults().withoutWebhook(),
              clock);
      AddResult added =
          service.addTweets(synthetic.stream().map(SyntheticTweet::id).toList(), zone);
      long tracked = trackedInZone(zone);
      out.printf(
          "Tweet engagement — SYNTHETIC Twitter sandbox at %s (twitterapi.io's format, no key, no"
              + " network): %d tweets added in %d provider call(s); %d tracked, %d below"
              + " ENGAGEMENT_TRACKING_MIN (%d) not tracked%n",
          sandbox.baseUrl(),
          added.inserted().size(),
          sandbox.calls(),
          tracked,
          added.inserted().size() - tracked,
          service.policy().trackingMin());
      Rounds r = simulate(service, sandbox, clock, start, zone);
      new TwitterDemoReport(jdbc, out).print(zone, start, r.rounds(), r.calls(), r.refreshed());
    } finally {
      // a real node must never ask the real provider about synthetic ids
      jdbc.update(
          "UPDATE twitter_engagement_tracking SET tracking_enabled = false WHERE tweet_db_id IN"
              + " (SELECT id FROM twitter_tweets WHERE zone_id = :zone)",
          Params.of("zone", zone));
    }
    return 0;
  }

  record Rounds(int rounds, long calls, long refreshed) {}

  /** Jumps from due time to due time for 12 simulated hours, refreshing what is due each time. */
  private Rounds simulate(
      EngagementService service,
      TwitterSandbox sandbox,
      DemoClock clock,
      Instant start,
      UUID zone) {
    Instant end = start.plus(SIMULATED);
    Instant boostAt = start.plus(BOOST_AT);
    boolean boosted = false;
    int rounds = 0;
    long calls = 0;
    long refreshed = 0;
    for (int i = 0; i < MAX_ROUNDS; i++) {
      Optional<Instant> next = nextDue(zone);
      if (next.isEmpty() || next.get().isAfter(end)) {
        break;
      }
      if (!boosted && !next.get().isBefore(boostAt)) {
        clock.set(boostAt);
        sandbox.boost("1990000000000000004", BOOST_LIKES);
        boosted = true;
        continue;
      }
      if (next.get().isAfter(clock.instant())) {
        clock.set(next.get());
      }
      BatchResult r = service.updateBatchTweetEngagement(100);
      rounds++;
      calls += r.providerCalls();
      refreshed += r.successful();
    }
    return new Rounds(rounds, calls, refreshed);
  }

  private Optional<Instant> nextDue(UUID zone) {
    return jdbc.queryOne(
            """
            SELECT min(t.next_update_at) FROM twitter_engagement_tracking t
              JOIN twitter_tweets w ON w.id = t.tweet_db_id
             WHERE w.zone_id = :zone AND t.tracking_enabled
            """,
            Params.of("zone", zone),
            rs -> Optional.ofNullable(Handle.instant(rs, 1)))
        .flatMap(x -> x);
  }

  private long trackedInZone(UUID zone) {
    return jdbc.queryOne(
            "SELECT count(*) FROM twitter_engagement_tracking t JOIN twitter_tweets w"
                + " ON w.id = t.tweet_db_id WHERE w.zone_id = :zone AND t.tracking_enabled",
            Params.of("zone", zone),
            rs -> rs.getLong(1))
        .orElse(0L);
  }

  /**
   * The demo's zone, emptied: its tweets (with their tracking and snapshots) from a past run go.
   */
  private UUID freshZone() {
    UUID zone =
        jdbc.queryOne(
                "SELECT id FROM twitter_zones WHERE name = :name ORDER BY created_at LIMIT 1",
                Params.of("name", ZONE),
                rs -> rs.getObject(1, UUID.class))
            .orElseGet(
                () ->
                    jdbc.queryOne(
                            "INSERT INTO twitter_zones (name, description) VALUES (:name,"
                                + " 'SYNTHETIC tweets of the demo sandbox') RETURNING id",
                            Params.of("name", ZONE),
                            rs -> rs.getObject(1, UUID.class))
                        .orElseThrow());
    jdbc.update("DELETE FROM twitter_tweets WHERE zone_id = :zone", Params.of("zone", zone));
    return zone;
  }

  static String offset(Instant start, Instant at) {
    long m = Math.max(0, Duration.between(start, at).toMinutes());
    return String.format(Locale.ROOT, "+%d:%02d", m / 60, m % 60);
  }
}
