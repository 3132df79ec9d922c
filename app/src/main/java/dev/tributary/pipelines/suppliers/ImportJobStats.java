package dev.tributary.pipelines.suppliers;

import java.util.List;
import java.util.Map;

/**
 * S2.7 over the last 7 days: per status the count and average duration, the success rate per job
 * type, and the running jobs with their progress.
 */
public record ImportJobStats(
    Map<String, StatusStats> byStatus,
    Map<String, Double> successRateByType,
    List<ImportJobView> running) {
  public record StatusStats(long count, Double avgDurationSeconds) {}
}
