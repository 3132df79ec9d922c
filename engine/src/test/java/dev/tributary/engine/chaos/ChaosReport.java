package dev.tributary.engine.chaos;

import dev.tributary.engine.chaos.ChaosScenarios.Scenario;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the faults cost, read from the database once the backlog drained: lost jobs, jobs run more
 * than once (and whether the documented at-least-once window explains each), cron ticks missed or
 * doubled, and recovery times.
 */
public record ChaosReport(
    long enqueued,
    long lost,
    long duplicated,
    long unexplainedDuplicates,
    long lostClaimReruns,
    long ticksMissed,
    long ticksMissedOutsideOutage,
    long ticksDoubled,
    long tickJobsRerun,
    double maxRecoverySeconds,
    boolean allRecovered,
    List<String> lines,
    List<String> sameAttemptTwice,
    List<String> workloadSummary,
    String workloadFields) {

  public static ChaosReport of(ChaosRun run, List<Scenario> scenarios) throws Exception {
    run.stopFeeding();
    long enqueued = run.enqueued.get();
    drain(run);
    long rows = run.queryLong("SELECT count(*) FROM tributary.jobs WHERE kind = ?", ChaosRun.KIND);
    long notCompleted =
        run.queryLong(
            "SELECT count(*) FROM tributary.jobs WHERE kind = ? AND state <> 'completed'",
            ChaosRun.KIND);
    long neverRan =
        run.queryLong(
            "SELECT count(*) FROM tributary.jobs j WHERE kind = ? AND NOT EXISTS"
                + " (SELECT 1 FROM chaos_runs r WHERE r.job_id = j.id)",
            ChaosRun.KIND);
    long lostCommitted = scenarios.stream().mapToLong(Scenario::lostCommitted).sum();
    long lost = notCompleted + neverRan + Math.max(0, enqueued - rows) + lostCommitted;
    run.workload.finish(run, scenarios);
    List<String> lines = new ArrayList<>();
    long duplicated = 0;
    long unexplained = 0;
    long lostClaims = 0;
    long missed = 0;
    long missedOutside = 0;
    double maxRecovery = 0;
    boolean allRecovered = true;
    Instant end = Instant.now();
    for (int i = 0; i < scenarios.size(); i++) {
      Scenario s = scenarios.get(i);
      Instant to = i + 1 < scenarios.size() ? scenarios.get(i + 1).start() : end;
      // only an unclean stop loses a claim, which commits without waiting for its WAL flush
      Instant crashUp = s.name().equals("crash-postgres") ? s.faultEnd() : null;
      long[] d = duplicates(run, s.start(), to, crashUp);
      long[] m = missedTicks(run, s, to);
      duplicated += d[0];
      unexplained += d[1] - d[2];
      lostClaims += d[2];
      missed += m[0];
      missedOutside += m[1];
      maxRecovery = Math.max(maxRecovery, s.recoverySeconds());
      allRecovered &= s.recovered() && s.nodesResumed();
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "scenario=%s fault_s=%.1f recovery_s=%.1f recovered=%s nodes_resumed=%s duplicated=%d"
                  + " (at-least-once window=%d, claim lost in the crash=%d, unexplained=%d)"
                  + " ticks_missed=%d"
                  + " (while PostgreSQL was down=%d)%s | %s",
              s.name(),
              (s.faultEnd().toEpochMilli() - s.start().toEpochMilli()) / 1000.0,
              s.recoverySeconds(),
              s.recovered(),
              s.nodesResumed(),
              d[0],
              d[0] - d[1],
              d[2],
              d[1] - d[2],
              m[0],
              m[0] - m[1],
              run.workload.scenarioColumns(s, to),
              s.detail()));
    }
    long tickJobs =
        run.queryLong("SELECT count(*) FROM tributary.jobs WHERE kind = ?", ChaosRun.TICK);
    long fires =
        run.queryLong(
            "SELECT count(*) FROM tributary.schedule_fires WHERE schedule_name = ?",
            ChaosRun.SCHEDULE);
    long tickRerun =
        run.queryLong(
            "SELECT count(*) FROM (SELECT r.job_id FROM chaos_runs r JOIN tributary.jobs j"
                + " ON j.id = r.job_id WHERE j.kind = ? GROUP BY r.job_id HAVING count(*) > 1) x",
            ChaosRun.TICK);
    long doubled = Math.max(0, tickJobs - fires);
    return new ChaosReport(
        enqueued,
        lost,
        duplicated,
        unexplained,
        lostClaims,
        missed,
        missedOutside,
        doubled,
        tickRerun,
        maxRecovery,
        allRecovered,
        lines,
        sameAttemptTwice(run),
        run.workload.summary(),
        run.workload.lastLineFields());
  }

  /**
   * The jobs that ran the same attempt twice, named: job, attempt, and each run's node and time.
   */
  private static List<String> sameAttemptTwice(ChaosRun run) throws SQLException {
    String sql =
        """
        SELECT 'job ' || r.job_id || ' attempt ' || r.attempt || ': '
               || string_agg(r.node || ' at ' || to_char(r.at AT TIME ZONE 'UTC', 'HH24:MI:SS.MS'),
                             ', ' ORDER BY r.at)
          FROM chaos_runs r JOIN tributary.jobs j ON j.id = r.job_id
         WHERE j.kind = ? GROUP BY r.job_id, r.attempt HAVING count(*) > 1
         ORDER BY r.job_id LIMIT 20""";
    List<String> out = new ArrayList<>();
    try (Connection c = run.db.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, ChaosRun.KIND);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** Waits while the backlog still shrinks; a job left behind after that is lost. */
  private static void drain(ChaosRun run) {
    long left = Long.MAX_VALUE;
    long progressAt = System.currentTimeMillis();
    while (left > 0
        && System.currentTimeMillis() - progressAt < run.settings.recoveryLimit().toMillis()) {
      long now =
          run.queryLong(
              "SELECT count(*) FROM tributary.jobs WHERE kind = ? AND state <> 'completed'",
              ChaosRun.KIND);
      if (now < left) {
        left = now;
        progressAt = System.currentTimeMillis();
      }
      ChaosRun.sleep(500);
    }
  }

  /**
   * Jobs of the work kind first run in [from, to) and run more than once: {total, same attempt
   * twice, same attempt twice with a run after the server came back from a crash}. A rerun is
   * explained by the at-least-once window when each run was a new attempt (the engine took the job
   * back after its lease expired or its completion failed), never the same attempt twice.
   */
  private static long[] duplicates(ChaosRun run, Instant from, Instant to, Instant crashUp)
      throws SQLException {
    String sql =
        """
        SELECT count(*), count(*) FILTER (WHERE runs <> attempts),
               count(*) FILTER (WHERE runs <> attempts AND last >= ?) FROM (
          SELECT r.job_id, count(*) AS runs, count(DISTINCT r.attempt) AS attempts, min(r.at) AS first,
                 max(r.at) AS last
            FROM chaos_runs r JOIN tributary.jobs j ON j.id = r.job_id
           WHERE j.kind = ? GROUP BY r.job_id HAVING count(*) > 1) d
         WHERE first >= ? AND first < ?""";
    try (Connection c = run.db.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setTimestamp(
          1, Timestamp.from(crashUp != null ? crashUp : Instant.now().plusSeconds(86_400)));
      s.setString(2, ChaosRun.KIND);
      s.setTimestamp(3, Timestamp.from(from));
      s.setTimestamp(4, Timestamp.from(to));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
      }
    }
  }

  /**
   * Seconds in [start, to) without a fire of the one-second schedule: {missed, missed while the
   * server was up}. Ticks missed while PostgreSQL was down fire once, as the latest (by design).
   */
  private static long[] missedTicks(ChaosRun run, Scenario s, Instant to) throws SQLException {
    String sql =
        """
        SELECT count(*) FILTER (WHERE f.fire_time IS NULL),
               count(*) FILTER (WHERE f.fire_time IS NULL AND NOT (g.t BETWEEN ? AND ?))
          FROM generate_series(date_trunc('second', ?::timestamptz) + interval '1 second',
                               date_trunc('second', ?::timestamptz) - interval '1 second',
                               interval '1 second') g(t)
          LEFT JOIN tributary.schedule_fires f ON f.schedule_name = ? AND f.fire_time = g.t""";
    boolean outage = s.name().endsWith("-postgres");
    Instant downFrom = outage ? s.start().minusSeconds(1) : Instant.EPOCH;
    Instant downTo = outage ? s.faultEnd().plusSeconds(1) : Instant.EPOCH;
    try (Connection c = run.db.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setTimestamp(1, Timestamp.from(downFrom));
      p.setTimestamp(2, Timestamp.from(downTo));
      p.setTimestamp(3, Timestamp.from(s.start()));
      p.setTimestamp(4, Timestamp.from(to));
      p.setString(5, ChaosRun.SCHEDULE);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /** Everything the bench prints: the jobs, one line per fault, cron, the load's, the last line. */
  public List<String> allLines(int scenarios) {
    List<String> out = new ArrayList<>();
    out.add("jobs enqueued: " + enqueued);
    out.addAll(lines);
    out.add(
        String.format(
            java.util.Locale.ROOT,
            "cron: ticks missed=%d (while PostgreSQL was down=%d) doubled=%d;"
                + " tick jobs run again (at-least-once)=%d",
            ticksMissed,
            ticksMissed - ticksMissedOutsideOutage,
            ticksDoubled,
            tickJobsRerun));
    out.add(
        String.format(
            java.util.Locale.ROOT,
            "duplicated=%d, of which outside the at-least-once window=%d (a claim lost in the"
                + " crash, its handler still running on the node=%d; unexplained=%d);"
                + " all recovered=%s",
            duplicated,
            unexplainedDuplicates + lostClaimReruns,
            lostClaimReruns,
            unexplainedDuplicates,
            allRecovered));
    if (!sameAttemptTwice.isEmpty()) {
      out.add("same attempt run twice: " + String.join("; ", sameAttemptTwice));
    }
    out.addAll(workloadSummary);
    out.add(lastLine(scenarios));
    return out;
  }

  public String lastLine(int scenarios) {
    return String.format(
            java.util.Locale.ROOT,
            "chaos: scenarios=%d lost=%d duplicated=%d max_recovery_s=%.1f",
            scenarios,
            lost,
            duplicated,
            maxRecoverySeconds)
        + workloadFields;
  }
}
