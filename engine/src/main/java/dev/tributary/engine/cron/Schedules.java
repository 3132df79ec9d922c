package dev.tributary.engine.cron;

import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.EnqueueResult;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.NewJob;
import dev.tributary.engine.internal.Json;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Named cron schedules stored in {@code tributary.schedules}. Every node may call {@link #fireDue};
 * a tick fires once across the cluster because firing inserts {@code (schedule, fire_time)} under a
 * primary key in the same transaction as the job (Solid Queue's recurring executions), and the
 * schedule row is locked with SKIP LOCKED so racing nodes rarely even try.
 */
public final class Schedules {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Schedules.class);
  private final Jdbc jdbc;
  private final Clock clock;
  private final Jobs jobs;

  public Schedules(DataSource dataSource, Clock clock, Jobs jobs) {
    this.jdbc = new Jdbc(dataSource);
    this.clock = clock;
    this.jobs = jobs;
  }

  /**
   * Creates or updates a schedule. An existing schedule keeps its enabled flag and, unless its cron
   * or time zone changed, its next tick: a restart that re-declares schedules loses no missed tick.
   */
  public ScheduleInfo put(Schedule s) {
    CronExpression cron = CronExpression.parse(s.cron());
    ZoneId zone = CronExpression.zone(s.timeZone());
    Instant next = cron.nextAfter(clock.instant(), zone).orElse(null);
    return jdbc.withConnection(
        "save schedule " + s.name(),
        h -> {
          h.update(
              """
              INSERT INTO tributary.schedules AS s
                     (name, cron, time_zone, kind, args, queue, priority, max_attempts, next_fire_at)
              VALUES (:name, :cron, :time_zone, :kind, :args::jsonb, :queue, :priority, :max_attempts,
                      :next_fire_at)
              ON CONFLICT (name) DO UPDATE
                 SET cron = EXCLUDED.cron, time_zone = EXCLUDED.time_zone, kind = EXCLUDED.kind, args = EXCLUDED.args,
                     queue = EXCLUDED.queue, priority = EXCLUDED.priority, max_attempts = EXCLUDED.max_attempts,
                     next_fire_at = CASE WHEN s.cron <> EXCLUDED.cron OR s.time_zone <> EXCLUDED.time_zone
                                           OR s.next_fire_at IS NULL
                                         THEN EXCLUDED.next_fire_at ELSE s.next_fire_at END,
                     updated_at = now()""",
              Params.with("name", s.name())
                  .and("cron", cron.text())
                  .and("time_zone", zone.getId())
                  .and("kind", s.kind())
                  .and("args", Json.write(s.args()))
                  .and("queue", s.options().queue())
                  .and("priority", s.options().priority())
                  .and("max_attempts", s.options().maxAttempts())
                  .and("next_fire_at", next));
          return read(h, s.name()).orElseThrow();
        });
  }

  public List<ScheduleInfo> list() {
    return jdbc.withConnection(
        "list schedules", h -> h.query(SELECT + " ORDER BY name", Params.NONE, Schedules::read));
  }

  public Optional<ScheduleInfo> get(String name) {
    return jdbc.withConnection("read schedule " + name, h -> read(h, name));
  }

  /**
   * Enables a schedule; its next tick is the first after now (ticks missed while disabled are
   * skipped).
   */
  public ScheduleInfo enable(String name) {
    return jdbc.inTransaction(
        "enable schedule " + name,
        h -> {
          ScheduleInfo s = lock(h, name);
          if (!s.enabled()) {
            Instant next =
                CronExpression.parse(s.cron())
                    .nextAfter(clock.instant(), CronExpression.zone(s.timeZone()))
                    .orElse(null);
            h.update(
                """
                UPDATE tributary.schedules SET enabled = true, next_fire_at = :next_fire_at,
                       updated_at = now()
                 WHERE name = :name""",
                Params.of("next_fire_at", next, "name", name));
          }
          return read(h, name).orElseThrow();
        });
  }

  public ScheduleInfo disable(String name) {
    return jdbc.inTransaction(
        "disable schedule " + name,
        h -> {
          lock(h, name);
          h.update(
              "UPDATE tributary.schedules SET enabled = false, updated_at = now() WHERE name = :name",
              Params.of("name", name));
          return read(h, name).orElseThrow();
        });
  }

  /** Enqueues the schedule's job now, outside its ticks (enabled or not). */
  public EnqueueResult runNow(String name) {
    return jdbc.inTransaction(
        "run schedule " + name,
        h -> {
          ScheduleInfo s = lock(h, name);
          EnqueueResult r = jobs.enqueue(h.connection(), NewJob.of(s.kind(), s.args(), options(s)));
          h.update(
              """
              UPDATE tributary.schedules SET last_job_id = :job_id, updated_at = now()
               WHERE name = :name""",
              Params.of("job_id", r.jobId(), "name", name));
          return r;
        });
  }

  public boolean delete(String name) {
    return jdbc.withConnection(
        "delete schedule " + name,
        h ->
            h.update("DELETE FROM tributary.schedules WHERE name = :name", Params.of("name", name))
                == 1);
  }

  /** Fires every due schedule once; returns how many ticks this call fired. */
  public int fireDue(String nodeId) {
    Instant now = clock.instant();
    List<String> due =
        jdbc.withConnection(
            "find due schedules",
            h ->
                h.query(
                    """
                    SELECT name FROM tributary.schedules
                     WHERE enabled AND (next_fire_at <= :now OR next_fire_at IS NULL)
                     ORDER BY next_fire_at NULLS FIRST LIMIT 100""",
                    Params.of("now", now),
                    rs -> rs.getString(1)));
    int fired = 0;
    for (String name : due) {
      try {
        if (jdbc.inTransaction("fire schedule " + name, h -> fireOne(h, name, now, nodeId))) {
          fired++;
        }
      } catch (IllegalArgumentException e) {
        // a row written from SQL with a schedule this engine cannot read: switched off, loudly,
        // so the other schedules keep firing
        log.warn("schedule {} is disabled: {}", name, e.getMessage());
        jdbc.update(
            "UPDATE tributary.schedules SET enabled = false, updated_at = now() WHERE name = :name",
            Params.of("name", name));
      }
    }
    return fired;
  }

  private boolean fireOne(Handle h, String name, Instant now, String nodeId) throws SQLException {
    Optional<ScheduleInfo> locked =
        h.queryOne(
            SELECT
                + " WHERE name = :name AND enabled AND (next_fire_at <= :now OR next_fire_at IS NULL)"
                + " FOR UPDATE SKIP LOCKED",
            Params.of("name", name, "now", now),
            Schedules::read);
    if (locked.isEmpty()) {
      return false; // another node has it, or it just fired
    }
    ScheduleInfo s = locked.get();
    CronExpression cron = CronExpression.parse(s.cron());
    ZoneId zone = CronExpression.zone(s.timeZone());
    if (s.nextFireAt() == null) {
      // written from SQL (e.g. pg_cron's cron.schedule) without a next tick: this node computes
      // it; nothing fires before it
      h.update(
          "UPDATE tributary.schedules SET next_fire_at = :next, updated_at = now() WHERE name = :name",
          Params.of("next", cron.nextAfter(now, zone).orElse(null), "name", name));
      return false;
    }
    // many missed ticks (every node was down) fire once: as the latest of them
    Instant fireTime =
        cron.latestAtOrBefore(now, zone)
            .filter(t -> t.isAfter(s.nextFireAt()))
            .orElse(s.nextFireAt());
    Instant next = cron.nextAfter(now, zone).orElse(null);
    Params fire = Params.of("name", name, "fire_time", fireTime);
    boolean inserted =
        h.update(
                """
                INSERT INTO tributary.schedule_fires (schedule_name, fire_time, fired_by, fired_at)
                VALUES (:name, :fire_time, :node, :now)
                ON CONFLICT DO NOTHING""",
                Params.of("name", name, "fire_time", fireTime, "node", nodeId, "now", now))
            == 1;
    Long jobId = s.lastJobId();
    if (inserted) {
      EnqueueResult r = jobs.enqueue(h.connection(), NewJob.of(s.kind(), s.args(), options(s)));
      jobId = r.jobId();
      h.update(
          """
          UPDATE tributary.schedule_fires SET job_id = :job_id
           WHERE schedule_name = :name AND fire_time = :fire_time""",
          fire.and("job_id", jobId));
    }
    h.update(
        """
        UPDATE tributary.schedules
           SET next_fire_at = :next_fire_at,
               last_fired_at = CASE WHEN :inserted THEN :fire_time::timestamptz ELSE last_fired_at END,
               last_job_id = :job_id, updated_at = now()
         WHERE name = :name""",
        Params.with("next_fire_at", next)
            .and("inserted", inserted)
            .and("fire_time", fireTime)
            .and("job_id", jobId)
            .and("name", name));
    return inserted;
  }

  /** How many times a schedule fired (rows in schedule_fires still kept). */
  public int fireCount(String name) {
    return jdbc.withConnection(
        "count fires of " + name,
        h ->
            h.queryOne(
                    "SELECT count(*) FROM tributary.schedule_fires WHERE schedule_name = :name",
                    Params.of("name", name),
                    rs -> rs.getInt(1))
                .orElseThrow());
  }

  /** The latest {@code limit} ticks of a schedule, newest first, with their jobs' states. */
  public List<ScheduleFire> fires(String name, int limit) {
    if (limit < 1 || limit > 500) {
      throw new IllegalArgumentException("limit must be between 1 and 500, got " + limit);
    }
    return jdbc.query(
        """
        SELECT f.schedule_name, f.fire_time, f.fired_at, f.fired_by, f.job_id, j.state
          FROM tributary.schedule_fires f LEFT JOIN tributary.jobs j ON j.id = f.job_id
         WHERE f.schedule_name = :name
         ORDER BY f.fire_time DESC LIMIT :limit""",
        Params.of("name", name, "limit", limit),
        rs ->
            new ScheduleFire(
                rs.getString(1),
                instant(rs.getTimestamp(2)),
                instant(rs.getTimestamp(3)),
                rs.getString(4),
                (Long) rs.getObject(5),
                rs.getString(6)));
  }

  private static EnqueueOptions options(ScheduleInfo s) {
    return EnqueueOptions.DEFAULTS
        .queue(s.queue())
        .priority(s.priority())
        .maxAttempts(s.maxAttempts());
  }

  private static final String SELECT =
      """
      SELECT name, cron, time_zone, kind, args::text AS args, queue, priority, max_attempts, enabled,
             next_fire_at, last_fired_at, last_job_id
        FROM tributary.schedules""";

  private static ScheduleInfo lock(Handle h, String name) throws SQLException {
    return h.queryOne(
            SELECT + " WHERE name = :name FOR UPDATE", Params.of("name", name), Schedules::read)
        .orElseThrow(() -> new NoSuchElementException("unknown schedule '" + name + "'"));
  }

  private static Optional<ScheduleInfo> read(Handle h, String name) throws SQLException {
    return h.queryOne(SELECT + " WHERE name = :name", Params.of("name", name), Schedules::read);
  }

  private static ScheduleInfo read(ResultSet rs) throws SQLException {
    return new ScheduleInfo(
        rs.getString("name"),
        rs.getString("cron"),
        rs.getString("time_zone"),
        rs.getString("kind"),
        Json.read(rs.getString("args")),
        rs.getString("queue"),
        rs.getInt("priority"),
        rs.getInt("max_attempts"),
        rs.getBoolean("enabled"),
        instant(rs.getTimestamp("next_fire_at")),
        instant(rs.getTimestamp("last_fired_at")),
        (Long) rs.getObject("last_job_id"));
  }

  private static java.time.Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }
}
