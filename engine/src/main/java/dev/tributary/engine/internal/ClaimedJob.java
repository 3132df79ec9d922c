package dev.tributary.engine.internal;

import java.time.Instant;

/** A job this node holds a lease on: (id, attempt) names this one run of it. */
public record ClaimedJob(
    long id,
    String kind,
    String queue,
    String argsJson,
    int attempt,
    int maxAttempts,
    Instant runAt,
    Instant claimedAt) {}
