package dev.tributary.pipelines.engagement;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One refresh's result for one tweet: the counts, the deltas against the previous snapshot, the
 * engagement gained per hour since then, and where the tweet goes next.
 */
record Snapshot(
    UUID tweetDbId,
    Counts counts,
    Counts deltas,
    double velocity,
    Tier tier,
    Instant nextUpdateAt,
    boolean trackingEnabled,
    boolean firstMetrics) {

  /** The shortest span velocity is measured over, so a refresh seconds after the last is sane. */
  static final Duration MIN_SPAN = Duration.ofMinutes(1);

  static Snapshot compute(Claimed c, Counts now, Instant at, EngagementPolicy policy) {
    Counts deltas = c.firstMetrics() ? Counts.ZERO : now.minus(c.previous());
    double velocity = 0;
    if (!c.firstMetrics()) {
      Duration span = Duration.between(c.previousAt(), at);
      if (span.compareTo(MIN_SPAN) < 0) {
        span = MIN_SPAN;
      }
      velocity = Math.max(0, deltas.total()) * 3_600_000.0 / span.toMillis();
      velocity = Math.round(velocity * 100) / 100.0;
    }
    Duration age = Duration.between(c.postedAt(), at);
    Tier tier = Tier.classify(age.isNegative() ? Duration.ZERO : age, velocity);
    Duration interval = tier.interval(policy.coldInterval());
    boolean enabled = c.firstMetrics() ? now.total() >= policy.trackingMin() : c.trackingEnabled();
    if (interval.isZero()) {
      enabled = false; // cold and configured never to refresh again
      interval = Duration.ofDays(3650);
    }
    return new Snapshot(
        c.tweetDbId(), now, deltas, velocity, tier, at.plus(interval), enabled, c.firstMetrics());
  }
}
