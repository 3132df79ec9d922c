package dev.tributary.engine.chaos;

import java.time.Duration;

/**
 * The size of a chaos run: jobs to enqueue over the run, node shape, and how long each fault lasts.
 */
public record ChaosSettings(
    int jobs,
    int burst,
    int concurrency,
    int poolSize,
    Duration lease,
    long workMillis,
    Duration lockHold,
    Duration poolHold,
    Duration settle,
    Duration recoveryLimit,
    int nodeHeapMb,
    boolean verbose) {

  /** The size of the test in the normal run: a few thousand jobs, short faults. */
  public static ChaosSettings small() {
    return new ChaosSettings(
        2_000,
        300,
        4,
        6,
        Duration.ofSeconds(2),
        20,
        Duration.ofSeconds(3),
        Duration.ofSeconds(3),
        Duration.ofSeconds(2),
        Duration.ofSeconds(30),
        96,
        false);
  }

  /** The size of {@code ./bench/run chaos}: 100,000 jobs, ten-second faults. */
  public static ChaosSettings bench(int jobs) {
    return new ChaosSettings(
        jobs,
        3_000,
        8,
        10,
        Duration.ofSeconds(5),
        10,
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofSeconds(4),
        Duration.ofSeconds(60),
        256,
        false);
  }

  /** The same run with node JVMs of this heap (an app's node needs more than the engine's). */
  public ChaosSettings withNodeHeapMb(int mb) {
    return new ChaosSettings(
        jobs,
        burst,
        concurrency,
        poolSize,
        lease,
        workMillis,
        lockHold,
        poolHold,
        settle,
        recoveryLimit,
        mb,
        verbose);
  }

  /** Seconds the scenarios take, about: to spread the jobs over the run. */
  public double plannedSeconds() {
    return 6 * settle.toSeconds()
        + 4 * lease.toSeconds()
        + lockHold.toSeconds()
        + poolHold.toSeconds()
        + 10;
  }
}
