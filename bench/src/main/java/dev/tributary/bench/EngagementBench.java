package dev.tributary.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.connectors.PostgresRateLimiter;
import dev.tributary.connectors.RateLimit;
import dev.tributary.connectors.twitter.TwitterClientConfig;
import dev.tributary.connectors.twitter.TwitterClients;
import dev.tributary.connectors.twitter.TwitterProvider;
import dev.tributary.db.Migrations;
import dev.tributary.pipelines.engagement.EngagementJobs;
import dev.tributary.pipelines.engagement.EngagementPolicy;
import dev.tributary.pipelines.engagement.EngagementService;
import dev.tributary.sandbox.TwitterSandbox;
import dev.tributary.sandbox.TwitterSandbox.SyntheticTweet;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;
import org.postgresql.PGConnection;

/**
 * Refreshing N due tweets end to end (claim, provider call over HTTP, snapshot writes) against the
 * local twitterapi.io sandbox: Tributary's refresh (100 ids per call, set-based writes in one
 * transaction per call, the cluster-wide Postgres limiter taken per call at a limit that never
 * binds) against the seed's approach in the same run on the same tweets (20 ids per call, then one
 * UPDATE and one INSERT per tweet, each its own commit), both with the same number of threads. Then
 * the due query for a batch of 100 is timed with {@code --big} tracked tweets, and its plan checked
 * for an index-only scan. Options: {@code --tweets N} (20000), {@code --threads N} (2), {@code
 * --big N} (1000000; 0 skips it).
 */
public final class EngagementBench {
  static final String KEY = "bench-sandbox-key";
  static final long FIRST_ID = 1_000_000_000_000_000L;

  private EngagementBench() {}

  record Side(int tweets, double seconds, long calls, double callSeconds) {
    double perSecond() {
      return tweets / seconds;
    }

    double callsPer100() {
      return tweets == 0 ? Double.NaN : calls * 100.0 / tweets;
    }
  }

  public static void main(String[] args) throws Exception {
    int n = intOption(args, "--tweets", 20_000);
    int threads = intOption(args, "--threads", 2);
    int big = intOption(args, "--big", 1_000_000);
    int warmups = intOption(args, "--warmup", 1);
    // the JDK's HTTP server answers in two writes; without TCP_NODELAY every call of the sandbox
    // waits out a delayed ACK (~40 ms), which is the fake's cost, not the client's
    System.setProperty("sun.net.httpserver.nodelay", "true");
    boolean pgStats = intOption(args, "--pg-stats", 0) == 1;
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder().setServerConfig("shared_buffers", "256MB");
    if (pgStats) {
      builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
    }
    boolean durable = intOption(args, "--durable", 1) == 1;
    if (durable) {
      // a production server's commits, not the embedded server's test settings (both off)
      builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
    }
    try (EmbeddedPostgres pg = builder.start();
        HikariDataSource ds = pool(pg, threads + 4);
        TwitterSandbox sandbox = TwitterSandbox.start(KEY, Clock.systemUTC())) {
      Migrations.apply(ds);
      System.out.printf(
          Locale.ROOT,
          "engagement: %d tracked tweets, %d threads, %s commits%n",
          n,
          threads,
          durable ? "durable (fsync, synchronous_commit on)" : "non-durable (fsync off)");
      insertTweets(ds, sandbox, n);

      for (int i = 0; i < warmups; i++) { // both sides once, so neither pays the JIT's warm-up
        makeDue(ds);
        tributary(ds, sandbox, threads);
        makeDue(ds);
        new SeedApproach(ds, client(sandbox, 20, null), sandbox).run(threads);
      }
      makeDue(ds);
      PgStats.reset(ds, pgStats);
      Side ours = tributary(ds, sandbox, threads);
      report("tributary", ours);
      PgStats.print(ds, pgStats, "tributary");
      makeDue(ds);
      Side seed = new SeedApproach(ds, client(sandbox, 20, null), sandbox).run(threads);
      report("seed-approach", seed);
      if (ours.tweets() != n || seed.tweets() != n) {
        System.out.printf(
            Locale.ROOT,
            "engagement: WARNING refreshed %d (tributary) and %d (seed) of %d tweets%n",
            ours.tweets(),
            seed.tweets(),
            n);
      }
      DueQuery.Timing due = big > 0 ? new DueQuery(ds).measure(big) : DueQuery.Timing.NOT_RUN;
      System.out.printf(
          Locale.ROOT,
          "engagement: load average after the run %s%n",
          String.format(
              Locale.ROOT,
              "%.2f",
              java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                  .getSystemLoadAverage()));
      System.out.printf(
          Locale.ROOT,
          "engagement: tweets=%d tributary=%.0f/s seed-approach=%.0f/s ratio=%.1f calls_per_100=%.2f"
              + " due_query_ms_at_1M=%s%n",
          n,
          ours.perSecond(),
          seed.perSecond(),
          ours.perSecond() / seed.perSecond(),
          ours.callsPer100(),
          due.p50Text());
    }
  }

