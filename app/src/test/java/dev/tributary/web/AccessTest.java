package dev.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.Embedders;
import dev.tributary.db.Migrations;
import dev.tributary.engine.metrics.EngineMetrics;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.vectorsync.SearchModule;
import dev.tributary.search.HashingEmbedder;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.ops.EngineOpsRoutes;
import dev.tributary.web.ops.OrchestratorRoutes;
import dev.tributary.web.search.SearchRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one authentication step, on the running server with the real routes. */
class AccessTest {
  static final String SERVICE = "service-key-1";
  static final String SCHEDULER = "scheduler-secret-1";
  static final String JWT_SECRET = "jwt-secret-for-tests-0123456789";
  static final String ANON = "anon-key-1";
  static final String QSTASH_CURRENT = "sig_current_1";
  static final String QSTASH_NEXT = "sig_next_1";
  static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final SearchModule search =
      SearchModule.start(db, new Embedders(new HashingEmbedder("test/hash")));
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private WebServer server;

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    search.close();
    db.close();
  }

  private void start(Map<String, String> env) {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    EngineMetrics metrics = new EngineMetrics();
    List<WebServer.Routes> routes =
        List.of(
            new OrchestratorRoutes(db, clock, metrics, env.containsKey("METRICS_TOKEN")),
            new EngineOpsRoutes(db, clock, metrics),
            new SearchRoutes(search.service()),
            app -> app.post("/test/qstash", ctx -> ctx.result("ok:" + ctx.body()), Role.QSTASH),
            app -> app.get("/test/forgotten", ctx -> ctx.result("data")));
    server = WebServer.start(0, db, TestWeb.access(env, clock), routes);
    closing.add(server);
  }

  private void startAll() {
    start(
        Map.of(
            "SERVICE_ROLE_KEY", SERVICE,
            "SCHEDULER_SECRET", SCHEDULER,
            "JWT_SECRET", JWT_SECRET,
            "ANON_KEY", ANON,
            "QSTASH_CURRENT_SIGNING_KEY", QSTASH_CURRENT,
            "QSTASH_NEXT_SIGNING_KEY", QSTASH_NEXT));
  }

  private HttpResponse<String> call(String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String userToken(String sub, Instant exp) {
    return Hs256Token.sign(
        "{\"sub\":\"" + sub + "\",\"role\":\"authenticated\",\"exp\":" + exp.getEpochSecond() + "}",
        JWT_SECRET);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return WebServer.JSON.readTree(r.body());
  }

  private static final String SEARCH = "{\"query\":\"pricing\"}";

  @Test
  void search_needs_a_credential_and_takes_the_service_key_a_users_token_or_the_anon_key()
      throws Exception {
    startAll();
    assertThat(call("POST", "/api/search", SEARCH).statusCode()).isEqualTo(401);
    assertThat(
            call("POST", "/api/search", SEARCH, "Authorization", "Bearer " + SERVICE).statusCode())
        .isEqualTo(200);
    String user = userToken("user-1", NOW.plusSeconds(600));
    assertThat(call("POST", "/api/search", SEARCH, "Authorization", "Bearer " + user).statusCode())
        .isEqualTo(200);
    assertThat(call("POST", "/api/search", SEARCH, "apikey", ANON).statusCode()).isEqualTo(200);
    // the original platform's client sends the anon key both ways
    assertThat(
            call(
                    "POST",
                    "/rest/v1/rpc/match_topics",
                    "{\"query_embedding\":[1]}",
                    "apikey",
                    ANON,
                    "Authorization",
                    "Bearer " + ANON)
                .statusCode())
        .isIn(200, 400);
  }

  @Test
  void an_expired_forged_or_unsigned_token_is_refused_with_401() throws Exception {
    startAll();
    String expired = userToken("user-1", NOW.minusSeconds(1));
    String forged =
        Hs256Token.sign(
            "{\"sub\":\"user-1\",\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}",
            "another-secret");
    String noExpiry = Hs256Token.sign("{\"sub\":\"user-1\"}", JWT_SECRET);
    String algNone =
        java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + userToken("user-1", NOW.plusSeconds(600)).split("\\.")[1]
            + ".";
    for (String token : List.of(expired, forged, noExpiry, algNone, "not.a.jwt", "garbage")) {
      HttpResponse<String> r =
          call("POST", "/api/search", SEARCH, "Authorization", "Bearer " + token);
      assertThat(r.statusCode()).as(token).isEqualTo(401);
      assertThat(json(r).get("error").asText()).isEqualTo("unauthorized");
    }
  }

  @Test
  void a_valid_credential_without_the_routes_role_gets_403() throws Exception {
    startAll();
    String user = userToken("user-1", NOW.plusSeconds(600));
    assertThat(call("GET", "/api/jobs", null, "Authorization", "Bearer " + user).statusCode())
        .isEqualTo(403);
    assertThat(call("GET", "/api/jobs", null, "apikey", ANON).statusCode()).isEqualTo(403);
    assertThat(call("GET", "/api/jobs", null, "X-Scheduler-Secret", SCHEDULER).statusCode())
        .isEqualTo(403);
    assertThat(
            call("GET", "/functions/v1/orchestrator-v2", null, "Authorization", "Bearer " + SERVICE)
                .statusCode())
        .isEqualTo(403);
    assertThat(call("GET", "/api/jobs", null, "Authorization", "Bearer " + SERVICE).statusCode())
        .isEqualTo(200);
  }

  @Test
  void the_bearer_scheme_is_read_the_same_everywhere_case_and_spaces_aside() throws Exception {
    startAll();
    for (String header :
        List.of("Bearer " + SERVICE, "bearer " + SERVICE, "BEARER   " + SERVICE + "  ")) {
      assertThat(call("GET", "/api/jobs", null, "Authorization", header).statusCode())
          .as(header)
          .isEqualTo(200);
    }
    for (String header :
        List.of(SERVICE, "Basic " + SERVICE, "Bearer", "Bearer " + SERVICE + "x")) {
      assertThat(call("GET", "/api/jobs", null, "Authorization", header).statusCode())
          .as(header)
          .isEqualTo(401);
    }
  }

  @Test
  void no_answer_says_which_secrets_the_server_has() throws Exception {
    start(Map.of());
    HttpResponse<String> none = call("GET", "/api/jobs", null, "Authorization", "Bearer x");
    start(Map.of("SERVICE_ROLE_KEY", SERVICE));
    HttpResponse<String> wrong = call("GET", "/api/jobs", null, "Authorization", "Bearer x");
    assertThat(none.statusCode()).isEqualTo(wrong.statusCode()).isEqualTo(401);
    assertThat(none.body()).isEqualTo(wrong.body()).doesNotContain("configured");
  }

  @Test
  void a_route_that_declares_no_role_is_closed_and_health_is_open() throws Exception {
    startAll();
    assertThat(
            call("GET", "/test/forgotten", null, "Authorization", "Bearer " + SERVICE).statusCode())
        .isEqualTo(403);
    assertThat(call("GET", "/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void metrics_are_open_unless_a_token_is_set() throws Exception {
    startAll();
    assertThat(call("GET", "/metrics", null).statusCode()).isEqualTo(200);
    start(Map.of("METRICS_TOKEN", "scrape-1", "SERVICE_ROLE_KEY", SERVICE));
    assertThat(call("GET", "/metrics", null).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/metrics", null, "Authorization", "Bearer scrape-1").statusCode())
        .isEqualTo(200);
  }

  private static String qstash(String key, String body, Instant iat, String sub) {
    String hash = Access.bodyHash(body.getBytes(StandardCharsets.UTF_8)) + "=";
    return Hs256Token.sign(
        "{\"iss\":\"Upstash\",\"sub\":\""
            + sub
            + "\",\"exp\":"
            + iat.plusSeconds(300).getEpochSecond()
            + ",\"nbf\":"
            + iat.getEpochSecond()
            + ",\"iat\":"
            + iat.getEpochSecond()
            + ",\"jti\":\"jwt_1\",\"body\":\""
            + hash
            + "\"}",
        key);
  }

  @Test
  void a_qstash_call_is_verified_against_either_signing_key_and_its_raw_body() throws Exception {
    startAll();
    String body = "{\"tweets\":[1,2]}";
    String url = "https://example.test/test/qstash";
    assertThat(
            call(
                    "POST",
                    "/test/qstash",
                    body,
                    "Upstash-Signature",
                    qstash(QSTASH_CURRENT, body, NOW, url))
                .body())
        .isEqualTo("ok:" + body);
    // during a key rotation QStash signs with the next key
    assertThat(
            call(
                    "POST",
                    "/test/qstash",
                    body,
                    "Upstash-Signature",
                    qstash(QSTASH_NEXT, body, NOW, url))
                .statusCode())
        .isEqualTo(200);
    // a changed body, an expired token and a foreign key are all refused
    assertThat(
            call(
                    "POST",
                    "/test/qstash",
                    body + " ",
                    "Upstash-Signature",
                    qstash(QSTASH_CURRENT, body, NOW, url))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            call(
                    "POST",
                    "/test/qstash",
                    body,
                    "Upstash-Signature",
                    qstash(QSTASH_CURRENT, body, NOW.minusSeconds(3600), url))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            call(
                    "POST",
                    "/test/qstash",
                    body,
                    "Upstash-Signature",
                    qstash("sig_other", body, NOW, url))
                .statusCode())
        .isEqualTo(401);
    // QStash cannot reach the operator routes
    assertThat(
            call(
                    "GET",
                    "/api/jobs",
                    null,
                    "Upstash-Signature",
                    qstash(QSTASH_CURRENT, "", NOW, url))
                .statusCode())
        .isEqualTo(403);
  }
}
