package dev.tributary.pipelines.engagement;

import dev.tributary.config.TributaryConfig;
import dev.tributary.connectors.PostgresRateLimiter;
import dev.tributary.connectors.RateLimiter;
import dev.tributary.connectors.twitter.TweetSource;
import dev.tributary.connectors.twitter.TwitterClientConfig;
import dev.tributary.connectors.twitter.TwitterClients;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Engagement tracking as the node runs it: the configured provider behind the cluster-wide limiter
 * ({@code twitter:<provider>} in provider_rate_limits), the service and its jobs. Without a
 * provider key the service answers reads and refuses refreshes.
 */
public record EngagementPipeline(EngagementService service, EngagementJobs jobs) {

  public static EngagementPipeline create(TributaryConfig config, DataSource ds, Clock clock) {
    Optional<TweetSource> source = Optional.empty();
    if (config.twitter().enabled()) {
      TwitterClientConfig c = TwitterClientConfig.from(config.twitter()).withClock(clock);
      RateLimiter limiter =
          TwitterClientConfig.rateLimit(config.twitter())
              .<RateLimiter>map(
                  l -> new PostgresRateLimiter(ds, "twitter:" + c.provider().name(), l))
              .orElse(RateLimiter.NONE);
      source = Optional.of(TwitterClients.create(c, limiter));
    }
    EngagementPolicy policy = EngagementPolicy.from(config.engagement());
    EngagementService service = new EngagementService(ds, source, policy, clock);
    service.publishSettings();
    Optional<ViralAlertWebhook> webhook =
        config
            .engagement()
            .webhookUrl()
            .map(
                u ->
                    new ViralAlertWebhook(
                        ds, u, config.engagement().webhookSecret().orElseThrow(), clock));
    return new EngagementPipeline(
        service, new EngagementJobs(service, ds, webhook, config.engagement().cron()));
  }
}
