package dev.tributary.workers;

import java.time.Instant;

/** One row of {@code worker_feature_flags_v2}. */
public record WorkerFlag(
    String workerName, boolean enabled, String description, Instant updatedAt) {}
