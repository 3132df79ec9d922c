package dev.tributary.connectors;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries a connector call on a retryable {@link ConnectorException}, waiting what the vendor asked
 * (Retry-After) or else an exponential backoff; gives up at once on a final error, after {@code
 * maxAttempts}, or when the vendor asks for a wait longer than {@code maxWait} (a monthly quota
 * will not come back in seconds: the job's own retry, hours later, is the place for that).
 */
public record Retrying(int maxAttempts, Duration firstBackoff, Duration maxWait, Sleeper sleeper) {

  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);

  /** How the wait happens; tests pass one that records the waits instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(d.toMillis());
  }

  public Retrying {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    ConfigChecks.positive("firstBackoff", firstBackoff);
    ConfigChecks.positive("maxWait", maxWait);
    if (sleeper == null) {
      throw new IllegalArgumentException("sleeper is required");
    }
  }

  public static Retrying defaults() {
    return new Retrying(
        DEFAULT_MAX_ATTEMPTS, DEFAULT_FIRST_BACKOFF, DEFAULT_MAX_WAIT, Sleeper.REAL);
  }

  /** One attempt only: the caller (a job with its own retry policy) decides about the rest. */
  public static Retrying none() {
    return new Retrying(1, DEFAULT_FIRST_BACKOFF, DEFAULT_MAX_WAIT, Sleeper.REAL);
  }

  public Retrying withSleeper(Sleeper s) {
    return new Retrying(maxAttempts, firstBackoff, maxWait, s);
  }

  public <T> T call(Supplier<T> attempt) {
    for (int n = 1; ; n++) {
      try {
        return attempt.get();
      } catch (ConnectorException e) {
        if (!e.retryable() || n >= maxAttempts) {
          throw e;
        }
        Duration wait = e.retryAfter().orElse(firstBackoff.multipliedBy(1L << Math.min(n - 1, 10)));
        if (wait.compareTo(maxWait) > 0) {
          throw e;
        }
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
