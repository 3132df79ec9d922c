package dev.tributary.pipelines.vectorsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.Embedders;
import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole path with the real bundled model: FAQ rows -> trigger -> queue -> MiniLM -> index ->
 * HTTP search.
 */
class LocalModelEndToEndTest {
  @Test
  void a_question_in_other_words_finds_the_right_faq_through_the_http_api() throws Exception {
    try (HikariDataSource ds = TestPostgres.freshDatabase(Migrations.LOCATIONS);
        SearchModule module = SearchModule.start(ds, new Embedders(new LocalOnnxEmbedder()));
        WebServer server =
            TestWeb.start(ds, Map.of("SERVICE_ROLE_KEY", "k"), TestWeb.searchRoutes(module, ds))) {
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            """
            INSERT INTO faq_items (question, answer) VALUES
              ('How do I reset my password?', 'Open Settings, choose Security and click Reset password.'),
              ('Which countries do you ship to?', 'We deliver to every country in the European Union.'),
              ('Can I get a refund?', 'Refunds are accepted within 30 days of purchase.'),
              ('Is there a mobile app?', 'Yes, for iPhone and Android.')""");
      }
      assertThat(module.processor().drain(20).completed()).isEqualTo(4);
      HttpClient http = HttpClient.newHttpClient();
      JsonNode results =
          Await.value(
              "the FAQ is found through /api/search",
              Duration.ofSeconds(20),
              () -> {
                JsonNode found = search(http, server.port());
                return found.isEmpty() ? null : found;
              });
      assertThat(results.get(0).get("content").asText()).startsWith("How do I reset my password?");
    }
  }

  private static JsonNode search(HttpClient http, int port) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/search"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer k")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"query\":\"I forgot my login credentials\",\"count\":2}"))
            .build();
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return WebServer.JSON.readTree(r.body()).get("results");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
