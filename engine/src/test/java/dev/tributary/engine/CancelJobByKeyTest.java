package dev.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestEngines;
import dev.tributary.engine.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tributary.cancel_job_by_key}: a trigger cancels the waiting job holding a key. */
class CancelJobByKeyTest {
  final HikariDataSource db = TestPostgres.freshDatabase(EngineSchema.MIGRATIONS);
  final SettableClock clock = SettableClock.startingNow();
  final Jobs jobs = new Jobs(db, clock, null);

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void the_waiting_job_holding_the_key_is_cancelled_with_the_reason_and_the_key_is_free_again()
      throws SQLException {
    long waiting =
        jobs.enqueue(
                "post",
                Map.of(),
                EnqueueOptions.DEFAULTS.runAt(clock.instant().plusSeconds(60)).uniqueKey("post:1"))
            .jobId();
    long other =
        jobs.enqueue("post", Map.of(), EnqueueOptions.DEFAULTS.uniqueKey("post:2")).jobId();

    assertThat(cancel("post:1", "the post was moved")).isEqualTo(waiting);

    Job cancelled = jobs.get(waiting).orElseThrow();
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.lastError()).isEqualTo("the post was moved");
    assertThat(jobs.get(other).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    assertThat(cancel("post:1", null)).as("nothing waits under the key any more").isNull();
    assertThat(cancel("no-such-key", null)).isNull();
    EnqueueResult again =
        jobs.enqueue("post", Map.of(), EnqueueOptions.DEFAULTS.uniqueKey("post:1"));
    assertThat(again.inserted()).isTrue();
    assertThat(cancel("post:1", null)).isEqualTo(again.jobId());
    assertThat(jobs.get(again.jobId()).orElseThrow().lastError())
        .isEqualTo("cancelled by its unique key");
  }

  @Test
  void a_running_job_holding_the_key_is_left_to_finish() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    long id = jobs.enqueue("slow", Map.of(), EnqueueOptions.DEFAULTS.uniqueKey("slow:1")).jobId();
    try (Engine engine =
        TestEngines.builder(db, clock, "node-a")
            .handler("slow", ctx -> release.await())
            .build()
            .start()) {
      Await.until("the job runs", () -> jobs.get(id).orElseThrow().state() == JobState.RUNNING);

      assertThat(cancel("slow:1", "too late")).isNull();

      release.countDown();
      Await.until(
          "the job completes", () -> jobs.get(id).orElseThrow().state() == JobState.COMPLETED);
    }
  }

  private Long cancel(String key, String reason) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT tributary.cancel_job_by_key(?, ?)")) {
      ps.setString(1, key);
      ps.setString(2, reason);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    }
  }
}
