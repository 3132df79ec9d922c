package dev.tributary.pipelines.publishing;

import dev.tributary.config.PublishingSettings;
import dev.tributary.connectors.unipile.MediaFetcher;
import dev.tributary.connectors.unipile.UnipileClient;
import dev.tributary.connectors.unipile.UnipileClientConfig;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.cron.Schedules;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Scheduled publishing put together from its settings: the Unipile client, the media fetcher, the
 * {@link Publisher}, the catch-up {@link PublishingCycle}, the jobs and the operations.
 */
public final class PublishingModule {
  private final PublishingSettings settings;
  private final Publisher publisher;
  private final PublishingCycle cycle;
  private final PublishingJobs jobs;
  private final PublishingOperations operations;
  private final PublishingMetrics metrics = new PublishingMetrics();

  private PublishingModule(
      PublishingSettings settings, DataSource dataSource, Clock clock, String node) {
    this.settings = settings;
    UnipileClient client =
        new UnipileClient(
            new UnipileClientConfig(
                settings.baseUrl().orElseThrow(),
                settings.apiKey().orElseThrow(),
                UnipileClientConfig.DEFAULT_CONNECT_TIMEOUT,
                settings.requestTimeout(),
                clock));
    Duration checkAfter = checkAfter(settings);
    this.publisher =
        new Publisher(
            dataSource,
            client,
            new MediaFetcher(settings.mediaMaxBytes(), MediaFetcher.DEFAULT_TIMEOUT),
            clock,
            node,
            checkAfter,
            metrics);
    this.cycle = new PublishingCycle(dataSource, publisher, clock, checkAfter);
    this.jobs = new PublishingJobs(publisher, cycle);
    this.operations = new PublishingOperations(dataSource, clock);
  }

  /** Null when publishing is off (no {@code UNIPILE_API_KEY}). */
  public static PublishingModule create(
      PublishingSettings settings, DataSource dataSource, Clock clock, String node) {
    return settings.enabled() ? new PublishingModule(settings, dataSource, clock, node) : null;
  }

  /** How long an attempt's outcome may stay unknown: the call's timeout, a margin, the settle. */
  public static Duration checkAfter(PublishingSettings s) {
    return s.requestTimeout().plusSeconds(5).plus(s.settle());
  }

  public EngineBuilder register(EngineBuilder builder) {
    return jobs.register(builder);
  }

  /** After the engine is built: its jobs API for check jobs, and the catch-up schedule. */
  public void start(Jobs engineJobs, Schedules schedules) {
    jobs.jobs(engineJobs);
    jobs.schedule(schedules, settings.cycleCron());
  }

  public Publisher publisher() {
    return publisher;
  }

  public PublishingCycle cycle() {
    return cycle;
  }

  public PublishingJobs jobs() {
    return jobs;
  }

  public PublishingOperations operations() {
    return operations;
  }

  /** This node's publishing counters and lateness, rendered at {@code /metrics}. */
  public PublishingMetrics metrics() {
    return metrics;
  }

  public PublishingSettings settings() {
    return settings;
  }
}
