package dev.tributary.connectors;

import dev.tributary.config.LimitsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The part every connector shares: send one request and turn what happened into either a 2xx
 * response or a {@link ConnectorException} with the right retry decision.
 *
 * <p>Retryable: no answer (timeout, connection refused or reset), 408, 429 and 5xx. Final: 401,
 * 403, 404 and every other 4xx, because sending the same request again gives the same answer.
 */
public final class VendorHttp {
  private VendorHttp() {}

  /**
   * The most bytes read from one answer ({@code TRIBUTARY_VENDOR_MAX_RESPONSE_BYTES}, set once by
   * the node at start); past it the call fails instead of filling the heap.
   */
  private static volatile long maxResponseBytes = LimitsSettings.DEFAULT_VENDOR_MAX_RESPONSE_BYTES;

  /** Sets the answer size limit of every connector in this process. */
  public static void limitResponses(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("the response limit must be positive: " + bytes);
    }
    maxResponseBytes = bytes;
  }

  public static long maxResponseBytes() {
    return maxResponseBytes;
  }

  /**
   * Sends the request; a 2xx comes back, anything else is thrown as a {@link ConnectorException}.
   */
  public static HttpResponse<String> send(
      HttpClient client, HttpRequest request, String vendor, Clock clock) {
    HttpResponse<String> response = exchange(client, request, vendor);
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response;
    }
    throw forStatus(vendor, status, response.headers(), response.body(), clock);
  }

  /**
   * Sends the request and returns whatever status came back, for connectors that read the vendor's
   * error envelope themselves; only "no answer" is thrown (retryable, status 0).
   */
  public static HttpResponse<String> exchange(
      HttpClient client, HttpRequest request, String vendor) {
    try {
      HttpResponse<InputStream> raw =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      return new Bounded(raw, readBounded(raw, vendor, maxResponseBytes));
    } catch (HttpTimeoutException e) {
      throw new ConnectorException(
          vendor,
          0,
          true,
          null,
          null,
          "no answer within "
              + request.timeout().map(Duration::toString).orElse("the timeout")
              + " ("
              + request.uri().getPath()
              + ")",
          e);
    } catch (IOException e) {
      throw new ConnectorException(
          vendor,
          0,
          true,
          null,
          null,
          "request to "
              + request.uri().getHost()
              + request.uri().getPath()
              + " failed: "
              + describe(e),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectorException(
          vendor, 0, true, null, null, "interrupted while waiting for an answer", e);
    }
  }

  /**
   * The exception for a non-2xx answer; the message shows the status and the vendor's own words.
   */
  public static ConnectorException forStatus(
      String vendor, int status, HttpHeaders headers, String body, Clock clock) {
    boolean retryable = status == 408 || status == 429 || status >= 500;
    Duration wait = retryable ? retryAfter(headers, clock).orElse(null) : null;
    String what =
        switch (status) {
          case 401 -> "the API key was rejected";
          case 403 -> "access refused (key not subscribed or not allowed)";
          case 404 -> "not found";
          case 429 ->
              "rate limit or quota exceeded" + (wait == null ? "" : ", retry after " + wait);
          default -> status >= 500 ? "server error" : "request refused";
        };
    String shown = ConnectorException.trim(body);
    return new ConnectorException(
        vendor,
        status,
        retryable,
        wait,
        body,
        "HTTP " + status + " " + what + (shown.isEmpty() ? "" : ": " + firstChars(shown, 200)));
  }

  /**
   * The wait asked for by {@code retry-after-ms} (OpenAI), else {@code Retry-After} in seconds or
   * as an HTTP date. Absent or unreadable headers give empty: the caller's backoff decides then.
   */
  public static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
    Optional<String> ms = headers.firstValue("retry-after-ms");
    if (ms.isPresent()) {
      try {
        double millis = Double.parseDouble(ms.get().trim());
        if (millis >= 0) {
          return Optional.of(Duration.ofMillis((long) Math.ceil(millis)));
        }
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    Optional<String> value = headers.firstValue("retry-after");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get().trim();
    try {
      double seconds = Double.parseDouble(v);
      return seconds < 0
          ? Optional.empty()
          : Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(clock.instant(), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  /**
   * The body as text, refused past {@code limit} bytes (declared or counted): final, since the same
   * call would bring the same answer.
   */
  private static String readBounded(HttpResponse<InputStream> raw, String vendor, long limit)
      throws IOException {
    try (InputStream in = raw.body()) {
      long declared = raw.headers().firstValueAsLong("content-length").orElse(-1);
      byte[] bytes =
          declared > limit ? null : in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
      if (bytes == null || bytes.length > limit) {
        throw new ConnectorException(
            vendor,
            raw.statusCode(),
            false,
            null,
            null,
            "the answer to "
                + raw.request().uri().getPath()
                + " is larger than "
                + limit
                + " bytes (TRIBUTARY_VENDOR_MAX_RESPONSE_BYTES)");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** A response whose body was read within the limit. */
  private record Bounded(HttpResponse<InputStream> raw, String body)
      implements HttpResponse<String> {
    @Override
    public int statusCode() {
      return raw.statusCode();
    }

    @Override
    public HttpRequest request() {
      return raw.request();
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return raw.headers();
    }

    @Override
    public Optional<javax.net.ssl.SSLSession> sslSession() {
      return raw.sslSession();
    }

    @Override
    public java.net.URI uri() {
      return raw.uri();
    }

    @Override
    public HttpClient.Version version() {
      return raw.version();
    }
  }

  private static String describe(IOException e) {
    String name = e.getClass().getSimpleName();
    return e.getMessage() == null ? name : name + ": " + e.getMessage();
  }

  private static String firstChars(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + "…";
  }
}
