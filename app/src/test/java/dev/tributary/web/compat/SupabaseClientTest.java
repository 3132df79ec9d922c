package dev.tributary.web.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.config.TributaryConfig;
import dev.tributary.engine.testing.Await;
import dev.tributary.node.TributaryNode;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import dev.tributary.sandbox.UnipileSandbox;
import dev.tributary.testing.Rows;
import dev.tributary.web.WebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The original platform's JavaScript client ({@code @supabase/supabase-js} from npm, run by
 * Node.js) against a running node: {@code functions.invoke} and {@code rpc} as the seeds' apps call
 * them, with the client's own headers. The client lives in {@code .ci/supabase-js} (pinned by its
 * lockfile); {@code .ci/run} installs it, and this test installs it when it is missing. Skipped,
 * saying so, only on a machine without npm.
 */
class SupabaseClientTest {
  private static final String SERVICE_KEY = "client-service-key";
  private static final String ANON_KEY = "client-anon-key";
  private static final String SCHEDULER_SECRET = "client-scheduler-secret";
  private static Path client;

  private final Rows db = Rows.fresh();
  private final SyntheticLinkedIn world = new SyntheticLinkedIn(4, 3, 3, 1);
  private final LinkedInSandbox sandbox = LinkedInSandbox.start(world, "sandbox-key");
  private TributaryNode node;

  @BeforeAll
  static void installClient() throws Exception {
    assumeTrue(
        run(List.of("npm", "--version"), Path.of("."), Map.of(), 30) != null,
        "npm is not installed: SupabaseClientTest needs Node.js and npm to run @supabase/supabase-js");
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(".ci/supabase-js/package.json"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as(".ci/supabase-js above " + Path.of("").toAbsolutePath()).isNotNull();
    client = dir.resolve(".ci/supabase-js");
    if (!Files.exists(client.resolve("node_modules/@supabase/supabase-js/package.json"))) {
      assertThat(
              run(
                  List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"),
                  client,
                  Map.of(),
                  300))
          .as("npm ci in " + client)
          .isNotNull();
    }
  }

  /** Runs a process; its stdout, or null when it could not start or failed. */
  private static String run(List<String> command, Path dir, Map<String, String> env, int seconds)
      throws InterruptedException {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
      pb.environment().putAll(env);
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    }
  }

  @AfterEach
  void close() {
    if (node != null) {
      node.close();
    }
    sandbox.close();
    db.close();
  }

  private void startNode() {
    startNode(Map.of());
  }

  private void startNode(Map<String, String> more) {
    for (SyntheticLinkedIn.Profile p : world.profiles()) {
      db.profile(p.fullName(), p.publicId());
    }
    node =
        TributaryNode.start(
            TributaryConfig.from(
                with(
                    more,
                    Map.of(
                        "RAPIDAPI_KEY",
                        "sandbox-key",
                        "LINKEDIN_API_BASE_URL",
                        sandbox.baseUrl(),
                        "SERVICE_ROLE_KEY",
                        SERVICE_KEY,
                        "ANON_KEY",
                        ANON_KEY))),
            db.dataSource(),
            new TributaryNode.Options("client-node", 2, 0));
  }

