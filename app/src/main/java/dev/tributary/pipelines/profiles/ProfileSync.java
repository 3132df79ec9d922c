package dev.tributary.pipelines.profiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.ai.TokenUsage;
import dev.tributary.config.NodeSettings;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import dev.tributary.pipelines.enrichment.ClassificationWorker;
import dev.tributary.pipelines.enrichment.EmbeddingWorker;
import dev.tributary.pipelines.enrichment.HookExtractionWorker;
import dev.tributary.pipelines.enrichment.WorkerResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One profile sync run (S0): profiles due ({@code get_profiles_to_sync}, S0.1) → scrape each (S0.2;
 * one profile failing never stops the others) → optionally the cascade's first steps for the new
 * posts (embeddings S0.3; hook extraction and classification S0.4) → the {@code sync_jobs} row
 * (S0.6) and the seed's answer (S0.8). Profile stats (S0.5) are updated with each profile's posts.
 *
 * <p>The run stops early only when the provider refuses us for every profile (bad key, quota); the
 * profiles not reached stay due. Topic and audience classification and profile completion are left
 * to their workers, as in the seed.
 */
public final class ProfileSync {
  private static final Logger log = LoggerFactory.getLogger(ProfileSync.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param cascadeBatchSize rows per worker batch when the run embeds or classifies inline
   * @param cascadeLimit most rows a run processes inline per step; the rest is left to the workers
   * @param answerWait how long the answer waits for whichever worker has the run's new posts to
   *     embed and hook-classify them ({@code TRIBUTARY_SYNC_ANSWER_WAIT})
   */
  public record Options(int cascadeBatchSize, int cascadeLimit, Duration answerWait) {
    public static final Options DEFAULTS =
        new Options(64, 10_000, NodeSettings.DEFAULT_SYNC_ANSWER_WAIT);

    public Options {
      if (cascadeBatchSize < 1 || cascadeLimit < 0 || answerWait.isNegative()) {
        throw new IllegalArgumentException(
            "cascadeBatchSize must be >= 1, cascadeLimit >= 0 and answerWait >= 0");
      }
    }

    public Options(int cascadeBatchSize, int cascadeLimit) {
      this(cascadeBatchSize, cascadeLimit, NodeSettings.DEFAULT_SYNC_ANSWER_WAIT);
    }

    public Options withAnswerWait(Duration wait) {
      return new Options(cascadeBatchSize, cascadeLimit, wait);
    }
  }

  private final Jdbc jdbc;
  private final ProfileScraper scraper;
  private final HookExtractionWorker hookExtraction;
  private final EmbeddingWorker embeddings;
  private final ClassificationWorker hookClassification;
  private final Options options;
  private final SyncJobs syncJobs;
  private final NewPostsEnrichment newPosts;

  public ProfileSync(
      DataSource dataSource,
      ProfileScraper scraper,
      HookExtractionWorker hookExtraction,
      EmbeddingWorker embeddings,
      ClassificationWorker hookClassification,
      Options options) {
    if (hookClassification.kind() != ClassificationWorker.Kind.HOOK_TYPE) {
      throw new IllegalArgumentException(
          "the sync classifies hooks; got the " + hookClassification.name() + " worker");
    }
    this.jdbc = new Jdbc(dataSource);
    this.scraper = scraper;
    this.hookExtraction = hookExtraction;
    this.embeddings = embeddings;
    this.hookClassification = hookClassification;
    this.options = options;
    this.syncJobs = new SyncJobs(dataSource);
    this.newPosts = new NewPostsEnrichment(dataSource);
  }

  public SyncReport run(SyncRequest request, String triggeredBy) {
    return run(request, triggeredBy, SyncProgress.NONE);
  }

  /**
   * Runs a sync; {@code progress} hears how many profiles are due and each one's outcome as it
   * lands.
   */
  public SyncReport run(SyncRequest request, String triggeredBy, SyncProgress progress) {
    boolean cascade = request.generateEmbeddings() || request.classifyHooks();
    ObjectNode parameters = JSON.createObjectNode();
    parameters.put("max_profiles", request.maxProfiles());
    parameters.put("generate_embeddings", request.generateEmbeddings());
    parameters.put("classify_hooks", request.classifyHooks());
    releaseStuckScrapes();
    UUID jobId =
        syncJobs.start(cascade ? "full_cascade" : "profile_scrape", parameters, triggeredBy);
    try {
      return runJob(jobId, request, progress);
    } catch (RuntimeException e) {
      log.error("sync job {} failed", jobId, e);
      try {
        ArrayNode errors = JSON.createArrayNode();
        errors.addObject().put("stage", "run").put("error", String.valueOf(e.getMessage()));
        syncJobs.finish(
            jobId,
            "failed",
            new SyncJobs.Totals(0, 0, 0, 0, 0, 0),
            JSON.createArrayNode(),
            errors,
            ProfileScraper.shorten(String.valueOf(e.getMessage()), ProfileScraper.MAX_ERROR_CHARS));
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private SyncReport runJob(UUID jobId, SyncRequest request, SyncProgress progress) {
    long t0 = System.nanoTime();
    List<ScrapeOutcome> outcomes = new ArrayList<>();
    String abortedBecause = scrapeDue(jobId, request.maxProfiles(), progress, outcomes);
    long t1 = System.nanoTime();
    WorkerResult emb = WorkerResult.NOTHING;
    if (request.generateEmbeddings()) {
      progress.stage("embedding new posts");
      emb =
          (request.classifyHooks() ? embeddings : embeddings.withoutInline())
              .drain(options.cascadeBatchSize(), options.cascadeLimit());
    }
    long t2 = System.nanoTime();
    HookSteps hooks = HookSteps.NONE;
    if (request.classifyHooks()) {
      progress.stage("extracting and classifying hooks");
      hooks = classifyHooks(request.generateEmbeddings(), emb);
    }
    long t3 = System.nanoTime();
    Cascade cascade = new Cascade(emb, hooks.extracted(), hooks.classified());
    NewPostsEnrichment.Counts enriched = enriched(jobId, request, outcomes, cascade, progress);
    Finished done = finish(jobId, outcomes, abortedBecause, cascade, enriched);
    return new SyncReport(
        done.response(),
        done.status(),
        outcomes,
        hooks.extracted(),
        emb,
        hooks.classified(),
        Duration.ofNanos(t1 - t0),
        Duration.ofNanos(t2 - t1),
        Duration.ofNanos(t3 - t2));
  }

  /**
   * Scrapes the due profiles into {@code outcomes}; returns why the run stopped early (the provider
   * refuses every profile), or null.
   */
  private String scrapeDue(
      UUID jobId, int maxProfiles, SyncProgress progress, List<ScrapeOutcome> outcomes) {
    List<DueProfile> due = dueProfiles(maxProfiles);
    progress.started(due.size());
    for (DueProfile p : due) {
      ScrapeOutcome o = scraper.scrape(p);
      outcomes.add(o);
      progress.profileDone(o);
      if (o.status() == ScrapeOutcome.Status.ABORTED) {
        log.warn("sync job {} stopped: the provider refuses every profile: {}", jobId, o.error());
        return o.error();
      }
    }
    return null;
  }

  /** Hook extraction and classification of one run. */
  private record HookSteps(WorkerResult extracted, WorkerResult classified) {
    static final HookSteps NONE = new HookSteps(WorkerResult.NOTHING, WorkerResult.NOTHING);
  }

  /** The cascade steps a run did inline. */
  private record Cascade(WorkerResult embedded, WorkerResult hooks, WorkerResult classified) {
    boolean failed() {
      return embedded.failed() + hooks.failed() + classified.failed() > 0;
    }
  }

  private HookSteps classifyHooks(boolean embeddingsAsked, WorkerResult emb) {
    WorkerResult hooks = hookExtraction.drain(options.cascadeBatchSize(), options.cascadeLimit());
    // without embeddings asked for, the hooks are classified now all the same
    WorkerResult classified =
        (embeddingsAsked ? hookClassification : hookClassification.withoutWaitingForEmbeddings())
            .drain(options.cascadeBatchSize(), options.cascadeLimit());
    // with local models the embedding drain stored and classified most hooks already
    hooks = hooks.plus(new WorkerResult(emb.inline().hooks(), 0, 0, TokenUsage.NONE, null));
    classified =
        classified.plus(new WorkerResult(emb.inline().hookTypes(), 0, 0, TokenUsage.NONE, null));
    return new HookSteps(hooks, classified);
  }

  /**
   * This run's new posts embedded and hook-classified by whichever worker, once none asked for is
   * left or the answer's wait is over. Without a wait when a step failed here: the workers would
   * likely fail the same way.
   */
  private NewPostsEnrichment.Counts enriched(
      UUID jobId,
      SyncRequest request,
      List<ScrapeOutcome> outcomes,
      Cascade cascade,
      SyncProgress progress) {
    if (!request.generateEmbeddings() && !request.classifyHooks()) {
      return NewPostsEnrichment.Counts.NONE;
    }
    List<UUID> synced =
        outcomes.stream().filter(o -> o.inserted() > 0).map(ScrapeOutcome::profileId).toList();
    progress.stage("waiting for the new posts' embeddings and hooks");
    Duration wait = cascade.failed() ? Duration.ZERO : options.answerWait();
    try {
      return newPosts.await(
          jobId, synced, request.generateEmbeddings(), request.classifyHooks(), wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return newPosts
          .count(jobId, synced)
          .asked(request.generateEmbeddings(), request.classifyHooks());
    }
  }

  private record Finished(SyncResponse response, String status) {}

  /** Stores the job's outcome on its {@code sync_jobs} row and builds the answer. */
  private Finished finish(
      UUID jobId,
      List<ScrapeOutcome> outcomes,
      String abortedBecause,
      Cascade cascade,
      NewPostsEnrichment.Counts enriched) {
    SyncTally tally = SyncTally.of(outcomes);
    tally.addCascadeFailures(List.of(cascade.embedded(), cascade.hooks(), cascade.classified()));
    String status = tally.status(abortedBecause, cascade.failed());
    String errorMessage = tally.errorMessage(abortedBecause, cascade.failed());
    int embedded = enriched.embedded();
    int classified = enriched.hooksClassified();
    SyncJobs.Totals totals =
        new SyncJobs.Totals(
            tally.processed, tally.succeeded, tally.scraped, tally.inserted, embedded, classified);
    double duration =
        syncJobs.finish(
            jobId,
            status,
            totals,
            tally.results,
            tally.errors,
            errorMessage == null
                ? null
                : ProfileScraper.shorten(errorMessage, ProfileScraper.MAX_ERROR_CHARS));
    boolean success = !"failed".equals(status) || tally.processed == 0;
    SyncResponse response =
        new SyncResponse(
            success,
            jobId,
            duration,
            tally.processed,
            tally.succeeded,
            tally.scraped,
            tally.inserted,
            embedded,
            classified,
            tally.answer,
            SyncResponse.Pending.ofNonZero(enriched.embeddingsPending(), enriched.hooksPending()),
            success ? null : errorMessage);
    log.info(
        "sync job {} {}: {} profiles ({} ok), {} posts scraped, {} new, {} embedded, {} hooks classified, pending {}/{}",
        jobId,
        status,
        tally.processed,
        tally.succeeded,
        tally.scraped,
        tally.inserted,
        embedded,
        classified,
        enriched.embeddingsPending(),
        enriched.hooksPending());
    return new Finished(response, status);
  }

  private List<DueProfile> dueProfiles(int max) {
    return jdbc.inTransaction(
        "list profiles to sync",
        h ->
            h.query(
                "SELECT * FROM get_profiles_to_sync(:max)",
                Params.of("max", max),
                rs ->
                    new DueProfile(
                        (UUID) rs.getObject("profile_id"),
                        rs.getString("linkedin_id"),
                        rs.getString("full_name"),
                        rs.getInt("sync_priority"),
                        Handle.instant(rs, "last_scraped_at"),
                        rs.getInt("consecutive_failures"))));
  }

  /**
   * A run that crashed left profiles in 'scraping'; the seed's cleanup puts them back (and counts a
   * failure).
   */
  private void releaseStuckScrapes() {
    jdbc.inTransaction(
        "release stuck scrapes",
        h -> {
          h.execute("SELECT cleanup_stuck_scraping_states()", Params.NONE);
          return null;
        });
  }
}
