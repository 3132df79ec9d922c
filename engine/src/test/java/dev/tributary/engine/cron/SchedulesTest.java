package dev.tributary.engine.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.EngineSchema;
import dev.tributary.engine.Job;
import dev.tributary.engine.JobFilter;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulesTest {
  HikariDataSource db;
  SettableClock clock = new SettableClock(Instant.parse("2026-03-02T10:00:30Z"));
  Jobs jobs;
  Schedules schedules;

  @BeforeEach
  void setUp() {
    db = TestPostgres.freshDatabase(EngineSchema.MIGRATIONS);
    jobs = new Jobs(db, clock, null);
    schedules = new Schedules(db, clock, jobs);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private List<Job> jobsOf(String kind) {
    return jobs.list(JobFilter.all().kind(kind));
  }

  @Test
  void a_schedule_is_stored_with_its_next_tick_in_its_time_zone() {
    ScheduleInfo s =
        schedules.put(
            Schedule.of("monthly-style", "0 3 1 * *", "Europe/Paris", "style_refresh", Map.of()));
    // 1 April 2026, 03:00 in Paris (summer time, UTC+2)
    assertThat(s.nextFireAt()).isEqualTo(Instant.parse("2026-04-01T01:00:00Z"));
    assertThat(s.enabled()).isTrue();
    assertThat(s.timeZone()).isEqualTo("Europe/Paris");
  }

  @Test
  void invalid_cron_expressions_and_time_zones_are_refused_with_a_clear_message() {
    assertThatThrownBy(() -> Schedule.of("bad", "61 * * * *", "UTC", "k", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid cron expression '61 * * * *'");
    assertThatThrownBy(() -> Schedule.of("bad", "every day", "UTC", "k", null))
        .hasMessageContaining("invalid cron expression");
    assertThatThrownBy(() -> Schedule.of("bad", "0 3 * * *", "Mars/Olympus", "k", null))
        .hasMessageContaining("unknown time zone 'Mars/Olympus'");
  }

  @Test
  void a_tick_fires_once_when_due_and_not_before() {
    schedules.put(
        Schedule.of("publish", "*/5 * * * *", "UTC", "publish_scheduled", Map.of("limit", 10)));
    assertThat(schedules.fireDue("n1")).isZero();

    clock.set(Instant.parse("2026-03-02T10:05:00Z"));
    assertThat(schedules.fireDue("n1")).isEqualTo(1);
    assertThat(schedules.fireDue("n1")).isZero();
    List<Job> fired = jobsOf("publish_scheduled");
    assertThat(fired).hasSize(1);
    assertThat(fired.get(0).args().get("limit").asInt()).isEqualTo(10);
    ScheduleInfo s = schedules.get("publish").orElseThrow();
    assertThat(s.lastFiredAt()).isEqualTo(Instant.parse("2026-03-02T10:05:00Z"));
    assertThat(s.nextFireAt()).isEqualTo(Instant.parse("2026-03-02T10:10:00Z"));
    assertThat(s.lastJobId()).isEqualTo(fired.get(0).id());
  }

  @Test
  void ticks_missed_while_every_node_was_down_fire_once_on_restart() {
    schedules.put(Schedule.of("publish", "*/5 * * * *", "UTC", "publish_scheduled", Map.of()));
    clock.advance(Duration.ofHours(3)); // 36 ticks missed
    // a restarting node re-declares its schedules: that must not lose the missed tick
    schedules.put(Schedule.of("publish", "*/5 * * * *", "UTC", "publish_scheduled", Map.of()));

    assertThat(schedules.fireDue("restarted")).isEqualTo(1);
    assertThat(schedules.fireDue("restarted")).isZero();
    assertThat(jobsOf("publish_scheduled")).hasSize(1);
    ScheduleInfo s = schedules.get("publish").orElseThrow();
    assertThat(s.lastFiredAt()).isEqualTo(Instant.parse("2026-03-02T13:00:00Z"));
    assertThat(s.nextFireAt()).isEqualTo(Instant.parse("2026-03-02T13:05:00Z"));
    assertThat(schedules.fireCount("publish")).isEqualTo(1);
  }

  @Test
  void a_disabled_schedule_does_not_fire_and_on_enable_skips_what_it_missed() {
    schedules.put(Schedule.of("sync", "0 * * * *", "UTC", "profile_sync", Map.of()));
    schedules.disable("sync");
    clock.advance(Duration.ofHours(5));
    assertThat(schedules.fireDue("n1")).isZero();

    ScheduleInfo enabled = schedules.enable("sync");
    assertThat(enabled.enabled()).isTrue();
    assertThat(enabled.nextFireAt()).isEqualTo(Instant.parse("2026-03-02T16:00:00Z"));
    assertThat(schedules.fireDue("n1")).isZero();
    assertThat(jobsOf("profile_sync")).isEmpty();
  }

  @Test
  void a_restart_keeps_an_operators_disable() {
    schedules.put(Schedule.of("sync", "0 * * * *", "UTC", "profile_sync", Map.of()));
    schedules.disable("sync");
    ScheduleInfo again =
        schedules.put(Schedule.of("sync", "0 * * * *", "UTC", "profile_sync", Map.of()));
    assertThat(again.enabled()).isFalse();
  }

  @Test
  void changing_the_cron_moves_the_next_tick() {
    schedules.put(Schedule.of("sync", "0 2 * * 0", "UTC", "profile_sync", Map.of()));
    ScheduleInfo changed =
        schedules.put(Schedule.of("sync", "0 3 * * 1", "UTC", "profile_sync", Map.of()));
    assertThat(changed.nextFireAt()).isEqualTo(Instant.parse("2026-03-09T03:00:00Z"));
  }

  @Test
  void run_now_enqueues_the_job_at_once_even_when_disabled() {
    schedules.put(
        Schedule.of("sync", "0 2 * * 0", "UTC", "profile_sync", Map.of("max_profiles", 5)));
    schedules.disable("sync");
    long id = schedules.runNow("sync").jobId();
    Job job = jobs.get(id).orElseThrow();
    assertThat(job.kind()).isEqualTo("profile_sync");
    assertThat(job.args().get("max_profiles").asInt()).isEqualTo(5);
    assertThat(schedules.get("sync").orElseThrow().lastJobId()).isEqualTo(id);
    assertThatThrownBy(() -> schedules.runNow("nope")).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void the_latest_tick_at_or_before_an_instant_includes_the_instant_itself() {
    CronExpression every5 = CronExpression.parse("*/5 * * * *");
    java.time.ZoneId utc = java.time.ZoneOffset.UTC;
    assertThat(every5.latestAtOrBefore(Instant.parse("2026-03-02T10:05:00Z"), utc))
        .contains(Instant.parse("2026-03-02T10:05:00Z"));
    assertThat(every5.latestAtOrBefore(Instant.parse("2026-03-02T10:09:59Z"), utc))
        .contains(Instant.parse("2026-03-02T10:05:00Z"));
    assertThat(every5.nextAfter(Instant.parse("2026-03-02T10:05:00Z"), utc))
        .contains(Instant.parse("2026-03-02T10:10:00Z"));
  }
}
