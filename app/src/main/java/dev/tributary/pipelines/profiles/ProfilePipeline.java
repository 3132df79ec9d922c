package dev.tributary.pipelines.profiles;

import dev.tributary.ai.AiProviders;
import dev.tributary.config.TributaryConfig;
import dev.tributary.connectors.PostgresRateLimiter;
import dev.tributary.connectors.RateLimiter;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.linkedin.LinkedInClientConfig;
import dev.tributary.connectors.linkedin.RapidApiLinkedInClient;
import dev.tributary.pipelines.enrichment.Cascade;
import dev.tributary.pipelines.enrichment.CascadeWorker;
import dev.tributary.pipelines.enrichment.ClassificationWorker;
import dev.tributary.pipelines.enrichment.EmbeddingWorker;
import dev.tributary.pipelines.enrichment.HookExtractionWorker;
import dev.tributary.pipelines.enrichment.InlineClassification;
import dev.tributary.pipelines.enrichment.ProfileCompletionWorker;
import dev.tributary.pipelines.enrichment.StyleRefresh;
import java.util.List;
import javax.sql.DataSource;

/**
 * The profile sync pipeline assembled from configuration: the LinkedIn connector ({@code
 * RAPIDAPI_KEY}, {@code RAPIDAPI_HOST}, {@code LINKEDIN_API_BASE_URL}, {@code LINKEDIN_MAX_PAGES},
 * {@code RAPIDAPI_RATE_LIMIT} enforced cluster-wide), the AI providers, the scraper, the six
 * workers, the sync run and its HTTP route. Job handlers and schedules call into these objects.
 * Without a LinkedIn connector (no {@code RAPIDAPI_KEY}) the six workers still enrich whatever
 * posts arrive; only scraping is off.
 */
public final class ProfilePipeline implements AutoCloseable {
  private final RapidApiLinkedInClient linkedIn;
  private final ProfileScraper scraper;
  private final DataSource dataSource;
  private final HookExtractionWorker hookExtraction;
  private final EmbeddingWorker embeddings;
  private final ClassificationWorker hookClassification;
  private final ClassificationWorker topicClassification;
  private final ClassificationWorker audienceClassification;
  private final ProfileCompletionWorker profileCompletion;
  private final ProfileSync sync;
  private final StyleRefresh styleRefresh;

  private ProfilePipeline(
      DataSource ds,
      RapidApiLinkedInClient linkedIn,
      AiProviders ai,
      Retrying retrying,
      ProfileSync.Options options) {
    this.dataSource = ds;
    this.linkedIn = linkedIn;
    this.scraper = linkedIn == null ? null : new ProfileScraper(ds, linkedIn, retrying);
    this.hookExtraction = new HookExtractionWorker(ds);
    this.embeddings =
        new EmbeddingWorker(
            ds,
            ai.embedder(),
            InlineClassification.of(
                    ai.embedder(),
                    ai.hookClassifier(),
                    ai.topicClassifier(),
                    ai.audienceClassifier())
                .orElse(null));
    this.hookClassification = ClassificationWorker.hooks(ds, ai.hookClassifier());
    this.topicClassification = ClassificationWorker.topics(ds, ai.topicClassifier());
    this.audienceClassification = ClassificationWorker.audiences(ds, ai.audienceClassifier());
    this.profileCompletion = new ProfileCompletionWorker(ds, ai.styleAnalyser());
    this.sync =
        scraper == null
            ? null
            : new ProfileSync(ds, scraper, hookExtraction, embeddings, hookClassification, options);
    this.styleRefresh = new StyleRefresh(ds);
  }

  /**
   * Reads the connector's settings from {@code config}; a missing {@code RAPIDAPI_KEY} is a startup
   * error.
   */
  public static ProfilePipeline create(
      TributaryConfig config, DataSource dataSource, AiProviders ai) {
    return create(
        LinkedInClientConfig.from(config.linkedin()),
        dataSource,
        ai,
        Retrying.defaults(),
        ProfileSync.Options.DEFAULTS.withAnswerWait(config.node().syncAnswerWait()));
  }

  public static ProfilePipeline create(
      LinkedInClientConfig linkedIn,
      DataSource dataSource,
      AiProviders ai,
      Retrying retrying,
      ProfileSync.Options options) {
    RateLimiter limiter =
        linkedIn
            .rateLimit()
            .<RateLimiter>map(
                limit -> new PostgresRateLimiter(dataSource, rateLimiterName(linkedIn), limit))
            .orElse(RateLimiter.NONE);
    return new ProfilePipeline(
        dataSource, new RapidApiLinkedInClient(linkedIn, limiter), ai, retrying, options);
  }

  /**
   * Every node calling the same provider host shares one limiter row (the plan is per key, the key
   * per host).
   */
  static String rateLimiterName(LinkedInClientConfig linkedIn) {
    return "rapidapi:" + linkedIn.host();
  }

  /**
   * The six workers only: posts are enriched, nothing is scraped ({@link #syncAvailable()} is
   * false).
   */
  public static ProfilePipeline withoutConnector(DataSource dataSource, AiProviders ai) {
    return new ProfilePipeline(
        dataSource, null, ai, Retrying.defaults(), ProfileSync.Options.DEFAULTS);
  }

  public boolean syncAvailable() {
    return sync != null;
  }

  /** The sync run; only with a LinkedIn connector. */
  public ProfileSync sync() {
    if (sync == null) {
      throw new IllegalStateException(
          "profile sync needs the LinkedIn connector: set RAPIDAPI_KEY");
    }
    return sync;
  }

  public ProfileScraper scraper() {
    if (scraper == null) {
      throw new IllegalStateException(
          "profile scraping needs the LinkedIn connector: set RAPIDAPI_KEY");
    }
    return scraper;
  }

  public SyncOperations operations() {
    return new SyncOperations(dataSource);
  }

  public StyleRefresh styleRefresh() {
    return styleRefresh;
  }

  public HookExtractionWorker hookExtraction() {
    return hookExtraction;
  }

  public EmbeddingWorker embeddings() {
    return embeddings;
  }

  public ClassificationWorker hookClassification() {
    return hookClassification;
  }

  public ClassificationWorker topicClassification() {
    return topicClassification;
  }

  public ClassificationWorker audienceClassification() {
    return audienceClassification;
  }

  public ProfileCompletionWorker profileCompletion() {
    return profileCompletion;
  }

  /** The six workers of S1.1, in dependency order. */
  public List<CascadeWorker> workers() {
    return List.of(
        hookExtraction,
        embeddings,
        hookClassification,
        topicClassification,
        audienceClassification,
        profileCompletion);
  }

  public Cascade cascade() {
    return new Cascade(workers());
  }

  @Override
  public void close() {
    if (linkedIn != null) {
      linkedIn.close();
    }
  }
}
