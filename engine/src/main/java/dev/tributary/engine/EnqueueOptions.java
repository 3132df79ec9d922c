package dev.tributary.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Where and when a job runs. The defaults are those of the SQL function {@code
 * tributary.enqueue_job} (a test checks they agree). {@code runAt} null means "now" by the engine's
 * clock.
 */
public record EnqueueOptions(
    String queue, int priority, Instant runAt, int maxAttempts, String uniqueKey) {
  public static final String DEFAULT_QUEUE = "default";
  public static final int DEFAULT_PRIORITY = 0;
  public static final int MIN_PRIORITY = 0;
  public static final int MAX_PRIORITY = 9;
  public static final int DEFAULT_MAX_ATTEMPTS = 20;

  public static final EnqueueOptions DEFAULTS =
      new EnqueueOptions(DEFAULT_QUEUE, DEFAULT_PRIORITY, null, DEFAULT_MAX_ATTEMPTS, null);

  public EnqueueOptions {
    Objects.requireNonNull(queue, "queue");
    if (queue.isBlank()) {
      throw new IllegalArgumentException("queue must not be blank");
    }
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException(
          "priority must be between "
              + MIN_PRIORITY
              + " (first) and "
              + MAX_PRIORITY
              + ", got "
              + priority);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (uniqueKey != null && uniqueKey.isBlank()) {
      throw new IllegalArgumentException("uniqueKey must be null or non-blank");
    }
  }

  public static EnqueueOptions defaults() {
    return DEFAULTS;
  }

  public EnqueueOptions queue(String newQueue) {
    return new EnqueueOptions(newQueue, priority, runAt, maxAttempts, uniqueKey);
  }

  public EnqueueOptions priority(int newPriority) {
    return new EnqueueOptions(queue, newPriority, runAt, maxAttempts, uniqueKey);
  }

  public EnqueueOptions runAt(Instant when) {
    return new EnqueueOptions(queue, priority, when, maxAttempts, uniqueKey);
  }

  /** Runs after a delay from now by the enqueuing component's clock. */
  public EnqueueOptions delay(Instant now, Duration delay) {
    return runAt(now.plus(delay));
  }

  public EnqueueOptions maxAttempts(int attempts) {
    return new EnqueueOptions(queue, priority, runAt, attempts, uniqueKey);
  }

  public EnqueueOptions uniqueKey(String key) {
    return new EnqueueOptions(queue, priority, runAt, maxAttempts, key);
  }
}
