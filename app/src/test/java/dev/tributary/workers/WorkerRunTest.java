package dev.tributary.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.JobState;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.PermanentJobException;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.EngineExtension;
import dev.tributary.engine.testing.PostgresExtension;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed worker lifecycle (S1.2): flag, execution log, batches with pauses, counts and result.
 */
class WorkerRunTest {
  @RegisterExtension
  static PostgresExtension postgres = PostgresExtension.migrated(Migrations.LOCATIONS);

  @RegisterExtension EngineExtension engines = EngineExtension.on(postgres);

  HikariDataSource db;
  SettableClock clock;
  Engine engine;

  @BeforeEach
  void setUp() {
    db = postgres.dataSource();
    clock = engines.clock();
  }

  @Test
  void a_worker_run_is_logged_running_then_completed_with_counts_and_result() {
    List<Duration> pauses = new ArrayList<>();
    BatchProcessor batches = new BatchProcessor(10, Duration.ofMillis(200), pauses::add);
    engine =
        engines.start(
            b ->
                seedWorkers(
                    Map.of("worker_extract_hooks_v2", "Extraction hooks"),
                    b.handler(
                        "worker_extract_hooks_v2",
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
                        })));
    long id = new Jobs(db, clock, null).enqueue("worker_extract_hooks_v2", Map.of()).jobId();
    Await.until(
        "the run to complete",
        () -> engine.jobs().get(id).orElseThrow().state() == JobState.COMPLETED);

    ExecutionLogs.Entry log = new ExecutionLogs(db).recent("worker_extract_hooks_v2", 10).get(0);
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
        engines.start(
            b ->
                seedWorkers(
                    Map.of("worker_classify_hooks_v2", "Classification hooks"),
                    b.handler(
                        "worker_classify_hooks_v2",
                        ctx -> {
                          ctx.itemsProcessed(3);
                          throw new PermanentJobException("OpenAI said 401");
                        })));
    long id = new Jobs(db, clock, null).enqueue("worker_classify_hooks_v2", Map.of()).jobId();
    Await.until(
        "the job to be dead", () -> engine.jobs().get(id).orElseThrow().state() == JobState.DEAD);
    ExecutionLogs.Entry log =
        Await.value(
            "the log to close",
            () ->
                new ExecutionLogs(db)
                    .recent("worker_classify_hooks_v2", 1).stream()
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
        engines.start(
            b ->
                seedWorkers(
                    Map.of(
                        "worker_complete_profiles_v2", "Complétion profils",
                        "worker_new_v2", "A new worker"),
                    b.handler("worker_complete_profiles_v2", ctx -> {})
                        .handler("worker_new_v2", ctx -> {})));
    assertThat(flags.get("worker_new_v2").orElseThrow().enabled()).isTrue();
    assertThat(flags.get("worker_new_v2").orElseThrow().description()).isEqualTo("A new worker");
    assertThat(flags.isEnabled("worker_complete_profiles_v2")).isFalse();
  }

  @Test
  void a_disabled_worker_flag_stops_every_node_claiming_its_jobs_until_it_is_enabled_again() {
    WorkerFlags flags = new WorkerFlags(db);
    java.util.concurrent.atomic.AtomicInteger runs =
        new java.util.concurrent.atomic.AtomicInteger();
    engine =
        engines.start(
            b ->
                seedWorkers(
                    Map.of("worker_extract_hooks_v2", "Extraction hooks"),
                    b.handler("worker_extract_hooks_v2", ctx -> runs.incrementAndGet())
                        .handler("other", ctx -> {})));
    flags.setEnabled("worker_extract_hooks_v2", false);
    assertThat(engine.kinds().isEnabled("worker_extract_hooks_v2")).isFalse();
    Jobs jobs = new Jobs(db, clock, null);
    long flagged = jobs.enqueue("worker_extract_hooks_v2", Map.of()).jobId();
    long other = jobs.enqueue("other", Map.of()).jobId();
    Await.until(
        "the other job to complete",
        () -> jobs.get(other).orElseThrow().state() == JobState.COMPLETED);
    assertThat(jobs.get(flagged).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    assertThat(runs.get()).isZero();

    // a plain SQL update, as an operator of the original system would write it
    SqlRows.update(
        db,
        "UPDATE worker_feature_flags_v2 SET is_enabled = true WHERE worker_name = 'worker_extract_hooks_v2'");
    Await.until(
        "the flagged job to complete",
        () -> jobs.get(flagged).orElseThrow().state() == JobState.COMPLETED);
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void deleting_a_flag_row_enables_the_worker_as_is_worker_enabled_says() {
    WorkerFlags flags = new WorkerFlags(db);
    flags.setEnabled("worker_classify_topics_v2", false);
    Engine view = TestEngines.builder(db, clock, "v").build();
    assertThat(view.kinds().isEnabled("worker_classify_topics_v2")).isFalse();
    SqlRows.update(
        db, "DELETE FROM worker_feature_flags_v2 WHERE worker_name = 'worker_classify_topics_v2'");
    assertThat(view.kinds().isEnabled("worker_classify_topics_v2")).isTrue();
    assertThat(flags.isEnabled("worker_classify_topics_v2")).isTrue();
  }

  @Test
  void housekeeping_closes_logs_left_running_by_a_dead_node_and_deletes_logs_past_retention() {
    ExecutionLogs logs = new ExecutionLogs(db);
    Jobs jobs = new Jobs(db, clock, null);
    long gone = jobs.enqueue("worker_x", Map.of()).jobId();
    jobs.cancel(gone);
    java.util.UUID abandoned = logs.start("worker_x", gone);
    SqlRows.update(
        db,
        "INSERT INTO task_execution_logs_v2 (worker_name, status, created_at, started_at)"
            + " VALUES ('worker_x', 'completed', now() - interval '40 days', now() - interval '40 days')");
    ExecutionLogMaintenance m =
        new ExecutionLogMaintenance(db, ExecutionLogMaintenance.DEFAULT_RETENTION);
    assertThat(m.closeAbandoned()).isEqualTo(1);
    assertThat(m.prune()).isEqualTo(1);
    ExecutionLogs.Entry e = logs.recent("worker_x", 10).get(0);
    assertThat(e.id()).isEqualTo(abandoned);
    assertThat(e.status()).isEqualTo("failed");
    assertThat(e.errorMessage()).contains("abandoned").contains("cancelled");
    assertThat(logs.recent("worker_x", 10)).hasSize(1);
  }

  private EngineBuilder seedWorkers(Map<String, String> workers, EngineBuilder builder) {
    return new SeedWorkers(db, workers).register(builder);
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
