package dev.tributary.engine;

import dev.tributary.engine.internal.Json;
import dev.tributary.engine.metrics.EngineMetrics;
import dev.tributary.jdbc.DatabaseException;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Enqueue jobs and act on them as an operator. Works with or without a running engine (the CLI uses
 * it directly). Enqueues given a {@link Connection} join the caller's transaction: the job exists,
 * and wakes the engines, only if that transaction commits.
 */
public final class Jobs {
  static final String NOTIFY_CHANNEL = "tributary_jobs";
  static final String CANCEL_CHANNEL = "tributary_cancel";

  private final Jdbc jdbc;
  private final Clock clock;
  private final EngineMetrics metrics;

  public Jobs(DataSource dataSource, Clock clock, EngineMetrics metrics) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = metrics == null ? new EngineMetrics() : metrics;
  }

  public Jobs(DataSource dataSource) {
    this(dataSource, Clock.systemUTC(), null);
  }

  // ---- enqueue ------------------------------------------------------------------------------

  public EnqueueResult enqueue(String kind, Object args) {
    return enqueue(NewJob.of(kind, args));
  }

  public EnqueueResult enqueue(String kind, Object args, EnqueueOptions options) {
    return enqueue(NewJob.of(kind, args, options));
  }

  public EnqueueResult enqueue(NewJob job) {
    return jdbc.withConnection("enqueue a " + job.kind() + " job", h -> enqueueOn(h, job));
  }

  /** Enqueues inside the caller's transaction on {@code c}. */
  public EnqueueResult enqueue(Connection c, NewJob job) {
    return Jdbc.onConnection(c, "enqueue a " + job.kind() + " job", h -> enqueueOn(h, job));
  }

  public List<EnqueueResult> enqueueMany(List<NewJob> jobs) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    return jdbc.inTransaction("enqueue " + jobs.size() + " jobs", h -> enqueueManyOn(h, jobs));
  }

  /** Enqueues many jobs inside the caller's transaction on {@code c}. */
  public List<EnqueueResult> enqueueMany(Connection c, List<NewJob> jobs) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    return Jdbc.onConnection(c, "enqueue " + jobs.size() + " jobs", h -> enqueueManyOn(h, jobs));
  }

  // One job: the SQL function itself, so Java and SQL enqueues cannot disagree.
  private EnqueueResult enqueueOn(Handle h, NewJob job) throws SQLException {
    EnqueueOptions o = job.options();
    EnqueueResult result =
        h.queryOne(
                """
                SELECT job_id, inserted
                  FROM tributary.enqueue_job(:kind, :args::jsonb, :queue, :priority, :run_at,
                                             :max_attempts, :unique_key)""",
                Params.with("kind", job.kind())
                    .and("args", Json.write(job.args()))
                    .and("queue", o.queue())
                    .and("priority", o.priority())
                    .and("run_at", o.runAt() != null ? o.runAt() : clock.instant())
                    .and("max_attempts", o.maxAttempts())
                    .and("unique_key", o.uniqueKey()),
                rs -> new EnqueueResult(rs.getLong(1), rs.getBoolean(2)))
            .orElseThrow();
    if (result.inserted()) {
      metrics.enqueued(job.kind(), 1);
    }
    return result;
  }

  private List<EnqueueResult> enqueueManyOn(Handle h, List<NewJob> jobs) throws SQLException {
    int n = jobs.size();
    String[] kinds = new String[n];
    String[] args = new String[n];
    String[] queues = new String[n];
    Integer[] priorities = new Integer[n];
    Timestamp[] runAts = new Timestamp[n];
    Integer[] maxAttempts = new Integer[n];
    String[] keys = new String[n];
    boolean anyKey = false;
    Timestamp now = Timestamp.from(clock.instant());
    Set<String> dueQueues = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      NewJob j = jobs.get(i);
      EnqueueOptions o = j.options();
      kinds[i] = j.kind();
      args[i] = Json.write(j.args());
      queues[i] = o.queue();
      priorities[i] = o.priority();
      runAts[i] = o.runAt() != null ? Timestamp.from(o.runAt()) : now;
      maxAttempts[i] = o.maxAttempts();
      keys[i] = o.uniqueKey();
      anyKey |= keys[i] != null;
      if (!runAts[i].after(now)) {
        dueQueues.add(queues[i]);
      }
    }
    Params columns =
        Params.with("kinds", kinds)
            .and("args", h.connection().createArrayOf("jsonb", args))
            .and("queues", queues)
            .and("priorities", priorities)
            .and("run_ats", runAts)
            .and("max_attempts", maxAttempts);
    List<EnqueueResult> results;
    if (anyKey) {
      // per-row dedup semantics: the SQL function for each row, in input order, in one statement
      results =
          h.query(
              """
              SELECT r.job_id, r.inserted
                FROM unnest(:kinds::text[], :args::jsonb[], :queues::text[], :priorities::int[],
                            :run_ats::timestamptz[], :max_attempts::int[], :unique_keys::text[])
                     WITH ORDINALITY AS u(kind, args, queue, priority, run_at, max_attempts, unique_key, ord)
                CROSS JOIN LATERAL tributary.enqueue_job(u.kind, u.args, u.queue, u.priority, u.run_at,
                                                         u.max_attempts, u.unique_key) r
               ORDER BY u.ord""",
              columns.and("unique_keys", keys),
              rs -> new EnqueueResult(rs.getLong(1), rs.getBoolean(2)));
    } else {
      // no dedup to decide: one set-based insert; identity values follow the ORDER BY, so ids
      // sorted ascending line up with the input order
      results =
          h.query(
              """
              WITH ins AS (
                INSERT INTO tributary.jobs (kind, args, queue, priority, run_at, max_attempts)
                SELECT u.kind, u.args, u.queue, u.priority, u.run_at, u.max_attempts
                  FROM unnest(:kinds::text[], :args::jsonb[], :queues::text[], :priorities::int[],
                              :run_ats::timestamptz[], :max_attempts::int[])
                       WITH ORDINALITY AS u(kind, args, queue, priority, run_at, max_attempts, ord)
                 ORDER BY u.ord
                RETURNING id)
              SELECT id FROM ins ORDER BY id""",
              columns,
              rs -> new EnqueueResult(rs.getLong(1), true));
      // one wake-up per queue with due jobs, delivered when the transaction commits
      if (!dueQueues.isEmpty()) {
        h.execute(
            "SELECT pg_notify('" + NOTIFY_CHANNEL + "', q) FROM unnest(:queues::text[]) q",
            Params.of("queues", dueQueues.toArray(String[]::new)));
      }
    }
    for (int i = 0; i < n; i++) {
      if (results.get(i).inserted()) {
        metrics.enqueued(kinds[i], 1);
      }
    }
    return results;
  }

  // ---- inspect ------------------------------------------------------------------------------

  static final String COLUMNS =
      """
      id, kind, queue, args::text AS args, priority, state, attempt, max_attempts, run_at, unique_key,
      locked_by, lease_until, attempted_at, finished_at, last_error, errors::text AS errors, created_at""";

  public Optional<Job> get(long id) {
    return jdbc.withConnection(
        "read job " + id,
        h ->
            h.queryOne(
                "SELECT " + COLUMNS + " FROM tributary.jobs WHERE id = :id",
                Params.of("id", id),
                Jobs::read));
  }

  public List<Job> list(JobFilter filter) {
    String state = filter.state() == null ? null : filter.state().dbName();
    return jdbc.withConnection(
        "list jobs",
        h ->
            h.query(
                "SELECT "
                    + COLUMNS
                    + """
                     FROM tributary.jobs
                    WHERE (:state::text IS NULL OR state = :state)
                      AND (:queue::text IS NULL OR queue = :queue)
                      AND (:kind::text IS NULL OR kind = :kind)
                    ORDER BY id DESC LIMIT :limit""",
                Params.of(
                    "state",
                    state,
                    "queue",
                    filter.queue(),
                    "kind",
                    filter.kind(),
                    "limit",
                    filter.limit()),
                Jobs::read));
  }

  static Job read(ResultSet rs) throws SQLException {
    return new Job(
        rs.getLong("id"),
        rs.getString("kind"),
        rs.getString("queue"),
        Json.read(rs.getString("args")),
        rs.getInt("priority"),
        JobState.fromDb(rs.getString("state")),
        rs.getInt("attempt"),
        rs.getInt("max_attempts"),
        instant(rs.getTimestamp("run_at")),
        rs.getString("unique_key"),
        rs.getString("locked_by"),
        instant(rs.getTimestamp("lease_until")),
        instant(rs.getTimestamp("attempted_at")),
        instant(rs.getTimestamp("finished_at")),
        rs.getString("last_error"),
        Json.read(rs.getString("errors")),
        instant(rs.getTimestamp("created_at")));
  }

  // ---- operator changes ---------------------------------------------------------------------

  /**
   * Cancels a job that has not finished. A running job is told at once (NOTIFY) and stops at its
   * next heartbeat or when interrupted; whatever it does afterwards cannot complete it.
   */
  public ChangeOutcome cancel(long id) {
    return jdbc.inTransaction(
        "cancel job " + id,
        h -> {
          int cancelled =
              h.update(
                  """
                  UPDATE tributary.jobs
                     SET state = 'cancelled', finished_at = :now, locked_by = NULL, lease_until = NULL,
                         last_error = coalesce(last_error, 'cancelled by an operator')
                   WHERE id = :id AND state IN ('available', 'running')""",
                  Params.of("now", clock.instant(), "id", id));
          if (cancelled == 0) {
            return exists(h, id) ? ChangeOutcome.NOT_ALLOWED : ChangeOutcome.NOT_FOUND;
          }
          h.execute(
              "SELECT pg_notify('" + CANCEL_CHANNEL + "', :id)",
              Params.of("id", Long.toString(id)));
          return ChangeOutcome.CHANGED;
        });
  }

  /**
   * Puts a dead or cancelled job back in its queue, due now, with one more attempt if it had used
   * them all. Refused when another live job holds its unique key.
   */
  public ChangeOutcome retry(long id) {
    try {
      return jdbc.inTransaction(
          "retry job " + id,
          h -> {
            Optional<String> queue =
                h.queryOne(
                    """
                    UPDATE tributary.jobs
                       SET state = 'available', run_at = :now, finished_at = NULL, locked_by = NULL,
                           lease_until = NULL, max_attempts = greatest(max_attempts, attempt + 1)
                     WHERE id = :id AND state IN ('dead', 'cancelled')
                    RETURNING queue""",
                    Params.of("now", clock.instant(), "id", id),
                    rs -> rs.getString(1));
            if (queue.isEmpty()) {
              return exists(h, id) ? ChangeOutcome.NOT_ALLOWED : ChangeOutcome.NOT_FOUND;
            }
            h.execute(
                "SELECT pg_notify('" + NOTIFY_CHANNEL + "', :queue)",
                Params.of("queue", queue.get()));
            return ChangeOutcome.CHANGED;
          });
    } catch (DatabaseException e) {
      if (DatabaseException.isUniqueViolation(e)) {
        return ChangeOutcome.UNIQUE_KEY_TAKEN;
      }
      throw e;
    }
  }

  /**
   * Deletes a job that is not running (a running job is cancelled first, so its worker learns of
   * it).
   */
  public ChangeOutcome delete(long id) {
    return jdbc.inTransaction(
        "delete job " + id,
        h -> {
          if (h.update(
                  "DELETE FROM tributary.jobs WHERE id = :id AND state <> 'running'",
                  dev.tributary.jdbc.Params.of("id", id))
              == 1) {
            return ChangeOutcome.CHANGED;
          }
          return exists(h, id) ? ChangeOutcome.NOT_ALLOWED : ChangeOutcome.NOT_FOUND;
        });
  }

  private static boolean exists(Handle h, long id) throws SQLException {
    return h.queryOne("SELECT 1 FROM tributary.jobs WHERE id = :id", Params.of("id", id), rs -> 1)
        .isPresent();
  }

  private static java.time.Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }
}
