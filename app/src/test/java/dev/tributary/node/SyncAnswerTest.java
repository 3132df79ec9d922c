package dev.tributary.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.AiProviders;
import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.config.TributaryConfig;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.linkedin.LinkedInClientConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.profiles.ProfilePipeline;
import dev.tributary.pipelines.profiles.ProfileSync;
import dev.tributary.pipelines.profiles.SyncReport;
import dev.tributary.pipelines.profiles.SyncRequest;
import dev.tributary.pipelines.profiles.SyncResponse;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import dev.tributary.testing.Rows;
import dev.tributary.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The S0.8 answer counts the run's new posts embedded and hook-classified by whichever worker did
 * it, with the node's background cascade racing the run's own drains, and says what is pending.
 */
class SyncAnswerTest {
  private static final String SANDBOX_KEY = "sandbox-key";
  private static final String SERVICE_KEY = "sync-answer-service-key";

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows rows = new Rows(db);
  private final SyntheticLinkedIn world = new SyntheticLinkedIn(11, 3, 12, 2);
  private final LinkedInSandbox sandbox = LinkedInSandbox.start(world, SANDBOX_KEY);

  @BeforeEach
  void profiles() {
    for (SyntheticLinkedIn.Profile p : world.profiles()) {
      rows.profile(p.fullName(), p.publicId());
    }
  }

  @AfterEach
  void close() {
    sandbox.close();
    db.close();
  }

  private static final String EMBEDDED =
      "SELECT count(*) FROM viral_posts_bank WHERE embedding IS NOT NULL";

  /** New posts with something to embed (the synthetic world has a few empty ones). */
  private static final String WITH_TEXT =
      "SELECT count(*) FROM viral_posts_bank WHERE btrim(content) <> ''";

  private static final String HOOK_TYPED =
      "SELECT count(*) FROM viral_posts_bank WHERE hook_type_id IS NOT NULL";

  /**
   * A sync whose own drains take nothing (limit 0): every new post is embedded and classified by
   * the node's background cascade, and the answer counts them all.
   */
  private ProfilePipeline syncLeavingEverythingToTheWorkers(AiProviders ai, Duration wait) {
    return ProfilePipeline.create(
        LinkedInClientConfig.builder()
            .apiKey(SANDBOX_KEY)
            .baseUrl(sandbox.baseUrl())
            .requestTimeout(Duration.ofSeconds(10))
            .build(),
        db,
        ai,
        Retrying.none(),
        new ProfileSync.Options(64, 0, wait));
  }

  @Test
  void posts_the_background_cascade_embedded_and_classified_are_counted_in_the_answer()
      throws Exception {
    try (TributaryNode node =
            TributaryNode.start(
                TributaryConfig.from(Map.of()), db, new TributaryNode.Options("node-a", 2, null));
        ProfilePipeline pipeline =
            syncLeavingEverythingToTheWorkers(node.ai(), Duration.ofSeconds(120))) {

      SyncReport report = pipeline.sync().run(SyncRequest.defaults(), "test");

      SyncResponse answer = report.response();
      assertThat(report.embeddings().processed()).isZero(); // the run itself embedded nothing
      assertThat(report.hookClassification().processed()).isZero();
      assertThat(answer.postsNew()).isPositive();
      assertThat(answer.embeddingsUpdated())
          .isEqualTo(rows.count(WITH_TEXT))
          .isEqualTo(rows.count(EMBEDDED));
      assertThat(answer.hooksClassified()).isPositive().isEqualTo(rows.count(HOOK_TYPED));
      assertThat(answer.pending()).isNull();
      assertThat(
              rows.row(
                  "SELECT embeddings_updated, hooks_classified, duration_seconds < 120 AS early"
                      + " FROM sync_jobs WHERE id = ?",
                  answer.jobId()))
          .containsEntry("embeddings_updated", answer.embeddingsUpdated())
          .containsEntry("hooks_classified", answer.hooksClassified())
          .containsEntry("early", true);
      assertThat(
              rows.count(
                  "SELECT count(*) FROM tributary.jobs WHERE queue = 'cascade'"
                      + " AND state = 'completed'"))
          .isPositive();
    }
  }

  @Test
  void the_answer_of_a_serving_node_matches_the_database_whichever_worker_got_the_posts()
      throws Exception {
    TributaryConfig config =
        TributaryConfig.from(
            Map.of(
                "RAPIDAPI_KEY", SANDBOX_KEY,
                "LINKEDIN_API_BASE_URL", sandbox.baseUrl(),
                "SERVICE_ROLE_KEY", SERVICE_KEY));
    try (TributaryNode node =
            TributaryNode.start(config, db, new TributaryNode.Options("node-a", 2, 0));
        HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + node.port() + "/functions/v1/sync-profiles"))
                  .header("Authorization", "Bearer " + SERVICE_KEY)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"max_profiles\": 10}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode answer = WebServer.JSON.readTree(r.body());
      assertThat(answer.has("pending")).as(r.body()).isFalse();
      assertThat(answer.get("posts_new").asInt()).isPositive();
      assertThat(answer.get("embeddings_updated").asLong())
          .isEqualTo(rows.count(WITH_TEXT))
          .isEqualTo(rows.count(EMBEDDED));
      assertThat(answer.get("hooks_classified").asLong())
          .isPositive()
          .isEqualTo(rows.count(HOOK_TYPED));
    }
  }

  @Test
  void what_no_worker_did_within_the_wait_is_reported_as_pending_and_the_answer_comes_back()
      throws Exception {
    try (AiProviders ai = AiProviders.local(new LocalOnnxEmbedder());
        ProfilePipeline pipeline = syncLeavingEverythingToTheWorkers(ai, Duration.ofMillis(600))) {

      SyncReport report = pipeline.sync().run(SyncRequest.defaults(), "test");

      SyncResponse answer = report.response();
      long toEmbed = rows.count("SELECT count(*) FROM viral_posts_bank WHERE needs_embedding");
      long hooksToDo =
          rows.count(
              "SELECT count(*) FROM viral_posts_bank"
                  + " WHERE needs_hook_extraction OR needs_hook_classification");
      assertThat(toEmbed).isEqualTo(rows.count(WITH_TEXT)).isPositive();
      assertThat(hooksToDo).isPositive();
      assertThat(answer.embeddingsUpdated()).isZero();
      assertThat(answer.hooksClassified()).isZero();
      assertThat(answer.pending())
          .isEqualTo(new SyncResponse.Pending((int) toEmbed, (int) hooksToDo));
      JsonNode json = WebServer.JSON.readTree(WebServer.JSON.writeValueAsString(answer));
      assertThat(json.get("pending").get("embeddings").asLong()).isEqualTo(toEmbed);
      assertThat(json.get("pending").get("hooks").asLong()).isEqualTo(hooksToDo);
      assertThat(json.has("error")).isFalse();

      // asked for neither: nothing is waited for or pending
      rows.update("UPDATE profile_sync_status SET last_scraped_at = NULL");
      SyncResponse scrapeOnly =
          pipeline.sync().run(new SyncRequest(50, false, false), "test").response();
      assertThat(scrapeOnly.pending()).isNull();
      assertThat(scrapeOnly.embeddingsUpdated()).isZero();
    }
  }
}
