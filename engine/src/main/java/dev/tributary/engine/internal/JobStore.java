package dev.tributary.engine.internal;

import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The SQL of the hot path: claim, complete, fail, renew and release. Every write that ends a run is
 * guarded by {@code state = 'running' AND attempt = <the attempt we claimed>}, so a node that lost
 * its lease (reaped, cancelled) can never overwrite what happened since.
 */
public final class JobStore {
  private static final int MAX_ERRORS_KEPT = 10;

  private final Jdbc jdbc;

  /**
   * Completion, renewal and release each lock many rows of this node's jobs, in no particular
   * order: two of them at once could deadlock on each other. They take turns instead. (Other nodes
   * never touch this node's rows, and claims and the reaper skip locked rows, so this is the only
   * cycle.)
   */
  private final ReentrantLock multiRowWrites = new ReentrantLock();

  public JobStore(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  // The batch writes below join an unnest(ids, attempts) to the table and repeat "id = ANY(ids)",
  // and are planned for their actual arrays every time (never a cached generic plan): a generic
  // plan
  // cannot see how many ids there are and, with the fast-changing state statistics, picked a nested
  // loop that compared every row with every id (a 1,000-job completion took 250 ms instead of 10).

  /**
   * Claims up to {@code demand} due jobs of a queue in one statement. Skips a paused queue and
   * kinds whose worker flag is off; for a rate-limited queue it locks the queue row, takes no more
   * than the sliding window has left and counts what it took, all in the same statement.
   */
  private static final String CLAIM =
      """
      WITH lim AS MATERIALIZED (
        -- the rate limit's buckets moved on to this claim's bucket (see V006): a bucket more
        -- than 20 back is dropped, a clock behind the newest bucket counts into the newest
        SELECT b.now_bucket, q.rate_limit, s.counts,
               (SELECT coalesce(sum(x), 0) FROM unnest(s.counts) x) AS used
          FROM tributary.queues q,
               LATERAL (SELECT floor(extract(epoch FROM :now::timestamptz) * 1000
                                     / ((q.rate_interval_ms + 19) / 20))::bigint AS now_bucket) b,
               LATERAL (SELECT CASE
                                 WHEN b.now_bucket <= q.bucket_newest THEN q.bucket_counts
                                 WHEN b.now_bucket - q.bucket_newest > 20 THEN array_fill(0, ARRAY[21])
                                 ELSE array_fill(0, ARRAY[(b.now_bucket - q.bucket_newest)::int])
                                      || q.bucket_counts[1 : 21 - (b.now_bucket - q.bucket_newest)::int]
                               END AS counts) s
         WHERE q.name = :queue AND q.rate_limit IS NOT NULL
           FOR UPDATE OF q
      ),
      picked AS MATERIALIZED (
        SELECT j.id
          FROM tributary.jobs j
         WHERE j.state = 'available' AND j.queue = :queue AND j.run_at <= :now
           AND NOT coalesce((SELECT q.paused FROM tributary.queues q WHERE q.name = :queue), false)
           -- an anti-join, not "kind <> ALL(array)": the planner cannot estimate the latter and
           -- falls back to sorting the whole queue instead of walking the index to the limit
           AND NOT EXISTS (SELECT 1 FROM tributary.disabled_kinds d WHERE d.kind = j.kind)
         ORDER BY j.priority, j.run_at, j.id
         LIMIT least(:demand, coalesce((SELECT greatest(lim.rate_limit - lim.used, 0) FROM lim), :demand))
           FOR UPDATE OF j SKIP LOCKED
      ),
      claimed AS (
        UPDATE tributary.jobs j
           SET state = 'running', attempt = j.attempt + 1, locked_by = :node, lease_until = :lease_until, attempted_at = :now
         -- an array, not a join: the planner cannot size the limit above and would hash the whole table
         WHERE j.id = ANY (ARRAY(SELECT id FROM picked))
        RETURNING j.id, j.kind, j.queue, j.args::text AS args, j.attempt, j.max_attempts, j.run_at
      ),
      -- A claim need not wait for its commit to reach disk: if the server crashes first, the claim
      -- is simply undone and the job is claimed again; and any later durable write of this run (its
      -- completion) flushes the claim's WAL before it. Saves a WAL flush on the wake-up path.
      relaxed AS MATERIALIZED (
        SELECT set_config('synchronous_commit', 'off', true)
      ),
      counted AS (
        UPDATE tributary.queues q
           SET bucket_newest = greatest(lim.now_bucket, q.bucket_newest),
               bucket_counts = ARRAY[lim.counts[1] + (SELECT count(*) FROM claimed)::int]
                               || lim.counts[2 : 21]
          FROM lim
         WHERE q.name = :queue
      )
      SELECT id, kind, queue, args, attempt, max_attempts, run_at FROM claimed, relaxed""";

  public List<ClaimedJob> claim(
      String queue, int demand, String node, Instant now, Instant leaseUntil) {
    // bound in place (not through a parameters CTE) so the planner sees the queue and walks the
    // partial index in order, stopping at the limit
    return jdbc.withConnection(
        "claim jobs of queue " + queue,
        h ->
            h.query(
                CLAIM,
                Params.with("now", now)
                    .and("queue", queue)
                    .and("demand", demand)
                    .and("node", node)
                    .and("lease_until", leaseUntil),
                rs ->
                    new ClaimedJob(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5),
                        rs.getInt(6),
                        rs.getTimestamp(7).toInstant(),
                        now)));
  }

