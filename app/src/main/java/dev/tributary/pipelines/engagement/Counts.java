package dev.tributary.pipelines.engagement;

import dev.tributary.connectors.twitter.TweetMetrics;

/** A tweet's public counts at one moment. */
public record Counts(int retweets, int replies, int likes, int quotes, long views, int bookmarks) {
  public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0);

  public static Counts of(TweetMetrics m) {
    return new Counts(m.retweets(), m.replies(), m.likes(), m.quotes(), m.views(), m.bookmarks());
  }

  /** Likes + retweets + replies + quotes. */
  public int total() {
    return likes + retweets + replies + quotes;
  }

  /** This minus {@code before}, field by field (negative when a count fell). */
  public Counts minus(Counts before) {
    return new Counts(
        retweets - before.retweets,
        replies - before.replies,
        likes - before.likes,
        quotes - before.quotes,
        views - before.views,
        bookmarks - before.bookmarks);
  }
}
