package dev.tributary.pipelines.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.AiProviders;
import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.config.StartupException;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.enrichment.Cascade;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import dev.tributary.testing.Rows;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProfilePipelineTest {
  private static final AiProviders AI = AiProviders.local(new LocalOnnxEmbedder());
  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows rows = new Rows(db);
  private final SyntheticLinkedIn world = new SyntheticLinkedIn(11, 4, 15, 3);
  private final LinkedInSandbox sandbox = LinkedInSandbox.start(world, "demo-key");

  @AfterEach
  void close() {
    sandbox.close();
    db.close();
  }

  @Test
  void configured_from_the_environment_a_sync_then_the_cascade_leave_nothing_flagged() {
    for (SyntheticLinkedIn.Profile p : world.profiles()) {
      rows.profile(p.fullName(), p.publicId());
    }
    TributaryConfig config =
        TributaryConfig.from(
            Map.of("RAPIDAPI_KEY", "demo-key", "LINKEDIN_API_BASE_URL", sandbox.baseUrl()));
    try (ProfilePipeline pipeline = ProfilePipeline.create(config, db, AI)) {
      SyncReport report = pipeline.sync().run(new SyncRequest(50, false, false), "test");
      assertThat(report.response().successfulProfiles()).isEqualTo(world.profiles().size());

      Map<String, Cascade.Stage> stages = pipeline.cascade().drain(16, 10_000);

      assertThat(stages.keySet())
          .containsExactly(
              "worker_extract_hooks_v2",
              "worker_generate_embeddings_v2",
              "worker_classify_hooks_v2",
              "worker_classify_topics_v2",
              "worker_classify_audiences_v2",
              "worker_complete_profiles_v2");
      assertThat(stages.values()).allSatisfy(s -> assertThat(s.result().failed()).isZero());
      long stored = rows.count("SELECT count(*) FROM viral_posts_bank");
      assertThat(stages.get("worker_generate_embeddings_v2").result().processed())
          .isEqualTo(
              (int) rows.count("SELECT count(*) FROM viral_posts_bank WHERE btrim(content) <> ''"));
      assertThat(
              rows.count(
                  """
          SELECT count(*) FROM viral_posts_bank
           WHERE needs_hook_extraction OR needs_embedding OR needs_hook_classification
              OR needs_topic_classification OR needs_audience_classification"""))
          .isZero();
      assertThat(
              rows.count(
                  "SELECT count(*) FROM viral_posts_bank WHERE topic_id IS NOT NULL"
                      + " AND audience_id IS NOT NULL AND hook_type_id IS NOT NULL"))
          .isEqualTo(
              stored
                  - rows.count("SELECT count(*) FROM viral_posts_bank WHERE btrim(content) = ''"));
      assertThat(rows.count("SELECT count(*) FROM profiles WHERE writing_style_prompt IS NOT NULL"))
          .isEqualTo(4);
    }
  }

  @Test
  void a_missing_rapidapi_key_is_a_startup_error_naming_the_variable() {
    assertThatThrownBy(() -> ProfilePipeline.create(TributaryConfig.from(Map.of()), db, AI))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("RAPIDAPI_KEY");
  }
}
