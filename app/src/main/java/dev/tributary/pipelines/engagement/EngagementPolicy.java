package dev.tributary.pipelines.engagement;

import dev.tributary.config.EngagementSettings;
import java.time.Duration;

/**
 * What the refresh decides with: the selective tracking threshold, the viral velocity, the cold
 * interval, the recently-updated cache, and whether alerts go out by webhook.
 */
public record EngagementPolicy(
    int trackingMin, double viralVelocity, Duration coldInterval, Duration cache, boolean webhook) {

  /** How long a claim holds a tweet; a node that dies mid-refresh frees it after this. */
  public static final Duration CLAIM_LEASE = Duration.ofMinutes(5);

  /** After a provider failure a tweet waits 1, 2, 4 … minutes, at most this long. */
  public static final Duration MAX_ERROR_BACKOFF = Duration.ofHours(1);

  public static EngagementPolicy from(EngagementSettings s) {
    return new EngagementPolicy(
        s.trackingMin(),
        s.viralVelocity(),
        Duration.ofMinutes(s.coldIntervalMinutes()),
        Duration.ofSeconds(s.refreshCacheSeconds()),
        s.webhookUrl().isPresent());
  }

  public static EngagementPolicy defaults() {
    return from(EngagementSettings.defaults());
  }

  public EngagementPolicy withoutWebhook() {
    return new EngagementPolicy(trackingMin, viralVelocity, coldInterval, cache, false);
  }

  static Duration errorBackoff(int consecutiveErrors) {
    Duration d = Duration.ofMinutes(1L << Math.min(Math.max(consecutiveErrors, 0), 10));
    return d.compareTo(MAX_ERROR_BACKOFF) > 0 ? MAX_ERROR_BACKOFF : d;
  }
}
