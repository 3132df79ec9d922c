package dev.tributary.engine.internal;

import dev.tributary.engine.QueueConfig;
import dev.tributary.engine.metrics.EngineMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works one queue on this node: a fetcher claims due jobs in batches into a local buffer, and
 * {@code concurrency} worker threads run them. The fetcher claims when woken by a NOTIFY (as soon
 * as a slot is free), when the buffer runs low after a full claim (more are likely waiting), or
 * when the poll interval passes (the fallback that also finds jobs whose run_at has come).
 */
public final class QueueRunner {
  private static final Logger log = LoggerFactory.getLogger(QueueRunner.class);
  private static final long OVERLOAD_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final QueueConfig config;
  private final JobStore store;
  private final JobExecutor executor;
  private final Completer completer;
  private final EngineMetrics metrics;
  private final Clock clock;
  private final String nodeId;
  private final Duration leaseDuration;
  private final long pollNanos;
  private final int lowWater;

  private final Map<Long, HeldJob> held = new ConcurrentHashMap<>();

  /**
   * Jobs buffered or running. Demand is counted from this, not from {@link #held}: a finished job
   * waiting for its batched completion write no longer takes a slot, so claims and completion
   * writes overlap instead of taking turns.
   */
  private final AtomicInteger active = new AtomicInteger();

  private final LinkedBlockingQueue<HeldJob> buffer = new LinkedBlockingQueue<>();
  private final Signal fetchSignal = new Signal();
  private volatile boolean notified = true;

  /** When the fetcher polls the queue next without a notification (System.nanoTime). */
  private volatile long nextPoll;

  private volatile boolean backlog = true;
  private volatile boolean claiming = true;
  private volatile boolean working = true;
  private Thread fetcher;
  private final List<Thread> workers = new ArrayList<>();

  public QueueRunner(
      QueueConfig config,
      JobStore store,
      JobExecutor executor,
      Completer completer,
      EngineMetrics metrics,
      Clock clock,
      String nodeId,
      Duration leaseDuration,
      Duration pollInterval) {
    this.config = config;
    this.store = store;
    this.executor = executor;
    this.completer = completer;
    this.metrics = metrics;
    this.clock = clock;
    this.nodeId = nodeId;
    this.leaseDuration = leaseDuration;
    this.pollNanos = pollInterval.toNanos();
    this.lowWater = config.prefetch() / 2;
  }

  public String queue() {
    return config.name();
  }

  public void start() {
    String base = "tributary-" + config.name();
    fetcher = Thread.ofPlatform().daemon().name(base + "-fetch").start(this::fetchLoop);
    for (int i = 0; i < config.concurrency(); i++) {
      workers.add(Thread.ofPlatform().daemon().name(base + "-worker-" + i).start(this::workLoop));
    }
  }

  /** A NOTIFY said jobs are due in this queue. */
  public void wake() {
    notified = true;
    fetchSignal.raise();
  }

  public Collection<HeldJob> held() {
    return held.values();
  }

  public HeldJob heldJob(long id) {
    return held.get(id);
  }

  public int runningCount() {
    int n = 0;
    for (HeldJob h : held.values()) {
      if (h.phase() == HeldJob.Phase.RUNNING) {
        n++;
      }
    }
    return n;
  }

