package dev.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestEngines;
import dev.tributary.engine.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What decides whether a job may start: concurrency, worker flags, pause, rate limit, wake-up. */
class QueueControlTest {
  HikariDataSource db;
  SettableClock clock = SettableClock.startingNow();
  Engine engine;
  Jobs jobs;

  @BeforeEach
  void setUp() {
    db = TestPostgres.freshDatabase(EngineSchema.MIGRATIONS);
    jobs = new Jobs(db, clock, null);
  }

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
    db.close();
  }

  private long completed(String kind) {
    return jobs.list(JobFilter.all().kind(kind).state(JobState.COMPLETED).limit(1000)).size();
  }

  @Test
  void a_node_runs_no_more_jobs_of_a_queue_at_once_than_its_concurrency() throws Exception {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    engine =
        TestEngines.builder(db, clock, "n1")
            .queue("narrow", 2)
            .handler(
                "hold",
                ctx -> {
                  peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                  try {
                    release.await(10, TimeUnit.SECONDS);
                  } finally {
                    now.decrementAndGet();
                  }
                })
            .build()
            .start();
    for (int i = 0; i < 6; i++) {
      jobs.enqueue("hold", Map.of(), EnqueueOptions.defaults().queue("narrow"));
    }
    Await.until("two jobs to be running", () -> now.get() == 2);
    assertThat(jobs.list(JobFilter.all().state(JobState.RUNNING)))
        .hasSizeLessThanOrEqualTo(4); // 2 running + prefetch
    release.countDown();
    Await.until("all six to complete", () -> completed("hold") == 6);
    assertThat(peak.get()).isEqualTo(2);
  }

  @Test
  void a_disabled_kind_is_claimed_by_no_node_until_it_is_enabled_again() {
    AtomicInteger runs = new AtomicInteger();
    engine =
        TestEngines.builder(db, clock, "n1")
            .handler("worker_extract_hooks_v2", ctx -> runs.incrementAndGet())
            .handler("other", ctx -> {})
            .build()
            .start();
    assertThat(engine.kinds().disable("worker_extract_hooks_v2")).isTrue();
    assertThat(engine.kinds().disabled()).containsExactly("worker_extract_hooks_v2");
    long flagged = jobs.enqueue("worker_extract_hooks_v2", Map.of()).jobId();
    long other = jobs.enqueue("other", Map.of()).jobId();

    // the other kind runs, proving the engine claimed after the flag went off
    Await.until(
        "the other job to complete",
        () -> jobs.get(other).orElseThrow().state() == JobState.COMPLETED);
    assertThat(jobs.get(flagged).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    assertThat(jobs.get(flagged).orElseThrow().attempt()).isZero();
    assertThat(runs.get()).isZero();

    assertThat(engine.kinds().enable("worker_extract_hooks_v2")).isTrue();
    assertThat(engine.kinds().isEnabled("worker_extract_hooks_v2")).isTrue();
    Await.until(
        "the flagged job to complete",
        () -> jobs.get(flagged).orElseThrow().state() == JobState.COMPLETED);
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void a_paused_queue_is_not_claimed_by_any_node_until_resumed() {
    AtomicInteger runs = new AtomicInteger();
    Queues queues = new Queues(db, clock);
    queues.pause("imports");
    engine =
        TestEngines.builder(db, clock, "n1")
            .queue("imports", 2)
            .queue("default", 2)
            .handler("import", ctx -> runs.incrementAndGet())
            .build()
            .start();
    long paused =
        jobs.enqueue("import", Map.of(), EnqueueOptions.defaults().queue("imports")).jobId();
    long free = jobs.enqueue("import", Map.of()).jobId();

    Await.until(
        "the job of the running queue to complete",
        () -> jobs.get(free).orElseThrow().state() == JobState.COMPLETED);
    assertThat(jobs.get(paused).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    assertThat(queues.get("imports").orElseThrow().paused()).isTrue();
    assertThat(queues.get("imports").orElseThrow().available()).isEqualTo(1);

    queues.resume("imports");
    Await.until(
        "the resumed queue's job to complete",
        () -> jobs.get(paused).orElseThrow().state() == JobState.COMPLETED);
    assertThat(runs.get()).isEqualTo(2);
  }

  /** {@code n} jobs on the "api" queue, and an engine serving it with 4 threads. */
  private Engine rateLimitedEngine(int n, HikariDataSource pool, String node) {
    for (int i = 0; i < n; i++) {
      jobs.enqueue("call_api", Map.of(), EnqueueOptions.defaults().queue("api"));
    }
    return TestEngines.builder(pool, clock, node)
        .queue("api", 4)
        .handler("call_api", ctx -> {})
        .build()
        .start();
  }

  /** Lets the engine claim several more times, then checks that no further job started. */
  private void stillCompleted(long n) {
    long claimsBefore = engine.metrics().claims();
    Await.until("more polls", () -> engine.metrics().claims() > claimsBefore + 6);
    assertThat(completed("call_api")).isEqualTo(n);
  }

  /**
   * A fixed window let N start at the end of one window and N more at the start of the next: 2N
   * within a few minutes. The sliding window never holds more than N in any interval.
   */
  @Test
  void no_interval_holds_more_than_n_starts_even_across_a_clock_hour() {
    Queues queues = new Queues(db, clock);
    queues.setRateLimit("api", 3, Duration.ofHours(1));
    clock.set(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS).plusSeconds(3540));
    engine = rateLimitedEngine(9, db, "n1");
    Await.until("three jobs at 0:59", () -> completed("call_api") == 3);

    clock.advance(Duration.ofMinutes(2)); // 1:01, a new clock hour
    stillCompleted(3); // nothing more within an hour of the first three

    clock.advance(Duration.ofMinutes(61)); // 2:02: over an hour (and a bucket) after 0:59
    Await.until("three more", () -> completed("call_api") == 6);
    stillCompleted(6);
  }

  @Test
  void raising_the_limit_keeps_the_starts_already_counted() {
    Queues queues = new Queues(db, clock);
    queues.setRateLimit("api", 2, Duration.ofHours(1));
    engine = rateLimitedEngine(6, db, "n1");
    Await.until("two jobs", () -> completed("call_api") == 2);

    queues.setRateLimit("api", 3, Duration.ofHours(1));
    Await.until("one more, not three", () -> completed("call_api") == 3);
    stillCompleted(3);
  }

  @Test
  void a_rate_limited_queue_starts_at_most_n_jobs_per_interval_across_the_cluster() {
    Queues queues = new Queues(db, clock);
    queues.setRateLimit("api", 3, Duration.ofHours(1));
    // align the settable clock to the start of an hour window so the test does not straddle two
    clock.set(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS).plusSeconds(60));
    engine = rateLimitedEngine(8, db, "n1");
    HikariDataSource otherPool = TestPostgres.anotherPool(db, 4);
    Engine second = rateLimitedEngine(0, otherPool, "n2");
    try {
      Await.until("three jobs to complete", () -> completed("call_api") == 3);
      // both nodes keep polling through several rounds; the window is used up
      long claimsBefore = engine.metrics().claims() + second.metrics().claims();
      Await.until(
          "both nodes to poll a few more times",
          () -> engine.metrics().claims() + second.metrics().claims() > claimsBefore + 6);
      assertThat(completed("call_api")).isEqualTo(3);

      // the window slides: the first three leave it one hour (and one bucket, 1/20 of it) later
      clock.advance(Duration.ofMinutes(59));
      long claimsStill = engine.metrics().claims() + second.metrics().claims();
      Await.until(
          "polls just before the hour is over",
          () -> engine.metrics().claims() + second.metrics().claims() > claimsStill + 6);
      assertThat(completed("call_api")).isEqualTo(3);
      clock.advance(Duration.ofMinutes(4));
      Await.until("three more in the next window", () -> completed("call_api") == 6);
      long claimsLater = engine.metrics().claims() + second.metrics().claims();
      Await.until(
          "more polls",
          () -> engine.metrics().claims() + second.metrics().claims() > claimsLater + 6);
      assertThat(completed("call_api")).isEqualTo(6);
    } finally {
      second.close();
      otherPool.close();
    }
  }

  @Test
  void notify_wakes_an_idle_engine_long_before_its_poll_would() {
    List<Long> started = new ArrayList<>();
    engine =
        TestEngines.builder(db, clock, "n1")
            .pollInterval(Duration.ofMinutes(5))
            .handler("ping", ctx -> started.add(System.nanoTime()))
            .build()
            .start();
    // the first claim at start-up has happened once the engine is idle
    Await.until("the engine's first claim", () -> engine.metrics().claims() >= 1);

    long id = jobs.enqueue("ping", Map.of()).jobId();
    Await.until(
        "the job to complete without waiting five minutes",
        () -> jobs.get(id).orElseThrow().state() == JobState.COMPLETED);
  }

  @Test
  void a_job_due_later_waits_for_its_time() {
    AtomicInteger runs = new AtomicInteger();
    engine =
        TestEngines.builder(db, clock, "n1")
            .handler("later", ctx -> runs.incrementAndGet())
            .build()
            .start();
    long id =
        jobs.enqueue(
                "later",
                Map.of(),
                EnqueueOptions.defaults().runAt(clock.instant().plusSeconds(3600)))
            .jobId();
    long now = jobs.enqueue("later", Map.of()).jobId();
    Await.until(
        "the due job to complete", () -> jobs.get(now).orElseThrow().state() == JobState.COMPLETED);
    assertThat(jobs.get(id).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    assertThat(new Queues(db, clock).get("default").orElseThrow().scheduled()).isEqualTo(1);

    clock.advance(Duration.ofHours(1));
    Await.until(
        "the later job to complete",
        () -> jobs.get(id).orElseThrow().state() == JobState.COMPLETED);
    assertThat(runs.get()).isEqualTo(2);
  }
}
