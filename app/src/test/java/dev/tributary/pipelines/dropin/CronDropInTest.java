package dev.tributary.pipelines.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.Engine;
import dev.tributary.engine.cron.Schedule;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestEngines;
import dev.tributary.testing.Rows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** pg_cron's SQL interface (V100) on the engine's cron, without the pg_cron extension. */
class CronDropInTest {
  private final Rows db = Rows.fresh();
  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-02T10:00:00Z"));
  private final List<Engine> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(Engine::close);
    db.close();
  }

  private Engine engine(String nodeId) {
    DropIn dropIn = new DropIn(db.dataSource());
    Engine e = dropIn.register(TestEngines.builder(db.dataSource(), clock, nodeId)).build();
    e.start();
    engines.add(e);
    return e;
  }

  private String error(String sql) {
    return db.failure(sql).getMessage();
  }

  @Test
  void the_layer_is_installed_on_a_database_without_pg_cron_and_is_recognised_as_ours() {
    assertThat(new DropIn(db.dataSource()).layers()).isEqualTo(new DropIn.Layers(true, true));
    assertThat(db.column("SELECT extname::text FROM pg_extension WHERE extname = 'pg_cron'"))
        .isEmpty();
  }

  @Test
  void schedule_unschedule_and_alter_job_keep_pg_cron_names_and_columns() {
    long named =
        db.count("SELECT cron.schedule('nightly-cleanup', '0 3 * * *', 'DELETE FROM sync_jobs')");
    long unnamed = db.count("SELECT cron.schedule('*/10 * * * *', 'SELECT 1')");
    assertThat(unnamed).isNotEqualTo(named);

    Map<String, Object> job = db.row("SELECT * FROM cron.job WHERE jobid = ?", named);
    assertThat(job.keySet())
        .containsExactly(
            "jobid",
            "schedule",
            "command",
            "nodename",
            "nodeport",
            "database",
            "username",
            "active",
            "jobname");
    assertThat(job)
        .containsEntry("schedule", "0 3 * * *")
        .containsEntry("command", "DELETE FROM sync_jobs")
        .containsEntry("jobname", "nightly-cleanup")
        .containsEntry("active", true);
    assertThat(db.row("SELECT jobname FROM cron.job WHERE jobid = ?", unnamed).get("jobname"))
        .isNull();

    // the named form changes the job of that name and keeps its id, as pg_cron does
    assertThat(db.count("SELECT cron.schedule('nightly-cleanup', '@daily', 'SELECT 2')"))
        .isEqualTo(named);
    assertThat(db.text("SELECT command FROM cron.job WHERE jobid = ?", named))
        .isEqualTo("SELECT 2");

    db.execute("SELECT cron.alter_job(?, schedule := '30 seconds', active := false)", named);
    assertThat(db.row("SELECT schedule, active FROM cron.job WHERE jobid = ?", named))
        .containsEntry("schedule", "30 seconds")
        .containsEntry("active", false);

    assertThat(db.<Boolean>value("SELECT cron.unschedule('nightly-cleanup')")).isTrue();
    assertThat(db.<Boolean>value("SELECT cron.unschedule(?::bigint)", unnamed)).isTrue();
    assertThat(db.count("SELECT count(*) FROM cron.job WHERE jobid IN (?, ?)", named, unnamed))
        .isZero();
  }

  @Test
  void bad_schedules_and_unknown_jobs_give_pg_cron_errors() {
    for (String bad :
        List.of(
            "0 3 * *",
            "61 * * * *",
            "* 24 * * *",
            "0 0 32 * *",
            "every day",
            "0 seconds",
            "60 seconds",
            "@reboot",
            "*/0 * * * *",
            "0 0 * * funday")) {
      assertThat(error("SELECT cron.schedule('bad', '" + bad + "', 'SELECT 1')"))
          .as(bad)
          .contains("invalid schedule: " + bad);
    }
    assertThat(error("SELECT cron.unschedule('no-such-job')"))
        .contains("could not find valid entry for job 'no-such-job'");
    assertThat(error("SELECT cron.unschedule(424242)"))
        .contains("could not find valid entry for job 424242");
    assertThat(error("SELECT cron.alter_job(424242, active := false)"))
        .contains("could not find valid entry for job 424242");
    assertThat(db.count("SELECT count(*) FROM cron.job")).isZero();
  }

  @Test
  void the_forms_pg_cron_accepts_are_accepted_and_the_engine_reads_them() {
    List<String> forms =
        List.of(
            "5 4 * * *",
            "*/5 * * * *",
            "0 9-17/2 * * mon-fri",
            "0 0 1,15 * *",
            "@hourly",
            "@weekly",
            "@monthly",
            "@yearly",
            "30 seconds",
            "1 second",
            "0 3 * * 7");
    for (String f : forms) {
      db.execute("SELECT cron.schedule(?, ?, 'SELECT 1')", "form " + f, f);
    }
    engine("n1");
    Await.until(
        "the engine computed every job's next tick",
        () ->
            db.count(
                    "SELECT count(*) FROM tributary.schedules WHERE kind = 'cron.command'"
                        + " AND enabled AND next_fire_at IS NOT NULL")
                == forms.size());
    assertThat(
            db.<Object>column(
                "SELECT next_fire_at FROM tributary.schedules WHERE name = 'form 30 seconds'"))
        .containsExactly(java.sql.Timestamp.from(Instant.parse("2026-03-02T10:00:30Z")));
  }

  @Test
  void a_command_runs_once_per_tick_across_two_nodes_and_each_run_is_recorded() {
    db.update("CREATE TABLE ticks (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())");
    engine("node-a");
    engine("node-b");
    long jobid =
        db.count("SELECT cron.schedule('tick', '5 seconds', 'INSERT INTO ticks DEFAULT VALUES')");
    Await.until(
        "a node computed the first tick",
        () ->
            db.count(
                    "SELECT count(*) FROM tributary.schedules WHERE name = 'tick' AND next_fire_at IS NOT NULL")
                == 1);

    int ticks = 6;
    for (int i = 1; i <= ticks; i++) {
      clock.advance(Duration.ofSeconds(5));
      int expected = i;
      Await.until(
          "tick " + i + " ran",
          () ->
              db.count(
                      "SELECT count(*) FROM cron.job_run_details WHERE jobid = ? AND status = 'succeeded'",
                      jobid)
                  == expected);
    }
    assertThat(db.count("SELECT count(*) FROM ticks")).isEqualTo(ticks);
    assertThat(
            db.count("SELECT count(*) FROM tributary.schedule_fires WHERE schedule_name = 'tick'"))
        .isEqualTo(ticks);
    Map<String, Object> run =
        db.row("SELECT * FROM cron.job_run_details WHERE jobid = ? ORDER BY runid LIMIT 1", jobid);
    assertThat(run)
        .containsEntry("status", "succeeded")
        .containsEntry("return_message", "INSERT 0 1")
        .containsEntry("command", "INSERT INTO ticks DEFAULT VALUES");
    assertThat(run.get("job_pid")).isNotNull();
    assertThat(run.get("start_time")).isNotNull();
    assertThat(run.get("end_time")).isNotNull();
    // both nodes took part
    assertThat(
            db.count(
                "SELECT count(DISTINCT fired_by) FROM tributary.schedule_fires WHERE schedule_name = 'tick'"))
        .isBetween(1L, 2L);
  }

  @Test
  void a_failing_command_is_recorded_with_its_error_and_the_next_tick_still_runs() {
    db.update("CREATE TABLE flaky (n int CHECK (n > 0))");
    db.update("CREATE SEQUENCE flaky_seq MINVALUE 0 START 0");
    engine("n1");
    // the first run inserts 0 (refused by the check), the next ones succeed
    long jobid =
        db.count(
            "SELECT cron.schedule('flaky', '5 seconds', 'INSERT INTO flaky VALUES (nextval(''flaky_seq''))')");
    Await.until(
        "first tick computed",
        () ->
            db.count(
                    "SELECT count(*) FROM tributary.schedules WHERE name = 'flaky' AND next_fire_at IS NOT NULL")
                == 1);
    clock.advance(Duration.ofSeconds(5));
    Await.until(
        "the failing run is recorded",
        () ->
            db.count(
                    "SELECT count(*) FROM cron.job_run_details WHERE jobid = ? AND status = 'failed'",
                    jobid)
                == 1);
    assertThat(
            db.text(
                "SELECT return_message FROM cron.job_run_details WHERE jobid = ? AND status = 'failed'",
                jobid))
        .contains("violates check constraint");
    clock.advance(Duration.ofSeconds(5));
    Await.until(
        "the next tick runs",
        () ->
            db.count(
                    "SELECT count(*) FROM cron.job_run_details WHERE jobid = ? AND status = 'succeeded'",
                    jobid)
                == 1);
    assertThat(db.count("SELECT count(*) FROM flaky")).isEqualTo(1);
  }

  @Test
  void the_nodes_own_schedules_are_in_cron_job_and_a_sql_job_of_the_same_name_takes_over() {
    Engine e = engine("n1");
    e.schedules()
        .put(
            Schedule.of(
                "weekly-profile-sync",
                "0 3 * * 1",
                "UTC",
                "profile_sync",
                Map.of("max_profiles", 50)));
    Map<String, Object> builtIn =
        db.row("SELECT * FROM cron.job WHERE jobname = 'weekly-profile-sync'");
    assertThat(builtIn.get("command").toString())
        .startsWith("SELECT tributary.enqueue_job('profile_sync'");
    assertThat(error("SELECT cron.unschedule('weekly-profile-sync')"))
        .contains("one of the node's own schedules");

    long jobid = db.count("SELECT cron.schedule('weekly-profile-sync', '0 3 * * 1', 'SELECT 42')");
    assertThat(jobid).isEqualTo(((Number) builtIn.get("jobid")).longValue());
    // a node restarting declares its schedule again: the SQL job stays
    e.schedules()
        .put(
            Schedule.of(
                "weekly-profile-sync",
                "0 3 * * 1",
                "UTC",
                "profile_sync",
                Map.of("max_profiles", 50)));
    assertThat(db.text("SELECT command FROM cron.job WHERE jobid = ?", jobid))
        .isEqualTo("SELECT 42");
    assertThat(db.count("SELECT count(*) FROM cron.job WHERE jobname = 'weekly-profile-sync'"))
        .isEqualTo(1);
  }
}
