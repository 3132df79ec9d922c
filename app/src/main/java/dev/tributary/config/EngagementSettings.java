package dev.tributary.config;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Engagement tracking (S4): what is tracked, how often, when a tweet is viral and who may trigger
 * the batch update.
 *
 * @param trackingMin initial likes + retweets + replies + quotes a tweet needs to be tracked
 * @param viralVelocity engagement per hour that raises a viral alert
 * @param coldIntervalMinutes minutes between refreshes of a cold tweet; 0 stops tracking it
 * @param updateSecret bearer of {@code /api/twitter/engagement/update} beside QStash's signature
 * @param qstashUrlBase the public base URL QStash calls (behind a proxy), for the token's {@code
 *     sub}
 */
public record EngagementSettings(
    int trackingMin,
    int viralVelocity,
    Optional<URI> webhookUrl,
    Optional<String> webhookSecret,
    int refreshCacheSeconds,
    String cron,
    int coldIntervalMinutes,
    Optional<String> updateSecret,
    Optional<URI> qstashUrlBase) {

  public static final int DEFAULT_TRACKING_MIN = 10;
  public static final int DEFAULT_VIRAL_VELOCITY = 500;
  public static final int DEFAULT_REFRESH_CACHE_SECONDS = 60;
  public static final String DEFAULT_CRON = "*/10 * * * *";

  /** Once a day: a tweet a day old still gathers some engagement, rarely much. */
  public static final int DEFAULT_COLD_INTERVAL_MINUTES = 1440;

  public static final Variable ENGAGEMENT_TRACKING_MIN =
      Variable.withDefault(
          "ENGAGEMENT_TRACKING_MIN",
          DEFAULT_TRACKING_MIN,
          "initial engagement a tweet needs to be tracked (selective tracking)");
  public static final Variable ENGAGEMENT_VIRAL_VELOCITY =
      Variable.withDefault(
          "ENGAGEMENT_VIRAL_VELOCITY",
          DEFAULT_VIRAL_VELOCITY,
          "engagement per hour that raises a viral alert");
  public static final Variable ENGAGEMENT_ALERT_WEBHOOK_URL =
      Variable.optional(
          "ENGAGEMENT_ALERT_WEBHOOK_URL",
          "alerts are only stored",
          "where viral alerts are POSTed");
  public static final Variable ENGAGEMENT_ALERT_WEBHOOK_SECRET =
      Variable.optional(
          "ENGAGEMENT_ALERT_WEBHOOK_SECRET",
          null,
          "HMAC-SHA256 key of the viral alert webhook (X-Tributary-Signature)");
  public static final Variable ENGAGEMENT_REFRESH_CACHE_SECONDS =
      Variable.withDefault(
          "ENGAGEMENT_REFRESH_CACHE_SECONDS",
          DEFAULT_REFRESH_CACHE_SECONDS,
          "a tweet refreshed this recently is answered from the database");
  public static final Variable TRIBUTARY_ENGAGEMENT_CRON =
      Variable.withDefault(
          "TRIBUTARY_ENGAGEMENT_CRON", DEFAULT_CRON, "when the engagement batch update runs");
  public static final Variable ENGAGEMENT_COLD_INTERVAL_MINUTES =
      Variable.withDefault(
          "ENGAGEMENT_COLD_INTERVAL_MINUTES",
          DEFAULT_COLD_INTERVAL_MINUTES,
          "minutes between refreshes of a cold tweet; 0 stops tracking it");
  public static final Variable ENGAGEMENT_UPDATE_SECRET =
      Variable.optional(
          "ENGAGEMENT_UPDATE_SECRET",
          "only QStash may call the batch update",
          "bearer of /api/twitter/engagement/update beside the QStash signature");
  public static final Variable QSTASH_URL_BASE =
      Variable.optional(
          "QSTASH_URL_BASE",
          "TRIBUTARY_PUBLIC_URL",
          "the public base URL QStash calls, checked against its token's sub");

  public static final List<Variable> VARIABLES =
      List.of(
          ENGAGEMENT_TRACKING_MIN,
          ENGAGEMENT_VIRAL_VELOCITY,
          ENGAGEMENT_ALERT_WEBHOOK_URL,
          ENGAGEMENT_ALERT_WEBHOOK_SECRET,
          ENGAGEMENT_REFRESH_CACHE_SECONDS,
          TRIBUTARY_ENGAGEMENT_CRON,
          ENGAGEMENT_COLD_INTERVAL_MINUTES,
          ENGAGEMENT_UPDATE_SECRET,
          QSTASH_URL_BASE);

  public static EngagementSettings parse(Map<String, String> env) {
    Optional<URI> webhook = ENGAGEMENT_ALERT_WEBHOOK_URL.httpUrl(env);
    Optional<String> webhookSecret = ENGAGEMENT_ALERT_WEBHOOK_SECRET.read(env);
    if (webhook.isPresent() && webhookSecret.isEmpty()) {
      throw ENGAGEMENT_ALERT_WEBHOOK_SECRET.missing(
          "The viral alert webhook (ENGAGEMENT_ALERT_WEBHOOK_URL)");
    }
    return new EngagementSettings(
        ENGAGEMENT_TRACKING_MIN.integer(env, DEFAULT_TRACKING_MIN, 0, Integer.MAX_VALUE),
        ENGAGEMENT_VIRAL_VELOCITY.integer(env, DEFAULT_VIRAL_VELOCITY, 1, Integer.MAX_VALUE),
        webhook,
        webhookSecret,
        ENGAGEMENT_REFRESH_CACHE_SECONDS.integer(env, DEFAULT_REFRESH_CACHE_SECONDS, 0, 86_400),
        TRIBUTARY_ENGAGEMENT_CRON.cron(env, DEFAULT_CRON),
        ENGAGEMENT_COLD_INTERVAL_MINUTES.integer(env, DEFAULT_COLD_INTERVAL_MINUTES, 0, 525_600),
        ENGAGEMENT_UPDATE_SECRET.read(env),
        QSTASH_URL_BASE.httpUrl(env));
  }

  public static EngagementSettings defaults() {
    return parse(Map.of());
  }

  @Override
  public String toString() {
    return "EngagementSettings[trackingMin="
        + trackingMin
        + ", viralVelocity="
        + viralVelocity
        + ", webhook="
        + webhookUrl.map(u -> u.getHost()).orElse("off")
        + ", cacheSeconds="
        + refreshCacheSeconds
        + ", cron="
        + cron
        + ", coldIntervalMinutes="
        + coldIntervalMinutes
        + ", credentials=***]";
  }
}
