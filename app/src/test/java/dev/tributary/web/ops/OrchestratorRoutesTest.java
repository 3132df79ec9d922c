package dev.tributary.web.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.engine.JobState;
import dev.tributary.engine.Jobs;
import dev.tributary.engine.cron.Schedule;
import dev.tributary.engine.cron.Schedules;
import dev.tributary.engine.metrics.EngineMetrics;
import dev.tributary.engine.testing.PostgresExtension;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.WebServer;
import dev.tributary.workers.ExecutionLogs;
import dev.tributary.workers.WorkerFlags;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine's routes on the real server, called over real HTTP. */
class OrchestratorRoutesTest {
  static final String SECRET = "scheduler-secret-for-tests";
  static final String SERVICE_KEY = "service-role-key-for-tests";

  // the seed's worker flags and execution logs are app migrations (V005, V060, V061)
  @RegisterExtension
  static PostgresExtension postgres = PostgresExtension.migrated(Migrations.LOCATIONS);

  HikariDataSource db;
  WebServer server;
  final HttpClient http = HttpClient.newHttpClient();
  final EngineMetrics metrics = new EngineMetrics();

  @BeforeEach
  void setUp() {
    db = postgres.dataSource();
    start(Map.of("SCHEDULER_SECRET", SECRET, "SERVICE_ROLE_KEY", SERVICE_KEY));
  }

