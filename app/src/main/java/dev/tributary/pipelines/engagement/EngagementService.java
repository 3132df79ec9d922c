package dev.tributary.pipelines.engagement;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.twitter.TweetBatch;
import dev.tributary.connectors.twitter.TweetMetrics;
import dev.tributary.connectors.twitter.TweetSource;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import dev.tributary.pipelines.engagement.Results.AddResult;
import dev.tributary.pipelines.engagement.Results.BatchResult;
import dev.tributary.pipelines.engagement.Results.DueSummary;
import dev.tributary.pipelines.engagement.Results.HistoryPoint;
import dev.tributary.pipelines.engagement.Results.Stats;
import dev.tributary.pipelines.engagement.Results.TweetEngagement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The seed's engagement operations (S4.1) as a Java API: {@link #updateSingleTweetEngagement},
 * {@link #updateBatchTweetEngagement}, {@link #forceUpdateTweetEngagement}, {@link
 * #getEngagementTrackingStats}, plus adding tweets, history and the due summary. Safe to call from
 * many threads and many nodes at once: every refresh claims its tweets first.
 */
public final class EngagementService {
  public static final int MAX_BATCH_LIMIT = 10_000;

  private final TrackingStore store;
  private final EngagementQueries queries;
  private final Optional<TweetSource> source;
  private final EngagementPolicy policy;
  private final Clock clock;

  public EngagementService(
      DataSource dataSource, Optional<TweetSource> source, EngagementPolicy policy, Clock clock) {
    Jdbc jdbc = new Jdbc(dataSource);
    this.store = new TrackingStore(jdbc);
    this.queries = new EngagementQueries(jdbc);
    this.source = source;
    this.policy = policy;
    this.clock = clock;
  }

  /** False when no provider key is set: refreshes then refuse with {@link NotConfigured}. */
  public boolean refreshAvailable() {
    return source.isPresent();
  }

  public EngagementPolicy policy() {
    return policy;
  }

  /**
   * Writes the settings the insert trigger reads (selective tracking threshold, first interval).
   */
  public void publishSettings() {
    store
        .jdbc()
        .update(
            "UPDATE twitter_engagement_config SET tracking_min = :min,"
                + " first_interval = make_interval(secs => :secs), updated_at = now() WHERE id",
            Params.of(
                "min",
                policy.trackingMin(),
                "secs",
                (double) Tier.ULTRA_HOT.interval(policy.coldInterval()).toSeconds()));
  }

  /** Refreshing needs a provider that is not configured on this node. */
  public static final class NotConfigured extends RuntimeException {
    NotConfigured() {
      super("engagement refresh is off on this node: set TWITTER_API_KEY or X_BEARER_TOKEN");
    }
  }

  /** The provider could not answer for the tweet; it stays due with backoff. */
  public static final class ProviderFailed extends RuntimeException {
    ProviderFailed(String message) {
      super(message);
    }
  }

  /** One tweet; answered from the database when refreshed within the cache window. */
  public Optional<TweetEngagement> updateSingleTweetEngagement(UUID tweetDbId) {
    return refresh(tweetDbId, false);
  }

  /** One tweet from the provider whatever the cache says. */
  public Optional<TweetEngagement> forceUpdateTweetEngagement(UUID tweetDbId) {
    return refresh(tweetDbId, true);
  }

  /** Empty for an unknown tweet. */
  public Optional<TweetEngagement> refresh(UUID tweetDbId, boolean force) {
    Optional<TweetEngagement> current = queries.view(tweetDbId);
    if (current.isEmpty()) {
      return current;
    }
    Instant now = clock.instant();
    Instant last = current.get().lastUpdatedAt();
    if (!force && last != null && Duration.between(last, now).compareTo(policy.cache()) < 0) {
      return current;
    }
    TweetSource s = source.orElseThrow(NotConfigured::new);
    UUID token = UUID.randomUUID();
    Optional<Claimed> claimed = store.claimOne(tweetDbId, token, now);
    if (claimed.isEmpty()) {
      return current; // another refresh holds it right now: its answer is moments away
    }
    BatchResult r = refreshClaims(s, claimed.stream().toList(), token, System.nanoTime());
    TweetEngagement after = queries.view(tweetDbId).orElseThrow();
    if (r.failed() > 0) {
      throw new ProviderFailed(
          "the provider did not answer for this tweet; it is retried later"
              + Optional.ofNullable(lastError(tweetDbId)).map(e -> ": " + e).orElse(""));
    }
    return Optional.of(after.asCached(false));
  }

  private String lastError(UUID id) {
    return store
        .jdbc()
        .queryOne(
            "SELECT last_error FROM twitter_engagement_tracking WHERE tweet_db_id = :id",
            Params.of("id", id),
            rs -> rs.getString(1))
        .orElse(null);
  }

  /** Refreshes up to {@code limit} due tweets, in provider calls of up to the batch size. */
  public BatchResult updateBatchTweetEngagement(int limit) {
    if (limit < 1 || limit > MAX_BATCH_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_BATCH_LIMIT + ", got " + limit);
    }
    TweetSource s = source.orElseThrow(NotConfigured::new);
    long start = System.nanoTime();
    UUID token = UUID.randomUUID();
    List<Claimed> claims = store.claimDue(limit, token, clock.instant());
    return refreshClaims(s, claims, token, start);
  }

  private BatchResult refreshClaims(TweetSource s, List<Claimed> claims, UUID token, long start) {
    int successful = 0;
    int failed = 0;
    int skipped = 0;
    int calls = 0;
    for (int i = 0; i < claims.size(); i += s.maxBatch()) {
      List<Claimed> chunk = claims.subList(i, Math.min(claims.size(), i + s.maxBatch()));
      BatchOutcome o = refreshChunk(s, chunk, token);
      calls++;
      successful += o.written;
      failed += o.failed;
      skipped += chunk.size() - o.written - o.failed;
    }
    return new BatchResult(
        claims.size(), successful, failed, skipped, calls, (System.nanoTime() - start) / 1_000_000);
  }

  private record BatchOutcome(int written, int failed) {}

  private BatchOutcome refreshChunk(TweetSource s, List<Claimed> chunk, UUID token) {
    TweetBatch answer;
    Map<UUID, String> errors = new HashMap<>();
    Map<UUID, Instant> errorNext = new HashMap<>();
    List<Snapshot> snapshots = new ArrayList<>();
    List<UUID> unavailable = new ArrayList<>();
    Instant now;
    AtomicInteger attempts = new AtomicInteger();
    try {
      answer = s.fetch(chunk.stream().map(Claimed::tweetId).toList(), attempts::incrementAndGet);
      now = clock.instant();
    } catch (ConnectorException e) {
      now = clock.instant();
      for (Claimed c : chunk) {
        errors.put(c.tweetDbId(), e.getMessage());
        errorNext.put(
            c.tweetDbId(), now.plus(EngagementPolicy.errorBackoff(c.consecutiveErrors())));
      }
      store.write(
          new TrackingStore.BatchWrite(
              token,
              now,
              s.name(),
              attempts.get(),
              chunk.size(),
              List.of(),
              List.of(),
              errors,
              errorNext),
          policy);
      return new BatchOutcome(0, chunk.size());
    }
    for (Claimed c : chunk) {
      TweetMetrics m = answer.found().get(c.tweetId());
      if (m != null) {
        snapshots.add(Snapshot.compute(c, Counts.of(m), now, policy));
      } else if (answer.unreadable().containsKey(c.tweetId())) {
        errors.put(c.tweetDbId(), "unreadable answer: " + answer.unreadable().get(c.tweetId()));
        errorNext.put(
            c.tweetDbId(), now.plus(EngagementPolicy.errorBackoff(c.consecutiveErrors())));
      } else {
        unavailable.add(c.tweetDbId());
      }
    }
    int written =
        store
            .write(
                new TrackingStore.BatchWrite(
                    token,
                    now,
                    s.name(),
                    attempts.get(),
                    chunk.size(),
                    snapshots,
                    unavailable,
                    errors,
                    errorNext),
                policy)
            .size();
    return new BatchOutcome(written, errors.size());
  }

  /** What is due and tracked; changes nothing. */
  public DueSummary dueSummary() {
    return queries.due(clock.instant());
  }

  public Stats getEngagementTrackingStats() {
    return queries.stats(clock.instant(), policy, source.map(TweetSource::maxBatch).orElse(100));
  }

  public List<HistoryPoint> history(UUID tweetDbId, int limit) {
    return queries.history(tweetDbId, limit);
  }

  public boolean exists(UUID tweetDbId) {
    return queries.view(tweetDbId).isPresent();
  }

  public boolean userMaySee(UUID tweetDbId, String userId) {
    return queries.userMaySee(tweetDbId, userId);
  }

  public boolean userMayUseZone(UUID zoneId, String userId) {
    return queries.userMayUseZone(zoneId, userId);
  }

  public boolean zoneExists(UUID zoneId) {
    return queries.zoneExists(zoneId);
  }

  /** Turns tracking of one tweet on or off (an operator's override of selective tracking). */
  public boolean setTracking(UUID tweetDbId, boolean enabled) {
    return store
            .jdbc()
            .update(
                "UPDATE twitter_engagement_tracking SET tracking_enabled = :on,"
                    + " next_update_at = CASE WHEN :on THEN least(next_update_at, :now)"
                    + " ELSE next_update_at END, updated_at = now() WHERE tweet_db_id = :id",
                Params.of("on", enabled, "now", clock.instant(), "id", tweetDbId))
        > 0;
  }

  /**
   * Fetches the tweets' metrics, then stores the new ones in {@code zoneId}; the insert trigger
   * starts their tracking (selective tracking applies).
   */
  public AddResult addTweets(List<String> tweetIds, UUID zoneId) {
    TweetSource s = source.orElseThrow(NotConfigured::new);
    return new TweetInserter(store.jdbc(), s, clock).add(tweetIds, zoneId);
  }
}
