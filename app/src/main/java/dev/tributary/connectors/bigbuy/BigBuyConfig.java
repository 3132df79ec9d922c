package dev.tributary.connectors.bigbuy;

import dev.tributary.connectors.ConfigChecks;
import dev.tributary.connectors.Retrying;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link BigBuyClient} ({@code BIGBUY_API_KEY}, {@code BIGBUY_BASE_URL}, {@code
 * BIGBUY_PAGE_SIZE}).
 *
 * @param pageSize items asked per list page; BigBuy documents at most 10000 for {@code products}
 * @param isoCode language of names and descriptions
 * @param retrying waits between quick retries of one call (5xx, timeouts); waits longer than its
 *     {@code maxWait} (an hour-long rate-limit reset) are left to the job, which frees its worker
 */
public record BigBuyConfig(
    String apiKey,
    URI baseUrl,
    int pageSize,
    String isoCode,
    Duration connectTimeout,
    Duration requestTimeout,
    Retrying retrying,
    Clock clock) {
  public static final String DEFAULT_BASE_URL = "https://api.bigbuy.eu";
  public static final int DEFAULT_PAGE_SIZE = 1000;
  public static final int MAX_PAGE_SIZE = 10_000;
  public static final String DEFAULT_ISO_CODE = "en";

  public BigBuyConfig {
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("the BigBuy key (BIGBUY_API_KEY) is required");
    }
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "BIGBUY_PAGE_SIZE must be between 1 and " + MAX_PAGE_SIZE + ", got " + pageSize);
    }
    if (isoCode == null || !isoCode.matches("[a-z]{2}")) {
      throw new IllegalArgumentException("isoCode must be two lower-case letters");
    }
    ConfigChecks.positive("connect timeout", connectTimeout);
    ConfigChecks.positive("request timeout", requestTimeout);
    Objects.requireNonNull(retrying, "retrying");
    Objects.requireNonNull(clock, "clock");
  }

  public static BigBuyConfig of(String apiKey, String baseUrl, int pageSize, Clock clock) {
    return new BigBuyConfig(
        apiKey,
        ConfigChecks.httpBaseUrl("BIGBUY_BASE_URL", baseUrl),
        pageSize,
        DEFAULT_ISO_CODE,
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Retrying.defaults(),
        clock);
  }

  public BigBuyConfig withRetrying(Retrying r) {
    return new BigBuyConfig(
        apiKey, baseUrl, pageSize, isoCode, connectTimeout, requestTimeout, r, clock);
  }

  public BigBuyConfig withRequestTimeout(Duration d) {
    return new BigBuyConfig(apiKey, baseUrl, pageSize, isoCode, connectTimeout, d, retrying, clock);
  }

  @Override
  public String toString() {
    return "BigBuyConfig[baseUrl=" + baseUrl + ", pageSize=" + pageSize + ", apiKey=***]";
  }
}
