package dev.tributary.pipelines.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.AiProviders;
import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.linkedin.LinkedInClientConfig;
import dev.tributary.connectors.linkedin.RapidApiLinkedInClient;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.enrichment.ClassificationWorker;
import dev.tributary.pipelines.enrichment.EmbeddingWorker;
import dev.tributary.pipelines.enrichment.HookExtractionWorker;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import dev.tributary.testing.Rows;
import dev.tributary.web.WebServer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProfileSyncRunTest {
  private static final AiProviders AI = AiProviders.local(new LocalOnnxEmbedder());
  static final String SANDBOX_KEY = "sandbox-key";

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows rows = new Rows(db);
  private final SyntheticLinkedIn world = new SyntheticLinkedIn(42, 3, 12, 4);
  private final LinkedInSandbox sandbox = LinkedInSandbox.start(world, SANDBOX_KEY);
  private RapidApiLinkedInClient client = client(SANDBOX_KEY);

  private RapidApiLinkedInClient client(String key) {
    return new RapidApiLinkedInClient(
        LinkedInClientConfig.builder()
            .apiKey(key)
            .baseUrl(sandbox.baseUrl())
            .requestTimeout(Duration.ofSeconds(10))
            .build());
  }

  private ProfileSync sync() {
    return new ProfileSync(
        db,
        new ProfileScraper(db, client, Retrying.none()),
        new HookExtractionWorker(db),
        new EmbeddingWorker(db, AI.embedder()),
        ClassificationWorker.hooks(db, AI.hookClassifier()),
        ProfileSync.Options.DEFAULTS);
  }

  @AfterEach
  void close() {
    client.close();
    sandbox.close();
    db.close();
  }

  private void insertWorld() {
    for (SyntheticLinkedIn.Profile p : world.profiles()) {
      rows.profile(p.fullName(), p.publicId());
    }
  }

  private void forceResync() {
    rows.update("UPDATE profile_sync_status SET last_scraped_at = NULL");
  }

  @Test
  void the_answer_has_exactly_the_seed_fields_and_matches_the_database() throws Exception {
    insertWorld();
    UUID unknown = rows.profile("Unknown Synthetic", "synthetic-nobody-99");
    UUID malformed = rows.profile("Malformed Synthetic", "https://example.com/not-linkedin");

    SyncReport report = sync().run(new SyncRequest(20, true, true), "test");
    JsonNode json = WebServer.JSON.readTree(WebServer.JSON.writeValueAsString(report.response()));

    assertThat(fieldNames(json))
        .containsExactly(
            "success",
            "job_id",
            "duration_seconds",
            "profiles_processed",
            "successful_profiles",
            "posts_scraped",
            "posts_new",
            "embeddings_updated",
            "hooks_classified",
            "results");
    assertThat(json.get("success").asBoolean()).isTrue();
    assertThat(json.get("duration_seconds").isNumber()).isTrue();
    assertThat(json.get("profiles_processed").asInt()).isEqualTo(6);
    assertThat(json.get("successful_profiles").asInt()).isEqualTo(4);
    int received = 3 * world.postsPerProfile(0);
    assertThat(json.get("posts_scraped").asInt()).isEqualTo(received);
    long stored = rows.count("SELECT count(*) FROM viral_posts_bank");
    assertThat(json.get("posts_new").asLong())
        .isEqualTo(stored)
        .isEqualTo(received - report.resharesSkipped());
    assertThat(json.get("embeddings_updated").asLong())
        .isEqualTo(rows.count("SELECT count(*) FROM viral_posts_bank WHERE embedding IS NOT NULL"))
        .isPositive();
    assertThat(json.get("hooks_classified").asLong())
        .isEqualTo(
            rows.count("SELECT count(*) FROM viral_posts_bank WHERE hook_type_id IS NOT NULL"))
        .isPositive();
    JsonNode results = json.get("results");
    assertThat(results).hasSize(6);
    for (JsonNode r : results) {
      assertThat(fieldNames(r))
          .containsExactly("profile_id", "linkedin_id", "posts_scraped", "posts_new");
    }
    JsonNode first = results.get(0);
    assertThat(
            rows.row(
                "SELECT linkedin_id FROM profiles WHERE id = ?::uuid",
                first.get("profile_id").asText()))
        .containsEntry("linkedin_id", first.get("linkedin_id").asText());

    Map<String, Object> job =
        rows.row("SELECT * FROM sync_jobs WHERE id = ?::uuid", json.get("job_id").asText());
    assertThat(job)
        .containsEntry("job_type", "full_cascade")
        .containsEntry("status", "partial")
        .containsEntry("profiles_processed", 6)
        .containsEntry("successful_profiles", 4)
        .containsEntry("posts_scraped", received)
        .containsEntry("posts_new", (int) stored)
        .containsEntry("embeddings_updated", json.get("embeddings_updated").asInt())
        .containsEntry("hooks_classified", json.get("hooks_classified").asInt());
    assertThat(job.get("started_at")).isNotNull();
    assertThat(job.get("completed_at")).isNotNull();
    assertThat(((Number) job.get("duration_seconds")).doubleValue())
        .isEqualTo(json.get("duration_seconds").asDouble());
    assertThat(job.get("error_message")).isEqualTo("2 of 6 profiles failed");
    JsonNode errors = WebServer.JSON.readTree(job.get("errors").toString());
    assertThat(errors).hasSize(2);
    assertThat(
            (String)
                rows.row("SELECT last_error FROM profile_sync_status WHERE profile_id = ?", unknown)
                    .get("last_error"))
        .contains("not found");
    assertThat(
            (String)
                rows.row(
                        "SELECT last_error FROM profile_sync_status WHERE profile_id = ?",
                        malformed)
                    .get("last_error"))
        .contains("malformed linkedin_id");
    assertThat(
            rows.row(
                "SELECT posts_count FROM profiles WHERE linkedin_id = ?",
                SyntheticLinkedIn.EMPTY_PROFILE))
        .containsEntry("posts_count", 0);
  }

  @Test
  void the_same_sync_twice_inserts_nothing_new() {
    insertWorld();
    SyncReport first = sync().run(SyncRequest.defaults(), "test");
    long posts = rows.count("SELECT count(*) FROM viral_posts_bank");
    forceResync();

    SyncReport second = sync().run(SyncRequest.defaults(), "test");

    assertThat(first.response().postsNew()).isPositive();
    assertThat(second.response().postsNew()).isZero();
    assertThat(second.response().postsScraped()).isEqualTo(first.response().postsScraped());
    assertThat(second.response().embeddingsUpdated()).isZero();
    assertThat(second.response().hooksClassified()).isZero();
    assertThat(second.postsKnown()).isEqualTo(posts);
    assertThat(rows.count("SELECT count(*) FROM viral_posts_bank")).isEqualTo(posts);
    assertThat(rows.count("SELECT count(DISTINCT post_url) FROM viral_posts_bank"))
        .isEqualTo(posts);
    assertThat(second.status()).isEqualTo("completed");
  }

  @Test
  void a_week_later_new_posts_come_in_and_known_ones_get_fresh_counters() {
    insertWorld();
    sync().run(SyncRequest.defaults(), "test");
    long before = rows.count("SELECT count(*) FROM viral_posts_bank");
    long likesBefore = rows.count("SELECT sum(likes) FROM viral_posts_bank");
    sandbox.advanceRound();
    forceResync();

    SyncReport later = sync().run(SyncRequest.defaults(), "test");

    long after = rows.count("SELECT count(*) FROM viral_posts_bank");
    assertThat(later.response().postsNew())
        .isEqualTo((int) (after - before))
        .isPositive()
        .isLessThanOrEqualTo(3 * 4);
    assertThat(later.postsRefreshed()).isPositive();
    assertThat(rows.count("SELECT sum(likes) FROM viral_posts_bank")).isGreaterThan(likesBefore);
  }

  @Test
  void profiles_scraped_this_week_are_not_due_and_an_empty_run_completes() {
    insertWorld();
    sync().run(SyncRequest.defaults(), "test");

    SyncReport again = sync().run(SyncRequest.defaults(), "test");

    assertThat(again.response().success()).isTrue();
    assertThat(again.response().profilesProcessed()).isZero();
    assertThat(again.response().results()).isEmpty();
    assertThat(again.status()).isEqualTo("completed");
  }

  @Test
  void without_cascade_flags_the_run_only_scrapes() {
    insertWorld();

    SyncReport report = sync().run(new SyncRequest(2, false, false), "test");

    assertThat(report.response().profilesProcessed()).isEqualTo(2);
    assertThat(report.response().embeddingsUpdated()).isZero();
    assertThat(report.response().hooksClassified()).isZero();
    assertThat(rows.row("SELECT job_type, status FROM sync_jobs"))
        .containsEntry("job_type", "profile_scrape")
        .containsEntry("status", "completed");
    assertThat(rows.count("SELECT count(*) FROM viral_posts_bank WHERE needs_embedding"))
        .isPositive();
  }

  @Test
  void hooks_asked_for_without_embeddings_are_classified_before_the_answer() {
    insertWorld();

    SyncReport report = sync().run(new SyncRequest(2, false, true), "test");

    long withHook = rows.count("SELECT count(*) FROM viral_posts_bank WHERE btrim(hook) <> ''");
    assertThat(withHook).isPositive();
    assertThat(report.response().embeddingsUpdated()).isZero();
    assertThat(report.response().hooksClassified()).isEqualTo((int) withHook);
    assertThat(
            rows.count(
                "SELECT count(*) FROM viral_posts_bank WHERE hook_type_id IS NOT NULL"
                    + " AND NOT needs_hook_classification AND needs_embedding"))
        .isEqualTo(withHook);
  }

  @Test
  void a_rejected_key_stops_the_run_fails_it_and_leaves_the_profiles_due() {
    insertWorld();
    client.close();
    client = client("wrong-key");

    SyncReport report = sync().run(SyncRequest.defaults(), "test");

    assertThat(report.response().success()).isFalse();
    assertThat(report.response().error()).contains("Invalid API key").doesNotContain("wrong-key");
    assertThat(report.response().profilesProcessed()).isEqualTo(1);
    assertThat(sandbox.requests()).isEqualTo(1);
    assertThat(rows.row("SELECT status FROM sync_jobs")).containsEntry("status", "failed");
    assertThat(rows.count("SELECT count(*) FROM get_profiles_to_sync(50)"))
        .isEqualTo(world.profiles().size());
    assertThat(rows.count("SELECT max(consecutive_failures) FROM profile_sync_status")).isZero();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> out = new java.util.ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
