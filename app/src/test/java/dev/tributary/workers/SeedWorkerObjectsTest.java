package dev.tributary.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed's flag and log objects, called through SQL exactly as the original system did. */
class SeedWorkerObjectsTest {
  HikariDataSource db;

  @BeforeEach
  void setUp() {
    db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void the_six_seed_workers_are_seeded_enabled() {
    assertThat(new WorkerFlags(db).list())
        .extracting(WorkerFlag::workerName)
        .containsExactly(
            "worker_classify_audiences_v2",
            "worker_classify_hooks_v2",
            "worker_classify_topics_v2",
            "worker_complete_profiles_v2",
            "worker_extract_hooks_v2",
            "worker_generate_embeddings_v2");
    assertThat(new WorkerFlags(db).list()).allMatch(WorkerFlag::enabled);
  }

  @Test
  void is_worker_enabled_follows_the_flag_and_treats_unknown_workers_as_enabled()
      throws SQLException {
    assertThat(queryBoolean("SELECT is_worker_enabled('worker_extract_hooks_v2')")).isTrue();
    update(
        "UPDATE worker_feature_flags_v2 SET is_enabled = false WHERE worker_name = 'worker_extract_hooks_v2'");
    assertThat(queryBoolean("SELECT is_worker_enabled('worker_extract_hooks_v2')")).isFalse();
    assertThat(queryBoolean("SELECT is_worker_enabled(worker_name => 'not_a_worker')")).isTrue();
  }

  @Test
  void set_enabled_rejects_an_unknown_worker_by_name() {
    assertThatThrownBy(() -> new WorkerFlags(db).setEnabled("worker_nope", false))
        .isInstanceOf(UnknownWorkerException.class)
        .hasMessageContaining("worker_nope");
  }

  @Test
  void log_worker_start_opens_a_running_log_and_log_worker_end_closes_it_with_counts()
      throws SQLException {
    UUID id;
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT log_worker_start('worker_generate_embeddings_v2')")) {
      rs.next();
      id = (UUID) rs.getObject(1);
    }
    assertThat(queryText("SELECT status FROM task_execution_logs_v2 WHERE id = '" + id + "'"))
        .isEqualTo("running");

    assertThat(queryBoolean("SELECT log_worker_end('" + id + "', 'completed', 48)")).isTrue();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                """
            SELECT status, items_processed, items_failed, completed_at IS NOT NULL, duration_ms >= 0, result
              FROM task_execution_logs_v2 WHERE id = '"""
                    + id
                    + "'")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("completed");
      assertThat(rs.getInt(2)).isEqualTo(48);
      assertThat(rs.getInt(3)).isZero();
      assertThat(rs.getBoolean(4)).isTrue();
      assertThat(rs.getBoolean(5)).isTrue();
      assertThat(rs.getString(6)).isNull();
    }
  }

  @Test
  void log_worker_end_takes_failures_and_a_result_and_refuses_an_unknown_status()
      throws SQLException {
    ExecutionLogs logs = new ExecutionLogs(db);
    UUID id = logs.start("worker_classify_hooks_v2", 7L);
    assertThat(
            queryBoolean(
                "SELECT log_worker_end('"
                    + id
                    + "', 'failed', 50, 2, '{\"embeddings_created\": 48}'::jsonb)"))
        .isTrue();
    ExecutionLogs.Entry e = logs.recent("worker_classify_hooks_v2", 1).get(0);
    assertThat(e.status()).isEqualTo("failed");
    assertThat(e.itemsProcessed()).isEqualTo(50);
    assertThat(e.itemsFailed()).isEqualTo(2);
    assertThat(e.result().get("embeddings_created").asInt()).isEqualTo(48);
    assertThat(e.jobId()).isEqualTo(7L);

    assertThatThrownBy(() -> queryBoolean("SELECT log_worker_end('" + id + "', 'done', 1)"))
        .hasMessageContaining("status must be completed or failed");
    assertThat(queryBoolean("SELECT log_worker_end('" + UUID.randomUUID() + "', 'completed', 1)"))
        .isFalse();
  }

  @Test
  void cleanup_old_worker_logs_v2_deletes_logs_older_than_thirty_days_by_default()
      throws SQLException {
    update(
        """
        INSERT INTO task_execution_logs_v2 (worker_name, status, created_at, started_at) VALUES
          ('worker_extract_hooks_v2', 'completed', now() - interval '31 days', now() - interval '31 days'),
          ('worker_extract_hooks_v2', 'completed', now() - interval '29 days', now() - interval '29 days'),
          ('worker_extract_hooks_v2', 'completed', now(), now())""");
    assertThat(queryInt("SELECT cleanup_old_worker_logs_v2()")).isEqualTo(1);
    assertThat(queryInt("SELECT count(*)::int FROM task_execution_logs_v2")).isEqualTo(2);
    assertThat(queryInt("SELECT cleanup_old_worker_logs_v2(interval '1 day')")).isEqualTo(1);
    assertThat(queryInt("SELECT count(*)::int FROM task_execution_logs_v2")).isEqualTo(1);
  }

  private void update(String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  private boolean queryBoolean(String sql) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private int queryInt(String sql) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private String queryText(String sql) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }
}
