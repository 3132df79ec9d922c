package dev.tributary.connectors.linkedin;

import dev.tributary.config.LinkedInSettings;
import dev.tributary.config.StartupException;
import dev.tributary.connectors.ConfigChecks;
import dev.tributary.connectors.RateLimit;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of {@link RapidApiLinkedInClient}. Build with {@link #builder()} (checks every value) or
 * {@link #from(LinkedInSettings)} (the settings of {@code RAPIDAPI_KEY}, {@code RAPIDAPI_HOST},
 * {@code LINKEDIN_API_BASE_URL}, {@code LINKEDIN_MAX_PAGES}, {@code RAPIDAPI_RATE_LIMIT}).
 *
 * @param maxPages pages of ~50 posts fetched per profile; the seed reads page 1 only
 * @param rateLimit the plan's limit on calls, enforced across the cluster by the pipeline ({@code
 *     PostgresRateLimiter}); empty for none. The builder sets none; the environment {@value
 *     #DEFAULT_RATE_LIMIT} unless {@code RAPIDAPI_RATE_LIMIT} says otherwise
 */
public record LinkedInClientConfig(
    String apiKey,
    String host,
    URI baseUrl,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxPages,
    Optional<RateLimit> rateLimit,
    Clock clock) {

  public static final String DEFAULT_HOST = LinkedInSettings.DEFAULT_HOST;
  public static final String DEFAULT_BASE_URL = LinkedInSettings.DEFAULT_BASE_URL;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The provider scrapes LinkedIn live behind the call; answers of 10-20 s are normal. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(45);

  public static final int DEFAULT_MAX_PAGES = LinkedInSettings.DEFAULT_MAX_PAGES;

  /** See {@link LinkedInSettings#MAX_PAGES_LIMIT}. */
  public static final int MAX_PAGES_LIMIT = LinkedInSettings.MAX_PAGES_LIMIT;

  /** See {@link LinkedInSettings#DEFAULT_RATE_LIMIT}. */
  public static final String DEFAULT_RATE_LIMIT = LinkedInSettings.DEFAULT_RATE_LIMIT;

  public LinkedInClientConfig {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(rateLimit, "rateLimit");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * From the parsed settings; a missing key or a bad value is a {@link StartupException} naming the
   * variable.
   */
  public static LinkedInClientConfig from(LinkedInSettings settings) {
    try {
      return read(settings);
    } catch (IllegalArgumentException e) {
      throw new StartupException("LinkedIn connector: " + e.getMessage());
    }
  }

  private static LinkedInClientConfig read(LinkedInSettings settings) {
    Builder b =
        builder()
            .apiKey(
                settings
                    .apiKey()
                    .orElseThrow(
                        () ->
                            LinkedInSettings.RAPIDAPI_KEY.missing(
                                "The LinkedIn posts connector (RapidAPI)")))
            .host(settings.host())
            .baseUrl(settings.baseUrl())
            .maxPages(settings.maxPages());
    try {
      b.rateLimit(RateLimit.parse(settings.rateLimit()).orElse(null));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("RAPIDAPI_RATE_LIMIT: " + e.getMessage());
    }
    return b.build();
  }

  public Builder toBuilder() {
    return new Builder()
        .apiKey(apiKey)
        .host(host)
        .baseUrl(baseUrl.toString())
        .connectTimeout(connectTimeout)
        .requestTimeout(requestTimeout)
        .maxPages(maxPages)
        .rateLimit(rateLimit.orElse(null))
        .clock(clock);
  }

  @Override
  public String toString() {
    return "LinkedInClientConfig[host="
        + host
        + ", baseUrl="
        + baseUrl
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", maxPages="
        + maxPages
        + ", rateLimit="
        + rateLimit.map(RateLimit::toString).orElse("none")
        + ", apiKey=***]";
  }

  public static final class Builder {
    private String apiKey;
    private String host = DEFAULT_HOST;
    private String baseUrl = DEFAULT_BASE_URL;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxPages = DEFAULT_MAX_PAGES;
    private RateLimit rateLimit;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder maxPages(int maxPages) {
      this.maxPages = maxPages;
      return this;
    }

    /** Null for no limit. */
    public Builder rateLimit(RateLimit rateLimit) {
      this.rateLimit = rateLimit;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public LinkedInClientConfig build() {
      if (apiKey == null || apiKey.isBlank()) {
        throw new IllegalArgumentException("the RapidAPI key (RAPIDAPI_KEY) is required");
      }
      if (host == null || host.isBlank() || host.contains("/")) {
        throw new IllegalArgumentException(
            "RAPIDAPI_HOST must be a host name like " + DEFAULT_HOST);
      }
      URI base = ConfigChecks.httpBaseUrl("LINKEDIN_API_BASE_URL", baseUrl);
      ConfigChecks.positive("connect timeout", connectTimeout);
      ConfigChecks.positive("request timeout", requestTimeout);
      if (maxPages < 1 || maxPages > MAX_PAGES_LIMIT) {
        throw new IllegalArgumentException(
            "maxPages (LINKEDIN_MAX_PAGES) must be between 1 and "
                + MAX_PAGES_LIMIT
                + ", got "
                + maxPages);
      }
      return new LinkedInClientConfig(
          apiKey.strip(),
          host.strip(),
          base,
          connectTimeout,
          requestTimeout,
          maxPages,
          Optional.ofNullable(rateLimit),
          clock);
    }
  }
}
