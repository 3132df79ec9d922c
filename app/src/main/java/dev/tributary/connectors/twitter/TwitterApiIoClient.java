package dev.tributary.connectors.twitter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.RateLimiter;
import java.net.URI;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * twitterapi.io: {@code GET {base}/twitter/tweets?tweet_ids=a,b,…} with {@code X-API-Key}
 * (spec/external-apis.md §2). Unknown ids are simply left out of {@code tweets}; a 200 whose {@code
 * status} is {@code "error"} is a failure of the call, its text read from {@code message} or {@code
 * msg}. One instance is safe to share between threads.
 */
public final class TwitterApiIoClient implements TweetSource {
  static final DateTimeFormatter CREATED_AT =
      DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.ENGLISH);

  private final TwitterClientConfig config;
  private final TweetHttp http;

  public TwitterApiIoClient(TwitterClientConfig config, RateLimiter limiter) {
    if (config.provider() != TwitterProvider.TWITTERAPI) {
      throw new IllegalArgumentException(
          "this client speaks twitterapi.io, not " + config.provider());
    }
    this.config = config;
    this.http = new TweetHttp(config, limiter);
  }

  @Override
  public String name() {
    return "twitterapi";
  }

  @Override
  public int maxBatch() {
    return config.batchSize();
  }

  @Override
  public TweetBatch fetch(List<String> ids) {
    return fetch(ids, () -> {});
  }

  @Override
  public TweetBatch fetch(List<String> ids, Runnable onAttempt) {
    TweetSource.checkIds(ids, maxBatch());
    URI uri = URI.create(config.baseUrl() + "/twitter/tweets?tweet_ids=" + String.join(",", ids));
    JsonNode root = http.get(uri, "X-API-Key", config.key(), onAttempt);
    String status = TweetHttp.text(root, "status");
    if ("error".equalsIgnoreCase(status)) {
      String msg = TweetHttp.text(root, "message");
      if (msg == null || msg.isBlank()) {
        msg = TweetHttp.text(root, "msg");
      }
      throw new ConnectorException(
          http.vendor(),
          200,
          false,
          null,
          root.toString().replace(config.key(), "***"),
          "the answer says status=error: " + (msg == null ? "(no message)" : msg));
    }
    JsonNode tweets = root.get("tweets");
    if (tweets == null || !(tweets.isArray() || tweets.isNull())) {
      throw ConnectorException.invalid(http.vendor(), "the answer has no 'tweets' array");
    }
    Map<String, TweetMetrics> found = new HashMap<>();
    Map<String, String> unreadable = new HashMap<>();
    if (tweets.isArray()) {
      for (JsonNode t : tweets) {
        String id = TweetHttp.text(t, "id");
        if (id == null) {
          continue; // cannot be matched to an id we asked for
        }
        try {
          found.put(id, read(id, t));
        } catch (IllegalArgumentException e) {
          unreadable.put(id, e.getMessage());
        }
      }
    }
    return TweetBatch.of(ids, found, unreadable);
  }

  static TweetMetrics read(String id, JsonNode t) {
    JsonNode author = t.get("author");
    JsonNode followers = author == null ? null : author.get("followers");
    return new TweetMetrics(
        id,
        TweetHttp.text(t, "text"),
        TweetHttp.text(author, "id"),
        TweetHttp.text(author, "userName"),
        TweetHttp.text(author, "name"),
        followers != null && followers.canConvertToInt() ? followers.asInt() : null,
        author != null && author.path("isBlueVerified").asBoolean(false),
        TweetHttp.text(t, "lang"),
        TweetHttp.text(t, "url"),
        createdAt(TweetHttp.text(t, "createdAt")),
        TweetHttp.intCount(t, "retweetCount", null),
        TweetHttp.intCount(t, "replyCount", null),
        TweetHttp.intCount(t, "likeCount", null),
        TweetHttp.intCount(t, "quoteCount", null),
        TweetHttp.count(t, "viewCount", 0L),
        TweetHttp.intCount(t, "bookmarkCount", 0L));
  }

  private static Instant createdAt(String s) {
    if (s == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(s, CREATED_AT).toInstant();
    } catch (DateTimeParseException e) {
      return null; // the counts matter; a date we cannot read is left out
    }
  }
}
