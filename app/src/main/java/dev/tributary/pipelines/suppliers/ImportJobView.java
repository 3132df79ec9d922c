package dev.tributary.pipelines.suppliers;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An import job as the API shows it.
 *
 * @param phase what an operator should read: {@code pending}, {@code running}, {@code retrying}
 *     (pending again after a failed attempt, with backoff: not an error yet), {@code waiting} (rate
 *     limited until {@code runAfter}), {@code completed} or {@code failed}
 */
public record ImportJobView(
    UUID id,
    UUID supplierId,
    String jobType,
    String status,
    String phase,
    int priority,
    int attempts,
    int maxAttempts,
    Instant runAfter,
    int processedItems,
    int failedItems,
    Map<String, Object> result,
    Map<String, Object> progress,
    List<Object> errors,
    String lastError,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt,
    Instant webhookSentAt) {}
