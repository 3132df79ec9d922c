package dev.tributary.engine;

import java.time.Duration;

/**
 * A queue's cluster-wide settings and depth: {@code available} jobs are due now, {@code scheduled}
 * ones wait for their run_at (first runs and retries), {@code running} are leased by some node.
 */
public record QueueInfo(
    String name,
    boolean paused,
    Integer rateLimit,
    Duration rateInterval,
    long available,
    long scheduled,
    long running,
    long dead) {}
