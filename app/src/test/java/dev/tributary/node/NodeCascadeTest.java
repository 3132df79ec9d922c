package dev.tributary.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.AiProviders;
import dev.tributary.ai.CountingEmbedder;
import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.ai.SeedCatalogues;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole profile pipeline on the engine: a scheduled sync, then the cascade driven by its
 * triggers.
 */
class NodeCascadeTest {
  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final SyntheticLinkedIn world = new SyntheticLinkedIn(7, 3, 12, 2);
  private final LinkedInSandbox sandbox = LinkedInSandbox.start(world, "sandbox-key");

  @AfterEach
  void close() {
    sandbox.close();
    db.close();
  }

  private long count(String sql) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void execute(String sql) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void awaitTrue(Duration timeout, BooleanSupplier condition) {
    Await.until(this::state, timeout, Duration.ofMillis(50), condition);
  }

  /** What the cascade is stuck on, for a timeout's message. */
  private String state() {
    return "flagged posts "
        + count(FLAGGED)
        + ", profiles due a style "
        + count(STYLE_DUE)
        + ", live jobs "
        + count("SELECT count(*) FROM tributary.jobs WHERE state IN ('available', 'running')")
        + ", dead jobs "
        + count("SELECT count(*) FROM tributary.jobs WHERE state = 'dead'");
  }

  private static final String FLAGGED =
      """
      SELECT count(*) FROM viral_posts_bank
       WHERE needs_hook_extraction OR needs_embedding OR needs_hook_classification
          OR needs_topic_classification OR needs_audience_classification""";

  /**
   * Profiles with enough posts for a style analysis (ProfileCompletionWorker.DEFAULT_MIN_POSTS) but
   * none yet.
   */
  private static final String STYLE_DUE =
      """
      SELECT count(*) FROM profiles p WHERE p.writing_style_prompt IS NULL
         AND (SELECT count(*) FROM viral_posts_bank v WHERE v.author_id = p.id AND btrim(v.content) <> '') >= 3""";

  @Test
  void a_sync_run_by_its_schedule_flows_through_the_cascade_with_a_log_per_worker()
      throws Exception {
    for (SyntheticLinkedIn.Profile p : world.profiles()) {
      execute(
          "INSERT INTO profiles (full_name, linkedin_id, type) VALUES ('"
              + p.fullName()
              + "', '"
              + p.publicId()
              + "', 'external_influencer')");
    }
    TributaryConfig config =
        TributaryConfig.from(
            Map.of("RAPIDAPI_KEY", "sandbox-key", "LINKEDIN_API_BASE_URL", sandbox.baseUrl()));
    try (TributaryNode node =
        TributaryNode.start(config, db, new TributaryNode.Options("node-a", 2, null))) {
      node.engine().schedules().runNow("weekly-profile-sync");

      awaitTrue(
          Duration.ofSeconds(90),
          () ->
              count("SELECT count(*) FROM sync_jobs WHERE status <> 'running'") == 1
                  && count("SELECT count(*) FROM viral_posts_bank") > 0
                  && count(FLAGGED) == 0
                  && count(STYLE_DUE) == 0);

      assertThat(count("SELECT count(*) FROM sync_jobs WHERE status = 'completed'")).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM profiles WHERE writing_style_prompt IS NOT NULL"))
          .isPositive();
      assertThat(
              count(
                  "SELECT count(*) FROM viral_posts_bank WHERE btrim(content) <> '' AND (embedding IS NULL"
                      + " OR embedding_model <> 'local/all-minilm-l6-v2-q' OR topic_id IS NULL OR audience_id IS NULL)"))
          .isZero();
      awaitTrue(
          Duration.ofSeconds(10),
          () ->
              count(
                      """
          SELECT count(DISTINCT worker_name) FROM task_execution_logs_v2
           WHERE status = 'completed' AND worker_name LIKE 'worker_%_v2'""")
                  >= 5);
    }
  }

