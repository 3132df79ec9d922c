package dev.tributary.engine.chaos;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The six faults, in turn, on a started {@link ChaosRun}; each waits until throughput resumes and
 * every live node completes jobs again.
 */
public final class ChaosScenarios {
  /** One fault: when it began and ended, and how long until the cluster worked again after it. */
  public record Scenario(
      String name,
      Instant start,
      Instant faultEnd,
      double recoverySeconds,
      boolean recovered,
      boolean nodesResumed,
      long lostCommitted,
      String detail) {}

  private final ChaosRun run;
  private final List<Scenario> done = new ArrayList<>();

  public ChaosScenarios(ChaosRun run) {
    this.run = run;
  }

  public List<Scenario> runAll() throws Exception {
    killBusiestNode(settle());
    restartPostgres(settle());
    crashPostgres(settle());
    terminateConnections(settle());
    lockHotRows(settle());
    fillPool(settle());
    return done;
  }

  /** Lets the cluster settle, then loads it with a burst so that every node holds jobs. */
  private double settle() {
    ChaosRun.sleep(run.settings.settle().toMillis());
    double baseline = baseline();
    run.burst(run.settings.burst());
    long limit = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < limit
        && run.nodes.names().stream().anyMatch(n -> inFlight(n) < run.settings.concurrency())) {
      ChaosRun.sleep(50);
    }
    return baseline;
  }

  private void killBusiestNode(double baseline) throws InterruptedException {
    String victim =
        run.nodes.names().stream()
            .max((a, b) -> Integer.compare(inFlight(a), inFlight(b)))
            .orElseThrow();
    int inFlight = inFlight(victim);
    Instant start = ChaosRun.now();
    run.nodes.kill(victim);
    Instant killed = ChaosRun.now();
    String replacement = run.startNode();
    record(
        "kill-node",
        start,
        killed,
        baseline,
        () -> inFlight(victim) == 0,
        "SIGKILL " + victim + " holding " + inFlight + " jobs; " + replacement + " started");
  }

  private void restartPostgres(double baseline) {
    long before = run.server.pid();
    Instant start = ChaosRun.now();
    String state = run.server.stop();
    run.server.start();
    Instant up = ChaosRun.now();
    requireNewPostmaster(before);
    record(
        "restart-postgres",
        start,
        up,
        baseline,
        () -> true,
        "down "
            + millis(start, up)
            + " ms (pg_ctl stop -m fast, start on the same data directory; cluster state '"
            + state
            + "'; postmaster "
            + before
            + " -> "
            + run.server.pid()
            + ")");
  }

  private void requireNewPostmaster(long before) {
    if (run.server.pid() == before) {
      throw new IllegalStateException("PostgreSQL did not restart: postmaster " + before);
    }
  }

  /**
   * An immediate stop (as {@code pg_ctl stop -m immediate}) under load, then a start on the same
   * data directory: the server replays its WAL. Every execution row committed before the crash must
   * still be there.
   */
  private void crashPostgres(double baseline) {
    long committed = run.queryLong("SELECT coalesce(max(id), 0) FROM chaos_runs");
    long rowsBefore = run.queryLong("SELECT count(*) FROM chaos_runs WHERE id <= ?", committed);
    long lastJob = run.queryLong("SELECT coalesce(max(id), 0) FROM tributary.jobs");
    // a completion lost by the crash would leave its job 'running' under a lease from before the
    // crash, for a lease at least: counted right after the start, it cannot be redone yet
    String completedSql =
        "SELECT count(*) FROM tributary.jobs WHERE kind = ? AND state = 'completed' AND id <= ?";
    long jobsBefore = run.queryLong(completedSql, ChaosRun.KIND, lastJob);
    Instant start = ChaosRun.now();
    long before = run.server.pid();
    String state = run.server.crash();
    run.server.start();
    Instant up = ChaosRun.now();
    requireNewPostmaster(before);
    long rowsAfter =
        retrying(() -> run.queryLong("SELECT count(*) FROM chaos_runs WHERE id <= ?", committed));
    long jobsAfter = retrying(() -> run.queryLong(completedSql, ChaosRun.KIND, lastJob));
    long lost = Math.max(0, rowsBefore - rowsAfter) + Math.max(0, jobsBefore - jobsAfter);
    recordLosing(
        "crash-postgres",
        start,
        up,
        baseline,
        lost,
        "down "
            + millis(start, up)
            + " ms (SIGQUIT to the postmaster, as pg_ctl stop -m immediate; cluster state '"
            + state
            + "': WAL replayed on start); committed before the crash: "
            + rowsBefore
            + " execution rows, "
            + jobsBefore
            + " completed jobs; after: "
            + rowsAfter
            + ", "
            + jobsAfter);
  }

  private void terminateConnections(double baseline) {
    String victim = run.nodes.names().get(0);
    Instant start = ChaosRun.now();
    int cut =
        run.queryInt(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?",
            "chaos-" + victim);
    record(
        "terminate-connections",
        start,
        ChaosRun.now(),
        baseline,
        () -> true,
        "pg_terminate_backend on " + cut + " connections of " + victim);
  }

  private void lockHotRows(double baseline) throws SQLException {
    Instant start;
    int locked;
    try (Connection c = run.db.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT * FROM tributary.queues FOR UPDATE");
        s.execute(
            "CREATE TEMP TABLE chaos_locked ON COMMIT DROP AS SELECT id FROM tributary.jobs"
                + " WHERE state = 'available' ORDER BY priority DESC, run_at, id LIMIT 500 FOR UPDATE");
        try (var rs = s.executeQuery("SELECT count(*) FROM chaos_locked")) {
          rs.next();
          locked = rs.getInt(1);
        }
      }
      start = ChaosRun.now();
      ChaosRun.sleep(run.settings.lockHold().toMillis());
      c.rollback();
    }
    record(
        "lock-hot-rows",
        start,
        ChaosRun.now(),
        baseline,
        () -> true,
        "FOR UPDATE on every queues row and the next "
            + locked
            + " available jobs for "
            + run.settings.lockHold().toSeconds()
            + " s");
  }

  private void fillPool(double baseline) {
    String victim = run.nodes.names().get(1);
    Instant start = ChaosRun.now();
    run.nodes.hogPool(victim, run.settings.poolHold().toMillis());
    ChaosRun.sleep(run.settings.poolHold().toMillis());
    record(
        "fill-pool",
        start,
        ChaosRun.now(),
        baseline,
        () -> true,
        "every connection of "
            + victim
            + "'s pool taken for "
            + run.settings.poolHold().toSeconds()
            + " s");
  }

  /**
   * Waits until, after the fault ended, the last second's rate is at least half the rate before it
   * and {@code alsoDone} holds; then until every live node has completed a job since.
   */
  private void record(
      String name,
      Instant start,
      Instant faultEnd,
      double baseline,
      BooleanSupplier alsoDone,
      String detail) {
    record(name, start, faultEnd, baseline, alsoDone, 0, detail);
  }

  private void recordLosing(
      String name, Instant start, Instant faultEnd, double baseline, long lost, String detail) {
    record(name, start, faultEnd, baseline, () -> true, lost, detail);
  }

  private void record(
      String name,
      Instant start,
      Instant faultEnd,
      double baseline,
      BooleanSupplier alsoDone,
      long lostCommitted,
      String detail) {
    long end = faultEnd.toEpochMilli();
    long limit = end + run.settings.recoveryLimit().toMillis();
    boolean recovered = false;
    long now = System.currentTimeMillis();
    while (now < limit) {
      ChaosRun.sleep(100);
      now = System.currentTimeMillis();
      double rate = run.throughput.rateBefore(now, 1000);
      if (now - end >= 1000 && rate >= 0.5 * baseline && safely(alsoDone)) {
        recovered = true;
        break;
      }
    }
    double seconds = Math.max(0, now - end - 1000) / 1000.0;
    Instant resumedAt = Instant.ofEpochMilli(now);
    boolean resumed = everyNodeCompletesSince(resumedAt);
    done.add(
        new Scenario(name, start, faultEnd, seconds, recovered, resumed, lostCommitted, detail));
  }

  private boolean everyNodeCompletesSince(Instant since) {
    long limit = System.currentTimeMillis() + run.settings.recoveryLimit().toMillis();
    for (String node : run.nodes.names()) {
      while (run.queryInt(
              "SELECT count(*) FROM chaos_runs WHERE node = ? AND at > ?",
              node,
              java.sql.Timestamp.from(since))
          == 0) {
        if (System.currentTimeMillis() > limit) {
          return false;
        }
        ChaosRun.sleep(200);
      }
    }
    return true;
  }

  /** The completion rate over the last two seconds, before the burst and the fault. */
  private double baseline() {
    return Math.max(0, run.throughput.rateBefore(System.currentTimeMillis(), 2000));
  }

  private int inFlight(String node) {
    return run.queryInt(
        "SELECT count(*) FROM tributary.jobs WHERE state = 'running' AND locked_by = ?", node);
  }

  /** A query on the harness's pool, whose connections the restart cut: tried a few times. */
  private static long retrying(java.util.function.LongSupplier query) {
    for (int i = 0; ; i++) {
      try {
        return query.getAsLong();
      } catch (RuntimeException e) {
        if (i == 20) {
          throw e;
        }
        ChaosRun.sleep(100);
      }
    }
  }

  private static boolean safely(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static long millis(Instant a, Instant b) {
    return b.toEpochMilli() - a.toEpochMilli();
  }
}
