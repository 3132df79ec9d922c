package dev.tributary.engine;

/**
 * How one node works a queue: {@code concurrency} handlers at once, and up to {@code prefetch} jobs
 * claimed ahead (claimed in batches, their leases renewed while they wait). Cluster-wide settings
 * (pause, rate limit) are in the database, see {@link Queues}.
 */
public record QueueConfig(String name, int concurrency, int prefetch) {
  public static final int DEFAULT_CONCURRENCY = 10;

  /**
   * Prefetch is concurrency times this unless set: enough to claim in batches, little held back.
   */
  public static final int DEFAULT_PREFETCH_FACTOR = 2;

  public static final int MAX_PREFETCH = 10_000;

  public QueueConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("queue name must not be blank");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException(
          "queue '" + name + "': concurrency must be at least 1, got " + concurrency);
    }
    if (prefetch < concurrency || prefetch > MAX_PREFETCH) {
      throw new IllegalArgumentException(
          "queue '"
              + name
              + "': prefetch must be between the concurrency ("
              + concurrency
              + ") and "
              + MAX_PREFETCH
              + ", got "
              + prefetch);
    }
  }

  public static QueueConfig of(String name, int concurrency) {
    return new QueueConfig(name, concurrency, concurrency * DEFAULT_PREFETCH_FACTOR);
  }

  public static QueueConfig of(String name, int concurrency, int prefetch) {
    return new QueueConfig(name, concurrency, prefetch);
  }
}
