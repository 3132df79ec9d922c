package dev.tributary.pipelines.profiles;

import dev.tributary.ai.AiProviders;
import dev.tributary.config.TributaryConfig;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.linkedin.LinkedInClientConfig;
import dev.tributary.connectors.linkedin.RapidApiLinkedInClient;
import java.util.List;
import javax.sql.DataSource;

/**
 * The profile sync pipeline assembled from configuration: the LinkedIn connector
 * ({@code RAPIDAPI_KEY}, {@code RAPIDAPI_HOST}, {@code LINKEDIN_API_BASE_URL},
 * {@code LINKEDIN_MAX_PAGES}), the AI providers, the scraper, the six workers, the sync run and its
 * HTTP route. Job handlers and schedules call into these objects.
 */
public final class ProfilePipeline implements AutoCloseable {
  private final RapidApiLinkedInClient linkedIn;
  private final ProfileScraper scraper;
  private final HookExtractionWorker hookExtraction;
  private final EmbeddingWorker embeddings;
  private final ClassificationWorker hookClassification;
  private final ClassificationWorker topicClassification;
  private final ClassificationWorker audienceClassification;
  private final ProfileCompletionWorker profileCompletion;
  private final ProfileSync sync;
  private final StyleRefresh styleRefresh;

  private ProfilePipeline(DataSource ds, RapidApiLinkedInClient linkedIn, AiProviders ai, Retrying retrying,
      ProfileSync.Options options) {
    this.linkedIn = linkedIn;
    this.scraper = new ProfileScraper(ds, linkedIn, retrying);
    this.hookExtraction = new HookExtractionWorker(ds);
    this.embeddings = new EmbeddingWorker(ds, ai.embedder());
    this.hookClassification = ClassificationWorker.hooks(ds, ai.hookClassifier());
    this.topicClassification = ClassificationWorker.topics(ds, ai.topicClassifier());
    this.audienceClassification = ClassificationWorker.audiences(ds, ai.audienceClassifier());
    this.profileCompletion = new ProfileCompletionWorker(ds, ai.styleAnalyser());
    this.sync = new ProfileSync(ds, scraper, hookExtraction, embeddings, hookClassification, options);
    this.styleRefresh = new StyleRefresh(ds);
  }

  /** Reads the connector's settings from {@code config}; a missing {@code RAPIDAPI_KEY} is a startup error. */
  public static ProfilePipeline create(TributaryConfig config, DataSource dataSource, AiProviders ai) {
    return create(LinkedInClientConfig.from(config), dataSource, ai, Retrying.defaults(), ProfileSync.Options.DEFAULTS);
  }

  public static ProfilePipeline create(LinkedInClientConfig linkedIn, DataSource dataSource, AiProviders ai,
      Retrying retrying, ProfileSync.Options options) {
    return new ProfilePipeline(dataSource, new RapidApiLinkedInClient(linkedIn), ai, retrying, options);
  }

  public ProfileSync sync() {
    return sync;
  }

  public ProfileScraper scraper() {
    return scraper;
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
    return List.of(hookExtraction, embeddings, hookClassification, topicClassification, audienceClassification,
        profileCompletion);
  }

  public Cascade cascade() {
    return new Cascade(workers());
  }

  /** {@code POST /functions/v1/sync-profiles}, guarded by the service role key. */
  public ProfileSyncRoutes routes(String serviceRoleKey) {
    return new ProfileSyncRoutes(sync, serviceRoleKey);
  }

  @Override
  public void close() {
    linkedIn.close();
  }
}
