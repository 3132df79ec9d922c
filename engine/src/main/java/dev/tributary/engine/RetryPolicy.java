package dev.tributary.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt n waits {@code min(max, base * 2^(n-1))}, stretched by a
 * random fraction up to {@code jitter} so that jobs failing together do not retry together. With
 * the defaults (1 s, 1 h, 0.25) twenty attempts spread over about nine hours.
 */
public record RetryPolicy(Duration base, Duration max, double jitter) {
  public static final Duration DEFAULT_BASE = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX = Duration.ofHours(1);
  public static final double DEFAULT_JITTER = 0.25;
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(DEFAULT_BASE, DEFAULT_MAX, DEFAULT_JITTER);

  public RetryPolicy {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("retry base must be positive, got " + base);
    }
    if (max.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "retry max (" + max + ") must be at least the base (" + base + ")");
    }
    if (jitter < 0 || jitter > 1 || Double.isNaN(jitter)) {
      throw new IllegalArgumentException("retry jitter must be between 0 and 1, got " + jitter);
    }
  }

  /** The wait before the retry that follows failed attempt {@code attempt} (1-based). */
  public Duration delay(int attempt, RandomGenerator random) {
    int exponent = Math.max(0, Math.min(attempt - 1, 40));
    long baseMillis = base.toMillis();
    long raw =
        exponent >= 62 || baseMillis > (Long.MAX_VALUE >> exponent)
            ? Long.MAX_VALUE
            : baseMillis << exponent;
    long capped = Math.min(raw, max.toMillis());
    long stretched = capped + (long) (capped * jitter * random.nextDouble());
    return Duration.ofMillis(stretched);
  }
}
