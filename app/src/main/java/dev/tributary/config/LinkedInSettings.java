package dev.tributary.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The LinkedIn posts provider (RapidAPI). Without a key, profile sync is off and the node still
 * enriches whatever posts arrive.
 *
 * @param rateLimit {@code N/s}, {@code N/min}, {@code N/h}, {@code N/<k>unit} or {@code off};
 *     parsed by the connector ({@code connectors.RateLimit}) when the connector starts
 */
public record LinkedInSettings(
    Optional<String> apiKey, String host, String baseUrl, int maxPages, String rateLimit) {

  public static final String DEFAULT_HOST = "fresh-linkedin-profile-data.p.rapidapi.com";
  public static final String DEFAULT_BASE_URL = "https://" + DEFAULT_HOST;

  /** The seed reads page 1 only. */
  public static final int DEFAULT_MAX_PAGES = 1;

  /**
   * Each page costs credits; more than a few pages per profile per sync is almost certainly a
   * mistake.
   */
  public static final int MAX_PAGES_LIMIT = 20;

  /**
   * Calls per minute across the cluster when {@code RAPIDAPI_RATE_LIMIT} is unset. RapidAPI
   * enforces plan rate limits per 60-second window and the provider's plans differ (a per-key
   * ceiling of 300 a minute is reported for the largest); one a second stays within every plan seen
   * and still syncs the seed's weekly 50 profiles in under a minute. Raise it to your plan's
   * figure.
   */
  public static final String DEFAULT_RATE_LIMIT = "60/min";

  public static final Variable RAPIDAPI_KEY =
      Variable.optional(
          "RAPIDAPI_KEY", "profile sync is off", "RapidAPI key of the LinkedIn posts provider");
  public static final Variable RAPIDAPI_HOST =
      Variable.withDefault("RAPIDAPI_HOST", DEFAULT_HOST, "RapidAPI host header");
  public static final Variable LINKEDIN_API_BASE_URL =
      Variable.withDefault(
          "LINKEDIN_API_BASE_URL", DEFAULT_BASE_URL, "base URL of the LinkedIn posts provider");
  public static final Variable LINKEDIN_MAX_PAGES =
      Variable.withDefault(
          "LINKEDIN_MAX_PAGES", DEFAULT_MAX_PAGES, "pages of posts fetched per profile");
  public static final Variable RAPIDAPI_RATE_LIMIT =
      Variable.withDefault(
          "RAPIDAPI_RATE_LIMIT",
          DEFAULT_RATE_LIMIT,
          "LinkedIn provider calls allowed across all nodes");

  public static final List<Variable> VARIABLES =
      List.of(
          RAPIDAPI_KEY,
          RAPIDAPI_HOST,
          LINKEDIN_API_BASE_URL,
          LINKEDIN_MAX_PAGES,
          RAPIDAPI_RATE_LIMIT);

  public static LinkedInSettings parse(Map<String, String> env) {
    String host = RAPIDAPI_HOST.text(env, DEFAULT_HOST);
    if (host.contains("/") || host.chars().anyMatch(c -> c <= 32)) {
      throw RAPIDAPI_HOST.bad("a host name like " + DEFAULT_HOST, host);
    }
    return new LinkedInSettings(
        RAPIDAPI_KEY.read(env),
        host,
        LINKEDIN_API_BASE_URL.httpUrl(env, DEFAULT_BASE_URL),
        LINKEDIN_MAX_PAGES.integer(env, DEFAULT_MAX_PAGES, 1, MAX_PAGES_LIMIT),
        RAPIDAPI_RATE_LIMIT.text(env, DEFAULT_RATE_LIMIT));
  }

  /** The same settings pointed at another provider (the demo's sandbox), one page a profile. */
  public LinkedInSettings pointedAt(String newApiKey, String newBaseUrl) {
    return new LinkedInSettings(
        Optional.of(newApiKey), host, newBaseUrl, DEFAULT_MAX_PAGES, rateLimit);
  }

  @Override
  public String toString() {
    return "LinkedInSettings[host="
        + host
        + ", baseUrl="
        + baseUrl
        + ", maxPages="
        + maxPages
        + ", rateLimit="
        + rateLimit
        + ", apiKey=***]";
  }
}
