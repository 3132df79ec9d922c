package dev.tributary.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A job as stored, for listing and inspection. {@code errors} is the JSON array of past errors. */
public record Job(
    long id,
    String kind,
    String queue,
    JsonNode args,
    int priority,
    JobState state,
    int attempt,
    int maxAttempts,
    Instant runAt,
    String uniqueKey,
    String lockedBy,
    Instant leaseUntil,
    Instant attemptedAt,
    Instant finishedAt,
    String lastError,
    JsonNode errors,
    Instant createdAt) {}
