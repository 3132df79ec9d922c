package dev.tributary.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.engine.Engine;
import dev.tributary.engine.JobState;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestEngines;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.workers.WorkerFlags;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A database made and filled by the previous release upgrades through the current migrations
 * without losing a flag, a log row or a job, and a disabled worker stays disabled. The previous
 * release is V001–V059: migrations are forward-only and those files are byte for byte the ones it
 * shipped (V005 only moved from the engine's location to the app's), so migrating the current
 * locations up to V059 builds its database.
 */
class UpgradeFromPreviousReleaseTest {
  static final String PREVIOUS_RELEASE = "59";

  HikariDataSource db;
  Engine engine;

  @BeforeEach
  void setUp() {
    db = TestPostgres.freshDatabase();
    Flyway.configure()
        .dataSource(db)
        .locations(Migrations.LOCATIONS)
        .target(PREVIOUS_RELEASE)
        .load()
        .migrate();
  }

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
    db.close();
  }

  @Test
  void an_old_database_upgrades_with_its_flags_logs_and_jobs_intact() throws Exception {
    exec(
        """
        UPDATE worker_feature_flags_v2 SET is_enabled = false WHERE worker_name = 'worker_classify_topics_v2';
        INSERT INTO task_execution_logs_v2 (worker_name, status, items_processed, job_id)
          VALUES ('worker_extract_hooks_v2', 'completed', 12, 1),
                 ('worker_generate_embeddings_v2', 'failed', 3, 2),
                 ('worker_classify_hooks_v2', 'running', 0, NULL);
        INSERT INTO tributary.jobs (kind, queue, state, attempt, finished_at)
          VALUES ('worker_extract_hooks_v2', 'cascade', 'completed', 1, now()),
                 ('worker_generate_embeddings_v2', 'cascade', 'dead', 20, now()),
                 ('worker_classify_hooks_v2', 'cascade', 'cancelled', 0, now());
        INSERT INTO tributary.jobs (kind, queue) VALUES ('worker_classify_topics_v2', 'default'),
                                                        ('other', 'default');
        INSERT INTO tributary.jobs (kind, queue, state, attempt, locked_by, lease_until)
          VALUES ('worker_extract_hooks_v2', 'cascade', 'running', 1, 'old-node', now() + interval '1 hour');
        """);
    List<String> flagsBefore =
        rows("SELECT worker_name || ':' || is_enabled FROM worker_feature_flags_v2");
    List<String> logsBefore =
        rows(
            "SELECT id || ':' || worker_name || ':' || status || ':' || items_processed FROM task_execution_logs_v2");
    List<String> jobsBefore = rows("SELECT id || ':' || kind || ':' || state FROM tributary.jobs");

    Migrations.apply(db);

    assertThat(rows("SELECT worker_name || ':' || is_enabled FROM worker_feature_flags_v2"))
        .containsExactlyInAnyOrderElementsOf(flagsBefore)
        .hasSize(6);
    assertThat(
            rows(
                "SELECT id || ':' || worker_name || ':' || status || ':' || items_processed FROM task_execution_logs_v2"))
        .containsExactlyInAnyOrderElementsOf(logsBefore);
    assertThat(rows("SELECT id || ':' || kind || ':' || state FROM tributary.jobs"))
        .containsExactlyInAnyOrderElementsOf(jobsBefore);
    assertThat(new WorkerFlags(db).isEnabled("worker_classify_topics_v2")).isFalse();
    assertThat(rows("SELECT kind FROM tributary.disabled_kinds"))
        .containsExactly("worker_classify_topics_v2");

    // the disabled worker's job is still not claimed; the other job is
    SettableClock clock = SettableClock.startingNow();
    engine =
        TestEngines.builder(db, clock, "n1")
            .handler("worker_classify_topics_v2", ctx -> {})
            .handler("other", ctx -> {})
            .build()
            .start();
    Jobs jobs = engine.jobs();
    long other = Long.parseLong(rows("SELECT id FROM tributary.jobs WHERE kind = 'other'").get(0));
    long topics =
        Long.parseLong(
            rows("SELECT id FROM tributary.jobs WHERE kind = 'worker_classify_topics_v2'").get(0));
    Await.until(
        "the other job to complete",
        () -> jobs.get(other).orElseThrow().state() == JobState.COMPLETED);
    assertThat(jobs.get(topics).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    assertThat(jobs.get(topics).orElseThrow().attempt()).isZero();

    new WorkerFlags(db).setEnabled("worker_classify_topics_v2", true);
    Await.until(
        "the re-enabled worker's job to complete",
        () -> jobs.get(topics).orElseThrow().state() == JobState.COMPLETED);
  }

  private void exec(String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private List<String> rows(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
