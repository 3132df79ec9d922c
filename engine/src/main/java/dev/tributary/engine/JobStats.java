package dev.tributary.engine;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/** Numbers about jobs for dashboards: counts by queue and state, and finished jobs per minute. */
public final class JobStats {
  /** Jobs that finished in one minute: completed, dead (out of attempts) and cancelled. */
  public record Minute(Instant start, long completed, long dead, long cancelled) {}

  /** How many jobs of one queue are in one state. */
  public record QueueState(String queue, JobState state, long count) {}

  private final Jdbc jdbc;
  private final Clock clock;

  public JobStats(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * One entry per minute of the last {@code window} (oldest first, minutes with nothing included as
   * zeros), read from the finished jobs' {@code finished_at}.
   */
  public List<Minute> throughput(Duration window) {
    if (window.isNegative() || window.isZero() || window.toMinutes() > 24 * 60) {
      throw new IllegalArgumentException("window must be from 1 minute to 24 hours, got " + window);
    }
    Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    Instant start = end.minus(Duration.ofMinutes(Math.max(1, window.toMinutes())));
    Map<Instant, long[]> byMinute = new LinkedHashMap<>();
    for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofMinutes(1))) {
      byMinute.put(t, new long[3]);
    }
    jdbc.withConnection(
        "read job throughput",
        h -> {
          for (Object[] row :
              h.query(
                  """
              SELECT date_trunc('minute', finished_at) AS minute, state, count(*)
                FROM tributary.jobs
               WHERE state IN ('completed', 'dead', 'cancelled')
                 AND finished_at >= :start AND finished_at < :end
               GROUP BY 1, 2""",
                  Params.of("start", start, "end", end),
                  rs -> new Object[] {Handle.instant(rs, 1), rs.getString(2), rs.getLong(3)})) {
            long[] counts = byMinute.get((Instant) row[0]);
            if (counts != null) {
              int slot =
                  switch ((String) row[1]) {
                    case "completed" -> 0;
                    case "dead" -> 1;
                    default -> 2;
                  };
              counts[slot] += (Long) row[2];
            }
          }
          return null;
        });
    List<Minute> out = new ArrayList<>(byMinute.size());
    byMinute.forEach((t, c) -> out.add(new Minute(t, c[0], c[1], c[2])));
    return out;
  }

  /** Every (queue, state) pair that has jobs, with its count. */
  public List<QueueState> byQueueAndState() {
    return jdbc.query(
        "SELECT queue, state, count(*) FROM tributary.jobs GROUP BY queue, state ORDER BY queue, state",
        Params.NONE,
        rs -> new QueueState(rs.getString(1), JobState.fromDb(rs.getString(2)), rs.getLong(3)));
  }
}
