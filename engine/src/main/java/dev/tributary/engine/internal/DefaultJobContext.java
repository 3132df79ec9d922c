package dev.tributary.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.engine.JobArgsException;
import dev.tributary.engine.JobCancelledException;
import dev.tributary.engine.JobContext;
import dev.tributary.engine.JobRun;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The context of one run. Heartbeats renew the lease at once through the {@link Heartbeater}. */
final class DefaultJobContext implements JobContext {
  private static final Logger log = LoggerFactory.getLogger("dev.tributary.jobs");

  private final HeldJob held;
  private final Heartbeater heartbeater;
  private final Clock clock;
  private final AtomicInteger processed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private volatile Map<String, Object> result;
  private JsonNode args;

  DefaultJobContext(HeldJob held, Heartbeater heartbeater, Clock clock) {
    this.held = held;
    this.heartbeater = heartbeater;
    this.clock = clock;
  }

  @Override
  public long jobId() {
    return held.job().id();
  }

  @Override
  public String kind() {
    return held.job().kind();
  }

  @Override
  public String queue() {
    return held.job().queue();
  }

  @Override
  public int attempt() {
    return held.job().attempt();
  }

  @Override
  public int maxAttempts() {
    return held.job().maxAttempts();
  }

  @Override
  public synchronized JsonNode args() {
    if (args == null) {
      try {
        args = Json.read(held.job().argsJson());
      } catch (IllegalArgumentException e) {
        throw new JobArgsException("job " + jobId() + " has malformed args: " + e.getMessage(), e);
      }
    }
    return args;
  }

  @Override
  public <T> T args(Class<T> type) {
    try {
      return Json.MAPPER.treeToValue(args(), type);
    } catch (Exception e) {
      throw new JobArgsException(
          "args of job "
              + jobId()
              + " ("
              + kind()
              + ") do not fit "
              + type.getSimpleName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void heartbeat() {
    if (held.stopRequested()) {
      throw new JobCancelledException("job " + jobId() + " must stop: " + held.stopReason());
    }
    held.beat();
    heartbeater.renewNow(held);
    if (held.stopRequested()) {
      throw new JobCancelledException("job " + jobId() + " must stop: " + held.stopReason());
    }
  }

  @Override
  public boolean stopRequested() {
    return held.stopRequested();
  }

  @Override
  public Logger log() {
    return log;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public void itemsProcessed(int count) {
    processed.addAndGet(count);
  }

  @Override
  public void itemsFailed(int count) {
    failed.addAndGet(count);
  }

  @Override
  public void result(Map<String, ?> value) {
    result = value == null ? null : new LinkedHashMap<>(value);
  }

  int processed() {
    return processed.get();
  }

  int failed() {
    return failed.get();
  }

  Map<String, Object> resultOrNull() {
    return result;
  }

  /** The run as listeners see it, with the counts reported so far. */
  JobRun run() {
    Map<String, Object> r = result;
    return new JobRun(
        jobId(),
        kind(),
        queue(),
        attempt(),
        maxAttempts(),
        processed.get(),
        failed.get(),
        r == null ? null : Collections.unmodifiableMap(r));
  }
}