  @Test
  void an_operator_setting_a_flag_by_hand_gets_the_row_reprocessed() throws Exception {
    try (TributaryNode node =
        TributaryNode.start(
            TributaryConfig.from(Map.of()), db, new TributaryNode.Options("node-b", 2, null))) {
      execute(
          "INSERT INTO profiles (id, full_name, linkedin_id, type) VALUES"
              + " ('00000000-0000-0000-0000-0000000000a1', 'Synthetic Operator Case', 'synthetic-op', 'internal')");
      execute(
          "INSERT INTO viral_posts_bank (author_id, post_url, content) VALUES"
              + " ('00000000-0000-0000-0000-0000000000a1', 'https://example.invalid/p/1',"
              + " 'Three pricing lessons from a decade of selling software.\nFirst, charge more.')");
      awaitTrue(Duration.ofSeconds(60), () -> count(FLAGGED) == 0);
      execute("UPDATE viral_posts_bank SET embedding = NULL, needs_embedding = true");
      awaitTrue(
          Duration.ofSeconds(60),
          () ->
              count(
                      "SELECT count(*) FROM viral_posts_bank WHERE embedding IS NOT NULL"
                          + " AND NOT needs_embedding")
                  == 1);
    }
  }

  /**
   * Two nodes, each with its own pool, drain one cascade: every post enriched once, no job attempt
   * failed (two stores of the same posts used to deadlock), and about one model pass per post.
   */
  @Test
  void two_nodes_share_one_cascade_without_deadlocks_or_a_second_model_pass() throws Exception {
    execute(
        "INSERT INTO profiles (id, full_name, linkedin_id, type) VALUES"
            + " ('00000000-0000-0000-0000-0000000000b1', 'Synthetic Two Nodes', 'synthetic-two', 'internal')");
    CountingEmbedder countA = new CountingEmbedder(new LocalOnnxEmbedder());
    CountingEmbedder countB = new CountingEmbedder(new LocalOnnxEmbedder());
    try (HikariDataSource poolB = TestPostgres.anotherPool(db, 6);
        TributaryNode a =
            TributaryNode.start(
                TributaryConfig.from(Map.of()),
                db,
                new TributaryNode.Options("node-a", 2, null),
                AiProviders.local(countA));
        TributaryNode b =
            TributaryNode.start(
                TributaryConfig.from(Map.of()),
                poolB,
                new TributaryNode.Options("node-b", 2, null),
                AiProviders.local(countB))) {
      // the classifiers embed their catalogues once per node: done before counting
      for (TributaryNode node : List.of(a, b)) {
        node.ai().hookClassifier().classify(List.of("warm"), SeedCatalogues.read(db, "hook_types"));
        node.ai().topicClassifier().classify(List.of("warm"), SeedCatalogues.read(db, "topics"));
        node.ai()
            .audienceClassifier()
            .classify(List.of("warm"), SeedCatalogues.read(db, "audiences"));
      }
      int before = countA.texts() + countB.texts();
      int posts = 0;
      for (int batch = 0; batch < 6; batch++) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 25; i++, posts++) {
          values
              .append(values.isEmpty() ? "" : ", ")
              .append("('00000000-0000-0000-0000-0000000000b1', 'https://example.invalid/two/")
              .append(posts)
              .append("', 'Lesson ")
              .append(posts)
              .append(
                  " about pricing and hiring.\nWe charged more and hired slower; both worked.')");
        }
        execute("INSERT INTO viral_posts_bank (author_id, post_url, content) VALUES " + values);
      }

      awaitTrue(Duration.ofSeconds(90), () -> count(FLAGGED) == 0 && count(STYLE_DUE) == 0);

      assertThat(
              count(
                  "SELECT count(*) FROM viral_posts_bank WHERE hook IS NOT NULL AND embedding IS NOT NULL"
                      + " AND hook_type_id IS NOT NULL AND topic_id IS NOT NULL AND audience_id IS NOT NULL"))
          .isEqualTo(posts);
      assertThat(count("SELECT count(*) FROM tributary.jobs WHERE errors <> '[]'::jsonb"))
          .as("job attempts that failed (a deadlock fails one)")
          .isZero();
      assertThat(countA.texts() + countB.texts() - before)
          .as("model passes for %d posts", posts)
          .isLessThanOrEqualTo(posts + posts / 10);
    }
  }
}
