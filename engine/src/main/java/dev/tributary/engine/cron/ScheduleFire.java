package dev.tributary.engine.cron;

import java.time.Instant;

/**
 * One cron tick of a schedule: when it was due, when and by which node it fired, the job it
 * enqueued and that job's state now ({@code null} once the job is pruned).
 */
public record ScheduleFire(
    String scheduleName,
    Instant fireTime,
    Instant firedAt,
    String firedBy,
    Long jobId,
    String jobState) {}
