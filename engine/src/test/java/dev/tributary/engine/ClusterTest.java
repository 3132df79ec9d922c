package dev.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.cron.Schedule;
import dev.tributary.engine.cron.Schedules;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.EngineExtension;
import dev.tributary.engine.testing.PostgresExtension;
import dev.tributary.engine.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several nodes, each with its own connection pool, on one database. */
class ClusterTest {
  @RegisterExtension
  static PostgresExtension postgres = PostgresExtension.migrated(EngineSchema.MIGRATIONS);

  @RegisterExtension EngineExtension cluster = EngineExtension.on(postgres);

  HikariDataSource db;
  final List<Engine> engines = new ArrayList<>();
  SettableClock clock;

  @BeforeEach
  void setUp() {
    db = postgres.dataSource();
    clock = cluster.clock();
  }

  /** A node's own pool on the test's database. */
  private HikariDataSource pool() {
    return postgres.anotherPool(8);
  }

  @Test
  void two_engines_drain_one_queue_with_no_job_run_twice_and_none_lost() {
    int n = 3_000;
    Jobs jobs = new Jobs(db, clock, null);
    List<NewJob> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(NewJob.of("count", Map.of("i", i)));
    }
    jobs.enqueueMany(batch);

    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> byNode = new ConcurrentHashMap<>();
    for (String node : List.of("a", "b")) {
      engines.add(
          cluster.start(
              pool(),
              node,
              b ->
                  b.queue(QueueConfig.of("default", 4, 16))
                      .handler(
                          "count",
                          ctx -> {
                            runs.computeIfAbsent(ctx.jobId(), k -> new AtomicInteger())
                                .incrementAndGet();
                            byNode
                                .computeIfAbsent(node, k -> new AtomicInteger())
                                .incrementAndGet();
                          })));
    }
    Await.until(
        "every job to complete",
        Duration.ofSeconds(60),
        () ->
            new Queues(db, clock)
                    .get("default")
                    .map(q -> q.available() + q.running() == 0)
                    .orElse(true)
                && runs.size() == n
                && engines.stream().allMatch(e -> e.heldCount() == 0));

    assertThat(runs).hasSize(n);
    assertThat(runs.values()).allMatch(c -> c.get() == 1);
    assertThat(byNode.keySet()).containsExactlyInAnyOrder("a", "b");
    assertThat(jobs.list(JobFilter.all().state(JobState.COMPLETED).limit(1000))).hasSize(1000);
    assertThat(new Queues(db, clock).get("default").map(QueueInfo::dead).orElse(0L)).isZero();
  }

  @Test
  void a_cron_tick_raced_by_three_engines_fires_once() {
    clock.set(Instant.parse("2026-03-02T10:00:30Z"));
    new Schedules(db, clock, new Jobs(db, clock, null))
        .put(Schedule.of("every-minute", "* * * * *", "UTC", "tick", Map.of()));
    AtomicInteger ran = new AtomicInteger();
    for (String node : List.of("a", "b", "c")) {
      engines.add(
          cluster.start(pool(), node, b -> b.handler("tick", ctx -> ran.incrementAndGet())));
    }
    Jobs jobs = new Jobs(db, clock, null);
    for (int minute = 1; minute <= 3; minute++) {
      clock.set(Instant.parse("2026-03-02T10:00:00Z").plusSeconds(60L * minute));
      int expected = minute;
      Await.until(
          "tick " + minute + " to run",
          () ->
              ran.get() >= expected
                  && jobs.list(JobFilter.all().kind("tick").state(JobState.COMPLETED)).size()
                      >= expected);
    }
    assertThat(jobs.list(JobFilter.all().kind("tick"))).hasSize(3);
    assertThat(ran.get()).isEqualTo(3);
  }

  @Test
  void ticks_raced_head_to_head_from_three_pools_each_fire_exactly_once() throws Exception {
    clock.set(Instant.parse("2026-03-02T10:00:30Z"));
    List<Schedules> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HikariDataSource p = pool();
      nodes.add(new Schedules(p, clock, new Jobs(p, clock, null)));
    }
    nodes.get(0).put(Schedule.of("race", "* * * * *", "UTC", "race_tick", Map.of()));
    int ticks = 20;
    int totalFired = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
      for (int t = 1; t <= ticks; t++) {
        clock.set(Instant.parse("2026-03-02T10:00:00Z").plusSeconds(60L * t));
        CyclicBarrier start = new CyclicBarrier(3);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          String node = "node-" + i;
          Schedules s = nodes.get(i);
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return s.fireDue(node);
                  }));
        }
        int fired = 0;
        for (Future<Integer> f : results) {
          fired += f.get();
        }
        assertThat(fired).as("fires of tick %d", t).isEqualTo(1);
        totalFired += fired;
      }
    }
    assertThat(totalFired).isEqualTo(ticks);
    assertThat(new Jobs(db, clock, null).list(JobFilter.all().kind("race_tick"))).hasSize(ticks);
  }
}
