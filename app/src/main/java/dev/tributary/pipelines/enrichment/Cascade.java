package dev.tributary.pipelines.enrichment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The six workers of S1.1 in dependency order (hooks before their classification, embeddings before
 * the classifiers that reuse them, posts before profile styles), drained one after the other. For
 * the demo, the benchmarks and a node without the job engine; on the engine each worker is a job of
 * its own.
 */
public final class Cascade {
  private final List<CascadeWorker> workers;

  public Cascade(List<CascadeWorker> workers) {
    this.workers = List.copyOf(workers);
  }

  /** What one worker did while draining, and how long it took. */
  public record Stage(String worker, WorkerResult result, Duration time) {}

  /**
   * Drains every worker in order; a worker stops at its first failed batch (the rows stay flagged)
   * and the next one starts.
   *
   * @param limit most rows a worker claims in this call
   */
  public Map<String, Stage> drain(int batchSize, int limit) {
    Map<String, Stage> out = new LinkedHashMap<>();
    for (CascadeWorker w : workers) {
      long t0 = System.nanoTime();
      WorkerResult r = w.drain(batchSize, limit);
      out.put(w.name(), new Stage(w.name(), r, Duration.ofNanos(System.nanoTime() - t0)));
    }
    return out;
  }

  public List<CascadeWorker> workers() {
    return new ArrayList<>(workers);
  }
}
