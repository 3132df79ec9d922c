package dev.tributary.web.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.Embedders;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.vectorsync.SearchModule;
import dev.tributary.search.HashingEmbedder;
import dev.tributary.search.SpaceKey;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.WebServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SearchRoutesTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static final String KEY = "service-key-for-tests";
  private static final String ADMIN = "admin-key-for-tests";
  private final HikariDataSource ds = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final HashingEmbedder embedder = new HashingEmbedder("test/hash-a");
  private final SearchModule module = SearchModule.start(ds, new Embedders(embedder));
  private final WebServer server =
      TestWeb.start(
          ds,
          Map.of("SERVICE_ROLE_KEY", KEY, "ADMIN_KEY", ADMIN),
          TestWeb.searchRoutes(module, ds));
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    server.close();
    module.close();
    ds.close();
  }

  private HttpResponse<String> post(String path, String json, String key) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    // search reads indexed text: every call here is an operator's unless a test says otherwise
    // (null: the service key, "": no credential at all)
    if (key == null || !key.isEmpty()) {
      b.header("Authorization", "Bearer " + (key == null ? KEY : key));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String exec(String sql, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      if (ps.execute()) {
        try (ResultSet rs = ps.getResultSet()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
      return null;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static String vectorLiteral(float[] v) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(v[i]);
    }
    return sb.append('}').toString();
  }

  private static String jsonVector(float[] v) {
    return vectorLiteral(v).replace('{', '[').replace('}', ']');
  }

  private List<String> sqlIds(String call) {
    List<String> ids = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(call);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString("id"));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return ids;
  }

  private static List<String> ids(HttpResponse<String> r) throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode n : WebServer.JSON.readTree(r.body())) {
      ids.add(n.get("id").asText());
    }
    return ids;
  }

  @Test
  void the_seven_match_functions_over_http_return_what_the_sql_functions_return() throws Exception {
    String author = exec("INSERT INTO profiles DEFAULT VALUES RETURNING id::text");
    String topic = exec("SELECT id::text FROM topics LIMIT 1");
    String[] texts = {
      "grow your newsletter audience fast",
      "hiring engineers for a startup",
      "newsletter growth tips",
      "pricing your first product",
      "audience building on linkedin",
      "cold email that gets replies"
    };
    for (int i = 0; i < texts.length; i++) {
      exec(
          "INSERT INTO viral_posts_bank (content, author_id, topic_id, embedding, embedding_model) "
              + "VALUES (?, ?::uuid, ?::uuid, ?::real[], 'test/hash-a')",
          texts[i],
          i % 2 == 0 ? author : null,
          i % 3 == 0 ? topic : null,
          vectorLiteral(embedder.embed(texts[i])));
    }
    for (String table : List.of("topics", "audiences", "hook_types")) {
      // the module's switch runner embeds every catalogue row with the configured model first
      int rows = Integer.parseInt(exec("SELECT count(*) FROM " + table));
      Await.until(
          table + " are embedded and indexed",
          WAIT,
          () -> module.index().size(new SpaceKey(table, "test/hash-a")) == rows);
      exec(
          "UPDATE "
              + table
              + " SET embedding = ?::real[], embedding_model = 'test/hash-a' WHERE id IN "
              + "(SELECT id FROM "
              + table
              + " ORDER BY name LIMIT 3)",
          vectorLiteral(embedder.embed("newsletter growth")));
    }
    float[] q = embedder.embed("newsletter audience growth");
    String lit = vectorLiteral(q);
    String vec = jsonVector(q);
    Await.until(
        "the index holds the posts",
        WAIT,
        () -> module.index().size(new SpaceKey("viral_posts_bank", "test/hash-a")) == 6);
    Await.until(
        "the index holds the catalogues' new vectors",
        WAIT,
        () -> module.index().search("hook_types", q, Map.of(), 0.5, 10).size() == 3);

    assertThat(
            ids(
                post(
                    "/rest/v1/rpc/match_viral_posts",
                    "{\"query_embedding\":" + vec + ",\"match_threshold\":0.0,\"match_count\":4}",
                    null)))
        .containsExactlyElementsOf(sqlIds("SELECT * FROM match_viral_posts('" + lit + "', 0.0, 4)"))
        .hasSize(4);
    assertThat(
            ids(
                post(
                    "/rest/v1/rpc/match_viral_posts_by_author",
                    "{\"query_embedding\":"
                        + vec
                        + ",\"author_id\":\""
                        + author
                        + "\",\"match_threshold\":-1}",
                    null)))
        .containsExactlyElementsOf(
            sqlIds(
                "SELECT * FROM match_viral_posts_by_author('" + lit + "', '" + author + "', -1)"))
        .hasSize(3);
    assertThat(
            ids(
                post(
                    "/rest/v1/rpc/match_viral_posts_by_topic",
                    "{\"query_embedding\":"
                        + vec
                        + ",\"topic_id\":\""
                        + topic
                        + "\",\"match_threshold\":-1}",
                    null)))
        .containsExactlyElementsOf(
            sqlIds("SELECT * FROM match_viral_posts_by_topic('" + lit + "', '" + topic + "', -1)"))
        .hasSize(2);
    assertThat(
            ids(
                post(
                    "/rest/v1/rpc/match_viral_posts_filtered",
                    "{\"query_embedding\":"
                        + vec
                        + ",\"filters\":{\"author_id\":\""
                        + author
                        + "\",\"topic_id\":\""
                        + topic
                        + "\"},\"match_threshold\":-1}",
                    null)))
        .containsExactlyElementsOf(
            sqlIds(
                "SELECT * FROM match_viral_posts_filtered('"
                    + lit
                    + "', '{\"author_id\":\""
                    + author
                    + "\",\"topic_id\":\""
                    + topic
                    + "\"}', -1)"))
        .hasSize(1);
    for (String fn : List.of("match_topics", "match_audiences", "match_hook_types")) {
      assertThat(
              ids(
                  post(
                      "/rest/v1/rpc/" + fn,
                      "{\"query_embedding\":" + vec + ",\"match_threshold\":0.5}",
                      null)))
          .containsExactlyElementsOf(sqlIds("SELECT * FROM " + fn + "('" + lit + "', 0.5)"))
          .hasSize(3);
    }
  }

  @Test
  void bad_input_is_a_400_that_says_what_is_wrong() throws Exception {
    HttpResponse<String> r =
        post("/rest/v1/rpc/match_viral_posts", "{\"query_embedding\":[0.1,0.2]}", null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"error\":\"bad_request\"").contains("2 dimensions");
    assertThat(post("/rest/v1/rpc/match_everything", "{}", null).body())
        .contains("unknown function");
    String vec = jsonVector(embedder.embed("x"));
    r =
        post(
            "/rest/v1/rpc/match_topics",
            "{\"query_embedding\":" + vec + ",\"match_threshold\":1.5}",
            null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("match_threshold must be a number between -1 and 1");
    assertThat(
            post(
                    "/rest/v1/rpc/match_topics",
                    "{\"query_embedding\":" + vec + ",\"match_count\":0}",
                    null)
                .statusCode())
        .isEqualTo(400);
    assertThat(
            post(
                    "/rest/v1/rpc/match_viral_posts_by_author",
                    "{\"query_embedding\":" + vec + ",\"author_id\":\"nope\"}",
                    null)
                .body())
        .contains("author_id is not a uuid");
    assertThat(post("/api/search", "{\"query\":\"  \"}", null).body())
        .contains("'query' must be a non-empty text");
    assertThat(post("/api/search", "not json", null).statusCode()).isEqualTo(400);
  }

  @Test
  void queue_endpoint_needs_the_service_key_and_processes_or_resyncs() throws Exception {
    exec("INSERT INTO faq_items (question, answer) VALUES ('opening hours', 'we open at nine')");
    assertThat(
            post("/functions/v1/process-embedding-queue", "{\"action\":\"process\"}", "")
                .statusCode())
        .isEqualTo(401);
    assertThat(
            post("/functions/v1/process-embedding-queue", "{\"action\":\"process\"}", KEY + "x")
                .statusCode())
        .isEqualTo(401);
    HttpResponse<String> r =
        post(
            "/functions/v1/process-embedding-queue",
            "{\"action\":\"process\",\"batchSize\":5}",
            KEY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(WebServer.JSON.readTree(r.body()).get("completed").asInt()).isEqualTo(1);
    r =
        post(
            "/functions/v1/process-embedding-queue",
            "{\"action\":\"resync\",\"forceResync\":\"faq_items\"}",
            KEY);
    assertThat(WebServer.JSON.readTree(r.body()).get("enqueued").asInt()).isEqualTo(1);
    assertThat(
            post(
                    "/functions/v1/process-embedding-queue",
                    "{\"action\":\"resync\",\"forceResync\":\"nope\"}",
                    KEY)
                .statusCode())
        .isEqualTo(400);
    assertThat(
            post("/functions/v1/process-embedding-queue", "{\"action\":\"explode\"}", KEY)
                .statusCode())
        .isEqualTo(400);

    exec(
        "CREATE TABLE projects (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text, summary text)");
    r =
        post(
            "/api/vectorize/sources",
            "{\"table\":\"projects\",\"idColumn\":\"id\",\"content\":\"name || ' ' || summary\"}",
            ADMIN);
    assertThat(r.statusCode()).isEqualTo(201);
    r =
        post(
            "/api/vectorize/sources",
            "{\"table\":\"projects\",\"idColumn\":\"nope\",\"content\":\"name\"}",
            ADMIN);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("no column named nope");
  }

  @Test
  void an_uploaded_pdf_is_chunked_embedded_and_searchable_and_a_malformed_one_is_refused()
      throws Exception {
    StringBuilder words = new StringBuilder();
    for (int i = 0; i < 70; i++) {
      words.append("lighthouse keeper journal entry ").append(i).append(' ');
    }
    byte[] pdf =
        pdf(words.toString().strip(), "the secret ingredient is saffron from the harbour market");
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.port() + "/api/documents?title=Journal"))
            .header("Authorization", "Bearer " + KEY)
            .header("Content-Type", "application/pdf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(pdf))
            .build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode doc = WebServer.JSON.readTree(r.body());
    assertThat(doc.get("chunks").asInt()).isGreaterThan(1);
    module.processor().drain(10);
    String id = doc.get("id").asText();
    Await.until(
        "a chunk of the PDF is found",
        WAIT,
        () -> {
          try {
            JsonNode res =
                WebServer.JSON
                    .readTree(
                        post(
                                "/api/search",
                                "{\"query\":\"secret ingredient saffron harbour market\","
                                    + "\"threshold\":0.1,\"filters\":{\"source_table\":\"client_documents\"}}",
                                null)
                            .body())
                    .get("results");
            return res.size() > 0
                && res.get(0).get("source_id").asText().equals(id)
                && res.get(0).get("chunk_index").asInt() > 0;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });

    HttpRequest bad =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/api/documents"))
            .header("Authorization", "Bearer " + KEY)
            .header("Content-Type", "application/pdf")
            .POST(HttpRequest.BodyPublishers.ofString("%PDF-1.4 this is not really a pdf"))
            .build();
    HttpResponse<String> br = http.send(bad, HttpResponse.BodyHandlers.ofString());
    assertThat(br.statusCode()).isEqualTo(400);
    assertThat(br.body()).contains("not a readable PDF");
  }

  private static byte[] pdf(String... pages) throws Exception {
    try (PDDocument doc = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (String text : pages) {
        PDPage page = new PDPage();
        doc.addPage(page);
        try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
          s.beginText();
          s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 9);
          s.newLineAtOffset(20, 750);
          s.setLeading(11);
          String[] w = text.split(" ");
          StringBuilder line = new StringBuilder();
          for (String word : w) {
            if (line.length() + word.length() > 100) {
              s.showText(line.toString());
              s.newLine();
              line.setLength(0);
            }
            line.append(word).append(' ');
          }
          s.showText(line.toString());
          s.endText();
        }
      }
      doc.save(out);
      return out.toByteArray();
    }
  }
}
