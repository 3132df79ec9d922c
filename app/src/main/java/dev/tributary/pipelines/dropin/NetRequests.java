package dev.tributary.pipelines.dropin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.engine.JobContext;
import dev.tributary.engine.JobHandler;
import dev.tributary.engine.PermanentJobException;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Sends a request queued by {@code net.http_post | http_get | http_delete} (kind {@value #KIND})
 * and writes the answer to {@code net._http_response} with pg_net's columns.
 *
 * <p>Retry policy: a network error, a timeout, 429 or a 5xx fails the attempt and the engine
 * retries it with its backoff (1 s, 2 s, 4 s, … with jitter) up to {@value #MAX_ATTEMPTS} attempts
 * in all; every other status is an answer and is final. Each attempt's outcome is written to {@code
 * net._http_response} (one row per request id, the latest attempt), so a caller polling it sees the
 * error while retries go on. On success the queued row (URL, headers, body) is deleted, as pg_net
 * does; after the last failed attempt it stays, with the dead job, so an operator's retry of the
 * job sends it again.
 *
 * <p>Requests to this deployment's own {@code /functions/v1/*} take the short path of {@link
 * OwnFunctions} once the node's HTTP server runs: loopback instead of the public network, the same
 * routes and access step.
 */
public final class NetRequests implements JobHandler {
  public static final String KIND = "net.http";
  public static final String QUEUE = "net";

  /** Attempts in all (set by {@code net._enqueue} in V101). */
  public static final int MAX_ATTEMPTS = 5;

  /** Headers the HTTP client sets itself and refuses from callers. */
  private static final Set<String> CLIENT_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbc jdbc;
  private final HttpClient http;
  private volatile OwnFunctions ownFunctions;

  public NetRequests(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /**
   * From now on, requests to {@code <publicUrl>/functions/v1/*} go to this node's own HTTP server
   * on the loopback interface ({@link OwnFunctions}).
   */
  void shortPathTo(OwnFunctions own) {
    this.ownFunctions = own;
  }

  /** Where a request goes: this node's loopback for our own functions, else its URL. */
  URI target(String url) {
    OwnFunctions own = ownFunctions;
    return own == null ? URI.create(url) : own.shortPath(url).orElseGet(() -> URI.create(url));
  }

  /** A queued request. */
  record Queued(
      long id, String method, String url, String headers, byte[] body, int timeoutMillis) {}

  /** What one attempt got: an answer, or an error (timed out or not). */
  record Outcome(
      Integer status,
      String contentType,
      Map<String, String> headers,
      String content,
      boolean timedOut,
      String error) {
    /** Not sendable as written: recorded with its error, never retried. */
    static Outcome invalid(String error) {
      return new Outcome(null, null, null, null, false, "invalid request: " + error);
    }

    boolean retryable() {
      return status == null
          ? !error.startsWith("invalid request: ")
          : status == 429 || status >= 500;
    }
  }

  @Override
  public void run(JobContext ctx) throws Exception {
    long id = ctx.args().path("request_id").asLong();
    Optional<Queued> queued = load(id);
    if (queued.isEmpty()) {
      return; // sent already (a retry after the completion was lost): nothing to do
    }
    Outcome o = send(queued.get());
    record(id, o);
    boolean last = ctx.attempt() >= ctx.maxAttempts();
    if (!o.retryable()) {
      jdbc.update("DELETE FROM net.http_request_queue WHERE id = :id", Params.of("id", id));
      ctx.result(Map.of("request_id", id, "status_code", String.valueOf(o.status())));
      return;
    }
    String why =
        o.status() != null
            ? "HTTP " + o.status() + " from " + host(queued.get().url())
            : o.error() + " (" + host(queued.get().url()) + ")";
    if (last) {
      throw new PermanentJobException(
          "net request " + id + " gave up after " + ctx.attempt() + " attempts: " + why);
    }
    throw new IOException("net request " + id + ": " + why + "; retried");
  }

  private Optional<Queued> load(long id) {
    return jdbc.queryOne(
        """
        SELECT id, method, url, headers::text AS headers, body, timeout_milliseconds
          FROM net.http_request_queue WHERE id = :id""",
        Params.of("id", id),
        rs ->
            new Queued(
                rs.getLong("id"),
                rs.getString("method"),
                rs.getString("url"),
                rs.getString("headers"),
                rs.getBytes("body"),
                rs.getInt("timeout_milliseconds")));
  }

  Outcome send(Queued q) {
    HttpRequest request;
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(target(q.url()))
              .timeout(Duration.ofMillis(q.timeoutMillis()))
              .method(
                  q.method(),
                  q.body() == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(q.body()));
      JSON.readTree(q.headers())
          .properties()
          .forEach(
              h -> {
                if (!CLIENT_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                  b.header(h.getKey(), h.getValue().asText());
                }
              });
      request = b.build();
    } catch (IllegalArgumentException | IOException e) {
      // a URL or header the HTTP client cannot send: an answer of sorts, never retried
      return Outcome.invalid(e.getMessage());
    }
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      Map<String, String> headers = new LinkedHashMap<>();
      r.headers().map().forEach((k, v) -> headers.put(k, String.join(", ", v)));
      return new Outcome(
          r.statusCode(),
          r.headers().firstValue("content-type").orElse(null),
          headers,
          new String(r.body(), StandardCharsets.UTF_8).replace("\u0000", ""),
          false,
          null);
    } catch (HttpTimeoutException e) {
      return new Outcome(
          null, null, null, null, true, "Timeout of " + q.timeoutMillis() + " ms reached");
    } catch (IOException e) {
      return new Outcome(
          null, null, null, null, false, e.getMessage() == null ? e.toString() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(null, null, null, null, false, "interrupted: the node is stopping");
    }
  }

  private void record(long id, Outcome o) throws IOException {
    jdbc.update(
        """
        INSERT INTO net._http_response
               (id, status_code, content_type, headers, content, timed_out, error_msg, created)
        VALUES (:id, :status, :contentType, CAST(:headers AS jsonb), :content, :timedOut, :error, now())
        ON CONFLICT (id) DO UPDATE
           SET status_code = EXCLUDED.status_code, content_type = EXCLUDED.content_type,
               headers = EXCLUDED.headers, content = EXCLUDED.content, timed_out = EXCLUDED.timed_out,
               error_msg = EXCLUDED.error_msg, created = EXCLUDED.created""",
        Params.of("id", id, "status", o.status(), "contentType", o.contentType())
            .and("headers", o.headers() == null ? null : JSON.writeValueAsString(o.headers()))
            .and("content", o.content())
            .and("timedOut", o.timedOut())
            .and("error", o.error()));
  }

  /** Only the host goes into job errors and logs: a query string may carry a key. */
  private static String host(String url) {
    try {
      return Optional.ofNullable(URI.create(url).getHost()).orElse("?");
    } catch (IllegalArgumentException e) {
      return "?";
    }
  }
}
