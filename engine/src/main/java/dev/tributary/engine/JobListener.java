package dev.tributary.engine;

/**
 * Told about every run this node executes; register with {@link EngineBuilder#listener}. Called on
 * the job's worker thread, so keep it short. A listener that throws is logged and ignored: it never
 * changes how a job ends, and never stops a loop.
 *
 * <p>Every run that got {@link #onStart} gets exactly one of {@link #onSuccess} or {@link
 * #onFailure}. A job whose kind has no handler is not started and so not reported.
 */
public interface JobListener {
  /** What became of a run that did not succeed. */
  enum Outcome {
    /** The job goes back to its queue and runs again later (a retry, or given back at shutdown). */
    WILL_RETRY,
    /** The job is dead: no attempts left, or a permanent failure. */
    DEAD,
    /** The job is no longer this node's: it was cancelled or its lease was lost. */
    STOPPED
  }

  /**
   * Why a run did not succeed.
   *
   * @param message a one-line description: the exception's {@code toString()}, or {@code "stopped:
   *     <reason>"} when the run was stopped (cancel, lost lease, timeout, shutdown)
   * @param cause the handler's exception, or null when the run was stopped
   * @param outcome what happens to the job next
   */
  record Failure(String message, Throwable cause, Outcome outcome) {
    public boolean willRetry() {
      return outcome == Outcome.WILL_RETRY;
    }
  }

  default void onStart(JobRun run) {}

  default void onSuccess(JobRun run) {}

  default void onFailure(JobRun run, Failure failure) {}
}
