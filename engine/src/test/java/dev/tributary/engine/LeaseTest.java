package dev.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.internal.ClaimedJob;
import dev.tributary.engine.internal.JobStore;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.EngineExtension;
import dev.tributary.engine.testing.PostgresExtension;
import dev.tributary.engine.testing.SettableClock;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leases: heartbeats keep them, the reaper takes expired ones back, the watchdog stops silent runs.
 */
class LeaseTest {
  @RegisterExtension
  static PostgresExtension postgres = PostgresExtension.migrated(EngineSchema.MIGRATIONS);

  @RegisterExtension EngineExtension engines = EngineExtension.on(postgres);

  HikariDataSource db;
  SettableClock clock;
  Engine engine;
  Jobs jobs;

  @BeforeEach
  void setUp() {
    db = postgres.dataSource();
    clock = engines.clock();
    jobs = engines.jobs();
  }

  /** A node that claims a job and then dies: nothing ever renews its lease. */
  private ClaimedJob claimByGhost(String kind, int maxAttempts) throws Exception {
    long id =
        jobs.enqueue(kind, Map.of(), EnqueueOptions.defaults().maxAttempts(maxAttempts)).jobId();
    List<ClaimedJob> claimed =
        new JobStore(db)
            .claim("default", 1, "ghost", clock.instant(), clock.instant().plusSeconds(30));
    assertThat(claimed).extracting(ClaimedJob::id).containsExactly(id);
    return claimed.get(0);
  }

