package dev.tributary.engine.internal;

import dev.tributary.engine.JobHandler;
import java.time.Duration;

/**
 * A handler and how to run it. {@code timeout} is how long a run may go without a heartbeat before
 * it is interrupted and counted as failed.
 */
public record Registration(String kind, JobHandler handler, Duration timeout) {}