  private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    Map<String, String> all = new java.util.HashMap<>(b);
    all.putAll(a);
    return all;
  }

  @Test
  void every_seed_function_the_node_serves_answers_the_real_client() throws Exception {
    try (UnipileSandbox unipile = UnipileSandbox.start("unipile-key")) {
      startNode(
          Map.of(
              "SCHEDULER_SECRET",
              SCHEDULER_SECRET,
              "UNIPILE_API_KEY",
              "unipile-key",
              "UNIPILE_BASE_URL",
              unipile.baseUrl()));
      Map<String, String> scheduler = Map.of("X-Scheduler-Secret", SCHEDULER_SECRET);
      List<Object> calls = new ArrayList<>();
      calls.add(Map.of("invoke", "automated-sync", "body", Map.of()));
      calls.add(Map.of("invoke", "publish-scheduled", "body", Map.of(), "headers", scheduler));
      calls.add(Map.of("invoke", "orchestrator-v2", "body", Map.of(), "headers", scheduler));
      for (String worker :
          List.of(
              "worker-extract-hooks-v2",
              "worker-generate-embeddings-v2",
              "worker-classify-hooks-v2",
              "worker-classify-topics-v2",
              "worker-classify-audiences-v2",
              "worker-complete-profiles-v2")) {
        calls.add(Map.of("invoke", worker, "body", Map.of("batch_size", 5), "headers", scheduler));
      }
      List<JsonNode> answers = client(SERVICE_KEY, calls.toArray());
      for (JsonNode a : answers) {
        assertThat(a.get("error").isNull()).as(a.toString()).isTrue();
        assertThat(a.at("/data/success").asBoolean()).as(a.toString()).isTrue();
      }
      assertThat(answers.get(2).at("/data/workers").size()).isEqualTo(6);
      // the scheduler's functions refuse the service key alone, as the client reports
      JsonNode refused =
          client(SERVICE_KEY, Map.of("invoke", "orchestrator-v2", "body", Map.of())).get(0);
      assertThat(refused.at("/error/status").asInt()).isEqualTo(403);
    }
  }

  /** Runs the calls with the real client; one answer per call. */
  private List<JsonNode> client(String key, Object... calls) throws Exception {
    String out =
        run(
            List.of("node", "client.mjs", WebServer.JSON.writeValueAsString(List.of(calls))),
            client,
            Map.of("TRIBUTARY_URL", "http://127.0.0.1:" + node.port(), "TRIBUTARY_KEY", key),
            120);
    assertThat(out).as("node client.mjs ran").isNotNull();
    List<JsonNode> answers = new ArrayList<>();
    for (String line : out.strip().split("\n")) {
      answers.add(WebServer.JSON.readTree(line));
    }
    assertThat(answers).hasSize(calls.length);
    return answers;
  }

  @Test
  void functions_invoke_and_rpc_from_the_real_client_reach_the_node() throws Exception {
    startNode();
    JsonNode sync =
        client(
                SERVICE_KEY,
                Map.of(
                    "invoke",
                    "sync-profiles",
                    "body",
                    Map.of("max_profiles", 10, "generate_embeddings", true)))
            .get(0);
    assertThat(sync.get("error").isNull()).as(sync.toString()).isTrue();
    assertThat(sync.at("/data/success").asBoolean()).isTrue();
    assertThat(sync.at("/data/profiles_processed").asInt()).isEqualTo(world.profiles().size());
    assertThat(sync.at("/data/posts_new").asInt()).isPositive();

    Await.until(
        "the cascade embedded every post",
        Duration.ofSeconds(90),
        () -> db.count("SELECT count(*) FROM viral_posts_bank WHERE embedding IS NULL") == 0);
    String vector =
        db.text("SELECT embedding::text FROM viral_posts_bank ORDER BY created_at LIMIT 1");
    List<Double> query =
        List.of(
            WebServer.JSON.readValue(vector.replace('{', '[').replace('}', ']'), Double[].class));

    List<JsonNode> answers =
        client(
            SERVICE_KEY,
            Map.of(
                "invoke",
                "process-embedding-queue",
                "body",
                Map.of("action", "process", "batchSize", 5)),
            Map.of(
                "rpc",
                "match_viral_posts",
                "args",
                Map.of("query_embedding", query, "match_threshold", 0.1, "match_count", 3)),
            Map.of("invoke", "no-such-function", "body", Map.of()),
            Map.of("rpc", "match_viral_posts", "args", Map.of("query_embedding", List.of())));
    JsonNode queue = answers.get(0);
    assertThat(queue.get("error").isNull()).as(queue.toString()).isTrue();
    assertThat(queue.at("/data/success").asBoolean()).isTrue();
    assertThat(queue.at("/data/action").asText()).isEqualTo("process");

    JsonNode match = answers.get(1);
    assertThat(match.get("error").isNull()).as(match.toString()).isTrue();
    assertThat(match.get("data").size()).isBetween(1, 3);
    assertThat(match.at("/data/0/similarity").asDouble()).isGreaterThan(0.99);

    // errors come back as the client expects them: non-2xx with a JSON body
    JsonNode missing = answers.get(2);
    assertThat(missing.at("/error/name").asText()).isEqualTo("FunctionsHttpError");
    assertThat(missing.at("/error/status").asInt()).isEqualTo(404);
    JsonNode body = WebServer.JSON.readTree(missing.at("/error/body").asText());
    assertThat(body.get("error").asText()).isEqualTo("function_not_found");
    assertThat(body.get("message").asText())
        .contains("no-such-function")
        .contains("sync-profiles")
        .contains("process-embedding-queue")
        .contains("worker-generate-embeddings-v2")
        .contains("orchestrator-v2");
    JsonNode badRpc = answers.get(3);
    assertThat(badRpc.get("data").isNull()).isTrue();
    assertThat(badRpc.at("/error/message").asText()).contains("query_embedding");
  }

  @Test
  void a_wrong_key_is_a_401_the_client_reports_and_the_anon_key_reaches_search_only()
      throws Exception {
    startNode();
    List<JsonNode> wrong =
        client("not-the-key", Map.of("invoke", "sync-profiles", "body", Map.of("max_profiles", 1)));
    assertThat(wrong.get(0).at("/error/status").asInt()).isEqualTo(401);
    assertThat(WebServer.JSON.readTree(wrong.get(0).at("/error/body").asText()).has("message"))
        .isTrue();
    assertThat(db.count("SELECT count(*) FROM sync_jobs")).isZero();

    List<JsonNode> anon =
        client(ANON_KEY, Map.of("invoke", "sync-profiles", "body", Map.of("max_profiles", 1)));
    assertThat(anon.get(0).at("/error/status").asInt()).isEqualTo(403);
  }

  @Test
  void a_browser_preflight_is_answered_for_every_function_and_rpc() throws Exception {
    startNode();
    try (HttpClient http = HttpClient.newHttpClient()) {
      for (String path :
          List.of(
              "/functions/v1/sync-profiles",
              "/functions/v1/process-embedding-queue",
              "/functions/v1/orchestrator-v2",
              "/functions/v1/worker-extract-hooks-v2",
              "/functions/v1/automated-sync",
              "/rest/v1/rpc/match_viral_posts")) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://app.example.com")
                    .header("Access-Control-Request-Method", "POST")
                    .header(
                        "Access-Control-Request-Headers",
                        "authorization, apikey, x-client-info, content-type")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as(path).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
            .as(path)
            .contains("authorization", "apikey", "x-client-info", "content-type");
      }
    }
  }
}
