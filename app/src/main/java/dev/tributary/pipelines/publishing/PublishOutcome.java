package dev.tributary.pipelines.publishing;

import java.time.Instant;

/**
 * What one step of publishing a row ended in. {@code checkAt} is set for {@link
 * Result#OUTCOME_UNKNOWN} (when the account's posts are listed to settle it) and {@link
 * Result#RETRY_LATER} (when the provider lets us send again).
 */
public record PublishOutcome(Result result, Instant checkAt, String message, PostRef ref) {
  public enum Result {
    /** Created now, with the provider's answer. */
    PUBLISHED,
    /** Found among the account's posts after an answer was lost: published, not sent again. */
    RECONCILED,
    FAILED,
    /** Sent, answer lost: nothing is sent again before the check at {@code checkAt}. */
    OUTCOME_UNKNOWN,
    /**
     * Refused by the provider, which said when to come back: nothing is sent before {@code
     * checkAt}.
     */
    RETRY_LATER,
    /** Not due, already done, cancelled, or gone. */
    NOTHING_TO_DO,
    /** Another node holds the row right now. */
    BUSY
  }

  static PublishOutcome of(Result r) {
    return new PublishOutcome(r, null, null, null);
  }

  static PublishOutcome of(Result r, String message) {
    return new PublishOutcome(r, null, message, null);
  }

  static PublishOutcome unknownUntil(Instant at, String message) {
    return new PublishOutcome(Result.OUTCOME_UNKNOWN, at, message, null);
  }

  static PublishOutcome retryAt(Instant at, String message) {
    return new PublishOutcome(Result.RETRY_LATER, at, message, null);
  }

  PublishOutcome withRef(PostRef r) {
    return new PublishOutcome(result, checkAt, message, r);
  }
}
