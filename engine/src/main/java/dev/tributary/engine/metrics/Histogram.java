package dev.tributary.engine.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A cumulative histogram of seconds with fixed buckets, cheap to update from many threads. */
public final class Histogram {
  /** Upper bounds in seconds, from one millisecond to five minutes. */
  public static final double[] BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300
  };

  private final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
  private final DoubleAdder sum = new DoubleAdder();

  public Histogram() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  public void observeNanos(long nanos) {
    observe(nanos / 1e9);
  }

  public void observe(double seconds) {
    int i = 0;
    while (i < BUCKETS.length && seconds > BUCKETS[i]) {
      i++;
    }
    counts[i].increment();
    sum.add(seconds);
  }

  /** Cumulative counts per bucket (the last one is +Inf), the sum and the count. */
  public record Snapshot(double[] bounds, long[] cumulative, double sum, long count) {}

  public Snapshot snapshot() {
    long[] cumulative = new long[counts.length];
    long running = 0;
    for (int i = 0; i < counts.length; i++) {
      running += counts[i].sum();
      cumulative[i] = running;
    }
    return new Snapshot(BUCKETS.clone(), cumulative, sum.sum(), running);
  }
}
