package dev.tributary.connectors;

/**
 * Asked by a connector before each call to its vendor: returns when the call may start. The
 * cluster-wide one is {@link PostgresRateLimiter}.
 */
@FunctionalInterface
public interface RateLimiter {
  /** Blocks until a call may start. */
  void acquire() throws InterruptedException;

  RateLimiter NONE = () -> {};
}
