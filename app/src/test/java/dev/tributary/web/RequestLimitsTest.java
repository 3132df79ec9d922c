package dev.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.Embedders;
import dev.tributary.config.LimitsSettings;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.pipelines.vectorsync.DocumentText;
import dev.tributary.pipelines.vectorsync.SearchModule;
import dev.tributary.search.HashingEmbedder;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.vectorsync.VectorSyncRoutes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's bounds on the running server: a body past the limit gets 413 however it is sent,
 * requests past the cap get 503 with Retry-After, and nothing reaches a handler as a 500.
 */
class RequestLimitsTest {
  static final String KEY = "service-key-1";
  static final int LIMIT = 4096;

  private final HikariDataSource db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
  private final SearchModule search =
      SearchModule.start(db, new Embedders(new HashingEmbedder("test/hash")));
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch entered = new CountDownLatch(1);
  private final LimitsSettings limits =
      new LimitsSettings(
          LIMIT,
          1,
          LimitsSettings.DEFAULT_WEB_STATEMENT_TIMEOUT_MS,
          2,
          LIMIT,
          LimitsSettings.DEFAULT_PDF_MAX_PAGES,
          LimitsSettings.DEFAULT_PDF_MAX_DECODED_BYTES,
          LimitsSettings.DEFAULT_VENDOR_MAX_RESPONSE_BYTES);
  private final WebServer server =
      WebServer.start(
          0,
          db,
          TestWeb.access(Map.of("SERVICE_ROLE_KEY", KEY), Clock.systemUTC()),
          List.of(
              new VectorSyncRoutes(db, search.processor(), DocumentText.Limits.of(limits)),
              app -> {
                app.post(
                    "/test/echo",
                    ctx -> ctx.json(Map.of("length", ctx.body().length())),
                    Role.SERVICE);
                app.get(
                    "/test/slow",
                    ctx -> {
                      entered.countDown();
                      release.await(30, TimeUnit.SECONDS);
                      ctx.json(Map.of("done", true));
                    },
                    Role.SERVICE);
              }),
          limits);
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    release.countDown();
    server.close();
    search.close();
    db.close();
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + server.port() + path);
  }

  private static void assertJsonError(HttpResponse<String> r, int status, String error)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/json");
    JsonNode body = WebServer.JSON.readTree(r.body());
    assertThat(body.get("error").asText()).isEqualTo(error);
    assertThat(body.get("message").asText()).isNotBlank();
  }

  /** A publisher of unknown length: the client sends it chunked. */
  private static HttpRequest.BodyPublisher chunked(byte[] bytes) {
    return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
  }

  @Test
  void a_body_within_the_limit_is_read_whether_sized_or_chunked() throws Exception {
    byte[] small = "x".repeat(LIMIT - 10).getBytes(StandardCharsets.UTF_8);
    for (HttpRequest.BodyPublisher p :
        List.of(HttpRequest.BodyPublishers.ofByteArray(small), chunked(small))) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri("/test/echo"))
                  .header("Authorization", "Bearer " + KEY)
                  .POST(p)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("\"length\":" + (LIMIT - 10));
    }
  }

  @Test
  void a_body_past_the_limit_with_a_content_length_gets_413_json() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri("/test/echo"))
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT + 1]))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertJsonError(r, 413, "payload_too_large");
  }

  @Test
  void a_chunked_body_past_the_limit_gets_413_json_from_the_client() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri("/test/echo"))
                .header("Authorization", "Bearer " + KEY)
                .POST(chunked(new byte[LIMIT * 4]))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertJsonError(r, 413, "payload_too_large");
  }

  @Test
  void an_endless_chunked_body_on_a_raw_socket_gets_413_json() throws Exception {
    try (Socket socket = new Socket("localhost", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /test/echo HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + KEY
                  + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      // chunks far past the limit, with no end: the server must answer without waiting for one
      byte[] chunk = ("400\r\n" + "a".repeat(1024) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      CompletableFuture<String> answer =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  InputStream in = socket.getInputStream();
                  return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                } catch (Exception e) {
                  return "read failed: " + e;
                }
              });
      try {
        for (int i = 0; i < 64 && !answer.isDone(); i++) {
          out.write(chunk);
          out.flush();
        }
      } catch (java.io.IOException closedByServer) {
        // the server may close the connection after answering: expected
      }
      String response = answer.get(10, TimeUnit.SECONDS);
      assertThat(response).startsWith("HTTP/1.1 413");
      assertThat(response).contains("application/json").contains("\"payload_too_large\"");
    }
  }

  @Test
  void a_chunked_multipart_upload_past_the_limit_gets_413_json() throws Exception {
    String boundary = "tributary-boundary";
    byte[] body =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
                + "x".repeat(LIMIT * 4)
                + "\r\n--"
                + boundary
                + "--\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri("/api/documents"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(chunked(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertJsonError(r, 413, "payload_too_large");
  }

  @Test
  void requests_past_the_cap_get_503_with_retry_after_and_health_still_answers() throws Exception {
    CompletableFuture<HttpResponse<String>> slow =
        http.sendAsync(
            HttpRequest.newBuilder(uri("/test/slow"))
                .header("Authorization", "Bearer " + KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(uri("/test/echo"))
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertJsonError(refused, 503, "overloaded");
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);

    release.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    HttpResponse<String> after =
        http.send(
            HttpRequest.newBuilder(uri("/test/echo"))
                .header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(after.statusCode()).isEqualTo(200);
  }
}
