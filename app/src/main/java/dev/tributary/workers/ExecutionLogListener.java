package dev.tributary.workers;

import dev.tributary.engine.JobListener;
import dev.tributary.engine.JobRun;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes the seed's execution log ({@code task_execution_logs_v2}, S1.4) for every run of the named
 * workers: {@code log_worker_start} when a run starts, {@code log_worker_end} with the handler's
 * counts and result when it ends. Other job kinds are not logged.
 */
public final class ExecutionLogListener implements JobListener {
  private final ExecutionLogs logs;
  private final Set<String> workers;

  /** The open log of each run, by job id and attempt. */
  private final Map<String, UUID> open = new ConcurrentHashMap<>();

  public ExecutionLogListener(ExecutionLogs logs, Set<String> workers) {
    this.logs = logs;
    this.workers = Set.copyOf(workers);
  }

  @Override
  public void onStart(JobRun run) {
    if (workers.contains(run.kind())) {
      open.put(key(run), logs.start(run.kind(), run.jobId()));
    }
  }

  @Override
  public void onSuccess(JobRun run) {
    close(run, true, null);
  }

  @Override
  public void onFailure(JobRun run, Failure failure) {
    close(run, false, failure.message());
  }

  private void close(JobRun run, boolean success, String error) {
    UUID id = open.remove(key(run));
    if (id != null) {
      logs.end(id, success, run.itemsProcessed(), run.itemsFailed(), run.result(), error);
    }
  }

  private static String key(JobRun run) {
    return run.jobId() + "#" + run.attempt();
  }
}
