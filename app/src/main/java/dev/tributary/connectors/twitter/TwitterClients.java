package dev.tributary.connectors.twitter;

import dev.tributary.connectors.RateLimiter;

/** The client of the configured provider. */
public final class TwitterClients {
  private TwitterClients() {}

  public static TweetSource create(TwitterClientConfig config, RateLimiter limiter) {
    return switch (config.provider()) {
      case TWITTERAPI -> new TwitterApiIoClient(config, limiter);
      case X -> new XApiClient(config, limiter);
    };
  }
}
