package dev.tributary.connectors.twitter;

import java.util.List;

/**
 * Where tweet metrics come from: {@link TwitterApiIoClient} or {@link XApiClient}, chosen by {@code
 * TWITTER_PROVIDER}. One call per {@link #fetch}; callers split their ids into lists of at most
 * {@link #maxBatch()}.
 */
public interface TweetSource {
  /** The provider's name as stats and errors show it. */
  String name();

  /** The most ids one call takes (TWITTER_BATCH_SIZE, at most 100). */
  int maxBatch();

  /**
   * The metrics of {@code ids} in one provider call (retries included).
   *
   * @throws dev.tributary.connectors.ConnectorException when the call as a whole failed: auth
   *     (final, naming the variable to check), rate limit or server error after retries (retryable)
   * @throws IllegalArgumentException for an empty list, more than {@link #maxBatch()} ids or an id
   *     that is not 1-25 digits
   */
  TweetBatch fetch(List<String> ids);

  /**
   * As {@link #fetch(List)}, running {@code onAttempt} once per HTTP request sent (retries
   * included), so what a caller counts is what the vendor bills. A source that cannot tell counts
   * one.
   */
  default TweetBatch fetch(List<String> ids, Runnable onAttempt) {
    onAttempt.run();
    return fetch(ids);
  }

  static void checkIds(List<String> ids, int max) {
    if (ids == null || ids.isEmpty()) {
      throw new IllegalArgumentException("at least one tweet id is needed");
    }
    if (ids.size() > max) {
      throw new IllegalArgumentException(
          "at most " + max + " tweet ids per call, got " + ids.size());
    }
    for (String id : ids) {
      if (id == null || !id.matches("[0-9]{1,25}")) {
        throw new IllegalArgumentException("a tweet id is 1 to 25 digits, got '" + id + "'");
      }
    }
  }
}
