package dev.tributary.pipelines.vectorsync;

import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.JobContext;
import dev.tributary.engine.cron.Schedule;
import dev.tributary.engine.cron.Schedules;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Vector sync (S3) on the engine: the queue is drained by a job that V055's trigger enqueues on
 * change and a schedule every 5 minutes (S3.2); an hourly job cleans completed items older than 7
 * days (S3.5), gives stuck items back and drops the vectors of a model that stopped answering.
 */
public final class VectorSyncJobs {
  public static final String QUEUE = "vectorsync";
  public static final String PROCESS = "embedding_queue_process";
  public static final String MAINTENANCE = "embedding_queue_maintenance";
  public static final String PROCESS_CRON = "*/5 * * * *";
  public static final String MAINTENANCE_CRON = "17 * * * *";
  public static final int BATCH_SIZE = 20;

  /**
   * Old vectors outlive a model switch by this much, so no node still answering from them loses
   * hits.
   */
  public static final Duration RETIRED_VECTOR_GRACE = Duration.ofMinutes(10);

  private final DataSource dataSource;
  private final EmbeddingQueueProcessor processor;

  public VectorSyncJobs(DataSource dataSource, EmbeddingQueueProcessor processor) {
    this.dataSource = dataSource;
    this.processor = processor;
  }

  public EngineBuilder register(EngineBuilder engine) {
    engine.handler(PROCESS, this::process);
    engine.handler(MAINTENANCE, this::maintain);
    return engine;
  }

  public void schedule(Schedules schedules) {
    schedules.put(
        new Schedule(
            "process-embeddings",
            PROCESS_CRON,
            "UTC",
            PROCESS,
            Map.of(),
            EnqueueOptions.DEFAULTS.queue(QUEUE).maxAttempts(5)));
    schedules.put(
        new Schedule(
            "embedding-queue-maintenance",
            MAINTENANCE_CRON,
            "UTC",
            MAINTENANCE,
            Map.of(),
            EnqueueOptions.DEFAULTS.queue(QUEUE).maxAttempts(3)));
  }

  private void process(JobContext ctx) {
    Map<String, Object> totals = new LinkedHashMap<>();
    int claimed = 0;
    int completed = 0;
    int retried = 0;
    int failed = 0;
    while (!ctx.stopRequested()) {
      EmbeddingQueueProcessor.Result r = processor.processBatch(BATCH_SIZE);
      if (r.claimed() == 0) {
        break;
      }
      claimed += r.claimed();
      completed += r.completed();
      retried += r.retried();
      failed += r.failed();
      ctx.itemsProcessed(r.completed());
      ctx.itemsFailed(r.failed() + r.retried());
      ctx.heartbeat();
    }
    totals.put("claimed", claimed);
    totals.put("completed", completed);
    totals.put("retried", retried);
    totals.put("failed", failed);
    ctx.result(totals);
  }

  private void maintain(JobContext ctx) {
    VectorSyncAdmin admin = new VectorSyncAdmin(dataSource);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("completed_items_deleted", admin.cleanup());
    result.put("stuck_items_released", admin.releaseStuck(VectorSyncAdmin.STUCK_AFTER));
    result.put(
        "retired_vectors_dropped",
        ModelSwitch.dropRetiredVectors(dataSource, RETIRED_VECTOR_GRACE));
    ctx.result(result);
  }
}
