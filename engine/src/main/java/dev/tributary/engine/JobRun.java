package dev.tributary.engine;

import java.util.Map;

/**
 * One run of a job, as a {@link JobListener} sees it: which job, which attempt, and what the
 * handler reported ({@link JobContext#itemsProcessed}, {@link JobContext#itemsFailed}, {@link
 * JobContext#result}) by the time the run ended (zeros and null at the start).
 */
public record JobRun(
    long jobId,
    String kind,
    String queue,
    int attempt,
    int maxAttempts,
    int itemsProcessed,
    int itemsFailed,
    Map<String, Object> result) {}
