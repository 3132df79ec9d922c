package dev.tributary.engine.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster housekeeping, run by one node at a time: the holder of the {@code maintenance} lease in
 * {@code tributary.leases} (River's leader row). Every round it renews or tries to take the lease;
 * the leader then returns expired leases to their queues (the reaper), and now and then prunes
 * finished jobs, old cron fires and old execution logs, and closes execution logs left running by a
 * node that died.
 */
public final class Maintenance {
  private static final Logger log = LoggerFactory.getLogger(Maintenance.class);
  public static final String LEASE_NAME = "maintenance";
  static final int REAP_BATCH = 1_000;
  static final int PRUNE_BATCH = 5_000;

  /** How long finished things are kept. */
  public record Retention(
      Duration completed, Duration dead, Duration executionLogs, Duration cronFires) {}

  private final DataSource dataSource;
  private final Clock clock;
  private final String nodeId;
  private final Duration leaseTtl;
  private final Duration pruneEvery;
  private final Retention retention;
  private final Consumer<String> wakeQueue;
  private volatile boolean leader;
  private Instant lastPrune = Instant.MIN;

  public Maintenance(
      DataSource dataSource,
      Clock clock,
      String nodeId,
      Duration leaseTtl,
      Duration pruneEvery,
      Retention retention,
      Consumer<String> wakeQueue) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.nodeId = nodeId;
    this.leaseTtl = leaseTtl;
    this.pruneEvery = pruneEvery;
    this.retention = retention;
    this.wakeQueue = wakeQueue;
  }

  public boolean isLeader() {
    return leader;
  }

  /** One round: take or keep the lease; if ours, do the work. */
  public void round() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean was = leader;
      leader = tryLead(c);
      if (leader != was) {
        log.info("node {} {} the maintenance leader", nodeId, leader ? "became" : "is no longer");
      }
      if (!leader) {
        return;
      }
      reap(c);
      Instant now = clock.instant();
      if (Duration.between(lastPrune, now).compareTo(pruneEvery) >= 0 || now.isBefore(lastPrune)) {
        prune(c, now);
        closeAbandonedLogs(c);
        lastPrune = now;
      }
    }
  }

  private boolean tryLead(Connection c) throws SQLException {
    Instant now = clock.instant();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        INSERT INTO tributary.leases AS l (name, holder, expires_at) VALUES (?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE l.holder = EXCLUDED.holder OR l.expires_at < ?
        RETURNING holder""")) {
      ps.setString(1, LEASE_NAME);
      ps.setString(2, nodeId);
      ps.setTimestamp(3, Timestamp.from(now.plus(leaseTtl)));
      ps.setTimestamp(4, Timestamp.from(now));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Gives the lease up at shutdown so another node can take over at once. */
  public void resign() {
    if (!leader) {
      return;
    }
    leader = false;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("DELETE FROM tributary.leases WHERE name = ? AND holder = ?")) {
      ps.setString(1, LEASE_NAME);
      ps.setString(2, nodeId);
      ps.executeUpdate();
    } catch (SQLException e) {
      log.warn("could not give up the maintenance lease; it expires by itself: {}", e.toString());
    }
  }

  /**
   * Returns runs whose lease expired (their node crashed or stalled) to their queue, due now. The
   * attempt they used counts: a job that kills its node every time ends up dead, not in a loop.
   */
  int reap(Connection c) throws SQLException {
    Instant now = clock.instant();
    int total = 0;
    Set<String> queues = new LinkedHashSet<>();
    while (true) {
      int n = 0;
      try (PreparedStatement ps =
          c.prepareStatement(
              """
          WITH expired AS (
            SELECT id FROM tributary.jobs
             WHERE state = 'running' AND lease_until < ?
             ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED)
          UPDATE tributary.jobs j
             SET state = CASE WHEN j.attempt >= j.max_attempts THEN 'dead' ELSE 'available' END,
                 finished_at = CASE WHEN j.attempt >= j.max_attempts THEN ?::timestamptz END,
                 run_at = ?, locked_by = NULL, lease_until = NULL,
                 last_error = 'lease expired: node ' || j.locked_by || ' stopped renewing it',
                 errors = (CASE WHEN jsonb_array_length(j.errors) >= 10 THEN j.errors - 0 ELSE j.errors END)
                          || jsonb_build_array(jsonb_build_object('attempt', j.attempt, 'at', ?::timestamptz,
                               'error', 'lease expired: node ' || j.locked_by || ' stopped renewing it'))
            FROM expired
           WHERE j.id = expired.id
          RETURNING j.id, j.kind, j.queue, j.state""")) {
        Timestamp at = Timestamp.from(now);
        ps.setTimestamp(1, at);
        ps.setInt(2, REAP_BATCH);
        ps.setTimestamp(3, at);
        ps.setTimestamp(4, at);
        ps.setTimestamp(5, at);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            n++;
            if ("available".equals(rs.getString(4))) {
              queues.add(rs.getString(3));
            } else {
              log.warn(
                  "job {} ({}) is dead: its last lease expired with no attempts left",
                  rs.getLong(1),
                  rs.getString(2));
            }
          }
        }
      }
      total += n;
      if (n < REAP_BATCH) {
        break;
      }
    }
    if (total > 0) {
      log.info("reaper returned {} job(s) whose lease expired", total);
      queues.forEach(wakeQueue);
    }
    return total;
  }

  void prune(Connection c, Instant now) throws SQLException {
    int jobs =
        deleteInBatches(
            c,
            """
        DELETE FROM tributary.jobs WHERE id IN (
          SELECT id FROM tributary.jobs WHERE state IN ('completed', 'cancelled') AND finished_at < ? LIMIT ?)""",
            now.minus(retention.completed()));
    int dead =
        deleteInBatches(
            c,
            """
        DELETE FROM tributary.jobs WHERE id IN (
          SELECT id FROM tributary.jobs WHERE state = 'dead' AND finished_at < ? LIMIT ?)""",
            now.minus(retention.dead()));
    int fires =
        deleteInBatches(
            c,
            """
        DELETE FROM tributary.schedule_fires WHERE (schedule_name, fire_time) IN (
          SELECT schedule_name, fire_time FROM tributary.schedule_fires WHERE fire_time < ? LIMIT ?)""",
            now.minus(retention.cronFires()));
    int logs;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT public.cleanup_old_worker_logs_v2(make_interval(secs => ?))")) {
      ps.setDouble(1, retention.executionLogs().toSeconds());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        logs = rs.getInt(1);
      }
    }
    if (jobs + dead + fires + logs > 0) {
      log.info(
          "pruned {} finished job(s), {} dead job(s), {} cron fire(s), {} execution log(s)",
          jobs,
          dead,
          fires,
          logs);
    }
  }

  private static int deleteInBatches(Connection c, String sql, Instant before) throws SQLException {
    int total = 0;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setTimestamp(1, Timestamp.from(before));
      ps.setInt(2, PRUNE_BATCH);
      int n;
      do {
        n = ps.executeUpdate();
        total += n;
      } while (n == PRUNE_BATCH);
    }
    return total;
  }

  /** Execution logs still 'running' whose job is no longer running: their node died mid-run. */
  int closeAbandonedLogs(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        UPDATE public.task_execution_logs_v2 l
           SET status = 'failed', completed_at = now(),
               duration_ms = greatest(0, (extract(epoch FROM now() - l.started_at) * 1000)::bigint),
               error_message = 'abandoned: the run stopped without closing its log (job '
                               || l.job_id || ' is ' || coalesce(j.state, 'gone') || ')'
          FROM (SELECT l2.id, j2.state
                  FROM public.task_execution_logs_v2 l2
                  LEFT JOIN tributary.jobs j2 ON j2.id = l2.job_id
                 WHERE l2.status = 'running' AND l2.job_id IS NOT NULL
                   AND (j2.id IS NULL OR j2.state <> 'running')) j
         WHERE l.id = j.id""")) {
      return ps.executeUpdate();
    }
  }
}
