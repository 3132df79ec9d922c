package dev.tributary.web.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.Hs256Token;
import dev.tributary.web.WebServer;
import dev.tributary.web.console.BoardRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's JSON API on the real server: bulk actions, workers, session and boards. */
class ConsoleApiRoutesTest {
  static final String KEY = "console-api-key";
  static final String JWT = "console-api-jwt-secret";
  final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  final Jdbc jdbc = new Jdbc(db);
  final HttpClient http = HttpClient.newHttpClient();
  final WebServer server =
      TestWeb.start(
          db,
          Map.of("SERVICE_ROLE_KEY", KEY, "JWT_SECRET", JWT),
          List.of(
              new EngineOpsRoutes(db, Clock.systemUTC(), null),
              new BulkJobRoutes(db, Clock.systemUTC()),
              new ConsoleOpsRoutes(db, Clock.systemUTC()),
              new BoardRoutes(db, Clock.systemUTC())));

  @AfterEach
  void close() {
    server.close();
    http.close();
    db.close();
  }

  private HttpResponse<String> send(String method, String path, String bearer, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode ok(String method, String path, String body) throws Exception {
    HttpResponse<String> r = send(method, path, KEY, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return WebServer.JSON.readTree(r.body());
  }

  private long dead(String queue) {
    return jdbc.queryOne(
            """
        INSERT INTO tributary.jobs (kind, queue, state, attempt, max_attempts, finished_at)
        VALUES ('k', :queue, 'dead', 1, 1, now()) RETURNING id""",
            Params.of("queue", queue),
            rs -> rs.getLong(1))
        .orElseThrow();
  }

  private String token(UUID user) {
    return Hs256Token.sign(
        "{\"sub\":\"" + user + "\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}", JWT);
  }

  @Test
  void a_bulk_action_needs_the_dry_runs_id_and_touches_what_it_counted() throws Exception {
    for (int i = 0; i < 3; i++) {
      dead("q1");
    }
    JsonNode dry =
        ok("POST", "/api/jobs/bulk", "{\"action\":\"retry\",\"queue\":\"q1\",\"dry_run\":true}");
    assertThat(dry.get("count").asLong()).isEqualTo(3);
    long late = dead("q1");

    assertThat(
            send("POST", "/api/jobs/bulk", KEY, "{\"action\":\"retry\",\"queue\":\"q1\"}")
                .statusCode())
        .isEqualTo(400);
    JsonNode done =
        ok(
            "POST",
            "/api/jobs/bulk",
            "{\"action\":\"retry\",\"queue\":\"q1\",\"up_to_id\":" + dry.get("up_to_id") + "}");
    assertThat(done.get("touched").asInt()).isEqualTo(3);
    assertThat(ok("GET", "/api/jobs/" + late, null).get("state").asText()).isEqualTo("dead");
  }

  @Test
  void bad_bulk_bodies_and_filters_are_400_with_a_message() throws Exception {
    for (String body :
        List.of(
            "{\"action\":\"explode\",\"dry_run\":true}",
            "{\"action\":\"retry\",\"dry_run\":true,\"extra\":1}",
            "{\"action\":\"retry\",\"state\":\"weird\",\"dry_run\":true}",
            "{\"action\":\"retry\",\"from\":\"yesterday\",\"dry_run\":true}",
            "{\"action\":\"retry\",\"from\":\"2025-02-01T00:00:00Z\",\"to\":\"2025-01-01T00:00:00Z\",\"dry_run\":true}",
            "{\"action\":\"retry\",\"up_to_id\":0}",
            "not json")) {
      HttpResponse<String> r = send("POST", "/api/jobs/bulk", KEY, body);
      assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
      assertThat(WebServer.JSON.readTree(r.body()).get("message").asText()).isNotBlank();
    }
    assertThat(send("GET", "/api/jobs?from=soon", KEY, null).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/api/jobs?limit=501", KEY, null).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/api/jobs?before=-3", KEY, null).statusCode()).isEqualTo(400);
  }

  @Test
  void a_stale_page_acting_on_a_changed_job_gets_a_clear_conflict() throws Exception {
    long id = dead("q1");
    ok("POST", "/api/jobs/" + id + "/retry", null);
    HttpResponse<String> again = send("POST", "/api/jobs/" + id + "/retry", KEY, null);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("is available; cannot retry it");
    jdbc.update(
        "UPDATE tributary.jobs SET state = 'running', locked_by = 'n', lease_until = now() WHERE id = :id",
        Params.of("id", id));
    assertThat(send("DELETE", "/api/jobs/" + id, KEY, null).statusCode()).isEqualTo(409);
  }

  @Test
  void pages_of_jobs_follow_each_other_with_next_before() throws Exception {
    for (int i = 0; i < 5; i++) {
      dead("q1");
    }
    JsonNode first = ok("GET", "/api/jobs?state=dead&limit=3", null);
    assertThat(first.get("jobs")).hasSize(3);
    JsonNode second =
        ok("GET", "/api/jobs?state=dead&limit=3&before=" + first.get("next_before"), null);
    assertThat(second.get("jobs")).hasSize(2);
    assertThat(second.get("next_before").isNull()).isTrue();
  }

  @Test
  void workers_list_their_flags_and_a_toggle_changes_the_table() throws Exception {
    assertThat(ok("GET", "/api/workers", null).get("workers")).hasSize(6);
    JsonNode off = ok("PUT", "/api/workers/worker_classify_hooks_v2", "{\"enabled\":false}");
    assertThat(off.get("is_enabled").asBoolean()).isFalse();
    assertThat(
            jdbc.queryOne(
                    "SELECT is_enabled FROM worker_feature_flags_v2 WHERE worker_name = 'worker_classify_hooks_v2'",
                    Params.NONE,
                    rs -> rs.getBoolean(1))
                .orElseThrow())
        .isFalse();
    assertThat(send("PUT", "/api/workers/nope", KEY, "{\"enabled\":true}").statusCode())
        .isEqualTo(404);
    assertThat(
            send("PUT", "/api/workers/worker_classify_hooks_v2", KEY, "{\"enabled\":\"yes\"}")
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void a_user_reads_their_zones_tweets_and_nothing_an_operator_steers() throws Exception {
    UUID user = UUID.randomUUID();
    UUID mine = zone("mine");
    UUID other = zone("other");
    jdbc.update(
        "INSERT INTO twitter_zone_members (zone_id, user_id) VALUES (:z, :u)",
        Params.of("z", mine, "u", user));
    jdbc.update(
        "INSERT INTO twitter_tweets (tweet_id, zone_id, text) VALUES ('1', :a, 'mine'), ('2', :b, 'theirs')",
        Params.of("a", mine, "b", other));
    String token = token(user);

    HttpResponse<String> session = send("GET", "/api/session", token, null);
    assertThat(WebServer.JSON.readTree(session.body()).get("mode").asText()).isEqualTo("viewer");
    HttpResponse<String> tweets = send("GET", "/api/boards/tweets", token, null);
    assertThat(tweets.body()).contains("\"mine\"").doesNotContain("theirs");
    assertThat(ok("GET", "/api/boards/tweets", null).get("tweets")).hasSize(2);
    assertThat(ok("GET", "/api/session", null).get("mode").asText()).isEqualTo("operator");
    for (String[] call :
        new String[][] {
          {"GET", "/api/jobs"},
          {"POST", "/api/jobs/bulk"},
          {"GET", "/api/workers"},
          {"GET", "/api/boards/imports"},
          {"POST", "/api/queues/default/pause"}
        }) {
      assertThat(send(call[0], call[1], token, "{}").statusCode()).as(call[1]).isEqualTo(403);
    }
    assertThat(send("GET", "/api/boards/tweets?tier=lukewarm", token, null).statusCode())
        .isEqualTo(400);
  }

  private UUID zone(String name) {
    return jdbc.queryOne(
            "INSERT INTO twitter_zones (name) VALUES (:n) RETURNING id",
            Params.of("n", name),
            rs -> (UUID) rs.getObject(1))
        .orElseThrow();
  }

  @Test
  void job_stats_count_by_queue_and_state_with_an_hour_of_minutes() throws Exception {
    dead("q1");
    JsonNode stats = ok("GET", "/api/stats/jobs", null);
    assertThat(stats.get("by_queue_state").get(0).get("count").asInt()).isEqualTo(1);
    assertThat(stats.get("throughput")).hasSize(60);
  }
}
