package dev.tributary.engine;

/**
 * Runs one job. Returning normally completes it; throwing fails the attempt (retried with backoff
 * until its attempts run out, then parked as dead); {@link PermanentJobException} parks it as dead
 * at once. Handlers may run more than once for a job (a node can die after the work but before the
 * completion is recorded), so they should be idempotent.
 */
@FunctionalInterface
public interface JobHandler {
  void run(JobContext ctx) throws Exception;
}