  /**
   * The runs given as {@code :ids} and {@code :attempts} that are still this node's ({@code mine}),
   * and those of them whose rows it could lock now ({@code lockable}): a row another transaction
   * holds is skipped, not waited for, so one foreign lock cannot stall every completion and, behind
   * them, every lease renewal. Both walk the primary key for the given ids (a join on {@code mine}
   * was planned as a scan of the whole table, 100 ms a batch). Completion and renewal follow it.
   */
  private static final String OUR_RUNS =
      """
      WITH mine AS MATERIALIZED (
        SELECT j.id, j.attempt
          FROM tributary.jobs j, unnest(:ids::bigint[], :attempts::int[]) AS u(id, attempt)
         WHERE j.id = u.id AND j.attempt = u.attempt AND j.state = 'running'
           AND j.id = ANY (:ids::bigint[])),
      lockable AS MATERIALIZED (
        SELECT j.id
          FROM tributary.jobs j, unnest(:ids::bigint[], :attempts::int[]) AS u(id, attempt)
         WHERE j.id = u.id AND j.attempt = u.attempt AND j.state = 'running'
           AND j.id = ANY (:ids::bigint[])
           FOR UPDATE OF j SKIP LOCKED),
      """;

  /**
   * Marks many runs completed in one statement (River's batch completer); returns the ids still
   * ours that it could not mark because another transaction holds their row (to try again later).
   */
  public Set<Long> completeMany(long[] ids, int[] attempts, Instant now) {
    multiRowWrites.lock();
    try {
      return jdbc.withConnection(
          "complete " + ids.length + " jobs",
          h -> {
            try (PreparedStatement ps =
                h.prepareEachTime(
                    OUR_RUNS
                        + """
                    done AS (
                      UPDATE tributary.jobs j
                         SET state = 'completed', finished_at = :now, locked_by = NULL, lease_until = NULL
                       WHERE j.id = ANY (ARRAY(SELECT id FROM lockable))
                      RETURNING j.id)
                    SELECT m.id FROM mine m WHERE m.id NOT IN (SELECT id FROM done)""",
                    Params.of("now", now, "ids", ids, "attempts", attempts))) {
              return new HashSet<>(Handle.readAll(ps, rs -> rs.getLong(1)));
            }
          });
    } finally {
      multiRowWrites.unlock();
    }
  }

