package dev.tributary.pipelines.profiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tributary.pipelines.enrichment.WorkerResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sync job's scrape outcomes add up to: the counts, the per-profile {@code results} and
 * {@code errors} stored on its {@code sync_jobs} row, and the profiles of the answer. Skipped
 * profiles do not count.
 */
final class SyncTally {
  private static final ObjectMapper JSON = new ObjectMapper();

  int processed;
  int succeeded;
  int scraped;
  int inserted;
  final ArrayNode results = JSON.createArrayNode();
  final ArrayNode errors = JSON.createArrayNode();
  final List<SyncResponse.ProfileResult> answer = new ArrayList<>();

  private SyncTally() {}

  static SyncTally of(List<ScrapeOutcome> outcomes) {
    SyncTally t = new SyncTally();
    for (ScrapeOutcome o : outcomes) {
      if (o.status() != ScrapeOutcome.Status.SKIPPED) {
        t.add(o);
      }
    }
    return t;
  }

  private void add(ScrapeOutcome o) {
    processed++;
    if (o.status() == ScrapeOutcome.Status.SYNCED) {
      succeeded++;
    } else {
      errors
          .addObject()
          .put("profile_id", o.profileId().toString())
          .put("linkedin_id", o.linkedinId())
          .put("status", o.status().name().toLowerCase())
          .put("error", o.error());
    }
    scraped += o.received();
    inserted += o.inserted();
    answer.add(
        new SyncResponse.ProfileResult(o.profileId(), o.linkedinId(), o.received(), o.inserted()));
    results
        .addObject()
        .put("profile_id", o.profileId().toString())
        .put("linkedin_id", o.linkedinId())
        .put("status", o.status().name().toLowerCase())
        .put("posts_scraped", o.received())
        .put("posts_new", o.inserted())
        .put("posts_refreshed", o.refreshed())
        .put("posts_unchanged", o.unchanged())
        .put("reshares_skipped", o.reshares())
        .put("duplicates_skipped", o.duplicates())
        .put("consecutive_failures", o.consecutiveFailures());
  }

  /** Records the failure of each cascade step that had one as a {@code cascade} error. */
  void addCascadeFailures(List<WorkerResult> steps) {
    for (WorkerResult step : steps) {
      step.failureCause()
          .ifPresent(
              e ->
                  errors
                      .addObject()
                      .put("stage", "cascade")
                      .put("error", String.valueOf(e.getMessage())));
    }
  }

  /**
   * {@code failed} when no profile succeeded, {@code partial} when some profiles or the cascade
   * failed, else {@code completed}.
   */
  String status(String abortedBecause, boolean cascadeFailed) {
    if (abortedBecause != null || processed > succeeded) {
      return succeeded == 0 ? "failed" : "partial";
    }
    return cascadeFailed ? "partial" : "completed";
  }

  /** The job's one-line error, or null when nothing went wrong. */
  String errorMessage(String abortedBecause, boolean cascadeFailed) {
    if (abortedBecause != null) {
      return "stopped: " + abortedBecause;
    }
    if (processed > succeeded) {
      return (processed - succeeded) + " of " + processed + " profiles failed";
    }
    return cascadeFailed ? "the cascade left some posts for the workers" : null;
  }
}
