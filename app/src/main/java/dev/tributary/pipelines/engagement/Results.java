package dev.tributary.pipelines.engagement;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The plain results the engagement operations answer with. */
public final class Results {
  private Results() {}

  /**
   * A tweet's engagement as last refreshed (S4.6's answer).
   *
   * @param cached true when answered from the database without a provider call
   */
  public record TweetEngagement(
      UUID id,
      String tweetId,
      Counts metrics,
      Counts deltas,
      double velocity,
      String tier,
      boolean trackingEnabled,
      boolean unavailable,
      Instant lastUpdatedAt,
      Instant nextUpdateAt,
      boolean cached) {
    TweetEngagement asCached(boolean c) {
      return new TweetEngagement(
          id,
          tweetId,
          metrics,
          deltas,
          velocity,
          tier,
          trackingEnabled,
          unavailable,
          lastUpdatedAt,
          nextUpdateAt,
          c);
    }
  }

  /** What one batch update did (S4.7's answer). */
  public record BatchResult(
      int processed, int successful, int failed, int skipped, int providerCalls, long durationMs) {}

  /** What is due, without changing anything (GET of S4.7). */
  public record DueSummary(long due, long tracked, Map<String, Long> tiers) {}

  /** One snapshot, for a chart. */
  public record HistoryPoint(
      Instant at,
      Counts counts,
      int totalEngagement,
      Counts deltas,
      double velocity,
      String tier) {}

  /**
   * The seed's monitoring (S4.8), plus the cost view: provider calls today and the calls and
   * distinct tweets a day the current tier mix implies (X bills a tweet once per UTC day however
   * often it is read, so cost follows distinct tweets, not refreshes).
   */
  public record Stats(
      Map<String, Long> trackedPerTier,
      long untracked,
      long unavailable,
      long dueNow,
      Map<LocalDate, Long> snapshotsPerDay,
      long providerCallsToday,
      long tweetsFetchedToday,
      long projectedRefreshesPerDay,
      long projectedCallsPerDay,
      long openViralAlerts) {}

  /** What adding tweets did: ids stored now, ids already known, ids the provider did not return. */
  public record AddResult(List<UUID> inserted, List<String> existing, List<String> notFound) {}
}
