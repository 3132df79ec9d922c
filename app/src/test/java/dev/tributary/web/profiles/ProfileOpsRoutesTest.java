package dev.tributary.web.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.profiles.SyncOperations;
import dev.tributary.testing.Rows;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The S0.10 / S0.11 operations API on the real server. */
class ProfileOpsRoutesTest {
  private static final String KEY = "service-role-key-for-tests";

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows rows = new Rows(db);
  private final WebServer server =
      TestWeb.start(
          db,
          Map.of("SERVICE_ROLE_KEY", KEY),
          new ProfileOpsRoutes(new SyncOperations(db), new Jobs(db), true));
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    server.close();
    http.close();
    db.close();
  }

  private HttpResponse<String> call(String method, String path, String authorization, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode ok(String method, String path) throws Exception {
    HttpResponse<String> r = call(method, path, "Bearer " + KEY, null);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 202);
    return WebServer.JSON.readTree(r.body());
  }

  private static void assertError(
      HttpResponse<String> r, int status, String error, String messagePart) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode body = WebServer.JSON.readTree(r.body());
    assertThat(body.get("error").asText()).isEqualTo(error);
    assertThat(body.get("message").asText()).contains(messagePart);
  }

  private UUID failingProfile() {
    UUID id = rows.profile("Broken Synthetic", "synthetic-broken");
    rows.update(
        "UPDATE profile_sync_status SET consecutive_failures = 5, last_error = 'HTTP 404: profile not found',"
            + " last_attempt_at = now(), last_scraped_at = now() WHERE profile_id = ?",
        id);
    return id;
  }

  @Test
  void every_route_needs_the_service_role_key() throws Exception {
    UUID id = failingProfile();
    List<String[]> routes =
        List.of(
            new String[] {"GET", "/api/profiles/sync/stats"},
            new String[] {"GET", "/api/profiles/sync/failing"},
            new String[] {"GET", "/api/profiles/sync/pending"},
            new String[] {"GET", "/api/profiles/sync/jobs"},
            new String[] {"POST", "/api/profiles/sync"},
            new String[] {"POST", "/api/profiles/" + id + "/reset"},
            new String[] {"POST", "/api/profiles/" + id + "/resync"});
    for (String[] route : routes) {
      for (String auth : new String[] {null, "Bearer wrong-key", KEY, "Basic " + KEY}) {
        assertError(
            call(route[0], route[1], auth, null), 401, "unauthorized", "Bearer <SERVICE_ROLE_KEY>");
      }
    }
    assertThat(
            rows.count(
                "SELECT consecutive_failures FROM profile_sync_status WHERE profile_id = ?", id))
        .isEqualTo(5);
    assertThat(rows.count("SELECT count(*) FROM tributary.jobs WHERE kind = 'profile_sync'"))
        .isZero();
  }

  @Test
  void without_a_configured_key_the_api_is_closed() throws Exception {
    try (WebServer closed =
        TestWeb.start(
            db, Map.of(), new ProfileOpsRoutes(new SyncOperations(db), new Jobs(db), true))) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + closed.port() + "/api/profiles/sync/stats"))
                  .header("Authorization", "Bearer anything")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertError(r, 401, "unauthorized", "Bearer <SERVICE_ROLE_KEY>");
      assertThat(r.body()).doesNotContain("configured");
    }
  }

  @Test
  void stats_pending_and_failing_profiles_tell_the_seeds_monitoring_numbers() throws Exception {
    UUID broken = failingProfile();
    UUID fine = rows.profile("Fine Synthetic", "synthetic-fine");
    rows.update(
        "INSERT INTO viral_posts_bank (author_id, post_url, content) VALUES (?, 'https://example.invalid/1',"
            + " 'Synthetic text')",
        fine);

    JsonNode stats = ok("GET", "/api/profiles/sync/stats");
    assertThat(stats.get("total_profiles").asInt()).isEqualTo(2);
    assertThat(stats.get("profiles_needing_sync").asInt()).isEqualTo(1);
    assertThat(stats.get("posts_without_embedding").asInt()).isEqualTo(1);
    assertThat(stats.get("last_sync_date").isNull()).isTrue();
    assertThat(stats.get("sync_running").asBoolean()).isFalse();

    JsonNode pending = ok("GET", "/api/profiles/sync/pending");
    assertThat(pending.get("pending_embeddings").asInt()).isEqualTo(1);
    assertThat(pending.get("pending_hook_extraction").asInt()).isEqualTo(1);
    assertThat(pending.get("profiles_without_style").asInt()).isEqualTo(2);

    JsonNode failing = ok("GET", "/api/profiles/sync/failing").get("profiles");
    assertThat(failing).hasSize(1);
    assertThat(failing.get(0).get("profile_id").asText()).isEqualTo(broken.toString());
    assertThat(failing.get(0).get("linkedin_id").asText()).isEqualTo("synthetic-broken");
    assertThat(failing.get(0).get("consecutive_failures").asInt()).isEqualTo(5);
    assertThat(failing.get(0).get("last_error").asText()).isEqualTo("HTTP 404: profile not found");
    assertThat(failing.get(0).get("disabled").asBoolean()).isTrue();
  }

  @Test
  void reset_and_resync_apply_the_seeds_recipes() throws Exception {
    UUID id = failingProfile();

    JsonNode reset = ok("POST", "/api/profiles/" + id + "/reset");
    assertThat(reset.get("success").asBoolean()).isTrue();
    assertThat(reset.get("action").asText()).isEqualTo("reset");
    Map<String, Object> status =
        rows.row(
            "SELECT consecutive_failures, last_error, last_scraped_at"
                + " FROM profile_sync_status WHERE profile_id = ?",
            id);
    assertThat(status.get("consecutive_failures")).isEqualTo(0);
    assertThat(status.get("last_error")).isNull();
    assertThat(status.get("last_scraped_at")).as("reset leaves the schedule alone").isNotNull();

    ok("POST", "/api/profiles/" + id + "/resync");
    assertThat(
            rows.row("SELECT last_scraped_at FROM profile_sync_status WHERE profile_id = ?", id)
                .get("last_scraped_at"))
        .isNull();
    assertThat(ok("GET", "/api/profiles/sync/stats").get("profiles_needing_sync").asInt())
        .isEqualTo(1);
  }

  @Test
  void a_malformed_id_is_400_and_an_unknown_profile_404() throws Exception {
    for (String bad : new String[] {"42", "not-a-uuid", "1-2-3-4-5"}) {
      assertError(
          call("POST", "/api/profiles/" + bad + "/reset", "Bearer " + KEY, null),
          400,
          "bad_request",
          "must be a UUID");
    }
    UUID unknown = UUID.randomUUID();
    assertError(
        call("POST", "/api/profiles/" + unknown + "/resync", "Bearer " + KEY, null),
        404,
        "not_found",
        unknown.toString());
    assertError(
        call("GET", "/api/profiles/sync/jobs?limit=0", "Bearer " + KEY, null),
        400,
        "bad_request",
        "limit");
  }

  @Test
  void sync_jobs_are_listed_newest_first() throws Exception {
    rows.update(
        "INSERT INTO sync_jobs (job_type, status, posts_new, started_at, completed_at, duration_seconds, created_at)"
            + " VALUES ('full_cascade', 'completed', 7, now() - interval '2 days', now() - interval '2 days', 3.5,"
            + " now() - interval '2 days')");
    rows.update(
        "INSERT INTO sync_jobs (job_type, status, posts_new, error_message) VALUES ('profile_scrape',"
            + " 'failed', 0, 'stopped: key rejected')");

    JsonNode jobs = ok("GET", "/api/profiles/sync/jobs").get("jobs");

    assertThat(jobs).hasSize(2);
    assertThat(jobs.get(0).get("status").asText()).isEqualTo("failed");
    assertThat(jobs.get(0).get("error_message").asText()).isEqualTo("stopped: key rejected");
    assertThat(jobs.get(1).get("posts_new").asInt()).isEqualTo(7);
    assertThat(jobs.get(1).get("duration_seconds").asDouble()).isEqualTo(3.5);
    assertThat(ok("GET", "/api/profiles/sync/jobs?limit=1").get("jobs")).hasSize(1);
  }

  @Test
  void a_triggered_sync_is_one_engine_job_until_it_runs() throws Exception {
    HttpResponse<String> first =
        call(
            "POST",
            "/api/profiles/sync",
            "Bearer " + KEY,
            "{\"max_profiles\": 5, \"generate_embeddings\": false}");
    assertThat(first.statusCode()).isEqualTo(202);
    JsonNode body = WebServer.JSON.readTree(first.body());
    long jobId = body.get("job_id").asLong();
    assertThat(body.get("deduplicated").asBoolean()).isFalse();

    Map<String, Object> job =
        rows.row(
            "SELECT kind, queue, state, args->>'max_profiles' AS max,"
                + " args->>'generate_embeddings' AS embed, args->>'classify_hooks' AS hooks FROM tributary.jobs WHERE id = ?",
            jobId);
    assertThat(job)
        .containsEntry("kind", "profile_sync")
        .containsEntry("queue", "sync")
        .containsEntry("state", "available")
        .containsEntry("max", "5")
        .containsEntry("embed", "false")
        .containsEntry("hooks", "true");

    JsonNode again = ok("POST", "/api/profiles/sync");
    assertThat(again.get("job_id").asLong()).isEqualTo(jobId);
    assertThat(again.get("deduplicated").asBoolean()).isTrue();
    assertError(
        call("POST", "/api/profiles/sync", "Bearer " + KEY, "{\"max_profiles\": 0}"),
        400,
        "bad_request",
        "max_profiles");
    assertError(
        call("POST", "/api/profiles/sync", "Bearer " + KEY, "{oops"),
        400,
        "bad_request",
        "not valid JSON");
    assertThat(rows.count("SELECT count(*) FROM tributary.jobs WHERE kind = 'profile_sync'"))
        .isEqualTo(1);
  }

  @Test
  void a_node_without_the_linkedin_connector_refuses_to_queue_a_sync() throws Exception {
    try (WebServer noSync =
        TestWeb.start(
            db,
            Map.of("SERVICE_ROLE_KEY", KEY),
            new ProfileOpsRoutes(new SyncOperations(db), new Jobs(db), false))) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + noSync.port() + "/api/profiles/sync"))
                  .header("Authorization", "Bearer " + KEY)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertError(r, 503, "not_configured", "RAPIDAPI_KEY");
    }
  }
}