  private void fetchLoop() {
    nextPoll = System.nanoTime();
    int failures = 0;
    while (claiming) {
      try {
        // back-pressure: when completion writes fall behind, wait for them before claiming more
        boolean overloaded = completer.overloaded();
        int demand = overloaded ? 0 : config.prefetch() - active.get();
        long now = System.nanoTime();
        boolean due = notified || (backlog && active.get() <= lowWater) || now - nextPoll >= 0;
        if (demand > 0 && due) {
          notified = false;
          claim(demand);
          nextPoll = System.nanoTime() + pollNanos;
          failures = 0;
          if (backlog && config.prefetch() - active.get() > lowWater) {
            continue; // the queue has more and we have room: claim again at once
          }
        }
        long wait;
        if (overloaded) {
          wait = OVERLOAD_RECHECK_NANOS; // nothing signals when the completer catches up
        } else if (config.prefetch() - active.get() <= 0) {
          // every slot is taken: slotFreed() raises the signal when one frees and a claim is due,
          // so
          // an overdue poll waits for that instead of spinning
          wait = pollNanos;
        } else {
          wait = Math.max(1, nextPoll - System.nanoTime());
        }
        fetchSignal.await(wait);
      } catch (InterruptedException e) {
        if (!claiming) {
          break;
        }
      } catch (Throwable e) {
        failures++;
        long pause = Math.min(5_000, 50L << Math.min(failures, 7));
        if (failures <= 3 || failures % 50 == 0) {
          log.warn(
              "queue {}: claim failed ({} in a row), retrying in {} ms: {}",
              config.name(),
              failures,
              pause,
              e.toString());
        }
        nextPoll = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause);
        try {
          fetchSignal.await(TimeUnit.MILLISECONDS.toNanos(pause));
        } catch (InterruptedException ie) {
          if (!claiming) {
            break;
          }
        }
      }
    }
  }

  private void claim(int demand) throws Exception {
    Instant now = clock.instant();
    long t0 = System.nanoTime();
    List<ClaimedJob> jobs =
        store.claim(config.name(), demand, nodeId, now, now.plus(leaseDuration));
    metrics.claimed(jobs.size(), System.nanoTime() - t0);
    backlog = jobs.size() == demand;
    for (ClaimedJob job : jobs) {
      HeldJob h = new HeldJob(job, clock);
      held.put(job.id(), h);
      active.incrementAndGet();
      buffer.add(h);
    }
  }

  private void workLoop() {
    while (working) {
      HeldJob h;
      try {
        h = buffer.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        continue;
      }
      if (h == null) {
        continue;
      }
      try {
        if (h.stopRequested()) {
          released(h); // cancelled or lost while waiting in the buffer
          continue;
        }
        executor.execute(h, this::released);
      } catch (Throwable t) {
        log.error(
            "queue {}: worker failed around job {}; its lease will expire",
            config.name(),
            h.id(),
            t);
        released(h);
      } finally {
        slotFreed();
      }
    }
  }

  private void slotFreed() {
    int n = active.decrementAndGet();
    if (claiming
        && ((notified && n < config.prefetch())
            || (backlog && n <= lowWater)
            || (n < config.prefetch() && System.nanoTime() - nextPoll >= 0))) {
      fetchSignal.raise();
    }
  }

  private void released(HeldJob h) {
    held.remove(h.id(), h);
  }

  /** Stops claiming; gives never-started buffered jobs back at once (their attempt refunded). */
  public void stopClaiming() {
    claiming = false;
    fetchSignal.raise();
    if (fetcher != null) {
      try {
        fetcher.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<HeldJob> unstarted = new ArrayList<>();
    buffer.drainTo(unstarted);
    if (!unstarted.isEmpty()) {
      try {
        store.release(unstarted.stream().map(HeldJob::job).toList(), true, null, clock.instant());
      } catch (Exception e) {
        log.warn(
            "queue {}: could not give back {} unstarted job(s); their leases will expire",
            config.name(),
            unstarted.size());
      }
      unstarted.forEach(
          h -> {
            held.remove(h.id(), h);
            active.decrementAndGet();
          });
    }
  }

  /**
   * Waits for running jobs until the deadline, then asks the rest to stop (they are given back).
   */
  public void awaitWorkers(long deadlineNanos) {
    while (runningCount() > 0 && System.nanoTime() < deadlineNanos) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (HeldJob h : held.values()) {
      if (h.phase() == HeldJob.Phase.RUNNING) {
        h.requestStop(HeldJob.StopReason.SHUTDOWN);
      }
    }
    working = false;
    for (Thread w : workers) {
      try {
        w.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<ClaimedJob> stuck = new ArrayList<>();
    for (HeldJob h : held.values()) {
      if (h.phase() == HeldJob.Phase.RUNNING) {
        stuck.add(h.job());
      }
    }
    if (!stuck.isEmpty()) {
      log.warn(
          "queue {}: {} job(s) ignored the stop request; giving them back",
          config.name(),
          stuck.size());
      try {
        store.release(
            stuck,
            false,
            "interrupted: node " + nodeId + " shut down during the run",
            clock.instant());
      } catch (Exception e) {
        log.warn(
            "queue {}: could not give back stuck jobs; their leases will expire", config.name());
      }
    }
  }
}
