package dev.tributary.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;

/** What a handler sees of its job and what it can tell the engine while running. */
public interface JobContext {
  long jobId();

  String kind();

  String queue();

  /** 1 on the first run, 2 on the first retry, … */
  int attempt();

  int maxAttempts();

  JsonNode args();

  /**
   * The args read as the given type; a mismatch throws {@link JobArgsException} (job parked as
   * dead).
   */
  <T> T args(Class<T> type);

  /**
   * Tells the engine the job is alive: extends its lease now and restarts its timeout. Long jobs
   * call it between steps. Throws {@link JobCancelledException} when the job was cancelled or its
   * lease was lost, so the handler stops early.
   */
  void heartbeat();

  /** True once the job was cancelled, its lease lost, or the engine is shutting down. */
  boolean stopRequested();

  Logger log();

  Clock clock();

  /**
   * Items this run handled, reported to the {@link JobListener}s when the run ends (in {@link
   * JobRun#itemsProcessed}).
   */
  void itemsProcessed(int count);

  /**
   * Items this run failed on, reported to the {@link JobListener}s like {@link #itemsProcessed}.
   */
  void itemsFailed(int count);

  /** The run's result, reported to the {@link JobListener}s when the run ends. */
  void result(Map<String, ?> result);
}
