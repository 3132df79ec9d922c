package dev.tributary.engine;

import dev.tributary.jdbc.DatabaseException;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Jobs an operator names by a {@link JobMatch} rather than by id: read them a page at a time
 * (newest first, keyset paging, so no call reads more than a page), count them, and retry, cancel
 * or delete every one of them in one statement, not only the page on screen (riverui #590).
 */
public final class MatchingJobs {
  public static final int MAX_PAGE = 500;

  private static final String WHERE =
      """
       (CAST(:state AS text) IS NULL OR state = :state)
       AND (CAST(:queue AS text) IS NULL OR queue = :queue)
       AND (CAST(:kind AS text) IS NULL OR kind = :kind)
       AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)
       AND (CAST(:to AS timestamptz) IS NULL OR created_at < :to)
       AND (CAST(:up_to AS bigint) IS NULL OR id <= :up_to)""";

  private final Jdbc jdbc;
  private final Clock clock;

  public MatchingJobs(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Up to {@code limit} jobs of the match with an id below {@code beforeId} (null: the newest). */
  public List<Job> page(JobMatch match, Long beforeId, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_PAGE + ", got " + limit);
    }
    return jdbc.query(
        "SELECT "
            + Jobs.COLUMNS
            + " FROM tributary.jobs WHERE "
            + WHERE
            + " AND (CAST(:before AS bigint) IS NULL OR id < :before) ORDER BY id DESC LIMIT :limit",
        params(match).and("before", beforeId).and("limit", limit),
        Jobs::read);
  }

  /** Every job of the match, whatever its state. */
  public MatchCount count(JobMatch match) {
    return count(match, "true");
  }

  /** The jobs of the match that {@code action} would touch (the confirmation's number). */
  public MatchCount count(JobMatch match, BulkAction action) {
    return count(match, action.statePredicate());
  }

  private MatchCount count(JobMatch match, String statePredicate) {
    return jdbc.queryOne(
            "SELECT count(*), max(id) FROM tributary.jobs WHERE "
                + WHERE
                + " AND "
                + statePredicate,
            params(match),
            rs -> new MatchCount(rs.getLong(1), (Long) rs.getObject(2)))
        .orElseThrow();
  }

  /**
   * Applies {@code action} to every job of the match it may touch; returns how many it touched.
   * Retrying skips a dead job whose unique key a live job holds, and retries only the newest of
   * dead jobs sharing a key, so a bulk retry never makes two live jobs with one key.
   */
  public int apply(JobMatch match, BulkAction action) {
    String what = action.word() + " every job matching the filter";
    try {
      return jdbc.inTransaction(
          what,
          h ->
              switch (action) {
                case RETRY -> retry(h, match);
                case CANCEL -> cancel(h, match);
                case DELETE ->
                    h.update(
                        "DELETE FROM tributary.jobs WHERE "
                            + WHERE
                            + " AND "
                            + action.statePredicate(),
                        params(match));
              });
    } catch (DatabaseException e) {
      if (DatabaseException.isUniqueViolation(e)) {
        throw new IllegalStateException(
            "a job of the match took a unique key another job holds while retrying; nothing was"
                + " changed, try again");
      }
      throw e;
    }
  }

  private int retry(Handle h, JobMatch match) throws java.sql.SQLException {
    List<String> queues =
        h.query(
            """
        WITH picked AS (
          SELECT DISTINCT ON (coalesce(j.unique_key, j.id::text)) j.id
            FROM tributary.jobs j
           WHERE """
                + WHERE
                + """
             AND j.state IN ('dead', 'cancelled')
             AND (j.unique_key IS NULL OR NOT EXISTS (
                   SELECT 1 FROM tributary.jobs l
                    WHERE l.unique_key = j.unique_key AND l.state IN ('available', 'running')))
           ORDER BY coalesce(j.unique_key, j.id::text), j.id DESC),
        moved AS (
          UPDATE tributary.jobs j
             SET state = 'available', run_at = :now, finished_at = NULL, locked_by = NULL,
                 lease_until = NULL, max_attempts = greatest(max_attempts, attempt + 1)
            FROM picked
           WHERE j.id = picked.id AND j.state IN ('dead', 'cancelled')
          RETURNING j.queue)
        SELECT queue FROM moved""",
            params(match).and("now", clock.instant()),
            rs -> rs.getString(1));
    for (String queue : queues.stream().distinct().toList()) {
      h.execute(
          "SELECT pg_notify('" + Jobs.NOTIFY_CHANNEL + "', :queue)", Params.of("queue", queue));
    }
    return queues.size();
  }

  private int cancel(Handle h, JobMatch match) throws java.sql.SQLException {
    List<long[]> cancelled =
        h.query(
            """
        WITH picked AS (
          SELECT id, state FROM tributary.jobs
           WHERE """
                + WHERE
                + """
             AND state IN ('available', 'running')
           FOR UPDATE)
        UPDATE tributary.jobs j
           SET state = 'cancelled', finished_at = :now, locked_by = NULL, lease_until = NULL,
               last_error = coalesce(j.last_error, 'cancelled by an operator')
          FROM picked
         WHERE j.id = picked.id
        RETURNING j.id, CASE WHEN picked.state = 'running' THEN 1 ELSE 0 END""",
            params(match).and("now", clock.instant()),
            rs -> new long[] {rs.getLong(1), rs.getLong(2)});
    for (long[] c : cancelled) {
      if (c[1] == 1) {
        h.execute(
            "SELECT pg_notify('" + Jobs.CANCEL_CHANNEL + "', :id)",
            Params.of("id", Long.toString(c[0])));
      }
    }
    return cancelled.size();
  }

  private static Params params(JobMatch m) {
    return Params.with("state", m.state() == null ? null : m.state().dbName())
        .and("queue", m.queue())
        .and("kind", m.kind())
        .and("from", m.createdFrom())
        .and("to", m.createdTo())
        .and("up_to", m.upToId());
  }
}
