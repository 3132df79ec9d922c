package dev.tributary.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local server speaking twitterapi.io's {@code GET /twitter/tweets?tweet_ids=a,b,…} over
 * SYNTHETIC tweets, for the demo and the engagement benchmark: no key and no network needed.
 *
 * <p>A tweet's counts follow its age on the sandbox's clock: it gains {@code popularity} engagement
 * in total, most of it in its first hours ({@code popularity × (1 − e^(−age/3h))}), so tweets cool
 * down through the tiers as real ones do; {@link #boost} makes one go viral. It behaves like the
 * vendor where a client cares: the {@code X-API-Key} header is required (401 with the vendor's body
 * otherwise), unknown or deleted ids are simply left out, more than 100 ids is a 400.
 */
public final class TwitterSandbox implements AutoCloseable {
  public static final int MAX_IDS = 100;
  static final Duration HALF_LIFE = Duration.ofHours(3);
  private static final DateTimeFormatter CREATED_AT =
      DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  /** A synthetic tweet: when it was posted and how much engagement it will gather in all. */
  public record SyntheticTweet(String id, Instant postedAt, int popularity, String author) {}

  private final Map<String, SyntheticTweet> tweets = new ConcurrentHashMap<>();
  private final Map<String, Integer> boosts = new ConcurrentHashMap<>();
  private final String requiredKey;
  private final Clock clock;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicLong calls = new AtomicLong();

  private TwitterSandbox(String requiredKey, Clock clock) throws IOException {
    this.requiredKey = requiredKey;
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/twitter/tweets", this::tweets);
    server.createContext(
        "/", ex -> send(ex, 404, error("Endpoint not found in the Tributary Twitter sandbox")));
  }

  /** Starts on a free loopback port; clients must send {@code requiredKey} as X-API-Key. */
  public static TwitterSandbox start(String requiredKey, Clock clock) {
    try {
      TwitterSandbox s = new TwitterSandbox(requiredKey, clock);
      s.server.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("could not start the Twitter sandbox: " + e.getMessage(), e);
    }
  }

  /** The value for {@code TWITTER_API_BASE_URL}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public TwitterSandbox post(SyntheticTweet t) {
    tweets.put(t.id(), t);
    return this;
  }

  /** The tweet is deleted (or its account went private): it is no longer returned. */
  public void delete(String id) {
    tweets.remove(id);
  }

  /** The tweet gains {@code likes} more likes from now on (a sudden burst: it goes viral). */
  public void boost(String id, int likes) {
    boosts.merge(id, likes, Integer::sum);
  }

  /** Provider calls served (each would be billed on the real API). */
  public long calls() {
    return calls.get();
  }

  /** Likes, retweets, replies, quotes, views of the tweet at the sandbox's current time. */
  public int[] countsOf(SyntheticTweet t) {
    return countsAt(t, clock.instant(), boosts.getOrDefault(t.id(), 0));
  }

  /** Likes, retweets, replies, quotes, views of the tweet at {@code at}, with a boost. */
  public static int[] countsAt(SyntheticTweet t, Instant at, int boost) {
    double hours = Math.max(0, Duration.between(t.postedAt(), at).toSeconds()) / 3600.0;
    double grown = 1 - Math.exp(-hours / (HALF_LIFE.toSeconds() / 3600.0));
    int engagement = (int) Math.round(t.popularity() * grown) + boost;
    int retweets = engagement / 10;
    int replies = engagement / 20;
    int quotes = engagement / 50;
    int likes = Math.max(0, engagement - retweets - replies - quotes);
    return new int[] {likes, retweets, replies, quotes, engagement * 40};
  }

  private void tweets(HttpExchange ex) throws IOException {
    calls.incrementAndGet();
    if (!"GET".equals(ex.getRequestMethod())) {
      send(ex, 405, error("Method not allowed: use GET"));
      return;
    }
    if (!requiredKey.equals(ex.getRequestHeaders().getFirst("X-API-Key"))) {
      send(ex, 401, "{\"status\":\"error\",\"msg\":\"Invalid API key\"}");
      return;
    }
    String ids = query(ex, "tweet_ids");
    if (ids == null || ids.isBlank()) {
      send(ex, 400, error("tweet_ids is required"));
      return;
    }
    List<String> asked = List.of(ids.split(","));
    if (asked.size() > MAX_IDS) {
      send(ex, 400, error("at most " + MAX_IDS + " tweet_ids per request"));
      return;
    }
    StringBuilder b = new StringBuilder(asked.size() * 420).append("{\"tweets\":[");
    boolean first = true;
    for (String id : asked) {
      SyntheticTweet t = tweets.get(id);
      if (t == null) {
        continue; // unknown, deleted or private: left out, as the vendor does
      }
      if (!first) {
        b.append(',');
      }
      first = false;
      appendTweet(b, t, countsOf(t));
    }
    send(ex, 200, b.append("],\"status\":\"success\",\"message\":\"\"}").toString());
  }

  private static void appendTweet(StringBuilder b, SyntheticTweet t, int[] c) {
    b.append("{\"type\":\"tweet\",\"id\":\"")
        .append(t.id())
        .append("\",\"url\":\"https://x.com/")
        .append(t.author())
        .append("/status/")
        .append(t.id())
        .append("\",\"text\":\"SYNTHETIC tweet ")
        .append(t.id())
        .append(" (Tributary sandbox)\",\"retweetCount\":")
        .append(c[1])
        .append(",\"replyCount\":")
        .append(c[2])
        .append(",\"likeCount\":")
        .append(c[0])
        .append(",\"quoteCount\":")
        .append(c[3])
        .append(",\"viewCount\":")
        .append(c[4])
        .append(",\"bookmarkCount\":0,\"createdAt\":\"")
        .append(CREATED_AT.format(t.postedAt()))
        .append("\",\"lang\":\"en\",\"author\":{\"type\":\"user\",\"userName\":\"")
        .append(t.author())
        .append("\",\"id\":\"")
        .append(Math.abs(t.author().hashCode()))
        .append("\",\"name\":\"Synthetic ")
        .append(t.author())
        .append("\",\"isBlueVerified\":false,\"followers\":1000}}");
  }

  private static String error(String message) {
    return "{\"status\":\"error\",\"message\":\"" + message.replace("\"", "'") + "\"}";
  }

  private static String query(HttpExchange ex, String name) {
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null) {
      return null;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("server", "Tributary-Twitter-Sandbox");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