  private static void report(String name, Side s) {
    System.out.printf(
        Locale.ROOT,
        "engagement: %s refreshed %d tweets in %.2f s (%.0f/s) with %d provider calls (%.2f per 100),"
            + " %.2f s of thread time in provider calls%n",
        name,
        s.tweets(),
        s.seconds(),
        s.perSecond(),
        s.calls(),
        s.callsPer100(),
        s.callSeconds());
  }

  static TimedSource client(TwitterSandbox sandbox, int batch, PostgresRateLimiter limiter) {
    return new TimedSource(
        TwitterClients.create(
            TwitterClientConfig.of(TwitterProvider.TWITTERAPI, KEY, sandbox.baseUrl())
                .withBatchSize(batch),
            limiter == null ? dev.tributary.connectors.RateLimiter.NONE : limiter));
  }

  private static Side tributary(HikariDataSource ds, TwitterSandbox sandbox, int threads)
      throws Exception {
    PostgresRateLimiter limiter =
        new PostgresRateLimiter(
            ds, "twitter:TWITTERAPI", new RateLimit(1_000_000, Duration.ofSeconds(1)));
    TimedSource source = client(sandbox, 100, limiter);
    EngagementService service =
        new EngagementService(
            ds,
            Optional.of(source),
            EngagementPolicy.defaults().withoutWebhook(),
            Clock.systemUTC());
    // as the drain job does: batch after batch of 100 until nothing is due
    return timed(
        sandbox,
        source,
        threads,
        () -> {
          int done = 0;
          for (int got;
              (got = service.updateBatchTweetEngagement(EngagementJobs.DRAIN_BATCH).successful())
                  > 0; ) {
            done += got;
          }
          return done;
        });
  }

  /**
   * Runs {@code worker} on {@code threads} threads; what they refreshed, how long, what it cost.
   */
  static Side timed(TwitterSandbox sandbox, TimedSource source, int threads, IntSupplier worker)
      throws Exception {
    long calls0 = sandbox.calls();
    long t0 = System.nanoTime();
    int total = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Integer>> all = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        all.add(pool.submit(worker::getAsInt));
      }
      for (Future<Integer> f : all) {
        total += f.get();
      }
    }
    return new Side(
        total, (System.nanoTime() - t0) / 1e9, sandbox.calls() - calls0, source.seconds());
  }

  /** Tweets of every age up to two days, stored with the counts the sandbox showed 15 min ago. */
  private static void insertTweets(HikariDataSource ds, TwitterSandbox sandbox, int n)
      throws Exception {
    Instant now = Instant.now();
    Instant readAt = now.minus(Duration.ofMinutes(15));
    StringBuilder copy = new StringBuilder(n * 80);
    for (int i = 0; i < n; i++) {
      String id = Long.toString(FIRST_ID + i);
      Instant posted = now.minus(Duration.ofMinutes((i * 37L) % (48 * 60)));
      SyntheticTweet t = new SyntheticTweet(id, posted, 200 + (i % 50) * 40, "synth" + (i % 300));
      sandbox.post(t);
      int[] c = TwitterSandbox.countsAt(t, readAt, 0);
      copy.append(id)
          .append('\t')
          .append(c[0])
          .append('\t')
          .append(c[1])
          .append('\t')
          .append(c[2])
          .append('\t')
          .append(c[3])
          .append('\t')
          .append(c[4])
          .append('\t')
          .append(OffsetDateTime.ofInstant(posted, ZoneOffset.UTC))
          .append('\t')
          .append(OffsetDateTime.ofInstant(readAt, ZoneOffset.UTC))
          .append('\n');
    }
    try (Connection c = ds.getConnection()) {
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY twitter_tweets (tweet_id, like_count, retweet_count, reply_count, quote_count,"
                  + " view_count, twitter_created_at, metrics_updated_at) FROM STDIN",
              new StringReader(copy.toString()));
    }
  }

  /** Every tracked tweet due now, claims cleared, statistics fresh: both sides start equal. */
  private static void makeDue(HikariDataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "UPDATE twitter_engagement_tracking SET next_update_at = now() - interval '1 second',"
              + " tracking_enabled = true, claim_token = NULL, claimed_until = NULL");
      s.execute("VACUUM ANALYZE twitter_engagement_tracking");
      s.execute("VACUUM ANALYZE twitter_tweets");
      s.execute("VACUUM ANALYZE twitter_engagement_history");
    }
  }

  private static HikariDataSource pool(EmbeddedPostgres pg, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
    config.setMaximumPoolSize(size);
    return new HikariDataSource(config);
  }

  static int intOption(String[] args, String name, int defaultValue) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return defaultValue;
  }
}
