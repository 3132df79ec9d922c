package dev.tributary.pipelines.engagement;

import dev.tributary.connectors.twitter.TweetBatch;
import dev.tributary.connectors.twitter.TweetMetrics;
import dev.tributary.connectors.twitter.TweetSource;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import dev.tributary.pipelines.engagement.Results.AddResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/** Adds tweets by id: their metrics from the provider first, then one insert each. */
final class TweetInserter {
  private static final String INSERT =
      """
      INSERT INTO twitter_tweets
        (tweet_id, zone_id, author_id, author_username, author_name, author_followers,
         author_verified, text, lang, url, twitter_created_at, retweet_count, reply_count,
         like_count, quote_count, view_count, bookmark_count, metrics_updated_at)
      VALUES (:tweet_id, :zone, :author_id, :author_username, :author_name, :author_followers,
              :author_verified, :text, :lang, :url, :created, :rt, :rp, :lk, :qt, :vw, :bm, :now)
      ON CONFLICT (tweet_id) DO NOTHING
      RETURNING id
      """;

  private final Jdbc jdbc;
  private final TweetSource source;
  private final Clock clock;

  TweetInserter(Jdbc jdbc, TweetSource source, Clock clock) {
    this.jdbc = jdbc;
    this.source = source;
    this.clock = clock;
  }

  AddResult add(List<String> tweetIds, UUID zoneId) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(tweetIds));
    List<UUID> inserted = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += source.maxBatch()) {
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + source.maxBatch()));
      TweetBatch b = source.fetch(chunk);
      Instant now = clock.instant();
      jdbc.inTransaction(
          "insert tweets",
          h -> {
            for (String id : chunk) {
              TweetMetrics m = b.found().get(id);
              if (m == null) {
                notFound.add(id);
                continue;
              }
              h.queryOne(INSERT, params(m, zoneId, now), rs -> rs.getObject(1, UUID.class))
                  .ifPresentOrElse(inserted::add, () -> existing.add(id));
            }
            return null;
          });
    }
    return new AddResult(inserted, existing, notFound);
  }

  private static Params params(TweetMetrics m, UUID zoneId, Instant now) {
    return Params.of("tweet_id", m.tweetId(), "zone", zoneId, "author_id", m.authorId())
        .and("author_username", m.authorUsername())
        .and("author_name", m.authorName())
        .and("author_followers", m.authorFollowers())
        .and("author_verified", m.authorVerified())
        .and("text", m.text())
        .and("lang", m.lang())
        .and("url", m.url())
        .and("created", m.createdAt())
        .and("rt", m.retweets())
        .and("rp", m.replies())
        .and("lk", m.likes())
        .and("qt", m.quotes())
        .and("vw", m.views())
        .and("bm", m.bookmarks())
        .and("now", now);
  }
}
