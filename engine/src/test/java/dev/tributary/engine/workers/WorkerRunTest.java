package dev.tributary.engine.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EngineSchema;
import dev.tributary.engine.JobState;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.PermanentJobException;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestEngines;
import dev.tributary.engine.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed worker lifecycle (S1.2): flag, execution log, batches with pauses, counts and result.
 */
class WorkerRunTest {
  HikariDataSource db;
  SettableClock clock = SettableClock.startingNow();
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
  void a_worker_run_is_logged_running_then_completed_with_counts_and_result() {
    List<Duration> pauses = new ArrayList<>();
    BatchProcessor batches = new BatchProcessor(10, Duration.ofMillis(200), pauses::add);
    engine =
        TestEngines.builder(db, clock, "n1")
            .worker(
                "worker_extract_hooks_v2",
                "Extraction hooks",
                ctx -> {
                  List<Integer> items = IntStream.range(0, 25).boxed().toList();
                  BatchProcessor.Result r =
                      batches.process(
                          items,
                          i -> {
                            if (i == 13) {
                              throw new IllegalStateException("no hook in post 13");
                            }
                          },
                          ctx);
                  ctx.result(Map.of("hooks_extracted", r.processed()));
                })
            .build()
            .start();
    long id = new Jobs(db, clock, null).enqueue("worker_extract_hooks_v2", Map.of()).jobId();
    Await.until(
        "the run to complete",
        () -> engine.jobs().get(id).orElseThrow().state() == JobState.COMPLETED);

    ExecutionLogs.Entry log = engine.executionLogs().recent("worker_extract_hooks_v2", 10).get(0);
    assertThat(log.status()).isEqualTo("completed");
    assertThat(log.itemsProcessed()).isEqualTo(24);
    assertThat(log.itemsFailed()).isEqualTo(1);
    assertThat(log.result().get("hooks_extracted").asInt()).isEqualTo(24);
    assertThat(log.jobId()).isEqualTo(id);
    assertThat(log.durationMs()).isNotNull();
    assertThat(pauses).containsExactly(Duration.ofMillis(200), Duration.ofMillis(200));
  }

  @Test
  void a_failing_worker_run_is_logged_failed_with_its_error() {
    engine =
        TestEngines.builder(db, clock, "n1")
            .worker(
                "worker_classify_hooks_v2",
                "Classification hooks",
                ctx -> {
                  ctx.itemsProcessed(3);
                  throw new PermanentJobException("OpenAI said 401");
                })
            .build()
            .start();
    long id = new Jobs(db, clock, null).enqueue("worker_classify_hooks_v2", Map.of()).jobId();
    Await.until(
        "the job to be dead", () -> engine.jobs().get(id).orElseThrow().state() == JobState.DEAD);
    ExecutionLogs.Entry log =
        Await.value(
            "the log to close",
            () ->
                engine.executionLogs().recent("worker_classify_hooks_v2", 1).stream()
                    .filter(e -> !e.status().equals("running"))
                    .findFirst()
                    .orElse(null));
    assertThat(log.status()).isEqualTo("failed");
    assertThat(log.itemsProcessed()).isEqualTo(3);
    assertThat(log.errorMessage()).contains("OpenAI said 401");
  }

  @Test
  void registering_a_new_worker_adds_its_flag_enabled_and_keeps_an_operators_choice() {
    WorkerFlags flags = new WorkerFlags(db);
    flags.setEnabled("worker_complete_profiles_v2", false);
    engine =
        TestEngines.builder(db, clock, "n1")
            .worker("worker_complete_profiles_v2", "Complétion profils", ctx -> {})
            .worker("worker_new_v2", "A new worker", ctx -> {})
            .build()
            .start();
    assertThat(flags.get("worker_new_v2").orElseThrow().enabled()).isTrue();
    assertThat(flags.get("worker_new_v2").orElseThrow().description()).isEqualTo("A new worker");
    assertThat(flags.isEnabled("worker_complete_profiles_v2")).isFalse();
  }

  @Test
  void the_batch_processor_has_the_seed_defaults_and_runs_items_of_a_batch_side_by_side()
      throws Exception {
    assertThat(BatchProcessor.DEFAULT_BATCH_SIZE).isEqualTo(10);
    assertThat(BatchProcessor.DEFAULT_PAUSE).isEqualTo(Duration.ofMillis(200));
    List<Duration> pauses = new ArrayList<>();
    BatchProcessor p =
        new BatchProcessor(
            BatchProcessor.DEFAULT_BATCH_SIZE, BatchProcessor.DEFAULT_PAUSE, pauses::add);
    java.util.concurrent.CyclicBarrier all = new java.util.concurrent.CyclicBarrier(10);
    BatchProcessor.Result r =
        p.process(
            IntStream.range(0, 10).boxed().toList(),
            i -> all.await(5, java.util.concurrent.TimeUnit.SECONDS));
    assertThat(r.processed()).isEqualTo(10);
    assertThat(r.batches()).isEqualTo(1);
    assertThat(pauses).isEmpty();

    BatchProcessor.Result empty = p.process(List.<Integer>of(), i -> {});
    assertThat(empty.batches()).isZero();
  }

  @Test
  void the_batch_processor_refuses_a_useless_configuration() {
    assertThatThrownBy(() -> new BatchProcessor(0, Duration.ZERO))
        .hasMessageContaining("batch size");
    assertThatThrownBy(() -> new BatchProcessor(1, Duration.ofMillis(-1)))
        .hasMessageContaining("pause");
  }
}
