package dev.tributary.pipelines.publishing;

import dev.tributary.engine.metrics.Histogram;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this node's publisher did, for Prometheus: posts published with the create answer, posts
 * found by reconciliation after a lost answer, posts failed, each by source ({@code
 * scheduled_post}, {@code production_post}, {@code company_post}); and how late posts went out
 * (from the post's due time to the start of the create call that made it). Each post counts once
 * across the cluster: only the node that settles its attempt counts it.
 */
public final class PublishingMetrics {
  private final Map<String, LongAdder> published = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> reconciled = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
  private final Histogram lateness = new Histogram();

  void outcome(PostRef ref, PublishOutcome.Result result) {
    Map<String, LongAdder> counter =
        switch (result) {
          case PUBLISHED -> published;
          case RECONCILED -> reconciled;
          case FAILED -> failed;
          default -> null;
        };
    if (counter != null) {
      counter.computeIfAbsent(ref.source(), k -> new LongAdder()).increment();
    }
  }

  void late(Duration late) {
    lateness.observe(Math.max(0, late.toNanos()) / 1e9);
  }

  public Map<String, Long> publishedBySource() {
    return snapshot(published);
  }

  public Map<String, Long> reconciledBySource() {
    return snapshot(reconciled);
  }

  public Map<String, Long> failedBySource() {
    return snapshot(failed);
  }

  public Histogram.Snapshot lateness() {
    return lateness.snapshot();
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
