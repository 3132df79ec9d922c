package dev.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.node.TributaryNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi.json} on a serving node: a valid OpenAPI 3.1 document (read by a real parser)
 * that lists every route the node registered, each with a summary and its auth, and no route the
 * node does not serve. Also the Grafana dashboard queries only metrics the node exports.
 */
class OpenApiDocumentTest {
  private static final String KEY = "openapi-service-key";
  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    http.close();
    db.close();
  }

  private TributaryNode node() {
    return TributaryNode.start(
        TributaryConfig.from(Map.of("SERVICE_ROLE_KEY", KEY)),
        db,
        new TributaryNode.Options("openapi-node", 1, 0));
  }

  private HttpResponse<String> call(int port, String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void the_document_is_valid_openapi_and_names_every_served_route_with_its_auth() throws Exception {
    try (TributaryNode node = node()) {
      String body = call(node.port(), "GET", "/openapi.json").body();

      SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(body, null, null);
      assertThat(parsed.getMessages()).isEmpty();
      assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");

      JsonNode doc = WebServer.JSON.readTree(body);
      Set<String> documented = new TreeSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
          paths.hasNext(); ) {
        Map.Entry<String, JsonNode> path = paths.next();
        for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields();
            ops.hasNext(); ) {
          Map.Entry<String, JsonNode> op = ops.next();
          String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
          documented.add(method + " " + path.getKey());
          JsonNode operation = op.getValue();
          assertThat(operation.path("responses").path("400").path("content").toString())
              .contains("#/components/schemas/Error");
          boolean open = operation.path("security").isEmpty();
          HttpResponse<String> r = call(node.port(), method, concrete(path.getKey()));
          // the route exists: whatever it answers, it is not the server's "no route"
          assertThat(r.body()).as(method + " " + path.getKey()).doesNotContain("no route for");
          if (!open) {
            assertThat(r.statusCode()).as(method + " " + path.getKey()).isEqualTo(401);
          } else {
            assertThat(r.statusCode()).as(method + " " + path.getKey()).isNotIn(401, 403);
          }
        }
      }
      // every served route has a hand-written summary and every summary a served route
      assertThat(documented).isEqualTo(new TreeSet<>(OpenApi.summaries().keySet()));
      assertThat(documented).contains("GET /openapi.json", "POST /api/jobs/bulk", "GET /console");
    }
  }

  private static String concrete(String path) {
    return path.replaceAll("\\{[^}]+}", "1");
  }

  @Test
  void the_grafana_dashboard_queries_only_metrics_the_node_exports() throws Exception {
    String dashboard = Files.readString(Path.of("..", "docs", "grafana-dashboard.json"));
    JsonNode json = WebServer.JSON.readTree(dashboard);
    Set<String> queried = new TreeSet<>();
    Matcher m = Pattern.compile("tributary_[a-z_]+").matcher(dashboard);
    while (m.find()) {
      queried.add(m.group().replaceAll("_(bucket|sum|count)$", ""));
    }
    assertThat(json.get("panels")).isNotEmpty();
    assertThat(queried).hasSizeGreaterThan(5);
    try (TributaryNode node = node()) {
      String metrics = call(node.port(), "GET", "/metrics").body();
      Set<String> exported = new TreeSet<>();
      Matcher t = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(metrics);
      while (t.find()) {
        exported.add(t.group(1));
      }
      assertThat(exported).containsAll(queried);
    }
  }
}
