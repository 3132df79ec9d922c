package dev.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by the chaos suite: a transaction that held the row of one running job stalled the node's
 * batch completion and, behind it, the renewal of every lease; all the node's jobs then ran again.
 */
class ForeignRowLockTest {
  HikariDataSource db;
  Engine engine;

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

  @Test
  void a_row_lock_held_by_another_transaction_stalls_neither_other_completions_nor_lease_renewals()
      throws Exception {
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    engine =
        Engine.builder(db)
            .nodeId("node")
            .clock(Clock.systemUTC())
            .pollInterval(Duration.ofMillis(50))
            .leaseDuration(Duration.ofSeconds(1))
            .heartbeatInterval(Duration.ofMillis(200))
            .maintenanceInterval(Duration.ofSeconds(30))
            .handler("held", ctx -> count(runs, ctx).await(10, TimeUnit.SECONDS))
            .handler("slow", ctx -> sleep(count(runs, ctx), 3_000))
            .handler("quick", ctx -> count(runs, ctx))
            .build()
            .start();
    Jobs jobs = engine.jobs();
    long slow = jobs.enqueue("slow", Map.of()).jobId();
    long held = jobs.enqueue("held", Map.of()).jobId();
    Await.until(
        "both jobs running",
        Duration.ofSeconds(10),
        () -> runs.containsKey(held) && runs.containsKey(slow));

    try (Connection other = db.getConnection()) {
      other.setAutoCommit(false);
      try (PreparedStatement s =
          other.prepareStatement("SELECT id FROM tributary.jobs WHERE id = ? FOR UPDATE")) {
        s.setLong(1, held);
        s.executeQuery().close();
      }
      heldLatch.countDown(); // the handler of "held" returns; its row is someone else's
      List<Long> quick = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        quick.add(jobs.enqueue("quick", Map.of("i", i)).jobId());
      }
      Await.until(
          "the other jobs to complete while the row is held",
          Duration.ofSeconds(2),
          () -> quick.stream().allMatch(id -> state(jobs, id) == JobState.COMPLETED));
      Thread.sleep(1_500); // longer than the lease: the slow job lives on renewals alone
      assertThat(state(jobs, held)).isEqualTo(JobState.RUNNING);
      other.rollback();
    }
    Await.until(
        "the held job and the slow job to complete",
        Duration.ofSeconds(10),
        () -> state(jobs, held) == JobState.COMPLETED && state(jobs, slow) == JobState.COMPLETED);
    assertThat(jobs.get(held).orElseThrow().attempt()).isEqualTo(1);
    assertThat(jobs.get(slow).orElseThrow().attempt()).isEqualTo(1);
    assertThat(runs.get(held).get()).isEqualTo(1);
    assertThat(runs.get(slow).get()).isEqualTo(1);
  }

  private final CountDownLatch heldLatch = new CountDownLatch(1);

  private CountDownLatch count(Map<Long, AtomicInteger> runs, JobContext ctx) {
    runs.computeIfAbsent(ctx.jobId(), k -> new AtomicInteger()).incrementAndGet();
    return heldLatch;
  }

  private static void sleep(CountDownLatch ignored, long millis) throws InterruptedException {
    Thread.sleep(millis);
  }

  private static JobState state(Jobs jobs, long id) {
    return jobs.get(id).orElseThrow().state();
  }
}
