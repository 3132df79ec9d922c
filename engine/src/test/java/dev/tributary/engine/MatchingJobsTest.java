package dev.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Acting on every job of a filter, not only the page on screen. */
class MatchingJobsTest {
  final HikariDataSource db = TestPostgres.freshDatabase(EngineSchema.MIGRATIONS);
  final SettableClock clock = SettableClock.startingNow();
  final Jobs jobs = new Jobs(db, clock, null);
  final MatchingJobs matching = new MatchingJobs(db, clock);
  final Jdbc jdbc = new Jdbc(db);

  @AfterEach
  void close() {
    db.close();
  }

  private long job(String kind, String queue, String state, String key) {
    long id =
        jobs.enqueue(kind, Map.of(), EnqueueOptions.defaults().queue(queue).uniqueKey(key)).jobId();
    setState(id, state);
    return id;
  }

  private void setState(long id, String state) {
    jdbc.update(
        """
        UPDATE tributary.jobs SET state = :state,
               locked_by = CASE WHEN :state = 'running' THEN 'n1' END,
               lease_until = CASE WHEN :state = 'running' THEN now() + interval '1 minute' END,
               finished_at = CASE WHEN :state IN ('completed', 'dead', 'cancelled') THEN :now::timestamptz END
         WHERE id = :id""",
        Params.of("state", state, "id", id, "now", clock.instant()));
  }

  private String state(long id) {
    return jobs.get(id).map(j -> j.state().dbName()).orElse("gone");
  }

  @Test
  void the_retry_count_names_only_dead_and_cancelled_jobs_of_the_filter() {
    job("mail", "q1", "dead", null);
    job("mail", "q1", "cancelled", null);
    job("mail", "q1", "completed", null);
    job("mail", "q2", "dead", null);
    job("sms", "q1", "dead", null);
    JobMatch match = JobMatch.all().queue("q1").kind("mail");

    assertThat(matching.count(match).count()).isEqualTo(3);
    assertThat(matching.count(match, BulkAction.RETRY).count()).isEqualTo(2);
    assertThat(matching.count(match.state(JobState.DEAD), BulkAction.RETRY).count()).isEqualTo(1);
  }

  @Test
  void a_confirmed_retry_touches_every_counted_job_and_none_that_died_after_the_count() {
    for (int i = 0; i < 30; i++) {
      job("mail", "q1", "dead", null);
    }
    MatchCount counted = matching.count(JobMatch.all().state(JobState.DEAD), BulkAction.RETRY);
    long late = job("mail", "q1", "dead", null);

    int touched =
        matching.apply(
            JobMatch.all().state(JobState.DEAD).upToId(counted.maxId()), BulkAction.RETRY);

    assertThat(touched).isEqualTo(30);
    assertThat(counted.count()).isEqualTo(30);
    assertThat(state(late)).isEqualTo("dead");
    assertThat(matching.count(JobMatch.all().state(JobState.AVAILABLE)).count()).isEqualTo(30);
  }

  @Test
  void a_bulk_retry_never_makes_two_live_jobs_with_one_unique_key() {
    long older = job("mail", "q1", "dead", "k1");
    long newer = job("mail", "q1", "dead", "k1");
    long heldDead = job("mail", "q1", "dead", "k2");
    long live = job("mail", "q1", "available", "k2");

    int touched = matching.apply(JobMatch.all(), BulkAction.RETRY);

    assertThat(touched).isEqualTo(1);
    assertThat(state(newer)).isEqualTo("available");
    assertThat(state(older)).isEqualTo("dead");
    assertThat(state(heldDead)).isEqualTo("dead");
    assertThat(state(live)).isEqualTo("available");
  }

  @Test
  void cancel_all_stops_unfinished_jobs_and_leaves_finished_ones() {
    long waiting = job("mail", "q1", "available", null);
    long running = job("mail", "q1", "running", null);
    long done = job("mail", "q1", "completed", null);

    assertThat(matching.count(JobMatch.all(), BulkAction.CANCEL).count()).isEqualTo(2);
    assertThat(matching.apply(JobMatch.all(), BulkAction.CANCEL)).isEqualTo(2);

    assertThat(List.of(state(waiting), state(running), state(done)))
        .containsExactly("cancelled", "cancelled", "completed");
  }

  @Test
  void delete_all_removes_every_job_of_the_filter_but_a_running_one() {
    long dead = job("mail", "q1", "dead", null);
    long running = job("mail", "q1", "running", null);
    long other = job("mail", "q2", "dead", null);

    assertThat(matching.apply(JobMatch.all().queue("q1"), BulkAction.DELETE)).isEqualTo(1);

    assertThat(List.of(state(dead), state(running), state(other)))
        .containsExactly("gone", "running", "dead");
    assertThat(jobs.delete(running)).isEqualTo(ChangeOutcome.NOT_ALLOWED);
    assertThat(jobs.delete(other)).isEqualTo(ChangeOutcome.CHANGED);
    assertThat(jobs.delete(other)).isEqualTo(ChangeOutcome.NOT_FOUND);
  }

  @Test
  void pages_follow_each_other_newest_first_and_a_time_range_narrows_them() {
    Instant start = clock.instant();
    for (int i = 0; i < 5; i++) {
      job("mail", "q1", "available", null);
    }
    List<Job> first = matching.page(JobMatch.all(), null, 2);
    List<Job> second = matching.page(JobMatch.all(), first.get(1).id(), 2);
    assertThat(first).extracting(Job::id).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(second.get(0).id()).isLessThan(first.get(1).id());
    assertThat(matching.page(JobMatch.all().created(start.plusSeconds(3600), null), null, 10))
        .isEmpty();
    assertThatThrownBy(() -> JobMatch.all().created(start, start))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void throughput_counts_finished_jobs_per_minute_over_the_window() {
    job("mail", "q1", "completed", null);
    job("mail", "q1", "completed", null);
    job("mail", "q1", "dead", null);
    List<JobStats.Minute> minutes = new JobStats(db, clock).throughput(Duration.ofHours(1));

    assertThat(minutes).hasSize(60);
    JobStats.Minute last = minutes.get(minutes.size() - 1);
    assertThat(last.completed()).isEqualTo(2);
    assertThat(last.dead()).isEqualTo(1);
    assertThat(minutes.stream().mapToLong(JobStats.Minute::completed).sum()).isEqualTo(2);
  }
}
