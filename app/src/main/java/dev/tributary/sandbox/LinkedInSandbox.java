package dev.tributary.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.connectors.linkedin.LinkedInProfileUrl;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local server speaking RapidAPI "Fresh LinkedIn Profile Data" {@code GET /get-profile-posts}
 * over a {@link SyntheticLinkedIn} world, for the demo and the benchmarks: no key and no network
 * needed. Everything it serves is synthetic and says so.
 *
 * <p>It behaves like the gateway where that matters to a client: the key header is required (401
 * with the gateway's body otherwise), 50 posts a page with {@code paging.pagination_token} only
 * when more exist, 404 for a profile it does not know, {@code data: []} for one that never posts.
 * {@link #advanceRound()} moves time on (new posts, grown counters).
 */
public final class LinkedInSandbox implements AutoCloseable {
  public static final int PAGE_SIZE = 50;

  private final SyntheticLinkedIn world;
  private final String requiredKey;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger round = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();

  /**
   * When each of the last {@value #ARRIVALS_KEPT} requests arrived, to check a client's rate limit.
   */
  private final List<Instant> arrivals = new ArrayList<>();

  private static final int ARRIVALS_KEPT = 10_000;

  private LinkedInSandbox(SyntheticLinkedIn world, String requiredKey) throws IOException {
    this.world = world;
    this.requiredKey = requiredKey;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/get-profile-posts", this::profilePosts);
    server.createContext(
        "/",
        ex ->
            send(
                ex,
                404,
                RapidApiWire.message(
                    "Endpoint '"
                        + ex.getRequestURI().getPath()
                        + "' does not exist in the Tributary LinkedIn sandbox")));
  }

  /**
   * Starts on a free loopback port.
   *
   * @param requiredKey the key clients must send in {@code x-rapidapi-key}; null accepts any
   *     non-blank key
   */
  public static LinkedInSandbox start(SyntheticLinkedIn world, String requiredKey) {
    try {
      LinkedInSandbox s = new LinkedInSandbox(world, requiredKey);
      s.server.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("could not start the LinkedIn sandbox: " + e.getMessage(), e);
    }
  }

  /** The value for {@code LINKEDIN_API_BASE_URL}. */
  public String baseUrl() {
    return "http://"
        + server.getAddress().getAddress().getHostAddress()
        + ":"
        + server.getAddress().getPort();
  }

  public SyntheticLinkedIn world() {
    return world;
  }

  public int round() {
    return round.get();
  }

  /** A week passes: every profile shows new posts, older posts have more engagement. */
  public int advanceRound() {
    return round.incrementAndGet();
  }

  /** Requests served so far (each would cost credits on the real API). */
  public long requests() {
    return requests.get();
  }

  /**
   * Arrival times of the requests served so far (the latest {@value #ARRIVALS_KEPT}), oldest first.
   */
  public List<Instant> arrivals() {
    synchronized (arrivals) {
      return List.copyOf(arrivals);
    }
  }

  private void profilePosts(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    synchronized (arrivals) {
      if (arrivals.size() == ARRIVALS_KEPT) {
        arrivals.remove(0);
      }
      arrivals.add(Instant.now());
    }
    if (!"GET".equals(ex.getRequestMethod())) {
      send(ex, 405, RapidApiWire.message("Method not allowed: use GET"));
      return;
    }
    String key = ex.getRequestHeaders().getFirst("x-rapidapi-key");
    if (key == null || key.isBlank() || (requiredKey != null && !requiredKey.equals(key))) {
      send(ex, 401, RapidApiWire.INVALID_KEY);
      return;
    }
    Map<String, String> q = query(ex.getRequestURI());
    String url = q.get("linkedin_url");
    if (url == null || url.isBlank()) {
      send(ex, 400, RapidApiWire.message("linkedin_url is required"));
      return;
    }
    Optional<String> publicId = LinkedInProfileUrl.publicId(url);
    if (publicId.isEmpty()) {
      send(ex, 400, RapidApiWire.message("Invalid linkedin_url: " + url));
      return;
    }
    int start;
    try {
      start = Integer.parseInt(q.getOrDefault("start", "0"));
    } catch (NumberFormatException e) {
      send(ex, 400, RapidApiWire.message("start must be a number"));
      return;
    }
    if (start < 0 || start % PAGE_SIZE != 0) {
      send(ex, 400, RapidApiWire.message("start must be 0, 50, 100, ..."));
      return;
    }
    List<SyntheticPost> posts = world.posts(publicId.get(), round.get());
    if (posts == null) {
      send(
          ex,
          404,
          RapidApiWire.message(
              "Profile not found: " + publicId.get() + " (Tributary LinkedIn sandbox)"));
      return;
    }
    if (start > 0 && !token(publicId.get(), start).equals(q.get("pagination_token"))) {
      send(
          ex,
          400,
          RapidApiWire.message("pagination_token is missing or does not match start=" + start));
      return;
    }
    int to = Math.min(posts.size(), start + PAGE_SIZE);
    List<SyntheticPost> page = start >= posts.size() ? List.of() : posts.subList(start, to);
    String next = to < posts.size() ? token(publicId.get(), to) : null;
    send(ex, 200, RapidApiWire.page(page, start, next));
  }

  private String token(String publicId, int start) {
    return Base64.getEncoder()
        .encodeToString(
            ("sandbox:" + publicId + ":" + round.get() + ":" + start)
                .getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("server", "Tributary-LinkedIn-Sandbox");
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
