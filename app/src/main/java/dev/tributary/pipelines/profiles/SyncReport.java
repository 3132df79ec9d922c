package dev.tributary.pipelines.profiles;

import dev.tributary.pipelines.enrichment.WorkerResult;
import java.time.Duration;
import java.util.List;

/**
 * Everything a sync run did: the seed's answer, the {@code sync_jobs} status, each profile's
 * outcome and the time each stage took (for the demo, the CLI and the logs).
 */
public record SyncReport(
    SyncResponse response,
    String status,
    List<ScrapeOutcome> outcomes,
    WorkerResult hookExtraction,
    WorkerResult embeddings,
    WorkerResult hookClassification,
    Duration scrapeTime,
    Duration embeddingTime,
    Duration hookTime) {

  public SyncReport {
    outcomes = List.copyOf(outcomes);
  }

  public int resharesSkipped() {
    return outcomes.stream().mapToInt(ScrapeOutcome::reshares).sum();
  }

  public int postsKnown() {
    return outcomes.stream().mapToInt(ScrapeOutcome::known).sum();
  }

  public int postsRefreshed() {
    return outcomes.stream().mapToInt(ScrapeOutcome::refreshed).sum();
  }
}
