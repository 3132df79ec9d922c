package dev.tributary.engine.internal;

import java.time.Clock;
import java.time.Instant;

/**
 * A claimed run on this node, from claim to the write that ends it. The heartbeat renews its lease
 * while it is buffered or running; the watchdog, a cancel or a lost lease ask it to stop. Its last
 * beat is read from the engine's clock, so the watchdog's timeouts follow that clock (a settable
 * one in tests).
 */
public final class HeldJob {
  public enum Phase {
    BUFFERED,
    RUNNING,
    FINISHING
  }

  public enum StopReason {
    CANCELLED,
    LEASE_LOST,
    TIMED_OUT,
    SHUTDOWN
  }

  private final ClaimedJob job;
  private final Clock clock;
  private volatile Phase phase = Phase.BUFFERED;
  private volatile Thread runner;
  private volatile Instant lastBeat;
  private volatile StopReason stopReason;

  public HeldJob(ClaimedJob job, Clock clock) {
    this.job = job;
    this.clock = clock;
    this.lastBeat = clock.instant();
  }

  public ClaimedJob job() {
    return job;
  }

  public long id() {
    return job.id();
  }

  public Phase phase() {
    return phase;
  }

  synchronized void startRunning(Thread thread) {
    runner = thread;
    lastBeat = clock.instant();
    phase = Phase.RUNNING;
  }

  synchronized void finishing() {
    phase = Phase.FINISHING;
    runner = null;
  }

  void beat() {
    lastBeat = clock.instant();
  }

  /** When the run last showed life (started, or heartbeated), by the engine's clock. */
  Instant lastBeat() {
    return lastBeat;
  }

  public StopReason stopReason() {
    return stopReason;
  }

  public boolean stopRequested() {
    return stopReason != null;
  }

  /** Asks the run to stop; interrupts its thread when it is running. The first reason wins. */
  public synchronized void requestStop(StopReason reason) {
    if (stopReason != null || phase == Phase.FINISHING) {
      return;
    }
    stopReason = reason;
    Thread t = runner;
    if (t != null && phase == Phase.RUNNING) {
      t.interrupt();
    }
  }
}
