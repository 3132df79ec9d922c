package dev.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.EngineExtension;
import dev.tributary.engine.testing.PostgresExtension;
import dev.tributary.engine.testing.SettableClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job listener: start, success and failure of every run, and never in the job's way. */
class JobListenerTest {
  @RegisterExtension
  static PostgresExtension postgres = PostgresExtension.migrated(EngineSchema.MIGRATIONS);

  @RegisterExtension EngineExtension engines = EngineExtension.on(postgres);

  HikariDataSource db;
  SettableClock clock;
  Engine engine;
  List<String> events = new CopyOnWriteArrayList<>();

  JobListener recorder =
      new JobListener() {
        @Override
        public void onStart(JobRun run) {
          events.add("start " + run.kind() + " #" + run.attempt());
        }

        @Override
        public void onSuccess(JobRun run) {
          events.add("success " + run.kind() + " " + run.itemsProcessed() + " " + run.result());
        }

        @Override
        public void onFailure(JobRun run, JobListener.Failure failure) {
          events.add("failure " + run.kind() + " " + failure.outcome() + " " + failure.message());
        }
      };

  @BeforeEach
  void setUp() {
    db = postgres.dataSource();
    clock = engines.clock();
  }

  @Test
  void a_listener_hears_the_start_and_success_of_a_run_with_what_the_handler_reported() {
    engine =
        engines.start(
            b ->
                b.listener(recorder)
                    .handler(
                        "count",
                        ctx -> {
                          ctx.itemsProcessed(3);
                          ctx.result(Map.of("done", true));
                        }));
    long id = engine.jobs().enqueue("count", Map.of()).jobId();
    Await.until("the job to complete", () -> state(id) == JobState.COMPLETED);
    Await.until("both events", () -> events.size() == 2);
    assertThat(events).containsExactly("start count #1", "success count 3 {done=true}");
  }

  @Test
  void a_listener_hears_whether_a_failed_run_will_be_retried_or_is_dead() {
    engine =
        engines.start(
            b ->
                b.listener(recorder)
                    .handler(
                        "flaky",
                        ctx -> {
                          throw new IllegalStateException("boom");
                        })
                    .handler(
                        "doomed",
                        ctx -> {
                          throw new PermanentJobException("no");
                        }));
    engine.jobs().enqueue("flaky", Map.of());
    engine.jobs().enqueue("doomed", Map.of());
    Await.until("both failures", () -> events.size() == 4);
    assertThat(events)
        .contains(
            "failure flaky WILL_RETRY java.lang.IllegalStateException: boom",
            "failure doomed DEAD dev.tributary.engine.PermanentJobException: no");
  }

  @Test
  void a_throwing_listener_neither_fails_the_job_nor_stops_the_other_listeners() {
    JobListener broken =
        new JobListener() {
          @Override
          public void onStart(JobRun run) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onSuccess(JobRun run) {
            throw new IllegalStateException("listener bug");
          }
        };
    engine = engines.start(b -> b.listener(broken).listener(recorder).handler("ok", ctx -> {}));
    long first = engine.jobs().enqueue("ok", Map.of()).jobId();
    long second = engine.jobs().enqueue("ok", Map.of()).jobId();
    Await.until(
        "both jobs to complete",
        () -> state(first) == JobState.COMPLETED && state(second) == JobState.COMPLETED);
    Await.until("the other listener to hear all", () -> events.size() == 4);
    assertThat(engine.jobs().get(first).orElseThrow().attempt()).isEqualTo(1);
  }

  private JobState state(long id) {
    return engine.jobs().get(id).orElseThrow().state();
  }
}
