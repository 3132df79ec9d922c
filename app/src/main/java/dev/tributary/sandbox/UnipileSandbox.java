package dev.tributary.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A SYNTHETIC Unipile tenant on a loopback port, speaking the posts API's wire format
 * (spec/external-apis.md §5): {@code POST /api/v1/posts} (multipart, {@code X-API-KEY}), {@code GET
 * /api/v1/posts/{id}}, {@code GET /api/v1/users/{identifier}/posts}, {@code GET /api/v1/users/me},
 * problem-JSON errors; media files under {@code /media/}. The posts live in memory only.
 *
 * <p>A create call can be made to fail in each way a real one does ({@link Fault}): created with
 * the answer dropped, created then 500 or 504, created but slower than the client's timeout,
 * refused before creation with 429 or 503, or the account disconnected. {@link #createdWithText}
 * counts the posts that really exist, which is what the exactly-once tests assert on.
 */
public final class UnipileSandbox implements AutoCloseable {

  /** What the next create call does instead of answering 201. */
  public enum Fault {
    CREATED_ANSWER_DROPPED(true),
    CREATED_THEN_500(true),
    CREATED_THEN_504(true),
    CREATED_TOO_SLOW(true),
    /** A 504 from the gateway before the provider acted: nothing created, outcome unknown. */
    LOST_BEFORE_CREATION(false),
    REFUSED_429(false),
    REFUSED_503(false),
    DISCONNECTED(false);

    final boolean creates;

    Fault(boolean creates) {
      this.creates = creates;
    }
  }

  /** A post the sandbox holds. */
  public record Post(
      String id,
      String accountId,
      String author,
      boolean byCompany,
      String text,
      int attachments,
      Instant createdAt) {}

  private record Account(String providerId, boolean connected) {}

  private final String requiredKey;
  private final Clock clock;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final Map<String, Fault> faultsByText = new ConcurrentHashMap<>();
  private final Map<String, byte[]> media = new ConcurrentHashMap<>();
  private final AtomicLong nextId;
  private final AtomicLong createCalls = new AtomicLong();
  private final AtomicLong listCalls = new AtomicLong();
  private volatile double loseAnswerRate;
  private volatile Duration slowFor = Duration.ofSeconds(60);
  private volatile Duration retryAfter;

  private UnipileSandbox(String requiredKey, Clock clock) throws IOException {
    this.requiredKey = requiredKey;
    this.clock = clock;
    // post ids differ from one sandbox run to the next (the demo reuses its database)
    this.nextId = new AtomicLong(7_000_000_000_000_000_000L + clock.millis() * 1000);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/api/v1/", this::api);
    server.createContext("/media/", this::media);
    server.start();
  }

  public static UnipileSandbox start(String requiredKey) {
    return start(requiredKey, Clock.systemUTC());
  }

  public static UnipileSandbox start(String requiredKey, Clock clock) {
    try {
      return new UnipileSandbox(requiredKey, clock);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the Unipile sandbox's port", e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A connected LinkedIn account posting as the member {@code providerId}. */
  public UnipileSandbox account(String accountId, String providerId) {
    accounts.put(accountId, new Account(providerId, true));
    return this;
  }

  /** The account's session ends: its next calls answer 401 {@code disconnected_account}. */
  public void disconnect(String accountId) {
    accounts.computeIfPresent(accountId, (k, a) -> new Account(a.providerId(), false));
  }

  /** The next create calls fail like this, one fault each, in order. */
  public synchronized UnipileSandbox failNext(Fault... next) {
    faults.addAll(List.of(next));
    return this;
  }

  /** Every create call whose text is {@code text} fails like this, once. */
  public UnipileSandbox failOnce(String text, Fault fault) {
    faultsByText.put(text, fault);
    return this;
  }

  /** The share of successful create calls whose answer is dropped after creating (bench, demo). */
  public UnipileSandbox loseAnswers(double rate) {
    this.loseAnswerRate = rate;
    return this;
  }

  /** How long a {@link Fault#CREATED_TOO_SLOW} call waits before answering. */
  public UnipileSandbox slowFor(Duration d) {
    this.slowFor = d;
    return this;
  }

  /** 429 and 503 refusals carry {@code Retry-After: <seconds>} (none by default). */
  public UnipileSandbox retryAfter(Duration d) {
    this.retryAfter = d;
    return this;
  }

  /** Serves {@code bytes} at {@code /media/name}. */
  public String media(String name, byte[] bytes) {
    media.put(name, bytes.clone());
    return baseUrl() + "/media/" + name;
  }

  public List<Post> posts() {
    return List.copyOf(posts);
  }

  /** How many posts with exactly this text exist: 1 for a post published once. */
  public long createdWithText(String text) {
    return posts.stream().filter(p -> p.text().equals(text)).count();
  }

  public long createCalls() {
    return createCalls.get();
  }

  public long listCalls() {
    return listCalls.get();
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private void api(HttpExchange ex) throws IOException {
    try (ex) {
      if (!SandboxHttp.keyMatches(ex.getRequestHeaders().getFirst("X-API-KEY"), requiredKey)) {
        String type =
            ex.getRequestHeaders().containsKey("X-API-KEY")
                ? "invalid_credentials"
                : "missing_credentials";
        SandboxHttp.problem(
            ex, 401, type, "Invalid credentials", "The access token is missing or wrong.");
        return;
      }
      String path = ex.getRequestURI().getPath();
      Map<String, String> q = SandboxHttp.query(ex.getRequestURI().getRawQuery());
      String method = ex.getRequestMethod();
      if (method.equals("POST") && path.equals("/api/v1/posts")) {
        create(ex);
      } else if (method.equals("GET") && path.equals("/api/v1/users/me")) {
        me(ex, q);
      } else if (method.equals("GET") && path.matches("/api/v1/users/[^/]+/posts")) {
        list(ex, path.split("/")[4], q);
      } else if (method.equals("GET") && path.matches("/api/v1/posts/[^/]+")) {
        get(ex, path.substring("/api/v1/posts/".length()), q);
      } else {
        SandboxHttp.problem(
            ex, 404, "resource_not_found", "Not found", "No route " + method + " " + path);
      }
    }
  }

  private void create(HttpExchange ex) throws IOException {
    createCalls.incrementAndGet();
    SandboxMultipart form = SandboxHttp.postForm(ex);
    if (form == null) {
      return;
    }
    String accountId = form.field("account_id");
    String text = form.field("text");
    Account account = accounts.get(accountId);
    if (account == null) {
      SandboxHttp.problem(
          ex, 422, "invalid_account", "Invalid account", "No account " + accountId + ".");
      return;
    }
    Fault fault = nextFault(text);
    if (fault == Fault.DISCONNECTED) {
      disconnect(accountId);
      account = accounts.get(accountId);
    }
    if (!account.connected()) {
      SandboxHttp.problem(
          ex,
          401,
          "disconnected_account",
          "Disconnected account",
          "The account appears to be disconnected from the provider service.");
      return;
    }
    if (refusedBeforeCreation(ex, fault)) {
      return;
    }
    String org = form.field("as_organization");
    String id = Long.toString(nextId.incrementAndGet());
    posts.add(
        new Post(
            id,
            accountId,
            org != null ? org : account.providerId(),
            org != null,
            text,
            form.files("attachments"),
            clock.instant()));
    if (fault == null
        && loseAnswerRate > 0
        && ThreadLocalRandom.current().nextDouble() < loseAnswerRate) {
      fault = Fault.CREATED_ANSWER_DROPPED;
    }
    if (fault == null) {
      SandboxHttp.json(ex, 201, Map.of("object", "PostCreated", "post_id", id));
      return;
    }
    answerAfterCreation(ex, fault, id);
  }

  /** The faults that happen after the post was created: the caller cannot know it exists. */
  private void answerAfterCreation(HttpExchange ex, Fault fault, String id) throws IOException {
    switch (fault) {
      case CREATED_ANSWER_DROPPED -> {
        // the connection closes without a status line: the client sees a reset / EOF
      }
      case CREATED_THEN_500 ->
          SandboxHttp.problem(
              ex, 500, "unexpected_error", "Unexpected error", "Something went wrong.");
      case CREATED_THEN_504 ->
          SandboxHttp.problem(
              ex, 504, "request_timeout", "Request timeout", "The provider took too long.");
      case CREATED_TOO_SLOW -> {
        try {
          closing.await(slowFor.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        SandboxHttp.json(ex, 201, Map.of("object", "PostCreated", "post_id", id));
      }
      default -> throw new IllegalStateException("unexpected fault " + fault);
    }
  }

  /** Answers a fault that creates nothing (429, 503, a gateway's 504); true when it did. */
  private boolean refusedBeforeCreation(HttpExchange ex, Fault fault) throws IOException {
    if ((fault == Fault.REFUSED_429 || fault == Fault.REFUSED_503) && retryAfter != null) {
      ex.getResponseHeaders().set("Retry-After", Long.toString(retryAfter.toSeconds()));
    }
    if (fault == Fault.REFUSED_429) {
      SandboxHttp.problem(
          ex,
          429,
          "too_many_requests",
          "Too many requests",
          "The provider cannot accept any more requests at the moment.");
      return true;
    }
    if (fault == Fault.LOST_BEFORE_CREATION) {
      SandboxHttp.problem(
          ex, 504, "request_timeout", "Request timeout", "The provider took too long.");
      return true;
    }
    if (fault == Fault.REFUSED_503) {
      SandboxHttp.problem(
          ex, 503, "no_client_session", "No client session", "No client session is available.");
      return true;
    }
    return false;
  }

  private synchronized Fault nextFault(String text) {
    Fault byText = faultsByText.remove(text);
    return byText != null ? byText : faults.poll();
  }

  private void me(HttpExchange ex, Map<String, String> q) throws IOException {
    Account account = accounts.get(q.getOrDefault("account_id", ""));
    if (account == null) {
      SandboxHttp.problem(ex, 422, "invalid_account", "Invalid account", "Unknown account.");
      return;
    }
    SandboxHttp.json(
        ex,
        200,
        Map.of(
            "object",
            "AccountOwnerProfile",
            "provider",
            "LINKEDIN",
            "provider_id",
            account.providerId()));
  }

  private void list(HttpExchange ex, String identifier, Map<String, String> q) throws IOException {
    listCalls.incrementAndGet();
    String accountId = q.getOrDefault("account_id", "");
    Account account = accounts.get(accountId);
    if (account == null) {
      SandboxHttp.problem(ex, 422, "invalid_account", "Invalid account", "Unknown account.");
      return;
    }
    if (!account.connected()) {
      SandboxHttp.problem(
          ex,
          401,
          "disconnected_account",
          "Disconnected account",
          "The account appears to be disconnected from the provider service.");
      return;
    }
    int limit = Math.max(1, Math.min(100, Integer.parseInt(q.getOrDefault("limit", "10"))));
    boolean company = "true".equals(q.get("is_company"));
    List<Post> mine = new ArrayList<>();
    for (Post p : posts) {
      if (p.author().equals(identifier) && p.byCompany() == company) {
        mine.add(p);
      }
    }
    java.util.Collections.reverse(mine);
    Map<String, Object> body = SandboxHttp.page(mine, q.get("cursor"), limit);
    SandboxHttp.json(ex, 200, body);
  }

  private void get(HttpExchange ex, String id, Map<String, String> q) throws IOException {
    for (Post p : posts) {
      if (p.id().equals(id)) {
        SandboxHttp.json(ex, 200, SandboxHttp.wire(p));
        return;
      }
    }
    SandboxHttp.problem(ex, 404, "resource_not_found", "Resource not found", "No post " + id + ".");
  }

  private void media(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] bytes = media.get(ex.getRequestURI().getPath().substring("/media/".length()));
      if (bytes == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", "image/png");
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.close();
  }
}