  private void start(Map<String, String> env) {
    server =
        TestWeb.start(
            db,
            env,
            List.of(
                new OrchestratorRoutes(
                    db, Clock.systemUTC(), metrics, env.containsKey("METRICS_TOKEN")),
                new EngineOpsRoutes(db, Clock.systemUTC(), metrics)));
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private HttpResponse<String> send(
      String method, String path, Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> orchestrator(String query, String secret) throws Exception {
    return send(
        "GET",
        OrchestratorRoutes.PATH + query,
        secret == null ? Map.of() : Map.of("X-Scheduler-Secret", secret),
        null);
  }

  private HttpResponse<String> ops(String method, String path, String body) throws Exception {
    return send(method, path, Map.of("Authorization", "Bearer " + SERVICE_KEY), body);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return WebServer.JSON.readTree(r.body());
  }

  @Test
  void status_lists_the_workers_with_their_flag_and_last_run() throws Exception {
    ExecutionLogs logs = new ExecutionLogs(db);
    logs.end(
        logs.start("worker_generate_embeddings_v2", null),
        true,
        48,
        2,
        Map.of("embeddings_created", 48),
        null);

    HttpResponse<String> r = orchestrator("?action=status", SECRET);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("success").asBoolean()).isTrue();
    assertThat(body.get("workers")).hasSize(6);
    JsonNode embeddings = null;
    for (JsonNode w : body.get("workers")) {
      assertThat(w.get("is_enabled").asBoolean()).isTrue();
      if (w.get("worker_name").asText().equals("worker_generate_embeddings_v2")) {
        embeddings = w;
      }
    }
    assertThat(embeddings.get("last_run").get("status").asText()).isEqualTo("completed");
    assertThat(embeddings.get("last_run").get("items_processed").asInt()).isEqualTo(48);
  }

  @Test
  void disable_and_enable_flip_the_flag_in_the_database() throws Exception {
    HttpResponse<String> off =
        orchestrator("?action=disable&worker=worker_classify_topics_v2", SECRET);
    assertThat(off.statusCode()).isEqualTo(200);
    assertThat(json(off).get("is_enabled").asBoolean()).isFalse();
    assertThat(new WorkerFlags(db).isEnabled("worker_classify_topics_v2")).isFalse();

    HttpResponse<String> on =
        orchestrator("?action=enable&worker=worker_classify_topics_v2", SECRET);
    assertThat(json(on).get("is_enabled").asBoolean()).isTrue();
    assertThat(new WorkerFlags(db).isEnabled("worker_classify_topics_v2")).isTrue();
  }

  @Test
  void a_missing_or_wrong_secret_is_refused_with_401_json() throws Exception {
    for (String secret : new String[] {null, "wrong", SECRET + "x", ""}) {
      HttpResponse<String> r = orchestrator("?action=status", secret);
      assertThat(r.statusCode()).as("secret %s", secret).isEqualTo(401);
      assertThat(json(r).get("error").asText()).isEqualTo("unauthorized");
      assertThat(r.body()).doesNotContain(SECRET);
    }
  }

  @Test
  void without_a_configured_secret_the_orchestrator_refuses_everyone() throws Exception {
    server.close();
    start(Map.of());
    HttpResponse<String> r = orchestrator("?action=status", "anything");
    assertThat(r.statusCode()).isEqualTo(401);
    // the answer names the credential the route takes, never whether the server has one
    assertThat(json(r).get("message").asText())
        .contains("X-Scheduler-Secret")
        .doesNotContain("configured");
  }

  @Test
  void unknown_workers_and_actions_are_400_json() throws Exception {
    HttpResponse<String> unknownWorker = orchestrator("?action=disable&worker=worker_nope", SECRET);
    assertThat(unknownWorker.statusCode()).isEqualTo(400);
    assertThat(json(unknownWorker).get("message").asText())
        .contains("unknown worker 'worker_nope'");
    assertThat(orchestrator("?action=explode", SECRET).statusCode()).isEqualTo(400);
    assertThat(orchestrator("?action=enable", SECRET).statusCode()).isEqualTo(400);
    assertThat(orchestrator("?action=status&worker=worker_nope", SECRET).statusCode())
        .isEqualTo(400);
  }

  @Test
  void metrics_are_served_in_the_prometheus_text_format() throws Exception {
    new Jobs(db, Clock.systemUTC(), metrics).enqueue("send_email", Map.of());
    metrics.completed("send_email");
    metrics.ran("send_email", 3_000_000);
    HttpResponse<String> r = send("GET", "/metrics", Map.of(), null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(r.body())
        .contains("# TYPE tributary_jobs_enqueued_total counter")
        .contains("tributary_jobs_enqueued_total{kind=\"send_email\"} 1")
        .contains("tributary_jobs_completed_total{kind=\"send_email\"} 1")
        .contains("tributary_queue_jobs{queue=\"default\",state=\"available\"} 1")
        .contains("tributary_job_run_seconds_bucket{kind=\"send_email\",le=\"0.005\"} 1")
        .contains("tributary_claim_duration_seconds_count 0");
  }

  @Test
  void the_ops_api_needs_the_service_key() throws Exception {
    assertThat(send("GET", "/api/jobs", Map.of(), null).statusCode()).isEqualTo(401);
    assertThat(
            send("POST", "/api/queues/default/pause", Map.of("Authorization", "Bearer nope"), null)
                .statusCode())
        .isEqualTo(401);
    assertThat(
            send("POST", "/api/jobs/1/cancel", Map.of("Authorization", SERVICE_KEY), null)
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void jobs_can_be_listed_shown_cancelled_and_retried_over_http() throws Exception {
    Jobs jobs = new Jobs(db);
    long id =
        jobs.enqueue(
                "import", Map.of("supplier", "bigbuy"), EnqueueOptions.defaults().queue("imports"))
            .jobId();

    JsonNode list = json(ops("GET", "/api/jobs?queue=imports&state=available", null));
    assertThat(list.get("jobs")).hasSize(1);
    assertThat(list.get("jobs").get(0).get("args").get("supplier").asText()).isEqualTo("bigbuy");

    HttpResponse<String> cancelled = ops("POST", "/api/jobs/" + id + "/cancel", null);
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(json(cancelled).get("state").asText()).isEqualTo("cancelled");
    assertThat(ops("POST", "/api/jobs/" + id + "/cancel", null).statusCode()).isEqualTo(409);

    HttpResponse<String> retried = ops("POST", "/api/jobs/" + id + "/retry", null);
    assertThat(json(retried).get("state").asText()).isEqualTo("available");
    assertThat(jobs.get(id).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);

    assertThat(ops("GET", "/api/jobs/999999", null).statusCode()).isEqualTo(404);
    assertThat(ops("GET", "/api/jobs/abc", null).statusCode()).isEqualTo(400);
    assertThat(ops("GET", "/api/jobs?state=weird", null).statusCode()).isEqualTo(400);
  }

  @Test
  void queues_can_be_paused_resumed_and_rate_limited_over_http() throws Exception {
    JsonNode paused = json(ops("POST", "/api/queues/imports/pause", null));
    assertThat(paused.get("paused").asBoolean()).isTrue();
    JsonNode limited =
        json(
            ops(
                "PUT",
                "/api/queues/imports/rate-limit",
                "{\"limit\": 100, \"interval_seconds\": 60}"));
    assertThat(limited.get("rate_limit").asInt()).isEqualTo(100);
    assertThat(ops("PUT", "/api/queues/imports/rate-limit", "{\"limit\": 0}").statusCode())
        .isEqualTo(400);
    JsonNode resumed = json(ops("POST", "/api/queues/imports/resume", null));
    assertThat(resumed.get("paused").asBoolean()).isFalse();
    assertThat(json(ops("GET", "/api/queues", null)).get("queues")).hasSize(1);
  }

  @Test
  void schedules_can_be_listed_disabled_and_run_now_over_http() throws Exception {
    new Schedules(db, Clock.systemUTC(), new Jobs(db))
        .put(Schedule.of("weekly-sync", "0 2 * * 0", "UTC", "profile_sync", Map.of()));
    assertThat(
            json(ops("GET", "/api/schedules", null)).get("schedules").get(0).get("cron").asText())
        .isEqualTo("0 2 * * 0");
    assertThat(
            json(ops("POST", "/api/schedules/weekly-sync/disable", null))
                .get("enabled")
                .asBoolean())
        .isFalse();
    HttpResponse<String> run = ops("POST", "/api/schedules/weekly-sync/run", null);
    assertThat(run.statusCode()).isEqualTo(202);
    long jobId = json(run).get("job_id").asLong();
    assertThat(new Jobs(db).get(jobId).orElseThrow().kind()).isEqualTo("profile_sync");
    assertThat(ops("POST", "/api/schedules/nope/run", null).statusCode()).isEqualTo(404);
  }
}
