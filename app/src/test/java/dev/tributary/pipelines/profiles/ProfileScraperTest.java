package dev.tributary.pipelines.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.linkedin.LinkedInClientConfig;
import dev.tributary.connectors.linkedin.RapidApiLinkedInClient;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.sandbox.RapidApiWire;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import dev.tributary.testing.Rows;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProfileScraperTest {
  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows rows = new Rows(db);
  private final FakeHttpServer fake = new FakeHttpServer();
  private final RapidApiLinkedInClient client =
      new RapidApiLinkedInClient(
          LinkedInClientConfig.builder()
              .apiKey("rk-test")
              .baseUrl(fake.baseUrl())
              .requestTimeout(Duration.ofSeconds(5))
              .build());
  private final List<Duration> waits = new ArrayList<>();
  private final ProfileScraper scraper =
      new ProfileScraper(
          db, client, new Retrying(3, Duration.ofMillis(100), Duration.ofSeconds(30), waits::add));

  @AfterEach
  void close() {
    client.close();
    fake.close();
    db.close();
  }

  private static String post(String urn, String text, int likes, int comments, boolean reshared) {
    return """
        {"num_comments":%d,"num_likes":%d,"num_reactions":%d,"num_reposts":0,
         "post_url":"https://www.linkedin.com/feed/update/urn:li:activity:%s/","posted":"2026-04-18 05:30:06",
         "poster":{"first":"Ada","last":"Example","public_id":"ada-example"},"reshared":%s,"text":%s,"urn":"%s"}
        """
        .formatted(
            comments, likes, likes, urn, reshared, text == null ? "null" : '"' + text + '"', urn);
  }

  private static Reply page(String... posts) {
    return Reply.json(
        200,
        "{\"data\":["
            + String.join(",", posts)
            + "],\"message\":\"ok\",\"paging\":{\"count\":50,\"start\":0}}");
  }

  private DueProfile due(UUID id, String linkedinId) {
    return new DueProfile(id, linkedinId, "Ada Example", 2, null, 0);
  }

  @Test
  void new_posts_are_stored_without_reshares_or_duplicates_and_the_profile_is_marked_synced() {
    UUID id = rows.profile("Ada Example", "ada-example");
    fake.enqueue(
        page(
            post(
                "7000000000000000001",
                "First line hook.\\n\\nBody of the first post.",
                10,
                2,
                false),
            post("7000000000000000002", "Second post", 30, 8, false),
            post(
                "7000000000000000001",
                "First line hook.\\n\\nBody of the first post.",
                10,
                2,
                false),
            post("7000000000000000003", "Someone else's post, reshared", 500, 90, true)));

    ScrapeOutcome o = scraper.scrape(due(id, "ada-example"));

    assertThat(o.status()).isEqualTo(ScrapeOutcome.Status.SYNCED);
    assertThat(o.received()).isEqualTo(4);
    assertThat(o.reshares()).isEqualTo(1);
    assertThat(o.duplicates()).isEqualTo(1);
    assertThat(o.inserted()).isEqualTo(2);
    assertThat(o.known()).isZero();
    List<Map<String, Object>> posts =
        rows.all(
            "SELECT post_url, external_post_id, content, likes, comments, author_id, needs_embedding, needs_hook_extraction,"
                + " hook FROM viral_posts_bank ORDER BY external_post_id");
    assertThat(posts).hasSize(2);
    assertThat(posts.get(0))
        .containsEntry("external_post_id", "7000000000000000001")
        .containsEntry("likes", 10)
        .containsEntry("author_id", id)
        .containsEntry("needs_embedding", true)
        .containsEntry("needs_hook_extraction", true);
    assertThat(posts.get(0).get("hook")).isNull();
    Map<String, Object> status =
        rows.row("SELECT * FROM profile_sync_status WHERE profile_id = ?", id);
    assertThat(status)
        .containsEntry("consecutive_failures", 0)
        .containsEntry("last_posts_scraped", 4)
        .containsEntry("last_posts_new", 2);
    assertThat(status.get("last_scraped_at")).isNotNull();
    assertThat(status.get("last_error")).isNull();
    Map<String, Object> profile =
        rows.row(
            "SELECT sync_status, last_sync_at, posts_count, avg_engagement FROM profiles WHERE id = ?",
            id);
    assertThat(profile).containsEntry("sync_status", "synced").containsEntry("posts_count", 2);
    assertThat((BigDecimal) profile.get("avg_engagement")).isEqualByComparingTo("25");
  }

  @Test
  void scraping_again_inserts_nothing_and_refreshes_only_changed_counters() {
    UUID id = rows.profile("Ada Example", "ada-example");
    fake.enqueue(
        page(
            post("7000000000000000001", "One", 10, 2, false),
            post("7000000000000000002", "Two", 30, 8, false)),
        page(
            post("7000000000000000001", "One", 15, 3, false),
            post("7000000000000000002", "Two", 30, 8, false)));

    scraper.scrape(due(id, "ada-example"));
    ScrapeOutcome again = scraper.scrape(due(id, "ada-example"));

    assertThat(again.inserted()).isZero();
    assertThat(again.refreshed()).isEqualTo(1);
    assertThat(again.unchanged()).isEqualTo(1);
    assertThat(rows.count("SELECT count(*) FROM viral_posts_bank")).isEqualTo(2);
    assertThat(
            rows.row(
                "SELECT likes, comments FROM viral_posts_bank WHERE external_post_id = '7000000000000000001'"))
        .containsEntry("likes", 15)
        .containsEntry("comments", 3);
    assertThat(
            (BigDecimal)
                rows.row("SELECT avg_engagement FROM profiles WHERE id = ?", id)
                    .get("avg_engagement"))
        .isEqualByComparingTo("28");
  }

  @Test
  void an_unknown_profile_fails_with_its_error_recorded_and_its_failures_counted() {
    UUID id = rows.profile("Nobody", "no-such-person");
    fake.enqueue(
        Reply.json(404, "{\"message\":\"Profile not found\"}"),
        Reply.json(404, "{\"message\":\"Profile not found\"}"));

    ScrapeOutcome first = scraper.scrape(due(id, "no-such-person"));
    ScrapeOutcome second = scraper.scrape(due(id, "no-such-person"));

    assertThat(first.status()).isEqualTo(ScrapeOutcome.Status.FAILED);
    assertThat(second.consecutiveFailures()).isEqualTo(2);
    Map<String, Object> status =
        rows.row("SELECT * FROM profile_sync_status WHERE profile_id = ?", id);
    assertThat(status).containsEntry("consecutive_failures", 2);
    assertThat((String) status.get("last_error")).contains("not found").contains("404");
    assertThat(status.get("last_scraped_at")).isNull();
    assertThat(rows.row("SELECT sync_status FROM profiles WHERE id = ?", id))
        .containsEntry("sync_status", "failed");
    assertThat(waits).isEmpty();
  }

  @Test
  void a_malformed_linkedin_id_fails_the_profile_without_calling_the_provider() {
    UUID id = rows.profile("Broken", "not a valid id!");

    ScrapeOutcome o = scraper.scrape(due(id, "not a valid id!"));

    assertThat(o.status()).isEqualTo(ScrapeOutcome.Status.FAILED);
    assertThat(fake.requests()).isEmpty();
    assertThat(
            (String)
                rows.row("SELECT last_error FROM profile_sync_status WHERE profile_id = ?", id)
                    .get("last_error"))
        .startsWith("malformed linkedin_id 'not a valid id!'");
  }

  @Test
  void five_failures_in_a_row_take_a_profile_out_of_the_sync_until_it_is_reset() {
    UUID id = rows.profile("Nobody", "no-such-person");
    fake.otherwise(r -> Reply.json(404, "{\"message\":\"Profile not found\"}"));
    for (int i = 0; i < 5; i++) {
      rows.update("UPDATE profile_sync_status SET last_scraped_at = NULL WHERE profile_id = ?", id);
      assertThat(rows.count("SELECT count(*) FROM get_profiles_to_sync(10)")).isEqualTo(1);
      scraper.scrape(due(id, "no-such-person"));
    }

    assertThat(rows.count("SELECT count(*) FROM get_profiles_to_sync(10)")).isZero();
    rows.update(
        "UPDATE profile_sync_status SET consecutive_failures = 0, last_error = NULL WHERE profile_id = ?",
        id);
    assertThat(rows.count("SELECT count(*) FROM get_profiles_to_sync(10)")).isEqualTo(1);
  }

  @Test
  void a_rejected_key_aborts_without_counting_against_the_profile() {
    UUID id = rows.profile("Ada Example", "ada-example");
    fake.enqueue(Reply.json(401, RapidApiWire.INVALID_KEY));

    ScrapeOutcome o = scraper.scrape(due(id, "ada-example"));

    assertThat(o.status()).isEqualTo(ScrapeOutcome.Status.ABORTED);
    Map<String, Object> status =
        rows.row("SELECT * FROM profile_sync_status WHERE profile_id = ?", id);
    assertThat(status).containsEntry("consecutive_failures", 0);
    assertThat((String) status.get("last_error"))
        .contains("Invalid API key")
        .doesNotContain("rk-test");
    assertThat(rows.row("SELECT sync_status FROM profiles WHERE id = ?", id))
        .containsEntry("sync_status", "pending");
  }

  @Test
  void server_errors_are_retried_then_counted_as_a_failure() {
    UUID id = rows.profile("Ada Example", "ada-example");
    fake.otherwise(r -> Reply.json(503, "upstream unavailable"));

    ScrapeOutcome o = scraper.scrape(due(id, "ada-example"));

    assertThat(o.status()).isEqualTo(ScrapeOutcome.Status.FAILED);
    assertThat(fake.requests()).hasSize(3);
    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void posts_with_missing_fields_nul_characters_and_huge_texts_are_stored_safely() {
    UUID id = rows.profile("Ada Example", "ada-example");
    String huge = "x".repeat(ProfileScraper.MAX_CONTENT_CHARS + 5_000);
    fake.enqueue(
        page(
            "{\"urn\":\"7000000000000000009\"}",
            post("7000000000000000010", "nul\\u0000inside", 1, 1, false),
            post("7000000000000000011", huge, 1, 1, false),
            post("7000000000000000012", null, 0, 0, false)));

    ScrapeOutcome o = scraper.scrape(due(id, "ada-example"));

    assertThat(o.inserted()).isEqualTo(4);
    assertThat(
            rows.row(
                "SELECT content, likes, posted_at, needs_embedding FROM viral_posts_bank"
                    + " WHERE external_post_id = '7000000000000000009'"))
        .containsEntry("content", "")
        .containsEntry("likes", 0)
        .containsEntry("needs_embedding", false);
    assertThat(
            rows.row(
                "SELECT content FROM viral_posts_bank WHERE external_post_id = '7000000000000000010'"))
        .containsEntry("content", "nulinside");
    assertThat(
            rows.count(
                "SELECT length(content) FROM viral_posts_bank WHERE external_post_id = '7000000000000000011'"))
        .isEqualTo(ProfileScraper.MAX_CONTENT_CHARS);
  }

  @Test
  void a_profile_being_scraped_by_another_run_is_skipped() {
    UUID id = rows.profile("Ada Example", "ada-example");
    rows.update("UPDATE profiles SET sync_status = 'scraping' WHERE id = ?", id);

    ScrapeOutcome o = scraper.scrape(due(id, "ada-example"));

    assertThat(o.status()).isEqualTo(ScrapeOutcome.Status.SKIPPED);
    assertThat(fake.requests()).isEmpty();
  }
}
