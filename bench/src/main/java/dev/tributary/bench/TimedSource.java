package dev.tributary.bench;

import dev.tributary.connectors.twitter.TweetBatch;
import dev.tributary.connectors.twitter.TweetSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A tweet source that adds up the time its calls take, to split a run into HTTP and the rest. */
final class TimedSource implements TweetSource {
  private final TweetSource inner;
  private final AtomicLong nanos = new AtomicLong();

  TimedSource(TweetSource inner) {
    this.inner = inner;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public int maxBatch() {
    return inner.maxBatch();
  }

  @Override
  public TweetBatch fetch(List<String> ids) {
    return fetch(ids, () -> {});
  }

  @Override
  public TweetBatch fetch(List<String> ids, Runnable onAttempt) {
    long t0 = System.nanoTime();
    try {
      return inner.fetch(ids, onAttempt);
    } finally {
      nanos.addAndGet(System.nanoTime() - t0);
    }
  }

  /** Seconds spent in calls, summed over the threads. */
  double seconds() {
    return nanos.get() / 1e9;
  }
}
