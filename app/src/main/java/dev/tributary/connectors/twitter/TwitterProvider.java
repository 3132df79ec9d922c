package dev.tributary.connectors.twitter;

/** The two tweet providers {@code TWITTER_PROVIDER} chooses between. */
public enum TwitterProvider {
  /** twitterapi.io: {@code GET /twitter/tweets?tweet_ids=…}, header {@code X-API-Key}. */
  TWITTERAPI("twitterapi.io", "TWITTER_API_KEY"),
  /** The official X API v2: {@code GET /2/tweets?ids=…}, {@code Authorization: Bearer}. */
  X("X API v2", "X_BEARER_TOKEN");

  private final String vendor;
  private final String keyVariable;

  TwitterProvider(String vendor, String keyVariable) {
    this.vendor = vendor;
    this.keyVariable = keyVariable;
  }

  public String vendor() {
    return vendor;
  }

  /** The variable holding this provider's credential, named in auth errors. */
  public String keyVariable() {
    return keyVariable;
  }
}
