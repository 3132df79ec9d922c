package dev.tributary.connectors.twitter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.RateLimiter;
import dev.tributary.connectors.VendorHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The part both tweet clients share: ask the cluster-wide limiter, send, retry what may succeed
 * later, and turn a refusal into a {@link ConnectorException} that names the variable to check. The
 * key is scrubbed from anything the vendor sends back before it is kept.
 */
final class TweetHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final TwitterClientConfig config;
  private final RateLimiter limiter;
  private final HttpClient http;
  private volatile Instant blockedUntil = Instant.EPOCH;

  TweetHttp(TwitterClientConfig config, RateLimiter limiter) {
    this.config = config;
    this.limiter = limiter;
    // never follow a redirect: it would hand the key header to another host
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  String vendor() {
    return config.provider().vendor();
  }

  /**
   * GET {@code uri} with the auth header; the 2xx body parsed, retries included. {@code onAttempt}
   * runs before each request is sent.
   */
  JsonNode get(URI uri, String authHeader, String authValue, Runnable onAttempt) {
    return config
        .retrying()
        .call(
            () -> {
              waitForReset();
              try {
                limiter.acquire();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorException(
                    vendor(), 0, true, null, null, "interrupted while waiting for the rate limit");
              }
              HttpRequest request =
                  HttpRequest.newBuilder(uri)
                      .timeout(config.requestTimeout())
                      .header(authHeader, authValue)
                      .header("Accept", "application/json")
                      .GET()
                      .build();
              onAttempt.run();
              HttpResponse<String> response = VendorHttp.exchange(http, request, vendor());
              int status = response.statusCode();
              if (status >= 200 && status < 300) {
                noteRateLimit(response.headers());
              }
              String body = scrub(response.body());
              if (status < 200 || status >= 300) {
                throw refusal(status, response.headers(), body);
              }
              return parse(body);
            });
  }

  private JsonNode parse(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null || !root.isObject()) {
        throw ConnectorException.invalid(vendor(), "the answer is not a JSON object");
      }
      return root;
    } catch (java.io.IOException e) {
      // a cut-off or garbled body: the same call may come back whole
      throw new ConnectorException(
          vendor(), 200, true, null, body, "the answer is not valid JSON (cut off?)");
    }
  }

  private ConnectorException refusal(int status, HttpHeaders headers, String body) {
    if (status == 401 || status == 403) {
      return new ConnectorException(
          vendor(),
          status,
          false,
          null,
          body,
          "HTTP "
              + status
              + (status == 401 ? " the key was rejected" : " access refused")
              + ": check "
              + config.provider().keyVariable());
    }
    ConnectorException e = VendorHttp.forStatus(vendor(), status, headers, body, config.clock());
    if (status == 429 && e.retryAfter().isEmpty()) {
      Optional<Duration> reset = untilReset(headers);
      if (reset.isPresent()) {
        return new ConnectorException(
            vendor(),
            429,
            true,
            reset.get(),
            body,
            "HTTP 429 rate limit exceeded, retry after " + reset.get());
      }
    }
    return e;
  }

  /** X's {@code x-rate-limit-reset} (unix seconds) as a wait from now. */
  private Optional<Duration> untilReset(HttpHeaders headers) {
    return headers
        .firstValue("x-rate-limit-reset")
        .flatMap(TweetHttp::longValue)
        .map(
            s -> {
              Duration d = Duration.between(config.clock().instant(), Instant.ofEpochSecond(s));
              return d.isNegative() ? Duration.ZERO : d;
            });
  }

  /** After an answer that says the window is spent, the next call waits for its reset. */
  private void noteRateLimit(HttpHeaders headers) {
    Optional<Long> remaining =
        headers.firstValue("x-rate-limit-remaining").flatMap(TweetHttp::longValue);
    Optional<Long> reset = headers.firstValue("x-rate-limit-reset").flatMap(TweetHttp::longValue);
    if (remaining.isPresent() && remaining.get() <= 0 && reset.isPresent()) {
      blockedUntil = Instant.ofEpochSecond(reset.get());
    }
  }

  private void waitForReset() {
    Duration wait = Duration.between(config.clock().instant(), blockedUntil);
    if (wait.isNegative() || wait.isZero()) {
      return;
    }
    if (wait.compareTo(config.retrying().maxWait()) > 0) {
      throw new ConnectorException(
          vendor(), 429, true, wait, null, "rate-limit window spent, resets in " + wait);
    }
    try {
      config.retrying().sleeper().sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectorException(vendor(), 0, true, wait, null, "interrupted while waiting");
    }
  }

  private String scrub(String body) {
    return body == null ? "" : body.replace(config.key(), "***");
  }

  private static Optional<Long> longValue(String s) {
    try {
      return Optional.of(Long.parseLong(s.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A count field: a JSON number or a string of digits; absent gives {@code absent}. */
  static long count(JsonNode tweet, String field, Long absent) {
    JsonNode v = tweet.get(field);
    if (v == null || v.isNull()) {
      if (absent == null) {
        throw new IllegalArgumentException(field + " is missing");
      }
      return absent;
    }
    if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) {
      return v.asLong();
    }
    if (v.isTextual() && v.asText().matches("[0-9]{1,18}")) {
      return Long.parseLong(v.asText());
    }
    throw new IllegalArgumentException(field + " is not a count: " + abbreviate(v.toString()));
  }

  static int intCount(JsonNode tweet, String field, Long absent) {
    long n = count(tweet, field, absent);
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(field + " is out of range: " + n);
    }
    return (int) n;
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
