package dev.tributary.web.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.OpenAiLabelClassifier;
import dev.tributary.connectors.openai.OpenAiClient;
import dev.tributary.connectors.openai.OpenAiConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.enrichment.CascadeWorker;
import dev.tributary.pipelines.enrichment.ClassificationWorker;
import dev.tributary.pipelines.enrichment.LeftOutPost;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.Rows;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens are counted per run and stored with its execution log, including the calls that asked a
 * post again alone after the batch answer left it out: every call the vendor billed is in the sum.
 */
class TokenUsageLogTest {
  private static final String SECRET = "scheduler-secret-for-tests";

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final Rows rows = new Rows(db);
  private final FakeHttpServer fake = new FakeHttpServer();
  private final OpenAiClient client =
      new OpenAiClient(
          OpenAiConfig.builder().apiKey("sk-test").baseUrl(fake.baseUrl() + "/v1").build());
  private final CascadeWorker topics =
      ClassificationWorker.topics(db, new OpenAiLabelClassifier(client, "topic"));
  private final WebServer server =
      TestWeb.start(
          db,
          Map.of("SCHEDULER_SECRET", SECRET),
          new WorkerRoutes(List.of(topics), db, WorkerRoutes.DEFAULT_PAUSE, pause -> {}));
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    server.close();
    http.close();
    client.close();
    fake.close();
    db.close();
  }

  @Test
  void a_run_stores_the_tokens_of_every_billed_call_in_its_log() throws Exception {
    String topic = LeftOutPost.threePostsFlaggedForTopics(rows, "Tokens");
    LeftOutPost.answersLeavingTheThirdOut(fake, topic);

    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + server.port() + WorkerRoutes.path(topics.name())))
                .header("Content-Type", "application/json")
                .header("X-Scheduler-Secret", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    int calls = fake.requests().size();
    assertThat(calls).isEqualTo(3);
    // FakeOpenAi bills 15 prompt + 9 completion tokens a call
    JsonNode result = WebServer.JSON.readTree(r.body()).get("result");
    assertThat(result.get("prompt_tokens").asLong()).isEqualTo(15L * calls);
    assertThat(result.get("completion_tokens").asLong()).isEqualTo(9L * calls);
    assertThat(result.get("total_tokens").asLong()).isEqualTo(24L * calls);
    Map<String, Object> log =
        rows.row(
            "SELECT status, items_processed, items_failed,"
                + " (result->>'prompt_tokens')::int AS prompt,"
                + " (result->>'completion_tokens')::int AS completion,"
                + " (result->>'total_tokens')::int AS total FROM task_execution_logs_v2");
    assertThat(log)
        .containsEntry("status", "completed")
        .containsEntry("items_processed", 2)
        .containsEntry("items_failed", 1)
        .containsEntry("prompt", 15 * calls)
        .containsEntry("completion", 9 * calls)
        .containsEntry("total", 24 * calls);
  }
}
