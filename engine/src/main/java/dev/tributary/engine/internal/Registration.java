package dev.tributary.engine.internal;

import dev.tributary.engine.JobHandler;
import java.time.Duration;

/**
 * A handler and how to run it. {@code worker} handlers are the seed's named workers: they have a
 * feature flag and write an execution log per run. {@code timeout} is how long a run may go without
 * a heartbeat before it is interrupted and counted as failed.
 */
public record Registration(
    String kind, JobHandler handler, boolean worker, String description, Duration timeout) {}
