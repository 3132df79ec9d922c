package dev.tributary.testing;

import dev.tributary.connectors.twitter.TweetMetrics;
import dev.tributary.testing.FakeHttpServer.Reply;
import dev.tributary.testing.FakeHttpServer.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * twitterapi.io and X API v2 stand-ins on one {@link FakeHttpServer}: the tweets they know,
 * answered in each vendor's wire format (spec/external-apis.md §2). Unknown ids are left out
 * (twitterapi.io) or listed in {@code errors[]} (X). Requests with another key get the vendor's
 * 401.
 */
public final class TwitterFake implements AutoCloseable {
  public static final String KEY = "twk_test_5e3f9a";
  public static final String BEARER = "AAAA-x-bearer-test";

  private final FakeHttpServer server = new FakeHttpServer();
  private final Map<String, TweetMetrics> tweets = new ConcurrentHashMap<>();

  public TwitterFake() {
    server.otherwise(this::answer);
  }

  public FakeHttpServer server() {
    return server;
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  public TwitterFake put(TweetMetrics t) {
    tweets.put(t.tweetId(), t);
    return this;
  }

  public TwitterFake remove(String id) {
    tweets.remove(id);
    return this;
  }

  /** Requests that reached a tweets endpoint. */
  public int calls() {
    return server.requests().size();
  }

  private Reply answer(Request r) {
    if (r.path().equals("/twitter/tweets")) {
      if (!KEY.equals(r.header("x-api-key"))) {
        return Reply.json(401, "{\"status\":\"error\",\"msg\":\"Invalid API key\"}");
      }
      return Reply.json(200, twitterApi(ids(r.query().get("tweet_ids"))));
    }
    if (r.path().equals("/2/tweets")) {
      if (!("Bearer " + BEARER).equals(r.header("authorization"))) {
        return Reply.json(
            401,
            "{\"title\":\"Unauthorized\",\"detail\":\"Unauthorized\",\"status\":401,\"type\":\"about:blank\"}");
      }
      return Reply.json(200, x(ids(r.query().get("ids"))))
          .withHeader("x-rate-limit-limit", "900")
          .withHeader("x-rate-limit-remaining", "899")
          .withHeader(
              "x-rate-limit-reset", String.valueOf(System.currentTimeMillis() / 1000 + 900));
    }
    return Reply.json(404, "{\"message\":\"no such endpoint\"}");
  }

  private static List<String> ids(String csv) {
    return csv == null || csv.isEmpty() ? List.of() : List.of(csv.split(","));
  }

  public String twitterApi(List<String> ids) {
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      TweetMetrics t = tweets.get(id);
      if (t != null) {
        out.add(twitterApiTweet(t));
      }
    }
    return "{\"tweets\":[" + String.join(",", out) + "],\"status\":\"success\",\"message\":\"\"}";
  }

  public static String twitterApiTweet(TweetMetrics t) {
    return "{\"type\":\"tweet\",\"id\":\""
        + t.tweetId()
        + "\",\"url\":\"https://x.com/someuser/status/"
        + t.tweetId()
        + "\",\"text\":\"tweet "
        + t.tweetId()
        + "\",\"retweetCount\":"
        + t.retweets()
        + ",\"replyCount\":"
        + t.replies()
        + ",\"likeCount\":"
        + t.likes()
        + ",\"quoteCount\":"
        + t.quotes()
        + ",\"viewCount\":"
        + t.views()
        + ",\"createdAt\":\"Fri Dec 06 12:00:00 +0000 2024\",\"lang\":\"en\",\"bookmarkCount\":"
        + t.bookmarks()
        + ",\"author\":{\"type\":\"user\",\"userName\":\"someuser\",\"id\":\"987654321\","
        + "\"name\":\"Some User\",\"isBlueVerified\":true,\"followers\":1000},"
        + "\"quoted_tweet\":null,\"retweeted_tweet\":null}";
  }

  public String x(List<String> ids) {
    List<String> data = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (String id : ids) {
      TweetMetrics t = tweets.get(id);
      if (t == null) {
        errors.add(
            "{\"value\":\""
                + id
                + "\",\"detail\":\"Could not find tweet with ids: ["
                + id
                + "].\",\"title\":\"Not Found Error\",\"resource_type\":\"tweet\","
                + "\"parameter\":\"ids\",\"resource_id\":\""
                + id
                + "\",\"type\":\"https://api.twitter.com/2/problems/resource-not-found\"}");
      } else {
        data.add(
            "{\"id\":\""
                + id
                + "\",\"text\":\"tweet "
                + id
                + "\",\"edit_history_tweet_ids\":[\""
                + id
                + "\"],\"author_id\":\"2244994945\",\"created_at\":\"2021-10-27T22:33:53.000Z\","
                + "\"public_metrics\":{\"retweet_count\":"
                + t.retweets()
                + ",\"reply_count\":"
                + t.replies()
                + ",\"like_count\":"
                + t.likes()
                + ",\"quote_count\":"
                + t.quotes()
                + ",\"bookmark_count\":"
                + t.bookmarks()
                + ",\"impression_count\":"
                + t.views()
                + "}}");
      }
    }
    StringBuilder b = new StringBuilder("{");
    if (!data.isEmpty()) {
      b.append("\"data\":[").append(String.join(",", data)).append("]");
    }
    if (!errors.isEmpty()) {
      b.append(data.isEmpty() ? "" : ",")
          .append("\"errors\":[")
          .append(String.join(",", errors))
          .append("]");
    }
    return b.append("}").toString();
  }

  @Override
  public void close() {
    server.close();
  }
}
