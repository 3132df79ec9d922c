package dev.tributary.connectors;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A {@link RateLimiter} shared by every node of the cluster: the permits live in PostgreSQL ({@code
 * take_rate_limit_permit}, V042), so two nodes with their own pools together stay within {@link
 * RateLimit#permits()} call starts in any {@link RateLimit#interval()}. A call that finds no permit
 * sleeps until the database says one frees, then asks again.
 */
public final class PostgresRateLimiter implements RateLimiter {
  private final Jdbc jdbc;
  private final String name;
  private final RateLimit limit;
  private final Retrying.Sleeper sleeper;

  /**
   * @param name the limiter's row, shared by every node calling the same plan (e.g. {@code
   *     rapidapi:<host>})
   */
  public PostgresRateLimiter(DataSource dataSource, String name, RateLimit limit) {
    this(dataSource, name, limit, Retrying.Sleeper.REAL);
  }

  public PostgresRateLimiter(
      DataSource dataSource, String name, RateLimit limit, Retrying.Sleeper sleeper) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a rate limiter needs a name");
    }
    this.jdbc = new Jdbc(dataSource);
    this.name = name;
    this.limit = limit;
    this.sleeper = sleeper;
  }

  public RateLimit limit() {
    return limit;
  }

  @Override
  public void acquire() throws InterruptedException {
    for (; ; ) {
      Duration wait = tryAcquire();
      if (wait.isZero()) {
        return;
      }
      sleeper.sleep(wait);
    }
  }

  /** Takes a permit if one is free ({@link Duration#ZERO}); otherwise how long until one frees. */
  public Duration tryAcquire() {
    double seconds =
        jdbc.withConnection(
            "take a rate-limit permit for " + name,
            h -> {
              if (!h.connection().getAutoCommit()) {
                // the row lock must go at once, not with some later commit
                h.connection().setAutoCommit(true);
              }
              return h.queryOne(
                      "SELECT take_rate_limit_permit(:name, :permits,"
                          + " make_interval(secs => :interval_seconds))",
                      Params.of(
                          "name",
                          name,
                          "permits",
                          limit.permits(),
                          "interval_seconds",
                          limit.interval().toNanos() / 1e9),
                      rs -> rs.getDouble(1))
                  .orElseThrow();
            });
    return seconds <= 0
        ? Duration.ZERO
        : Duration.ofNanos(Math.max(1_000_000L, (long) (seconds * 1e9)));
  }
}
