package dev.tributary.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scheduled publishing through Unipile (S1.6, S1.7). Without {@code UNIPILE_API_KEY} publishing is
 * off (its routes answer 503); with the key, {@code UNIPILE_BASE_URL} (the tenant's DSN) is
 * required.
 *
 * @param settle how long after a create call's timeout the account's posts are listed to learn
 *     whether a post whose answer was lost exists (the provider's listing lags its create)
 */
public record PublishingSettings(
    Optional<String> apiKey,
    Optional<String> baseUrl,
    Duration requestTimeout,
    Duration settle,
    long mediaMaxBytes,
    int concurrency,
    String cycleCron) {

  public static final int DEFAULT_TIMEOUT_SECONDS = 30;
  public static final int DEFAULT_SETTLE_SECONDS = 60;
  public static final int DEFAULT_MEDIA_MAX_MB = 10;
  public static final int DEFAULT_CONCURRENCY = 4;
  public static final String DEFAULT_CYCLE_CRON = "*/5 * * * *";

  public static final Variable UNIPILE_API_KEY =
      Variable.optional(
          "UNIPILE_API_KEY",
          "scheduled publishing is off",
          "Unipile access token, sent as `X-API-KEY`");
  public static final Variable UNIPILE_BASE_URL =
      Variable.optional(
          "UNIPILE_BASE_URL",
          "required with `UNIPILE_API_KEY`",
          "the Unipile tenant's DSN, e.g. `https://api4.unipile.com:13443`");
  public static final Variable UNIPILE_TIMEOUT_SECONDS =
      Variable.withDefault(
          "UNIPILE_TIMEOUT_SECONDS",
          DEFAULT_TIMEOUT_SECONDS,
          "seconds a Unipile call may take; a create without an answer by then is reconciled, never resent blindly");
  public static final Variable PUBLISHING_SETTLE_SECONDS =
      Variable.withDefault(
          "PUBLISHING_SETTLE_SECONDS",
          DEFAULT_SETTLE_SECONDS,
          "wait after a lost answer before listing the account's posts to find the post");
  public static final Variable PUBLISHING_MEDIA_MAX_MB =
      Variable.withDefault(
          "PUBLISHING_MEDIA_MAX_MB", DEFAULT_MEDIA_MAX_MB, "largest media file attached to a post");
  public static final Variable PUBLISHING_CONCURRENCY =
      Variable.withDefault(
          "PUBLISHING_CONCURRENCY", DEFAULT_CONCURRENCY, "posts one node publishes at once");
  public static final Variable PUBLISHING_CYCLE_CRON =
      Variable.withDefault(
          "PUBLISHING_CYCLE_CRON",
          DEFAULT_CYCLE_CRON,
          "the seed's catch-up publishing cycle, UTC, five-field cron");

  public static final List<Variable> VARIABLES =
      List.of(
          UNIPILE_API_KEY,
          UNIPILE_BASE_URL,
          UNIPILE_TIMEOUT_SECONDS,
          PUBLISHING_SETTLE_SECONDS,
          PUBLISHING_MEDIA_MAX_MB,
          PUBLISHING_CONCURRENCY,
          PUBLISHING_CYCLE_CRON);

  public static PublishingSettings parse(Map<String, String> env) {
    Optional<String> key = UNIPILE_API_KEY.read(env);
    Optional<String> url = UNIPILE_BASE_URL.httpUrl(env).map(Object::toString);
    if (key.isPresent() && url.isEmpty()) {
      throw UNIPILE_BASE_URL.missing("scheduled publishing (UNIPILE_API_KEY is set)");
    }
    return new PublishingSettings(
        key,
        url,
        Duration.ofSeconds(UNIPILE_TIMEOUT_SECONDS.integer(env, DEFAULT_TIMEOUT_SECONDS, 1, 600)),
        Duration.ofSeconds(
            PUBLISHING_SETTLE_SECONDS.integer(env, DEFAULT_SETTLE_SECONDS, 0, 86_400)),
        PUBLISHING_MEDIA_MAX_MB.integer(env, DEFAULT_MEDIA_MAX_MB, 1, 200) * 1024L * 1024L,
        PUBLISHING_CONCURRENCY.integer(env, DEFAULT_CONCURRENCY, 1, 100),
        PUBLISHING_CYCLE_CRON.cron(env, DEFAULT_CYCLE_CRON));
  }

  public boolean enabled() {
    return apiKey.isPresent();
  }

  /** The same settings pointed at another tenant (the demo's sandbox). */
  public PublishingSettings pointedAt(String newApiKey, String newBaseUrl, Duration newSettle) {
    return new PublishingSettings(
        Optional.of(newApiKey),
        Optional.of(newBaseUrl),
        requestTimeout,
        newSettle,
        mediaMaxBytes,
        concurrency,
        cycleCron);
  }

  @Override
  public String toString() {
    return "PublishingSettings[baseUrl="
        + baseUrl.orElse("unset")
        + ", requestTimeout="
        + requestTimeout
        + ", settle="
        + settle
        + ", concurrency="
        + concurrency
        + ", cycleCron="
        + cycleCron
        + ", apiKey="
        + (apiKey.isPresent() ? "***" : "unset")
        + "]";
  }
}
