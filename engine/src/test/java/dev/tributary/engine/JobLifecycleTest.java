package dev.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestEngines;
import dev.tributary.engine.testing.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A job's life on one engine: run, fail, retry, die, come back by hand, be cancelled. */
class JobLifecycleTest {
  HikariDataSource db;
  SettableClock clock = SettableClock.startingNow();
  Engine engine;

  record Greeting(String name, int times) {}

  @BeforeEach
  void setUp() {
    db = TestPostgres.freshDatabase(EngineSchema.MIGRATIONS);
  }

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
    db.close();
  }

  private Engine start(EngineBuilder b) {
    engine = b.build().start();
    return engine;
  }

  private Job awaitState(long id, JobState state) {
    return Await.value(
        "job " + id + " to be " + state,
        () -> engine.jobs().get(id).filter(j -> j.state() == state).orElse(null));
  }

  @Test
  void an_enqueued_job_runs_once_with_its_args_and_is_completed() {
    List<Greeting> seen = new CopyOnWriteArrayList<>();
    start(
        TestEngines.builder(db, clock, "n1")
            .handler("greet", ctx -> seen.add(ctx.args(Greeting.class))));
    long id = engine.jobs().enqueue("greet", new Greeting("Ada", 2)).jobId();

    Job done = awaitState(id, JobState.COMPLETED);
    assertThat(seen).containsExactly(new Greeting("Ada", 2));
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.lockedBy()).isNull();
    assertThat(done.finishedAt()).isNotNull();
    assertThat(engine.metrics().completedByKind()).containsEntry("greet", 1L);
  }

  @Test
  void a_failed_attempt_is_retried_after_a_backoff_and_keeps_its_error() {
    AtomicInteger runs = new AtomicInteger();
    start(
        TestEngines.builder(db, clock, "n1")
            .handler(
                "flaky",
                ctx -> {
                  if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException("provider said 503");
                  }
                }));
    long id = engine.jobs().enqueue("flaky", Map.of()).jobId();

    Job waiting =
        Await.value(
            "a retry to be scheduled",
            () ->
                engine
                    .jobs()
                    .get(id)
                    .filter(j -> j.state() == JobState.AVAILABLE && j.attempt() == 1)
                    .orElse(null));
    assertThat(waiting.lastError()).contains("provider said 503");
    assertThat(waiting.runAt()).isAfterOrEqualTo(clock.instant().plusSeconds(10));
    assertThat(waiting.errors()).hasSize(1);
    assertThat(runs.get()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(11));
    Job done = awaitState(id, JobState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(runs.get()).isEqualTo(2);
  }

  @Test
  void a_job_that_keeps_failing_is_dead_after_its_last_attempt_and_stays_queryable() {
    start(
        TestEngines.builder(db, clock, "n1")
            .handler(
                "broken",
                ctx -> {
                  throw new RuntimeException("failure " + ctx.attempt());
                }));
    long id =
        engine.jobs().enqueue("broken", Map.of(), EnqueueOptions.defaults().maxAttempts(3)).jobId();
    for (int attempt = 1; attempt < 3; attempt++) {
      int a = attempt;
      Await.until(
          "attempt " + a + " to fail",
          () ->
              engine.jobs().get(id).orElseThrow().attempt() == a
                  && engine.jobs().get(id).orElseThrow().state() == JobState.AVAILABLE);
      clock.advance(Duration.ofHours(1));
    }
    Job dead = awaitState(id, JobState.DEAD);
    assertThat(dead.attempt()).isEqualTo(3);
    assertThat(dead.lastError()).contains("failure 3");
    assertThat(dead.errors()).hasSize(3);
    assertThat(engine.jobs().list(JobFilter.all().state(JobState.DEAD)))
        .extracting(Job::id)
        .containsExactly(id);
    assertThat(engine.metrics().deadByKind()).containsEntry("broken", 1L);
  }

  @Test
  void a_permanent_failure_parks_the_job_dead_at_once() {
    start(
        TestEngines.builder(db, clock, "n1")
            .handler(
                "strict",
                ctx -> {
                  throw new PermanentJobException("post 42 was deleted");
                }));
    long id = engine.jobs().enqueue("strict", Map.of()).jobId();
    Job dead = awaitState(id, JobState.DEAD);
    assertThat(dead.attempt()).isEqualTo(1);
    assertThat(dead.lastError()).contains("post 42 was deleted");
  }

  @Test
  void a_job_of_an_unknown_kind_is_parked_dead_with_the_reason() {
    start(TestEngines.builder(db, clock, "n1").handler("known", ctx -> {}));
    long id = engine.jobs().enqueue("mystery", Map.of()).jobId();
    Job dead = awaitState(id, JobState.DEAD);
    assertThat(dead.lastError()).contains("no handler is registered for job kind 'mystery'");
  }

  @Test
  void args_that_do_not_deserialize_park_the_job_dead_with_the_reason() {
    start(TestEngines.builder(db, clock, "n1").handler("greet", ctx -> ctx.args(Greeting.class)));
    long id =
        engine.jobs().enqueue("greet", Map.of("name", "Ada", "times", "not a number")).jobId();
    Job dead = awaitState(id, JobState.DEAD);
    assertThat(dead.attempt()).isEqualTo(1);
    assertThat(dead.lastError()).contains("do not fit Greeting");
  }

  @Test
  void a_dead_job_retried_by_hand_runs_again() {
    AtomicInteger runs = new AtomicInteger();
    start(
        TestEngines.builder(db, clock, "n1")
            .handler(
                "once_broken",
                ctx -> {
                  if (runs.incrementAndGet() == 1) {
                    throw new PermanentJobException("bad day");
                  }
                }));
    long id =
        engine
            .jobs()
            .enqueue("once_broken", Map.of(), EnqueueOptions.defaults().maxAttempts(1))
            .jobId();
    awaitState(id, JobState.DEAD);

    assertThat(engine.jobs().retry(id)).isEqualTo(ChangeOutcome.CHANGED);
    Job done = awaitState(id, JobState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(engine.jobs().retry(id)).isEqualTo(ChangeOutcome.NOT_ALLOWED);
    assertThat(engine.jobs().retry(999_999)).isEqualTo(ChangeOutcome.NOT_FOUND);
  }

  @Test
  void retrying_a_dead_job_whose_unique_key_is_live_again_is_refused() {
    Jobs jobs = new Jobs(db, clock, null);
    EnqueueOptions keyed = EnqueueOptions.defaults().uniqueKey("sync:profile:1");
    long first = jobs.enqueue("sync", Map.of(), keyed).jobId();
    assertThat(jobs.cancel(first)).isEqualTo(ChangeOutcome.CHANGED);
    jobs.enqueue("sync", Map.of(), keyed);
    assertThat(jobs.retry(first)).isEqualTo(ChangeOutcome.UNIQUE_KEY_TAKEN);
  }

  @Test
  void a_cancelled_waiting_job_never_runs() {
    AtomicInteger runs = new AtomicInteger();
    Jobs jobs = new Jobs(db, clock, null);
    long id = jobs.enqueue("noop", Map.of()).jobId();
    assertThat(jobs.cancel(id)).isEqualTo(ChangeOutcome.CHANGED);
    long later = jobs.enqueue("noop", Map.of()).jobId();
    start(TestEngines.builder(db, clock, "n1").handler("noop", ctx -> runs.incrementAndGet()));
    awaitState(later, JobState.COMPLETED);
    assertThat(runs.get()).isEqualTo(1);
    assertThat(jobs.get(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    assertThat(jobs.cancel(id)).isEqualTo(ChangeOutcome.NOT_ALLOWED);
  }

  @Test
  void cancelling_a_running_job_interrupts_it_and_it_stays_cancelled() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    start(
        TestEngines.builder(db, clock, "n1")
            .handler(
                "long",
                ctx -> {
                  started.countDown();
                  try {
                    new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                  }
                }));
    long id = engine.jobs().enqueue("long", Map.of()).jobId();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(engine.jobs().cancel(id)).isEqualTo(ChangeOutcome.CHANGED);
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    Await.until("the run to be released", () -> engine.heldCount() == 0);
    Job job = engine.jobs().get(id).orElseThrow();
    assertThat(job.state()).isEqualTo(JobState.CANCELLED);
    assertThat(job.lastError()).contains("cancelled");
  }

  @Test
  void a_handler_throwing_an_error_does_not_kill_its_worker_thread() {
    AtomicInteger ok = new AtomicInteger();
    start(
        TestEngines.builder(db, clock, "n1")
            .queue("default", 1)
            .handler(
                "explode",
                ctx -> {
                  throw new AssertionError("boom");
                })
            .handler("fine", ctx -> ok.incrementAndGet()));
    long bad =
        engine
            .jobs()
            .enqueue("explode", Map.of(), EnqueueOptions.defaults().maxAttempts(1))
            .jobId();
    awaitState(bad, JobState.DEAD);
    long good = engine.jobs().enqueue("fine", Map.of()).jobId();
    awaitState(good, JobState.COMPLETED);
    assertThat(ok.get()).isEqualTo(1);
  }

  @Test
  void jobs_of_a_queue_run_in_priority_order() {
    Jobs jobs = new Jobs(db, clock, null);
    for (int p : new int[] {5, 0, 9, 1}) {
      jobs.enqueue("ordered", Map.of("p", p), EnqueueOptions.defaults().priority(p));
    }
    List<Integer> order = new CopyOnWriteArrayList<>();
    start(
        TestEngines.builder(db, clock, "n1")
            .queue(QueueConfig.of("default", 1, 1))
            .handler("ordered", ctx -> order.add(ctx.args().get("p").asInt())));
    Await.until("all four to run", () -> order.size() == 4);
    assertThat(order).containsExactly(0, 1, 5, 9);
  }
}
