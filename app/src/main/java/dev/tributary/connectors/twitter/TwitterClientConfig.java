package dev.tributary.connectors.twitter;

import dev.tributary.config.StartupException;
import dev.tributary.config.TwitterSettings;
import dev.tributary.connectors.ConfigChecks;
import dev.tributary.connectors.RateLimit;
import dev.tributary.connectors.Retrying;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of one tweet provider client; the compact constructor checks every value. {@link
 * #toString()} never shows the key.
 *
 * @param batchSize ids per call, 1 to {@value #MAX_BATCH} (TWITTER_BATCH_SIZE)
 * @param retrying retries of 429 (waiting what the vendor says), 5xx and timeouts within one call
 */
public record TwitterClientConfig(
    TwitterProvider provider,
    String key,
    URI baseUrl,
    int batchSize,
    Duration connectTimeout,
    Duration requestTimeout,
    Retrying retrying,
    Clock clock) {

  public static final int MAX_BATCH = 100;
  public static final String DEFAULT_TWITTERAPI_BASE_URL = "https://api.twitterapi.io";
  public static final String DEFAULT_X_BASE_URL = "https://api.x.com";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

  public TwitterClientConfig {
    Objects.requireNonNull(provider, "provider");
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException(
          "the " + provider.vendor() + " key (" + provider.keyVariable() + ") is required");
    }
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (batchSize < 1 || batchSize > MAX_BATCH) {
      throw new IllegalArgumentException(
          "TWITTER_BATCH_SIZE must be between 1 and " + MAX_BATCH + ", got " + batchSize);
    }
    ConfigChecks.positive("connect timeout", connectTimeout);
    ConfigChecks.positive("request timeout", requestTimeout);
    Objects.requireNonNull(retrying, "retrying");
    Objects.requireNonNull(clock, "clock");
    key = key.strip();
  }

  /** Defaults for everything but the provider, key and base URL. */
  public static TwitterClientConfig of(TwitterProvider provider, String key, String baseUrl) {
    return new TwitterClientConfig(
        provider,
        key,
        ConfigChecks.httpBaseUrl(
            provider == TwitterProvider.X ? "X_API_BASE_URL" : "TWITTER_API_BASE_URL", baseUrl),
        MAX_BATCH,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT,
        Retrying.defaults(),
        Clock.systemUTC());
  }

  /**
   * The configured provider's client settings; a bad value is a {@link StartupException} naming the
   * variable. Call only when {@link TwitterSettings#enabled()}.
   */
  public static TwitterClientConfig from(TwitterSettings s) {
    TwitterProvider p =
        s.provider()
            .map(v -> TwitterProvider.valueOf(v))
            .orElseThrow(() -> TwitterSettings.TWITTER_API_KEY.missing("Engagement tracking"));
    try {
      return p == TwitterProvider.X
          ? of(
                  p,
                  s.xBearerToken()
                      .orElseThrow(
                          () -> TwitterSettings.X_BEARER_TOKEN.missing("TWITTER_PROVIDER=x")),
                  s.xApiBaseUrl())
              .withBatchSize(s.batchSize())
          : of(
                  p,
                  s.twitterApiKey()
                      .orElseThrow(
                          () ->
                              TwitterSettings.TWITTER_API_KEY.missing(
                                  "TWITTER_PROVIDER=twitterapi")),
                  s.twitterApiBaseUrl())
              .withBatchSize(s.batchSize());
    } catch (IllegalArgumentException e) {
      throw new StartupException("Twitter connector: " + e.getMessage());
    }
  }

  /** The cluster-wide limit of TWITTER_RATE_LIMIT; empty for {@code off}. */
  public static Optional<RateLimit> rateLimit(TwitterSettings s) {
    try {
      return RateLimit.parse(s.rateLimit());
    } catch (IllegalArgumentException e) {
      throw new StartupException("TWITTER_RATE_LIMIT: " + e.getMessage());
    }
  }

  public TwitterClientConfig withBatchSize(int n) {
    return new TwitterClientConfig(
        provider, key, baseUrl, n, connectTimeout, requestTimeout, retrying, clock);
  }

  public TwitterClientConfig withRequestTimeout(Duration d) {
    return new TwitterClientConfig(
        provider, key, baseUrl, batchSize, connectTimeout, d, retrying, clock);
  }

  public TwitterClientConfig withRetrying(Retrying r) {
    return new TwitterClientConfig(
        provider, key, baseUrl, batchSize, connectTimeout, requestTimeout, r, clock);
  }

  public TwitterClientConfig withClock(Clock c) {
    return new TwitterClientConfig(
        provider, key, baseUrl, batchSize, connectTimeout, requestTimeout, retrying, c);
  }

  @Override
  public String toString() {
    return "TwitterClientConfig[provider="
        + provider
        + ", baseUrl="
        + baseUrl
        + ", batchSize="
        + batchSize
        + ", requestTimeout="
        + requestTimeout
        + ", key=***]";
  }
}
