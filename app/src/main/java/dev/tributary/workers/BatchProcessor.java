package dev.tributary.workers;

import dev.tributary.engine.JobContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The seed's {@code processBatch} (S1.2): items in batches of {@code batchSize}, the items of a
 * batch side by side, a pause between batches so a provider's rate limit is respected. A failing
 * item is counted and the others go on. Given a {@link JobContext}, it heartbeats between batches,
 * stops early when the job is asked to stop, and reports its counts into the worker's execution
 * log.
 */
public final class BatchProcessor {
  public static final int DEFAULT_BATCH_SIZE = 10;
  public static final Duration DEFAULT_PAUSE = Duration.ofMillis(200);
  static final int MAX_ERRORS_KEPT = 20;

  @FunctionalInterface
  public interface ItemHandler<T> {
    void process(T item) throws Exception;
  }

  /** How the pause between batches is spent; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** What a run did: items processed and failed, batches run, the first error messages. */
  public record Result(
      int processed, int failed, int batches, boolean stoppedEarly, List<String> errors) {}

  private final int batchSize;
  private final Duration pause;
  private final Sleeper sleeper;

  public BatchProcessor(int batchSize, Duration pause, Sleeper sleeper) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    if (pause == null || pause.isNegative()) {
      throw new IllegalArgumentException(
          "pause between batches must be zero or positive, got " + pause);
    }
    this.batchSize = batchSize;
    this.pause = pause;
    this.sleeper = sleeper == null ? d -> Thread.sleep(d) : sleeper;
  }

  public BatchProcessor(int batchSize, Duration pause) {
    this(batchSize, pause, null);
  }

  /** The seed's defaults: batches of 10, 200 ms apart. */
  public static BatchProcessor withDefaults() {
    return new BatchProcessor(DEFAULT_BATCH_SIZE, DEFAULT_PAUSE);
  }

  public <T> Result process(List<T> items, ItemHandler<T> handler) throws InterruptedException {
    return process(items, handler, null);
  }

  public <T> Result process(List<T> items, ItemHandler<T> handler, JobContext ctx)
      throws InterruptedException {
    int processed = 0;
    int failed = 0;
    int batches = 0;
    boolean stoppedEarly = false;
    List<String> errors = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int from = 0; from < items.size(); from += batchSize) {
        if (from > 0) {
          if (ctx != null && ctx.stopRequested()) {
            stoppedEarly = true;
            break;
          }
          if (!pause.isZero()) {
            sleeper.sleep(pause);
          }
        }
        List<T> batch = items.subList(from, Math.min(items.size(), from + batchSize));
        List<Future<?>> running = new ArrayList<>(batch.size());
        for (T item : batch) {
          running.add(
              pool.submit(
                  () -> {
                    handler.process(item);
                    return null;
                  }));
        }
        int batchOk = 0;
        int batchFailed = 0;
        for (Future<?> f : running) {
          try {
            f.get();
            batchOk++;
          } catch (ExecutionException e) {
            batchFailed++;
            if (errors.size() < MAX_ERRORS_KEPT) {
              errors.add(String.valueOf(e.getCause()));
            }
          }
        }
        processed += batchOk;
        failed += batchFailed;
        batches++;
        if (ctx != null) {
          ctx.itemsProcessed(batchOk);
          ctx.itemsFailed(batchFailed);
          ctx.heartbeat();
        }
      }
    }
    return new Result(processed, failed, batches, stoppedEarly, List.copyOf(errors));
  }
}
