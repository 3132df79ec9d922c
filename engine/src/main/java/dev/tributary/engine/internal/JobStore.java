package dev.tributary.engine.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.postgresql.PGStatement;

/**
 * The SQL of the hot path: claim, complete, fail, renew and release. Every write that ends a run is
 * guarded by {@code state = 'running' AND attempt = <the attempt we claimed>}, so a node that lost
 * its lease (reaped, cancelled) can never overwrite what happened since.
 */
public final class JobStore {
  private static final int MAX_ERRORS_KEPT = 10;

  private final DataSource dataSource;

  /**
   * Completion, renewal and release each lock many rows of this node's jobs, in no particular
   * order: two of them at once could deadlock on each other. They take turns instead. (Other nodes
   * never touch this node's rows, and claims and the reaper skip locked rows, so this is the only
   * cycle.)
   */
  private final ReentrantLock multiRowWrites = new ReentrantLock();

  public JobStore(DataSource dataSource) {
    this.dataSource = dataSource;
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
               LATERAL (SELECT floor(extract(epoch FROM ?::timestamptz) * 1000
                                     / ((q.rate_interval_ms + 19) / 20))::bigint AS now_bucket) b,
               LATERAL (SELECT CASE
                                 WHEN b.now_bucket <= q.bucket_newest THEN q.bucket_counts
                                 WHEN b.now_bucket - q.bucket_newest > 20 THEN array_fill(0, ARRAY[21])
                                 ELSE array_fill(0, ARRAY[(b.now_bucket - q.bucket_newest)::int])
                                      || q.bucket_counts[1 : 21 - (b.now_bucket - q.bucket_newest)::int]
                               END AS counts) s
         WHERE q.name = ? AND q.rate_limit IS NOT NULL
           FOR UPDATE OF q
      ),
      picked AS MATERIALIZED (
        SELECT j.id
          FROM tributary.jobs j
         WHERE j.state = 'available' AND j.queue = ? AND j.run_at <= ?
           AND NOT coalesce((SELECT q.paused FROM tributary.queues q WHERE q.name = ?), false)
           -- an anti-join, not "kind <> ALL(array)": the planner cannot estimate the latter and
           -- falls back to sorting the whole queue instead of walking the index to the limit
           AND NOT EXISTS (SELECT 1 FROM public.worker_feature_flags_v2 f
                            WHERE f.worker_name = j.kind AND NOT f.is_enabled)
         ORDER BY j.priority, j.run_at, j.id
         LIMIT least(?, coalesce((SELECT greatest(lim.rate_limit - lim.used, 0) FROM lim), ?))
           FOR UPDATE OF j SKIP LOCKED
      ),
      claimed AS (
        UPDATE tributary.jobs j
           SET state = 'running', attempt = j.attempt + 1, locked_by = ?, lease_until = ?, attempted_at = ?
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
         WHERE q.name = ?
      )
      SELECT id, kind, queue, args, attempt, max_attempts, run_at FROM claimed, relaxed""";

  public List<ClaimedJob> claim(
      String queue, int demand, String node, Instant now, Instant leaseUntil) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(CLAIM)) {
      // bound in place (not through a parameters CTE) so the planner sees the queue and walks the
      // partial index in order, stopping at the limit
      Timestamp at = Timestamp.from(now);
      ps.setTimestamp(1, at);
      ps.setString(2, queue);
      ps.setString(3, queue);
      ps.setTimestamp(4, at);
      ps.setString(5, queue);
      ps.setInt(6, demand);
      ps.setInt(7, demand);
      ps.setString(8, node);
      ps.setTimestamp(9, Timestamp.from(leaseUntil));
      ps.setTimestamp(10, at);
      ps.setString(11, queue);
      List<ClaimedJob> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ClaimedJob(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getInt(5),
                  rs.getInt(6),
                  rs.getTimestamp(7).toInstant(),
                  now));
        }
      }
      return out;
    }
  }

  /**
   * Marks many runs completed in one statement (River's batch completer); returns how many were
   * still ours.
   */
  public int completeMany(long[] ids, int[] attempts, Instant now) throws SQLException {
    multiRowWrites.lock();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            planEachTime(
                c,
                """
        UPDATE tributary.jobs j
           SET state = 'completed', finished_at = ?, locked_by = NULL, lease_until = NULL
          FROM unnest(?::bigint[], ?::int[]) AS u(id, attempt)
         WHERE j.id = u.id AND j.attempt = u.attempt AND j.state = 'running'
           AND j.id = ANY (?::bigint[])""")) {
      Long[] boxed = box(ids);
      ps.setTimestamp(1, Timestamp.from(now));
      ps.setArray(2, c.createArrayOf("int8", boxed));
      ps.setArray(3, c.createArrayOf("int4", box(attempts)));
      ps.setArray(4, c.createArrayOf("int8", boxed));
      return ps.executeUpdate();
    } finally {
      multiRowWrites.unlock();
    }
  }

  /**
   * Records a failed run: back to available at {@code retryAt}, or dead when {@code retryAt} is
   * null. Returns false when the run was no longer ours.
   */
  public boolean fail(long id, int attempt, String error, Instant now, Instant retryAt)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
        UPDATE tributary.jobs
           SET state = CASE WHEN ?::timestamptz IS NULL THEN 'dead' ELSE 'available' END,
               run_at = coalesce(?::timestamptz, run_at),
               finished_at = CASE WHEN ?::timestamptz IS NULL THEN ?::timestamptz END,
               locked_by = NULL, lease_until = NULL, last_error = ?,
               errors = (CASE WHEN jsonb_array_length(errors) >= ? THEN errors - 0 ELSE errors END)
                        || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', ?::timestamptz, 'error', ?::text))
         WHERE id = ? AND attempt = ? AND state = 'running'""")) {
      Timestamp retry = retryAt == null ? null : Timestamp.from(retryAt);
      Timestamp at = Timestamp.from(now);
      ps.setTimestamp(1, retry);
      ps.setTimestamp(2, retry);
      ps.setTimestamp(3, retry);
      ps.setTimestamp(4, at);
      ps.setString(5, error);
      ps.setInt(6, MAX_ERRORS_KEPT);
      ps.setTimestamp(7, at);
      ps.setString(8, error);
      ps.setLong(9, id);
      ps.setInt(10, attempt);
      return ps.executeUpdate() == 1;
    }
  }

  /** Extends the leases of runs this node holds; returns the ids that are still ours. */
  public Set<Long> renew(Collection<ClaimedJob> held, Instant leaseUntil) throws SQLException {
    Runs runs = Runs.of(held);
    long[] ids = runs.ids();
    int[] attempts = runs.attempts();
    multiRowWrites.lock();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            planEachTime(
                c,
                """
        UPDATE tributary.jobs j SET lease_until = ?
          FROM unnest(?::bigint[], ?::int[]) AS u(id, attempt)
         WHERE j.id = u.id AND j.attempt = u.attempt AND j.state = 'running'
           AND j.id = ANY (?::bigint[])
        RETURNING j.id""")) {
      Long[] boxed = box(ids);
      ps.setTimestamp(1, Timestamp.from(leaseUntil));
      ps.setArray(2, c.createArrayOf("int8", boxed));
      ps.setArray(3, c.createArrayOf("int4", box(attempts)));
      ps.setArray(4, c.createArrayOf("int8", boxed));
      Set<Long> ours = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ours.add(rs.getLong(1));
        }
      }
      return ours;
    } finally {
      multiRowWrites.unlock();
    }
  }

  /**
   * Gives runs back to their queue, due now. {@code refundAttempt} is for jobs that never started
   * (claimed into the local buffer): the claim did not count as an attempt.
   */
  public int release(Collection<ClaimedJob> jobs, boolean refundAttempt, String reason, Instant now)
      throws SQLException {
    if (jobs.isEmpty()) {
      return 0;
    }
    Runs runs = Runs.of(jobs);
    long[] ids = runs.ids();
    int[] attempts = runs.attempts();
    multiRowWrites.lock();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            planEachTime(
                c,
                """
        UPDATE tributary.jobs j
           SET state = 'available', run_at = ?, locked_by = NULL, lease_until = NULL,
               attempt = CASE WHEN ? THEN j.attempt - 1 ELSE j.attempt END,
               last_error = CASE WHEN ? THEN j.last_error ELSE ? END
          FROM unnest(?::bigint[], ?::int[]) AS u(id, attempt)
         WHERE j.id = u.id AND j.attempt = u.attempt AND j.state = 'running'
           AND j.id = ANY (?::bigint[])""")) {
      Long[] boxed = box(ids);
      ps.setTimestamp(1, Timestamp.from(now));
      ps.setBoolean(2, refundAttempt);
      ps.setBoolean(3, refundAttempt);
      ps.setString(4, reason);
      ps.setArray(5, c.createArrayOf("int8", boxed));
      ps.setArray(6, c.createArrayOf("int4", box(attempts)));
      ps.setArray(7, c.createArrayOf("int8", boxed));
      return ps.executeUpdate();
    } finally {
      multiRowWrites.unlock();
    }
  }

  /** A statement the server plans with its actual parameters on every execution. */
  private static PreparedStatement planEachTime(Connection c, String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.unwrap(PGStatement.class).setPrepareThreshold(0);
    return ps;
  }

  private static Long[] box(long[] values) {
    Long[] out = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static Integer[] box(int[] values) {
    Integer[] out = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
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
