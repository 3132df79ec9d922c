package dev.tributary.connectors.twitter;

import java.time.Instant;

/**
 * One tweet as a provider returned it: its public counts and the few details we keep. Counts are
 * never negative; {@code views} and {@code bookmarks} are 0 when the provider leaves them out (old
 * tweets, or a plan that does not show them).
 *
 * @param createdAt when it was posted; null when the provider did not say
 */
public record TweetMetrics(
    String tweetId,
    String text,
    String authorId,
    String authorUsername,
    String authorName,
    Integer authorFollowers,
    boolean authorVerified,
    String lang,
    String url,
    Instant createdAt,
    int retweets,
    int replies,
    int likes,
    int quotes,
    long views,
    int bookmarks) {

  public TweetMetrics {
    if (tweetId == null || !tweetId.matches("[0-9]{1,25}")) {
      throw new IllegalArgumentException("a tweet id is 1 to 25 digits, got " + tweetId);
    }
    if (retweets < 0 || replies < 0 || likes < 0 || quotes < 0 || views < 0 || bookmarks < 0) {
      throw new IllegalArgumentException("tweet " + tweetId + " has a negative count");
    }
    text = text == null ? "" : text;
  }

  /** Likes + retweets + replies + quotes: what selective tracking and velocity count. */
  public int engagement() {
    return likes + retweets + replies + quotes;
  }

  /** Only the counts, for tests and fakes. */
  public static TweetMetrics counts(
      String tweetId, int retweets, int replies, int likes, int quotes, long views) {
    return new TweetMetrics(
        tweetId, "", null, null, null, null, false, null, null, null, retweets, replies, likes,
        quotes, views, 0);
  }
}
