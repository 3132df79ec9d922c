package dev.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.Embedders;
import dev.tributary.db.Migrations;
import dev.tributary.engine.Queues;
import dev.tributary.engine.metrics.EngineMetrics;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.vectorsync.SearchModule;
import dev.tributary.search.HashingEmbedder;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.ops.EngineOpsRoutes;
import dev.tributary.web.ops.OrchestratorRoutes;
import dev.tributary.web.search.SearchRoutes;
import dev.tributary.web.vectorsync.VectorSyncRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests a new user sends by mistake or on purpose: each gets a 400 with {@code {error,
 * message}}, none reaches PostgreSQL as a 500, and none is silently coerced into something else.
 */
class BadInputTest {
  static final String KEY = "service-key-1";
  static final String SECRET = "scheduler-secret-1";

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final SearchModule search =
      SearchModule.start(db, new Embedders(new HashingEmbedder("test/hash")));
  private final EngineMetrics metrics = new EngineMetrics();
  private final WebServer server =
      TestWeb.start(
          db,
          Map.of("SERVICE_ROLE_KEY", KEY, "SCHEDULER_SECRET", SECRET),
          List.of(
              new OrchestratorRoutes(db, Clock.systemUTC(), metrics, false),
              new EngineOpsRoutes(db, Clock.systemUTC(), metrics),
              new SearchRoutes(search.service()),
              new VectorSyncRoutes(db, search.processor())));
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    server.close();
    search.close();
    db.close();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Authorization", "Bearer " + KEY)
            .header("X-Scheduler-Secret", SECRET)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void assert400(HttpResponse<String> r, String messagePart) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    var body = WebServer.JSON.readTree(r.body());
    assertThat(body.get("error").asText()).isEqualTo("bad_request");
    assertThat(body.get("message").asText()).containsIgnoringCase(messagePart);
  }

  @Test
  void rate_limits_out_of_range_or_of_the_wrong_type_are_refused_and_nothing_changes()
      throws Exception {
    assert400(
        send("PUT", "/api/queues/default/rate-limit", "{\"limit\":1,\"interval_seconds\":1e19}"),
        "interval_seconds");
    assert400(
        send(
            "PUT", "/api/queues/default/rate-limit", "{\"limit\":\"5\",\"interval_seconds\":true}"),
        "limit");
    assert400(
        send("PUT", "/api/queues/default/rate-limit", "{\"limit\":5,\"interval_seconds\":true}"),
        "interval_seconds");
    assert400(
        send("PUT", "/api/queues/default/rate-limit", "{\"limit\":2.5,\"interval_seconds\":10}"),
        "limit");
    assert400(
        send(
            "PUT",
            "/api/queues/default/rate-limit",
            "{\"limit\":5,\"interval_seconds\":10,\"x\":1}"),
        "unknown field 'x'");
    assert400(
        send("PUT", "/api/queues/default/rate-limit", "{\"limit\":5,\"interval_seconds\":10} junk"),
        "JSON");
    assert400(send("PUT", "/api/queues/default/rate-limit", "{\"limit\":5}"), "interval_seconds");
    assertThat(new Queues(db, Clock.systemUTC()).list())
        .allSatisfy(q -> assertThat(q.rateLimit()).isNull());
    assertThat(
            send("PUT", "/api/queues/default/rate-limit", "{\"limit\":5,\"interval_seconds\":10}")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void nul_characters_in_the_url_or_the_body_are_a_400_not_a_database_error() throws Exception {
    assert400(send("GET", "/api/jobs?queue=%00", null), "NUL");
    assert400(send("GET", "/functions/v1/orchestrator-v2?action=disable&worker=%00", null), "NUL");
    assert400(send("POST", "/api/search", "{\"query\":\"a\\u0000b\"}"), "NUL");
  }

  @Test
  void numbers_that_do_not_fit_and_trailing_garbage_are_refused() throws Exception {
    assert400(
        send("POST", "/functions/v1/process-embedding-queue", "{\"batchSize\":4294967297}"),
        "batchSize");
    assert400(
        send("POST", "/functions/v1/process-embedding-queue", "{\"batchSize\":\"10\"}"),
        "batchSize");
    assert400(send("POST", "/api/search", "{\"query\":\"a\"} junk"), "JSON");
    assert400(send("POST", "/api/search", "{\"query\":\"a\",\"count\":1.5}"), "count");
    assert400(send("POST", "/api/search", "[1,2]"), "JSON object");
    assert400(send("POST", "/api/search", "{\"query\":"), "not valid JSON");
    assert400(send("POST", "/rest/v1/rpc/match_topics", "{\"match_count\":\"3\"}"), "");
  }
}
