package dev.tributary.engine.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and histograms of one node, by job kind. The web module renders them for Prometheus;
 * cluster-wide numbers (queue depth) come from the database at scrape time instead.
 */
public final class EngineMetrics {
  private final Map<String, LongAdder> enqueued = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> completed = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> dead = new ConcurrentHashMap<>();
  private final Map<String, Histogram> runTime = new ConcurrentHashMap<>();
  private final Histogram claimDuration = new Histogram();
  private final Histogram startDelay = new Histogram();
  private final Histogram completionFlush = new Histogram();
  private final LongAdder completionFlushes = new LongAdder();
  private final LongAdder claims = new LongAdder();
  private final LongAdder claimedJobs = new LongAdder();

  public void enqueued(String kind, int n) {
    add(enqueued, kind, n);
  }

  public void completed(String kind) {
    add(completed, kind, 1);
  }

  /** An attempt failed (it may still be retried). */
  public void failed(String kind) {
    add(failed, kind, 1);
  }

  public void dead(String kind) {
    add(dead, kind, 1);
  }

  public void ran(String kind, long nanos) {
    runTime.computeIfAbsent(kind, k -> new Histogram()).observeNanos(nanos);
  }

  public void claimed(int jobs, long statementNanos) {
    claims.increment();
    claimedJobs.add(jobs);
    claimDuration.observeNanos(statementNanos);
  }

  /** One batched completion write: how many jobs, how long. */
  public void completionFlush(int jobs, long nanos) {
    completionFlushes.increment();
    completionFlush.observeNanos(nanos);
  }

  /** Time from when a job was due to when a worker started it. */
  public void startDelay(long nanos) {
    startDelay.observeNanos(Math.max(0, nanos));
  }

  private static void add(Map<String, LongAdder> map, String kind, int n) {
    map.computeIfAbsent(kind, k -> new LongAdder()).add(n);
  }

  public Map<String, Long> enqueuedByKind() {
    return snapshot(enqueued);
  }

  public Map<String, Long> completedByKind() {
    return snapshot(completed);
  }

  public Map<String, Long> failedByKind() {
    return snapshot(failed);
  }

  public Map<String, Long> deadByKind() {
    return snapshot(dead);
  }

  public Map<String, Histogram.Snapshot> runTimeByKind() {
    Map<String, Histogram.Snapshot> out = new TreeMap<>();
    runTime.forEach((k, h) -> out.put(k, h.snapshot()));
    return out;
  }

  public Histogram.Snapshot claimDuration() {
    return claimDuration.snapshot();
  }

  public Histogram.Snapshot startDelay() {
    return startDelay.snapshot();
  }

  public Histogram.Snapshot completionFlush() {
    return completionFlush.snapshot();
  }

  public long completionFlushes() {
    return completionFlushes.sum();
  }

  public long claims() {
    return claims.sum();
  }

  public long claimedJobs() {
    return claimedJobs.sum();
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> map) {
    Map<String, Long> out = new TreeMap<>();
    map.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
