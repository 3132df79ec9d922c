package dev.tributary.pipelines.profiles;

import java.util.UUID;

/**
 * What scraping one profile did.
 *
 * @param received posts the provider returned, reshares included (the seed's {@code posts_scraped})
 * @param reshares reshares dropped
 * @param duplicates repeated {@code post_url}s within the answer, dropped
 * @param inserted posts new to the bank (the seed's {@code posts_new})
 * @param refreshed known posts whose counters changed
 * @param unchanged known posts whose counters were already current
 * @param consecutiveFailures the profile's count after this attempt
 * @param error why it failed, skipped or aborted; null when synced
 */
public record ScrapeOutcome(
    UUID profileId,
    String linkedinId,
    Status status,
    int received,
    int reshares,
    int duplicates,
    int inserted,
    int refreshed,
    int unchanged,
    int consecutiveFailures,
    String error) {

  public enum Status {
    /** Posts stored, counters refreshed, status reset. */
    SYNCED,
    /** This profile failed (not found, malformed id, provider error); its failure count went up. */
    FAILED,
    /** Another run is scraping it right now; nothing done. */
    SKIPPED,
    /**
     * The provider refused us for every profile (key rejected, not subscribed, quota or rate limit
     * after retries): not this profile's fault, so its failure count is untouched, and the run
     * stops.
     */
    ABORTED
  }

  static ScrapeOutcome notSynced(DueProfile p, Status status, int failures, String error) {
    return new ScrapeOutcome(
        p.profileId(), p.linkedinId(), status, 0, 0, 0, 0, 0, 0, failures, error);
  }

  /** Known posts seen again (refreshed or unchanged). */
  public int known() {
    return refreshed + unchanged;
  }
}
