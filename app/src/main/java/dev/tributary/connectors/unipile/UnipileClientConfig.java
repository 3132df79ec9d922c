package dev.tributary.connectors.unipile;

import dev.tributary.connectors.ConfigChecks;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the Unipile client calls: the tenant's base URL ({@code
 * https://apiN.unipile.com:PORT}, the DSN), the access token sent as {@code X-API-KEY}, and the
 * timeouts. A create call that gets no answer within {@code requestTimeout} has an unknown outcome:
 * the caller reconciles, never resends.
 */
public record UnipileClientConfig(
    String baseUrl, String apiKey, Duration connectTimeout, Duration requestTimeout, Clock clock) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  public UnipileClientConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("the Unipile API key is required");
    }
    baseUrl = baseUrl.replaceAll("/+$", "");
    ConfigChecks.positive("connectTimeout", connectTimeout);
    ConfigChecks.positive("requestTimeout", requestTimeout);
    Objects.requireNonNull(clock, "clock");
  }

  public static UnipileClientConfig of(String baseUrl, String apiKey) {
    return new UnipileClientConfig(
        baseUrl, apiKey, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, Clock.systemUTC());
  }

  public UnipileClientConfig withRequestTimeout(Duration d) {
    return new UnipileClientConfig(baseUrl, apiKey, connectTimeout, d, clock);
  }

  @Override
  public String toString() {
    return "UnipileClientConfig[baseUrl="
        + baseUrl
        + ", requestTimeout="
        + requestTimeout
        + ", apiKey=***]";
  }
}
