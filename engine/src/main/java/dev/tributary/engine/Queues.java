package dev.tributary.engine;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Cluster-wide queue settings in {@code tributary.queues}: pause and resume (every node stops or
 * starts claiming from it at its next claim), and a rate limit (at most N job starts per interval
 * across all nodes, e.g. an API quota). Also the queue depths for monitoring.
 */
public final class Queues {
  private final Jdbc jdbc;
  private final Clock clock;

  public Queues(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public void pause(String queue) {
    upsert(queue, "paused = true", "pause queue " + queue);
  }

  /** Resumes a paused queue and wakes every node's runner for it. */
  public void resume(String queue) {
    upsert(queue, "paused = false", "resume queue " + queue);
  }

  /**
   * At most {@code limit} starts in any {@code interval} across the cluster (a sliding window,
   * V006). Changing only the limit keeps the starts already counted; a new interval starts counting
   * afresh.
   */
  public void setRateLimit(String queue, int limit, Duration interval) {
    if (limit < 1) {
      throw new IllegalArgumentException("rate limit must be at least 1, got " + limit);
    }
    if (interval == null || interval.toMillis() < 1) {
      throw new IllegalArgumentException("rate interval must be at least 1 ms, got " + interval);
    }
    jdbc.withConnection(
        "set the rate limit of queue " + queue,
        h ->
            h.update(
                """
                INSERT INTO tributary.queues AS q (name, rate_limit, rate_interval_ms)
                VALUES (:queue, :limit, :interval_ms)
                ON CONFLICT (name) DO UPDATE SET rate_limit = EXCLUDED.rate_limit, rate_interval_ms = EXCLUDED.rate_interval_ms,
                       bucket_newest = CASE WHEN q.rate_interval_ms IS NOT DISTINCT FROM EXCLUDED.rate_interval_ms
                                            THEN q.bucket_newest ELSE 0 END,
                       bucket_counts = CASE WHEN q.rate_interval_ms IS NOT DISTINCT FROM EXCLUDED.rate_interval_ms
                                            THEN q.bucket_counts ELSE array_fill(0, ARRAY[21]) END,
                       updated_at = now()""",
                Params.of("queue", queue, "limit", limit, "interval_ms", interval.toMillis())));
  }

  public void clearRateLimit(String queue) {
    upsert(
        queue,
        "rate_limit = NULL, rate_interval_ms = NULL",
        "clear the rate limit of queue " + queue);
  }

  private void upsert(String queue, String set, String what) {
    if (queue == null || queue.isBlank()) {
      throw new IllegalArgumentException("queue name must not be blank");
    }
    Params name = Params.of("queue", queue);
    jdbc.inTransaction(
        what,
        h -> {
          h.update(
              "INSERT INTO tributary.queues (name) VALUES (:queue) ON CONFLICT (name) DO NOTHING",
              name);
          h.update(
              "UPDATE tributary.queues SET " + set + ", updated_at = now() WHERE name = :queue",
              name);
          h.execute("SELECT pg_notify('tributary_jobs', :queue)", name);
          return null;
        });
  }

  /** Every queue that has settings or live or dead jobs. */
  public List<QueueInfo> list() {
    return jdbc.withConnection("list queues", this::list);
  }

  public Optional<QueueInfo> get(String queue) {
    return list().stream().filter(q -> q.name().equals(queue)).findFirst();
  }

  private List<QueueInfo> list(Handle h) throws SQLException {
    Map<String, long[]> depth = new LinkedHashMap<>();
    h.query(
            """
            SELECT queue,
                   count(*) FILTER (WHERE state = 'available' AND run_at <= :now) AS available,
                   count(*) FILTER (WHERE state = 'available' AND run_at > :now) AS scheduled,
                   count(*) FILTER (WHERE state = 'running') AS running,
                   count(*) FILTER (WHERE state = 'dead') AS dead
              FROM tributary.jobs
             WHERE state IN ('available', 'running', 'dead')
             GROUP BY queue""",
            Params.of("now", clock.instant()),
            rs ->
                Map.entry(
                    rs.getString(1),
                    new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)}))
        .forEach(e -> depth.put(e.getKey(), e.getValue()));
    Map<String, QueueInfo> out = new java.util.TreeMap<>();
    for (QueueInfo settings :
        h.query(
            "SELECT name, paused, rate_limit, rate_interval_ms FROM tributary.queues",
            Params.NONE,
            rs -> {
              Long interval = (Long) rs.getObject(4);
              return new QueueInfo(
                  rs.getString(1),
                  rs.getBoolean(2),
                  (Integer) rs.getObject(3),
                  interval == null ? null : Duration.ofMillis(interval),
                  0,
                  0,
                  0,
                  0);
            })) {
      long[] d = depth.getOrDefault(settings.name(), new long[4]);
      out.put(
          settings.name(),
          new QueueInfo(
              settings.name(),
              settings.paused(),
              settings.rateLimit(),
              settings.rateInterval(),
              d[0],
              d[1],
              d[2],
              d[3]));
    }
    depth.forEach(
        (name, d) ->
            out.putIfAbsent(name, new QueueInfo(name, false, null, null, d[0], d[1], d[2], d[3])));
    return new ArrayList<>(out.values());
  }
}