  /**
   * Records a failed run: back to available at {@code retryAt}, or dead when {@code retryAt} is
   * null. Returns false when the run was no longer ours.
   */
  public boolean fail(long id, int attempt, String error, Instant now, Instant retryAt) {
    return jdbc.withConnection(
        "record the failure of job " + id,
        h ->
            h.update(
                    """
                    UPDATE tributary.jobs
                       SET state = CASE WHEN :retry_at::timestamptz IS NULL THEN 'dead' ELSE 'available' END,
                           run_at = coalesce(:retry_at::timestamptz, run_at),
                           finished_at = CASE WHEN :retry_at::timestamptz IS NULL THEN :now::timestamptz END,
                           locked_by = NULL, lease_until = NULL, last_error = :error,
                           errors = (CASE WHEN jsonb_array_length(errors) >= :max_errors THEN errors - 0 ELSE errors END)
                                    || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', :now::timestamptz, 'error', :error::text))
                     WHERE id = :id AND attempt = :attempt AND state = 'running'""",
                    Params.with("retry_at", retryAt)
                        .and("now", now)
                        .and("error", error)
                        .and("max_errors", MAX_ERRORS_KEPT)
                        .and("id", id)
                        .and("attempt", attempt))
                == 1);
  }

  /** Extends the leases of runs this node holds; returns the ids that are still ours. */
  public Set<Long> renew(Collection<ClaimedJob> held, Instant leaseUntil) {
    Runs runs = Runs.of(held);
    multiRowWrites.lock();
    try {
      return jdbc.withConnection(
          "renew " + held.size() + " leases",
          h -> {
            try (PreparedStatement ps =
                h.prepareEachTime(
                    OUR_RUNS
                        + """
                    renewed AS (
                      UPDATE tributary.jobs j SET lease_until = :lease_until
                       WHERE j.id = ANY (ARRAY(SELECT id FROM lockable))
                      RETURNING j.id)
                    SELECT id FROM mine""",
                    Params.of(
                        "lease_until",
                        leaseUntil,
                        "ids",
                        runs.ids(),
                        "attempts",
                        runs.attempts()))) {
              return new HashSet<>(Handle.readAll(ps, rs -> rs.getLong(1)));
            }
          });
    } finally {
      multiRowWrites.unlock();
    }
  }

  /**
   * Gives runs back to their queue, due now. {@code refundAttempt} is for jobs that never started
   * (claimed into the local buffer): the claim did not count as an attempt.
   */
  public int release(
      Collection<ClaimedJob> jobs, boolean refundAttempt, String reason, Instant now) {
    if (jobs.isEmpty()) {
      return 0;
    }
    Runs runs = Runs.of(jobs);
    multiRowWrites.lock();
    try {
      return jdbc.withConnection(
          "give back " + jobs.size() + " jobs",
          h -> {
            try (PreparedStatement ps =
                h.prepareEachTime(
                    """
                    UPDATE tributary.jobs j
                       SET state = 'available', run_at = :now, locked_by = NULL, lease_until = NULL,
                           attempt = CASE WHEN :refund THEN j.attempt - 1 ELSE j.attempt END,
                           last_error = CASE WHEN :refund THEN j.last_error ELSE :reason END
                      FROM unnest(:ids::bigint[], :attempts::int[]) AS u(id, attempt)
                     WHERE j.id = u.id AND j.attempt = u.attempt AND j.state = 'running'
                       AND j.id = ANY (:ids::bigint[])""",
                    Params.with("now", now)
                        .and("refund", refundAttempt)
                        .and("reason", reason)
                        .and("ids", runs.ids())
                        .and("attempts", runs.attempts()))) {
              return ps.executeUpdate();
            }
          });
    } finally {
      multiRowWrites.unlock();
    }
  }

  /**
   * The (id, attempt) pairs that name runs, as the parallel arrays the unnest-based writes bind.
   */
  private record Runs(long[] ids, int[] attempts) {
    static Runs of(Collection<ClaimedJob> jobs) {
      long[] ids = new long[jobs.size()];
      int[] attempts = new int[jobs.size()];
      int i = 0;
      for (ClaimedJob j : jobs) {
        ids[i] = j.id();
        attempts[i++] = j.attempt();
      }
      return new Runs(ids, attempts);
    }
  }
}
