package dev.tributary.web.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.enrichment.EmbeddingWorker;
import dev.tributary.pipelines.enrichment.HookExtractionWorker;
import dev.tributary.search.HashingEmbedder;
import dev.tributary.testing.Rows;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-worker endpoints on the real server: auth, flag, execution log, batches, answer. */
class WorkerRoutesTest {
  private static final String SECRET = "scheduler-secret-for-tests";
  private static final String HOOKS = "/functions/v1/worker-extract-hooks-v2";
  private static final String EMBEDDINGS = "/functions/v1/worker-generate-embeddings-v2";

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows rows = new Rows(db);
  private final HashingEmbedder embedder = new HashingEmbedder("test/hashing");
  private final List<Duration> pauses = new CopyOnWriteArrayList<>();
  private final WebServer server =
      TestWeb.start(
          db,
          Map.of("SCHEDULER_SECRET", SECRET),
          new WorkerRoutes(
              List.of(new HookExtractionWorker(db), new EmbeddingWorker(db, embedder)),
              db,
              WorkerRoutes.DEFAULT_PAUSE,
              pauses::add));
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    server.close();
    http.close();
    db.close();
  }

  private HttpResponse<String> post(String path, String secret, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) {
      b.header("X-Scheduler-Secret", secret);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return WebServer.JSON.readTree(r.body());
  }

  private void posts(int n) {
    UUID author = rows.profile("Synthetic Worker Author", "synthetic-worker-author");
    for (int i = 0; i < n; i++) {
      rows.update(
          "INSERT INTO viral_posts_bank (author_id, post_url, content) VALUES (?, ?, ?)",
          author,
          "https://example.invalid/p/" + i,
          "Synthetic lesson number " + i + " about pricing.\nMore text follows.");
    }
  }

  private long logRows() {
    return rows.count("SELECT count(*) FROM task_execution_logs_v2");
  }

  @Test
  void a_call_without_the_secret_or_with_a_wrong_one_is_refused_and_claims_nothing()
      throws Exception {
    posts(3);
    for (String secret : new String[] {null, "wrong-secret", ""}) {
      HttpResponse<String> r = post(HOOKS, secret, "{}");
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(json(r).get("error").asText()).isEqualTo("unauthorized");
      assertThat(json(r).get("message").asText()).contains("X-Scheduler-Secret");
    }
    assertThat(
            rows.count(
                "SELECT count(*) FROM viral_posts_bank WHERE needs_hook_extraction"
                    + " AND hook_extraction_locked_at IS NULL"))
        .isEqualTo(3);
    assertThat(logRows()).isZero();
  }

  @Test
  void without_a_configured_secret_every_call_is_refused() throws Exception {
    try (WebServer open =
        TestWeb.start(db, Map.of(), new WorkerRoutes(List.of(new HookExtractionWorker(db)), db))) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open.port() + HOOKS))
                  .header("X-Scheduler-Secret", "anything")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(401);
      // the answer names the credential the route takes, never whether the server has one
      assertThat(json(r).get("message").asText())
          .contains("X-Scheduler-Secret")
          .doesNotContain("configured");
    }
  }

  @Test
  void a_disabled_worker_answers_so_and_claims_nothing() throws Exception {
    posts(3);
    rows.update(
        "UPDATE worker_feature_flags_v2 SET is_enabled = false WHERE worker_name = 'worker_extract_hooks_v2'");

    HttpResponse<String> r = post(HOOKS, SECRET, "");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("skipped").asBoolean()).isTrue();
    assertThat(body.get("worker").asText()).isEqualTo("worker_extract_hooks_v2");
    assertThat(body.get("message").asText()).contains("disabled");
    assertThat(body.get("items_processed").asInt()).isZero();
    assertThat(
            rows.count(
                "SELECT count(*) FROM viral_posts_bank WHERE needs_hook_extraction"
                    + " AND hook_extraction_locked_at IS NULL AND hook IS NULL"))
        .isEqualTo(3);
    assertThat(logRows()).isZero();
  }

  @Test
  void a_run_processes_the_flagged_posts_in_batches_and_leaves_a_completed_log() throws Exception {
    posts(25);

    HttpResponse<String> r = post(HOOKS, SECRET, "");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("success").asBoolean()).isTrue();
    assertThat(body.get("status").asText()).isEqualTo("completed");
    assertThat(body.get("items_processed").asInt()).isEqualTo(25);
    assertThat(body.get("items_failed").asInt()).isZero();
    assertThat(body.get("batches").asInt()).isEqualTo(3);
    assertThat(body.get("batch_size").asInt()).isEqualTo(10);
    assertThat(body.get("duration_ms").asLong()).isNotNegative();
    // the seed's pause between batches, and none after the last one
    assertThat(pauses).containsExactly(Duration.ofMillis(200), Duration.ofMillis(200));
    assertThat(
            rows.count(
                "SELECT count(*) FROM viral_posts_bank WHERE hook IS NOT NULL AND NOT needs_hook_extraction"))
        .isEqualTo(25);

    Map<String, Object> logRow =
        rows.row(
            "SELECT id, worker_name, status, items_processed, items_failed, duration_ms,"
                + " completed_at, result->>'batches' AS batches, job_id FROM task_execution_logs_v2");
    assertThat(logRow.get("id").toString()).isEqualTo(body.get("log_id").asText());
    assertThat(logRow.get("worker_name")).isEqualTo("worker_extract_hooks_v2");
    assertThat(logRow.get("status")).isEqualTo("completed");
    assertThat(logRow.get("items_processed")).isEqualTo(25);
    assertThat(logRow.get("items_failed")).isEqualTo(0);
    assertThat(logRow.get("duration_ms")).isNotNull();
    assertThat(logRow.get("completed_at")).isNotNull();
    assertThat(logRow.get("batches")).isEqualTo("3");
    assertThat(logRow.get("job_id")).isNull();
  }

  @Test
  void batch_size_and_max_items_from_the_body_bound_the_run() throws Exception {
    posts(12);

    JsonNode body = json(post(EMBEDDINGS, SECRET, "{\"batch_size\": 4, \"max_items\": 6}"));

    assertThat(body.get("items_processed").asInt()).isEqualTo(6);
    assertThat(body.get("batches").asInt()).isEqualTo(2);
    assertThat(rows.count("SELECT count(*) FROM viral_posts_bank WHERE needs_embedding"))
        .isEqualTo(6);
    assertThat(
            rows.count(
                "SELECT count(*) FROM viral_posts_bank WHERE embedding_model = 'test/hashing'"))
        .isEqualTo(6);
  }

  @Test
  void a_provider_failure_closes_the_log_as_failed_and_leaves_the_rows_flagged() throws Exception {
    posts(5);
    embedder.failWith("synthetic provider outage");

    HttpResponse<String> r = post(EMBEDDINGS, SECRET, "{}");

    assertThat(r.statusCode()).isEqualTo(500);
    JsonNode body = json(r);
    assertThat(body.get("success").asBoolean()).isFalse();
    assertThat(body.get("error").asText()).isEqualTo("worker_failed");
    assertThat(body.get("message").asText()).contains("synthetic provider outage");
    assertThat(body.get("items_failed").asInt()).isEqualTo(5);
    Map<String, Object> logRow =
        rows.row("SELECT status, items_failed, error_message FROM task_execution_logs_v2");
    assertThat(logRow.get("status")).isEqualTo("failed");
    assertThat(logRow.get("items_failed")).isEqualTo(5);
    assertThat((String) logRow.get("error_message")).contains("synthetic provider outage");
    assertThat(
            rows.count(
                "SELECT count(*) FROM viral_posts_bank WHERE needs_embedding AND embedding_locked_at IS NULL"))
        .isEqualTo(5);
  }

  @Test
  void bad_bodies_are_400_with_a_json_error_and_open_no_log() throws Exception {
    for (String bad :
        new String[] {
          "not json", "[1]", "{\"batch_size\": 0}", "{\"max_items\": \"ten\"}", "{\"batch\": 3}"
        }) {
      HttpResponse<String> r = post(HOOKS, SECRET, bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(json(r).get("error").asText()).isEqualTo("bad_request");
      assertThat(json(r).get("message").asText()).isNotBlank();
    }
    assertThat(logRows()).isZero();
  }

  @Test
  void the_cors_preflight_answers_like_the_seeds_init_worker() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + HOOKS))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
        .contains("x-scheduler-secret");
    assertThat(post(HOOKS, null, "{}").headers().firstValue("Access-Control-Allow-Origin"))
        .contains("*");
    assertThat(logRows()).isZero();
  }

  @Test
  void worker_names_map_to_the_seed_paths() {
    assertThat(WorkerRoutes.path("worker_classify_audiences_v2"))
        .isEqualTo("/functions/v1/worker-classify-audiences-v2");
  }
}
