package dev.tributary.connectors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A {@link RateLimiter} shared by every node of the cluster: the permits live in PostgreSQL ({@code
 * take_rate_limit_permit}, V042), so two nodes with their own pools together stay within {@link
 * RateLimit#permits()} call starts in any {@link RateLimit#interval()}. A call that finds no permit
 * sleeps until the database says one frees, then asks again.
 */
public final class PostgresRateLimiter implements RateLimiter {
  private final DataSource dataSource;
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
    this.dataSource = dataSource;
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
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT take_rate_limit_permit(?, ?, make_interval(secs => ?))")) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true); // the row lock must go at once, not with some later commit
      }
      ps.setString(1, name);
      ps.setInt(2, limit.permits());
      ps.setDouble(3, limit.interval().toNanos() / 1e9);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        double seconds = rs.getDouble(1);
        return seconds <= 0
            ? Duration.ZERO
            : Duration.ofNanos(Math.max(1_000_000L, (long) (seconds * 1e9)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "database error while taking a rate-limit permit for " + name + ": " + e.getMessage(), e);
    }
  }
}
