package dev.tributary.pipelines.enrichment;

/**
 * One of the six workers of S1.1. Each call claims up to {@code maxItems} rows from its queue
 * ({@code FOR UPDATE SKIP LOCKED} with a claim stamp, so workers on many nodes never share a row),
 * does its work and clears the row's {@code needs_*} flag. A job handler calls it, typically until
 * it claims nothing.
 */
public interface CascadeWorker {
  /** The seed's worker flag name, e.g. {@code worker_generate_embeddings_v2}. */
  String name();

  WorkerResult processBatch(int maxItems);

  /**
   * Batches until the queue is empty or {@code limit} rows were claimed; stops early on a failed
   * batch.
   */
  default WorkerResult drain(int batchSize, int limit) {
    WorkerResult total = WorkerResult.NOTHING;
    while (total.claimed() < limit) {
      WorkerResult r = processBatch(Math.min(batchSize, limit - total.claimed()));
      total = total.plus(r);
      if (r.claimed() == 0 || r.failed() > 0) {
        break;
      }
    }
    return total;
  }
}
