package dev.tributary.engine.internal;

import dev.tributary.jdbc.DatabaseException;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * finished jobs and old cron fires. It touches only the engine's own tables ({@code tributary.*}).
 */
public final class Maintenance {
  private static final Logger log = LoggerFactory.getLogger(Maintenance.class);
  public static final String LEASE_NAME = "maintenance";
  static final int REAP_BATCH = 1_000;
  static final int PRUNE_BATCH = 5_000;

  /** How long finished things are kept. */
  public record Retention(Duration completed, Duration dead, Duration cronFires) {}

  private final Jdbc jdbc;
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
    this.jdbc = new Jdbc(dataSource);
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
  public void round() {
    jdbc.withConnection("run a maintenance round", this::round);
  }

  private Void round(Handle h) throws SQLException {
    {
      boolean was = leader;
      leader = tryLead(h);
      if (leader != was) {
        log.info("node {} {} the maintenance leader", nodeId, leader ? "became" : "is no longer");
      }
      if (!leader) {
        return null;
      }
      reap(h);
      Instant now = clock.instant();
      if (Duration.between(lastPrune, now).compareTo(pruneEvery) >= 0 || now.isBefore(lastPrune)) {
        prune(h, now);
        lastPrune = now;
      }
    }
    return null;
  }

  private boolean tryLead(Handle h) throws SQLException {
    Instant now = clock.instant();
    return h.queryOne(
            """
            INSERT INTO tributary.leases AS l (name, holder, expires_at) VALUES (:name, :node, :expires_at)
            ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
             WHERE l.holder = EXCLUDED.holder OR l.expires_at < :now
            RETURNING holder""",
            Params.of("name", LEASE_NAME, "node", nodeId, "expires_at", now.plus(leaseTtl))
                .and("now", now),
            rs -> rs.getString(1))
        .isPresent();
  }

  /** Gives the lease up at shutdown so another node can take over at once. */
  public void resign() {
    if (!leader) {
      return;
    }
    leader = false;
    try {
      jdbc.update(
          "DELETE FROM tributary.leases WHERE name = :name AND holder = :node",
          Params.of("name", LEASE_NAME, "node", nodeId));
    } catch (DatabaseException e) {
      log.warn("could not give up the maintenance lease; it expires by itself: {}", e.toString());
    }
  }

  /**
   * Returns runs whose lease expired (their node crashed or stalled) to their queue, due now. The
   * attempt they used counts: a job that kills its node every time ends up dead, not in a loop.
   */
  int reap(Handle h) throws SQLException {
    Instant now = clock.instant();
    int total = 0;
    Set<String> queues = new LinkedHashSet<>();
    while (true) {
      int n = 0;
      try (PreparedStatement ps =
          h.prepare(
              """
          WITH expired AS (
            SELECT id FROM tributary.jobs
             WHERE state = 'running' AND lease_until < :now
             ORDER BY lease_until LIMIT :batch FOR UPDATE SKIP LOCKED)
          UPDATE tributary.jobs j
             SET state = CASE WHEN j.attempt >= j.max_attempts THEN 'dead' ELSE 'available' END,
                 finished_at = CASE WHEN j.attempt >= j.max_attempts THEN :now::timestamptz END,
                 run_at = :now, locked_by = NULL, lease_until = NULL,
                 last_error = 'lease expired: node ' || j.locked_by || ' stopped renewing it',
                 errors = (CASE WHEN jsonb_array_length(j.errors) >= 10 THEN j.errors - 0 ELSE j.errors END)
                          || jsonb_build_array(jsonb_build_object('attempt', j.attempt, 'at', :now::timestamptz,
                               'error', 'lease expired: node ' || j.locked_by || ' stopped renewing it'))
            FROM expired
           WHERE j.id = expired.id
          RETURNING j.id, j.kind, j.queue, j.state""",
              Params.of("now", now, "batch", REAP_BATCH))) {
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

  void prune(Handle h, Instant now) throws SQLException {
    int jobs =
        deleteInBatches(
            h,
            """
            DELETE FROM tributary.jobs WHERE id IN (
              SELECT id FROM tributary.jobs WHERE state IN ('completed', 'cancelled') AND finished_at < :before LIMIT :batch)""",
            now.minus(retention.completed()));
    int dead =
        deleteInBatches(
            h,
            """
            DELETE FROM tributary.jobs WHERE id IN (
              SELECT id FROM tributary.jobs WHERE state = 'dead' AND finished_at < :before LIMIT :batch)""",
            now.minus(retention.dead()));
    int fires =
        deleteInBatches(
            h,
            """
            DELETE FROM tributary.schedule_fires WHERE (schedule_name, fire_time) IN (
              SELECT schedule_name, fire_time FROM tributary.schedule_fires WHERE fire_time < :before LIMIT :batch)""",
            now.minus(retention.cronFires()));
    if (jobs + dead + fires > 0) {
      log.info("pruned {} finished job(s), {} dead job(s), {} cron fire(s)", jobs, dead, fires);
    }
  }

  private static int deleteInBatches(Handle h, String sql, Instant before) throws SQLException {
    int total = 0;
    try (PreparedStatement ps = h.prepare(sql, Params.of("before", before, "batch", PRUNE_BATCH))) {
      int n;
      do {
        n = ps.executeUpdate();
        total += n;
      } while (n == PRUNE_BATCH);
    }
    return total;
  }
}
