package dev.tributary.connectors.aliexpress;

import dev.tributary.connectors.ConfigChecks;
import dev.tributary.connectors.Retrying;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link AliExpressClient} ({@code ALIEXPRESS_API_KEY}, {@code ALIEXPRESS_API_SECRET},
 * {@code ALIEXPRESS_BASE_URL}, {@code ALIEXPRESS_SIGN_METHOD}).
 *
 * @param signMethod {@code md5} or {@code sha256} (HMAC), as the gateway accepts both
 * @param pageSize products per search page, at most 50
 * @param maxPages pages read per keyword
 */
public record AliExpressConfig(
    String appKey,
    String appSecret,
    URI baseUrl,
    String signMethod,
    int pageSize,
    int maxPages,
    Duration connectTimeout,
    Duration requestTimeout,
    Retrying retrying,
    Clock clock) {
  public static final String DEFAULT_BASE_URL = "https://api-sg.aliexpress.com";
  public static final String DEFAULT_SIGN_METHOD = "sha256";
  public static final int MAX_PAGE_SIZE = 50;
  public static final int DEFAULT_MAX_PAGES = 10;

  public AliExpressConfig {
    if (appKey == null || appKey.isBlank()) {
      throw new IllegalArgumentException("the AliExpress app key (ALIEXPRESS_API_KEY) is required");
    }
    if (appSecret == null || appSecret.isBlank()) {
      throw new IllegalArgumentException(
          "the AliExpress app secret (ALIEXPRESS_API_SECRET) is required");
    }
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (!signMethod.equals("md5") && !signMethod.equals("sha256")) {
      throw new IllegalArgumentException("ALIEXPRESS_SIGN_METHOD must be md5 or sha256");
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("page size must be between 1 and " + MAX_PAGE_SIZE);
    }
    if (maxPages < 1) {
      throw new IllegalArgumentException("maxPages must be at least 1");
    }
    ConfigChecks.positive("connect timeout", connectTimeout);
    ConfigChecks.positive("request timeout", requestTimeout);
    Objects.requireNonNull(retrying, "retrying");
    Objects.requireNonNull(clock, "clock");
  }

  public static AliExpressConfig of(
      String appKey, String appSecret, String baseUrl, String signMethod, Clock clock) {
    return new AliExpressConfig(
        appKey,
        appSecret,
        ConfigChecks.httpBaseUrl("ALIEXPRESS_BASE_URL", baseUrl),
        signMethod,
        MAX_PAGE_SIZE,
        DEFAULT_MAX_PAGES,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Retrying.defaults(),
        clock);
  }

  public AliExpressConfig withRetrying(Retrying r) {
    return new AliExpressConfig(
        appKey,
        appSecret,
        baseUrl,
        signMethod,
        pageSize,
        maxPages,
        connectTimeout,
        requestTimeout,
        r,
        clock);
  }

  public AliExpressConfig withPaging(int newPageSize, int newMaxPages) {
    return new AliExpressConfig(
        appKey,
        appSecret,
        baseUrl,
        signMethod,
        newPageSize,
        newMaxPages,
        connectTimeout,
        requestTimeout,
        retrying,
        clock);
  }

  @Override
  public String toString() {
    return "AliExpressConfig[baseUrl="
        + baseUrl
        + ", signMethod="
        + signMethod
        + ", appKey=***, appSecret=***]";
  }
}
