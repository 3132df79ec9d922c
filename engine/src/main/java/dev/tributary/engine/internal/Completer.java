package dev.tributary.engine.internal;

import dev.tributary.engine.metrics.EngineMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches successful runs into one {@code UPDATE … FROM unnest(…)} (River's BatchCompleter). A run
 * waits here at most a few milliseconds; its lease keeps being renewed until the write lands, and
 * if the node dies first the job simply runs again (at-least-once).
 */
public final class Completer {
  private static final Logger log = LoggerFactory.getLogger(Completer.class);

  private record Done(HeldJob held, Consumer<HeldJob> release) {}

  private final JobStore store;
  private final EngineMetrics metrics;
  private final Clock clock;
  private final int maxBatch;
  private final long flushDelayNanos;
  private final LinkedBlockingQueue<Done> pending = new LinkedBlockingQueue<>();
  private volatile boolean running = true;
  private Thread thread;

  public Completer(
      JobStore store, EngineMetrics metrics, Clock clock, int maxBatch, Duration flushDelay) {
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
    this.maxBatch = maxBatch;
    this.flushDelayNanos = flushDelay.toNanos();
  }

  public void start(String nodeId) {
    thread = Thread.ofPlatform().daemon().name("tributary-completer-" + nodeId).start(this::run);
  }

  /**
   * True when more than a few batches wait to be written: runners stop claiming until it drains.
   */
  public boolean overloaded() {
    return pending.size() > maxBatch * 4;
  }

  public void add(HeldJob held, Consumer<HeldJob> release) {
    pending.add(new Done(held, release));
  }

  private void run() {
    List<Done> batch = new ArrayList<>();
    int failures = 0;
    while (running || !pending.isEmpty() || !batch.isEmpty()) {
      try {
        if (batch.isEmpty()) {
          Done first = pending.poll(50, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          // let concurrent workers add theirs: a short wait buys a much bigger batch
          long until = System.nanoTime() + flushDelayNanos;
          while (batch.size() < maxBatch && running) {
            pending.drainTo(batch, maxBatch - batch.size());
            long left = until - System.nanoTime();
            if (left <= 0 || batch.size() >= maxBatch) {
              break;
            }
            Done more = pending.poll(left, TimeUnit.NANOSECONDS);
            if (more != null) {
              batch.add(more);
            }
          }
        }
        flush(batch);
        batch.clear();
        failures = 0;
      } catch (InterruptedException e) {
        // shutting down: the loop condition drains what is left
      } catch (Throwable e) { // never let this thread die: held jobs would wait for it forever
        failures++;
        log.warn(
            "could not record {} completed job(s), retrying ({} failure(s) in a row): {}",
            batch.size(),
            failures,
            e.toString());
        try {
          Thread.sleep(Math.min(5_000, 50L << Math.min(failures, 7)));
        } catch (InterruptedException ignored) {
          // shutting down; the retry happens at once
        }
        if (!running && failures > 5) {
          log.warn(
              "giving up on {} completion(s) at shutdown; those jobs will run again after their lease",
              batch.size());
          batch.forEach(d -> d.release().accept(d.held()));
          batch.clear();
        }
      }
    }
  }

  private void flush(List<Done> batch) throws Exception {
    long[] ids = new long[batch.size()];
    int[] attempts = new int[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      ids[i] = batch.get(i).held().job().id();
      attempts[i] = batch.get(i).held().job().attempt();
    }
    long t0 = System.nanoTime();
    Set<Long> held = store.completeMany(ids, attempts, clock.instant());
    metrics.completionFlush(batch.size(), System.nanoTime() - t0);
    List<Done> again = new ArrayList<>();
    for (Done d : batch) {
      if (held.contains(d.held().job().id())) {
        again.add(d); // another transaction holds its row: written in a later batch
      } else {
        metrics.completed(d.held().job().kind());
        d.release().accept(d.held());
      }
    }
    if (!again.isEmpty()) {
      if (again.size() == batch.size()) {
        pauseQuietly(100); // only rows held by others left: pause before asking again
      }
      pending.addAll(again);
    }
  }

  /** A pause that never throws: the batch is settled, an interrupt is kept for the loop. */
  private static void pauseQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops after writing everything pending; waits up to the given time. */
  public void stop(Duration wait) {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Math.max(1, wait.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
