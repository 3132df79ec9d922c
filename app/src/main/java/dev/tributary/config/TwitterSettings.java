package dev.tributary.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tweet metrics provider (S4). {@code TWITTER_PROVIDER} picks twitterapi.io or the X API v2;
 * unset, whichever key is set decides (twitterapi.io when both are). Without the chosen provider's
 * key, engagement refreshes are off and the node still starts.
 *
 * @param provider {@code TWITTERAPI} or {@code X}; empty when no key is set
 * @param rateLimit {@code N/s}, {@code N/min}, … or {@code off}; parsed by the connector
 */
public record TwitterSettings(
    Optional<String> provider,
    Optional<String> twitterApiKey,
    String twitterApiBaseUrl,
    Optional<String> xBearerToken,
    String xApiBaseUrl,
    int batchSize,
    String rateLimit) {

  public static final String DEFAULT_TWITTER_API_BASE_URL = "https://api.twitterapi.io";
  public static final String DEFAULT_X_API_BASE_URL = "https://api.x.com";
  public static final int DEFAULT_BATCH_SIZE = 100;

  /** twitterapi.io's $10 plan allows 3 calls a second; one a second stays well inside it. */
  public static final String DEFAULT_RATE_LIMIT = "60/min";

  public static final Variable TWITTER_PROVIDER =
      Variable.optional(
          "TWITTER_PROVIDER", "whichever key is set", "tweet metrics provider: twitterapi or x");
  public static final Variable TWITTER_API_KEY =
      Variable.optional("TWITTER_API_KEY", "twitterapi.io is off", "twitterapi.io API key");
  public static final Variable TWITTER_API_BASE_URL =
      Variable.withDefault(
          "TWITTER_API_BASE_URL", DEFAULT_TWITTER_API_BASE_URL, "base URL of twitterapi.io");
  public static final Variable X_BEARER_TOKEN =
      Variable.optional("X_BEARER_TOKEN", "the X API is off", "X API v2 app bearer token");
  public static final Variable X_API_BASE_URL =
      Variable.withDefault("X_API_BASE_URL", DEFAULT_X_API_BASE_URL, "base URL of the X API v2");
  public static final Variable TWITTER_BATCH_SIZE =
      Variable.withDefault(
          "TWITTER_BATCH_SIZE", DEFAULT_BATCH_SIZE, "tweet ids per provider call (1-100)");
  public static final Variable TWITTER_RATE_LIMIT =
      Variable.withDefault(
          "TWITTER_RATE_LIMIT",
          DEFAULT_RATE_LIMIT,
          "tweet provider calls allowed across all nodes");

  public static final List<Variable> VARIABLES =
      List.of(
          TWITTER_PROVIDER,
          TWITTER_API_KEY,
          TWITTER_API_BASE_URL,
          X_BEARER_TOKEN,
          X_API_BASE_URL,
          TWITTER_BATCH_SIZE,
          TWITTER_RATE_LIMIT);

  public static TwitterSettings parse(Map<String, String> env) {
    Optional<String> chosen = TWITTER_PROVIDER.choice(env, Set.of("TWITTERAPI", "X"));
    Optional<String> apiKey = TWITTER_API_KEY.token(env, 512);
    Optional<String> bearer = X_BEARER_TOKEN.token(env, 1024);
    Optional<String> provider =
        chosen.or(() -> apiKey.isPresent() ? Optional.of("TWITTERAPI") : bearer.map(b -> "X"));
    if (chosen.isPresent()) {
      Variable key = chosen.get().equals("X") ? X_BEARER_TOKEN : TWITTER_API_KEY;
      if (!key.isSet(env)) {
        throw key.missing("TWITTER_PROVIDER=" + chosen.get().toLowerCase(java.util.Locale.ROOT));
      }
    }
    String rate = TWITTER_RATE_LIMIT.text(env, DEFAULT_RATE_LIMIT);
    return new TwitterSettings(
        provider,
        apiKey,
        TWITTER_API_BASE_URL.httpUrl(env, DEFAULT_TWITTER_API_BASE_URL),
        bearer,
        X_API_BASE_URL.httpUrl(env, DEFAULT_X_API_BASE_URL),
        TWITTER_BATCH_SIZE.integer(env, DEFAULT_BATCH_SIZE, 1, 100),
        rate);
  }

  /** Whether a provider (and its key) is configured. */
  public boolean enabled() {
    return provider.isPresent();
  }

  /** The same settings pointed at a local provider (the demo's sandbox). */
  public TwitterSettings pointedAt(String key, String baseUrl) {
    return new TwitterSettings(
        Optional.of("TWITTERAPI"),
        Optional.of(key),
        baseUrl,
        xBearerToken,
        xApiBaseUrl,
        batchSize,
        "off");
  }

  @Override
  public String toString() {
    return "TwitterSettings[provider="
        + provider.orElse("off")
        + ", batchSize="
        + batchSize
        + ", rateLimit="
        + rateLimit
        + ", keys=***]";
  }
}
