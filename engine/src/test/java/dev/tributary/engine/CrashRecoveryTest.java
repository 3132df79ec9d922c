package dev.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker JVM killed with SIGKILL mid-job: the other node finishes its job once the lease expires.
 */
class CrashRecoveryTest {
  HikariDataSource db;
  Process child;
  Engine survivor;

  @BeforeEach
  void setUp() {
    db = TestPostgres.freshDatabase(EngineSchema.MIGRATIONS);
  }

  @AfterEach
  void tearDown() {
    if (child != null) {
      child.destroyForcibly();
    }
    if (survivor != null) {
      survivor.close();
    }
    db.close();
  }

  @Test
  void a_job_whose_worker_jvm_was_killed_is_finished_by_the_other_node_after_the_lease_expires()
      throws Exception {
    Jobs jobs = new Jobs(db);
    long id = jobs.enqueue("crash_me", Map.of()).jobId();

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String url = db.getJdbcUrl();
    child =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx128m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    CrashingWorkerMain.class.getName(),
                    url))
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> started =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("STARTED ")) {
                    return line;
                  }
                }
                return "child exited: " + child.waitFor();
              } catch (Exception e) {
                return "child output failed: " + e;
              }
            });
    assertThat(started.get(60, TimeUnit.SECONDS)).isEqualTo("STARTED " + id);
    assertThat(jobs.get(id).orElseThrow().lockedBy()).isEqualTo("doomed");

    AtomicInteger finished = new AtomicInteger();
    survivor =
        Engine.builder(db)
            .nodeId("survivor")
            .clock(Clock.systemUTC())
            .pollInterval(Duration.ofMillis(50))
            .leaseDuration(Duration.ofSeconds(2))
            .heartbeatInterval(Duration.ofMillis(300))
            .maintenanceInterval(Duration.ofMillis(100))
            .handler("crash_me", ctx -> finished.incrementAndGet())
            .build()
            .start();

    child.destroyForcibly(); // SIGKILL: no shutdown hook, no release, the lease just stops being
    // renewed
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

    Await.until(
        "the survivor to finish the orphaned job",
        Duration.ofSeconds(30),
        () -> jobs.get(id).orElseThrow().state() == JobState.COMPLETED);
    Job done = jobs.get(id).orElseThrow();
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.errors().get(0).get("error").asText()).contains("lease expired: node doomed");
    assertThat(finished.get()).isEqualTo(1);
  }
}