  @Test
  void a_job_whose_lease_expired_goes_back_to_its_queue_and_another_node_finishes_it()
      throws Exception {
    ClaimedJob orphan = claimByGhost("work", 5);
    AtomicInteger runs = new AtomicInteger();
    engine = engines.start(db, "survivor", b -> b.handler("work", ctx -> runs.incrementAndGet()));
    Await.until("the survivor to lead maintenance", engine::isLeader);
    assertThat(jobs.get(orphan.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);

    clock.advance(Duration.ofSeconds(31));
    Await.until(
        "the orphan to complete",
        () -> jobs.get(orphan.id()).orElseThrow().state() == JobState.COMPLETED);
    Job done = jobs.get(orphan.id()).orElseThrow();
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.errors().get(0).get("error").asText()).contains("lease expired: node ghost");
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void a_job_whose_last_attempt_lost_its_lease_is_dead_not_retried_forever() throws Exception {
    ClaimedJob orphan = claimByGhost("work", 1);
    engine = engines.start(db, "survivor", b -> b.handler("work", ctx -> {}));
    Await.until("the survivor to lead maintenance", engine::isLeader);
    clock.advance(Duration.ofSeconds(31));
    Await.until(
        "the orphan to be dead",
        () -> jobs.get(orphan.id()).orElseThrow().state() == JobState.DEAD);
    assertThat(jobs.get(orphan.id()).orElseThrow().lastError()).contains("lease expired");
  }

  @Test
  void heartbeats_keep_a_long_job_leased_past_its_first_lease() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    engine =
        engines.start(
            b ->
                b.handler(
                    "long",
                    ctx -> {
                      started.countDown();
                      finish.await(20, TimeUnit.SECONDS);
                    }));
    long id = jobs.enqueue("long", Map.of()).jobId();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    Instant firstLease = jobs.get(id).orElseThrow().leaseUntil();

    for (int i = 0; i < 3; i++) {
      Instant now = clock.advance(Duration.ofSeconds(20));
      Await.until(
          "the lease to be renewed past " + now,
          () -> jobs.get(id).orElseThrow().leaseUntil().isAfter(now.plusSeconds(20)));
    }
    assertThat(clock.instant()).isAfter(firstLease.plusSeconds(20));
    assertThat(jobs.get(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    assertThat(jobs.get(id).orElseThrow().attempt()).isEqualTo(1);
    finish.countDown();
    Await.until(
        "the job to complete", () -> jobs.get(id).orElseThrow().state() == JobState.COMPLETED);
  }

  @Test
  void a_hung_handler_is_timed_out_when_the_clock_passes_its_timeout_without_waiting_for_it()
      throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    engine =
        engines.start(
            b ->
                b
                    // a lease longer than the clock's jumps: only the watchdog may end this run
                    .leaseDuration(Duration.ofHours(3))
                    .handler(
                        "hung",
                        ctx -> {
                          if (runs.incrementAndGet() > 1) {
                            return;
                          }
                          started.countDown();
                          try {
                            new CountDownLatch(1).await(60, TimeUnit.SECONDS); // hangs, never beats
                          } catch (InterruptedException e) {
                            interrupted.countDown();
                            throw e;
                          }
                        },
                        Duration.ofHours(1)));
    long id = jobs.enqueue("hung", Map.of()).jobId();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    // just short of the timeout: heartbeat rounds see the new time and keep renewing the lease,
    // which they would not do for a run the watchdog had stopped
    Instant early = clock.advance(Duration.ofMinutes(59));
    Await.until(
        "a heartbeat round at " + early,
        () -> jobs.get(id).orElseThrow().leaseUntil().isAfter(early.plus(Duration.ofHours(2))));
    assertThat(interrupted.getCount()).isEqualTo(1);
    assertThat(jobs.get(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);

    clock.advance(Duration.ofMinutes(2));
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    Job failed =
        Await.value(
            "the timeout to be recorded",
            () -> jobs.get(id).filter(j -> j.state() == JobState.AVAILABLE).orElse(null));
    assertThat(failed.lastError()).contains("timed out");
    clock.advance(Duration.ofMinutes(1));
    Await.until(
        "the retry to complete", () -> jobs.get(id).orElseThrow().state() == JobState.COMPLETED);
  }

  @Test
  void a_handler_that_heartbeats_outlives_its_timeout() throws Exception {
    engine =
        engines.start(
            b ->
                b.handler(
                    "chatty",
                    ctx -> {
                      // 900 ms pass on the engine's clock, never 200 ms between two heartbeats
                      for (int i = 0; i < 6; i++) {
                        ctx.heartbeat();
                        clock.advance(Duration.ofMillis(150));
                        new CountDownLatch(1).await(100, TimeUnit.MILLISECONDS);
                      }
                    },
                    Duration.ofMillis(200)));
    long id = jobs.enqueue("chatty", Map.of()).jobId();
    Await.until(
        "the job to complete", () -> jobs.get(id).orElseThrow().state() == JobState.COMPLETED);
    assertThat(jobs.get(id).orElseThrow().attempt()).isEqualTo(1);
  }

  @Test
  void a_run_whose_job_was_taken_away_stops_and_cannot_overwrite_it() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    engine =
        engines.start(
            b ->
                b.handler(
                    "taken",
                    ctx -> {
                      started.countDown();
                      try {
                        new CountDownLatch(1).await(20, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        interrupted.countDown();
                      }
                      // returns normally: the engine must still not mark it completed
                    }));
    long id = jobs.enqueue("taken", Map.of()).jobId();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      // what another node's reaper does after this node stalled past its lease
      s.executeUpdate(
          "UPDATE tributary.jobs SET state = 'available', locked_by = NULL, lease_until = NULL,"
              + " run_at = now() + interval '1 day' WHERE id = "
              + id);
    }
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    Await.until("the run to be released", () -> engine.heldCount() == 0);
    assertThat(jobs.get(id).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
  }

  @Test
  void finished_jobs_are_pruned_after_their_retention_and_dead_ones_kept_longer() {
    engine =
        engines.start(
            b ->
                b.retention(Duration.ofDays(1), Duration.ofDays(7))
                    .handler("ok", ctx -> {})
                    .handler(
                        "bad",
                        ctx -> {
                          throw new PermanentJobException("no");
                        }));
    long ok = jobs.enqueue("ok", Map.of()).jobId();
    long bad = jobs.enqueue("bad", Map.of()).jobId();
    Await.until(
        "both to finish",
        () ->
            jobs.get(ok).orElseThrow().state() == JobState.COMPLETED
                && jobs.get(bad).orElseThrow().state() == JobState.DEAD);

    clock.advance(Duration.ofDays(2));
    Await.until("the completed job to be pruned", () -> jobs.get(ok).isEmpty());
    assertThat(jobs.get(bad)).isPresent();
    clock.advance(Duration.ofDays(6));
    Await.until("the dead job to be pruned", () -> jobs.get(bad).isEmpty());
  }

  @Test
  void graceful_shutdown_finishes_the_running_job_and_gives_back_the_ones_not_started()
      throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    engine =
        engines.start(
            b ->
                b.queue(QueueConfig.of("default", 1, 4))
                    .handler(
                        "slow",
                        ctx -> {
                          started.countDown();
                          finish.await(20, TimeUnit.SECONDS);
                        }));
    for (int i = 0; i < 3; i++) {
      jobs.enqueue("slow", Map.of("i", i));
    }
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    Await.until("the other two to be claimed ahead", () -> engine.heldCount() == 3);

    Thread stopper = Thread.ofPlatform().start(() -> engine.stop(Duration.ofSeconds(10)));
    Await.until(
        "the unstarted jobs to be given back",
        () -> jobs.list(JobFilter.all().state(JobState.AVAILABLE)).size() == 2);
    finish.countDown();
    stopper.join(10_000);
    assertThat(jobs.list(JobFilter.all().state(JobState.COMPLETED))).hasSize(1);
    assertThat(jobs.list(JobFilter.all().state(JobState.AVAILABLE)))
        .allMatch(j -> j.attempt() == 0 && j.lockedBy() == null);
  }

  @Test
  void a_job_still_running_at_the_shutdown_deadline_is_interrupted_and_given_back()
      throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    engine =
        engines.start(
            b ->
                b.handler(
                    "endless",
                    ctx -> {
                      started.countDown();
                      new CountDownLatch(1).await(60, TimeUnit.SECONDS);
                    }));
    long id = jobs.enqueue("endless", Map.of()).jobId();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    engine.stop(Duration.ofMillis(200));
    Job job = jobs.get(id).orElseThrow();
    assertThat(job.state()).isEqualTo(JobState.AVAILABLE);
    assertThat(job.lastError()).contains("shut down during the run");
    assertThat(job.lockedBy()).isNull();
  }
}
