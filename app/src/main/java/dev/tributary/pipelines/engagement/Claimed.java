package dev.tributary.pipelines.engagement;

import java.time.Instant;
import java.util.UUID;

/**
 * A tracked tweet taken for one refresh, with what the refresh compares against.
 *
 * @param postedAt when the tweet was posted (else when it was stored): its age decides the tier
 * @param previousAt when {@code previous} was read; null when its counts were never read
 */
record Claimed(
    UUID tweetDbId,
    String tweetId,
    Instant postedAt,
    Instant previousAt,
    Counts previous,
    int consecutiveErrors,
    boolean trackingEnabled) {

  boolean firstMetrics() {
    return previousAt == null;
  }
}
