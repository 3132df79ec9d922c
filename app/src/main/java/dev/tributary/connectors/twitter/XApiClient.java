package dev.tributary.connectors.twitter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.RateLimiter;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The official X API v2: {@code GET {base}/2/tweets?ids=…&tweet.fields=public_metrics,created_at,
 * author_id} with {@code Authorization: Bearer} (spec/external-apis.md §2). Missing tweets come in
 * {@code errors[]} of a 200; the {@code x-rate-limit-*} headers are honoured (a 429 waits until
 * {@code x-rate-limit-reset}, and a spent window makes the next call wait for it).
 */
public final class XApiClient implements TweetSource {
  static final String FIELDS = "public_metrics,created_at,author_id";

  private final TwitterClientConfig config;
  private final TweetHttp http;

  public XApiClient(TwitterClientConfig config, RateLimiter limiter) {
    if (config.provider() != TwitterProvider.X) {
      throw new IllegalArgumentException("this client speaks X API v2, not " + config.provider());
    }
    this.config = config;
    this.http = new TweetHttp(config, limiter);
  }

  @Override
  public String name() {
    return "x";
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
    URI uri =
        URI.create(
            config.baseUrl()
                + "/2/tweets?ids="
                + String.join(",", ids)
                + "&tweet.fields="
                + FIELDS.replace(",", "%2C"));
    JsonNode root = http.get(uri, "Authorization", "Bearer " + config.key(), onAttempt);
    JsonNode data = root.get("data");
    JsonNode errors = root.get("errors");
    if (data == null && (errors == null || !errors.isArray())) {
      throw ConnectorException.invalid(http.vendor(), "the answer has neither 'data' nor 'errors'");
    }
    Map<String, TweetMetrics> found = new HashMap<>();
    Map<String, String> unreadable = new HashMap<>();
    if (data != null && data.isArray()) {
      for (JsonNode t : data) {
        String id = TweetHttp.text(t, "id");
        if (id == null) {
          continue;
        }
        try {
          found.put(id, read(id, t));
        } catch (IllegalArgumentException e) {
          unreadable.put(id, e.getMessage());
        }
      }
    }
    // ids named in errors[] (resource-not-found, not-authorized) fall out as missing
    return TweetBatch.of(ids, found, unreadable);
  }

  static TweetMetrics read(String id, JsonNode t) {
    JsonNode m = t.get("public_metrics");
    if (m == null || !m.isObject()) {
      throw new IllegalArgumentException("public_metrics is missing");
    }
    return new TweetMetrics(
        id,
        TweetHttp.text(t, "text"),
        TweetHttp.text(t, "author_id"),
        null,
        null,
        null,
        false,
        null,
        null,
        createdAt(TweetHttp.text(t, "created_at")),
        TweetHttp.intCount(m, "retweet_count", null),
        TweetHttp.intCount(m, "reply_count", null),
        TweetHttp.intCount(m, "like_count", null),
        TweetHttp.intCount(m, "quote_count", null),
        TweetHttp.count(m, "impression_count", 0L),
        TweetHttp.intCount(m, "bookmark_count", 0L));
  }

  private static Instant createdAt(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
