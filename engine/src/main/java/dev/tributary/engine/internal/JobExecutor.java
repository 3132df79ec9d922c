package dev.tributary.engine.internal;

import dev.tributary.engine.JobListener;
import dev.tributary.engine.JobListener.Outcome;
import dev.tributary.engine.JobRun;
import dev.tributary.engine.PermanentJobException;
import dev.tributary.engine.RetryPolicy;
import dev.tributary.engine.metrics.EngineMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one held job on the calling worker thread and records how it ended: success goes to the
 * batch {@link Completer}; failure is written at once (retry with backoff, or dead); a run that was
 * asked to stop is left to whoever asked (cancel, lost lease) or given back to the queue
 * (shutdown).
 */
public final class JobExecutor {
  private static final Logger log = LoggerFactory.getLogger(JobExecutor.class);
  static final int MAX_ERROR_CHARS = 4000;

  private final Map<String, Registration> registry;
  private final JobStore store;
  private final Completer completer;
  private final Heartbeater heartbeater;
  private final List<JobListener> listeners;
  private final EngineMetrics metrics;
  private final RetryPolicy retryPolicy;
  private final Clock clock;
  private final String nodeId;
  private final RandomGenerator random = RandomGenerator.getDefault();

  public JobExecutor(
      Map<String, Registration> registry,
      JobStore store,
      Completer completer,
      Heartbeater heartbeater,
      List<JobListener> listeners,
      EngineMetrics metrics,
      RetryPolicy retryPolicy,
      Clock clock,
      String nodeId) {
    this.registry = registry;
    this.store = store;
    this.completer = completer;
    this.heartbeater = heartbeater;
    this.listeners = listeners;
    this.metrics = metrics;
    this.retryPolicy = retryPolicy;
    this.clock = clock;
    this.nodeId = nodeId;
  }

  public Registration registration(String kind) {
    return registry.get(kind);
  }

  /** Runs the job; {@code release} is called once this node no longer holds it. */
  public void execute(HeldJob held, Consumer<HeldJob> release) {
    ClaimedJob job = held.job();
    held.startRunning(Thread.currentThread());
    Instant due = job.runAt().isAfter(job.claimedAt()) ? job.claimedAt() : job.runAt();
    metrics.startDelay(Duration.between(due, clock.instant()).toNanos());
    Registration reg = registry.get(job.kind());
    if (reg == null) {
      held.finishing();
      endInFailure(
          held,
          "no handler is registered for job kind '" + job.kind() + "' (node " + nodeId + ")",
          true,
          release);
      return;
    }
    DefaultJobContext ctx = new DefaultJobContext(held, heartbeater, clock);
    long started = System.nanoTime();
    Throwable failure = null;
    notifyStart(ctx);
    try {
      reg.handler().run(ctx);
    } catch (Throwable t) {
      failure = t;
    } finally {
      held.finishing();
      Thread.interrupted(); // a stop request may have interrupted us; the next job starts clean
    }
    metrics.ran(job.kind(), System.nanoTime() - started);
    HeldJob.StopReason stop = held.stopReason();
    if (stop == HeldJob.StopReason.CANCELLED || stop == HeldJob.StopReason.LEASE_LOST) {
      // the job is no longer ours; the database already says what became of it
      notifyEnd(ctx, new JobListener.Failure("stopped: " + stop, failure, Outcome.STOPPED));
      log.info("job {} ({}) stopped: {}", job.id(), job.kind(), stop);
      release.accept(held);
      return;
    }
    if (stop == HeldJob.StopReason.SHUTDOWN) {
      notifyEnd(ctx, new JobListener.Failure("stopped: " + stop, failure, Outcome.WILL_RETRY));
      giveBack(held, "interrupted: node " + nodeId + " shut down during the run", release);
      return;
    }
    if (stop == HeldJob.StopReason.TIMED_OUT) {
      notifyEnd(ctx, new JobListener.Failure("stopped: " + stop, failure, outcome(job, false)));
      endInFailure(
          held, "timed out: no heartbeat for " + reg.timeout().toSeconds() + " s", false, release);
      return;
    }
    if (failure == null) {
      notifyEnd(ctx, null);
      completer.add(held, release);
      return;
    }
    boolean permanent = failure instanceof PermanentJobException;
    if (!permanent) {
      log.warn(
          "job {} ({}) attempt {}/{} failed: {}",
          job.id(),
          job.kind(),
          job.attempt(),
          job.maxAttempts(),
          failure.toString());
    }
    notifyEnd(
        ctx,
        new JobListener.Failure(truncate(failure.toString()), failure, outcome(job, permanent)));
    endInFailure(held, describe(failure), permanent, release);
  }

  private static Outcome outcome(ClaimedJob job, boolean permanent) {
    return permanent || job.attempt() >= job.maxAttempts() ? Outcome.DEAD : Outcome.WILL_RETRY;
  }

  /** Tells the listeners a run started. A listener that throws is logged and skipped. */
  private void notifyStart(DefaultJobContext ctx) {
    JobRun run = ctx.run();
    for (JobListener l : listeners) {
      guard(l, run, () -> l.onStart(run));
    }
  }

  /** Tells the listeners how a run ended: {@code failure} null is a success. */
  private void notifyEnd(DefaultJobContext ctx, JobListener.Failure failure) {
    JobRun run = ctx.run();
    for (JobListener l : listeners) {
      guard(
          l,
          run,
          () -> {
            if (failure == null) {
              l.onSuccess(run);
            } else {
              l.onFailure(run, failure);
            }
          });
    }
  }

  private static void guard(JobListener l, JobRun run, Runnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      log.warn(
          "job listener {} failed on job {} ({}); the job goes on: {}",
          l.getClass().getName(),
          run.jobId(),
          run.kind(),
          t.toString());
    }
  }

  private void endInFailure(
      HeldJob held, String error, boolean permanent, Consumer<HeldJob> release) {
    ClaimedJob job = held.job();
    boolean dead = outcome(job, permanent) == Outcome.DEAD;
    Instant now = clock.instant();
    Instant retryAt = dead ? null : now.plus(retryPolicy.delay(job.attempt(), random));
    try {
      if (store.fail(job.id(), job.attempt(), truncate(error), now, retryAt)) {
        metrics.failed(job.kind());
        if (dead) {
          metrics.dead(job.kind());
          log.warn(
              "job {} ({}) is dead after attempt {}: {}",
              job.id(),
              job.kind(),
              job.attempt(),
              firstLine(error));
        }
      }
    } catch (Exception e) {
      // the lease will expire and the reaper will count this attempt; nothing is lost
      log.warn("could not record the failure of job {}: {}", job.id(), e.toString());
    } finally {
      release.accept(held);
    }
  }

  private void giveBack(HeldJob held, String reason, Consumer<HeldJob> release) {
    try {
      store.release(java.util.List.of(held.job()), false, reason, clock.instant());
    } catch (Exception e) {
      log.warn("could not give job {} back: {}; its lease will expire", held.id(), e.toString());
    } finally {
      release.accept(held);
    }
  }

  static String describe(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  static String truncate(String s) {
    return s == null || s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS) + "…";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
