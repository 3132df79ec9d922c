package dev.tributary.web.suppliers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.bigbuy.BigBuyClient;
import dev.tributary.connectors.bigbuy.BigBuyConfig;
import dev.tributary.connectors.bigbuy.EndpointQuota;
import dev.tributary.engine.RetryPolicy;
import dev.tributary.pipelines.suppliers.SupplierConnectors;
import dev.tributary.pipelines.suppliers.SupplierPipeline;
import dev.tributary.testing.BigBuyFake;
import dev.tributary.testing.Rows;
import dev.tributary.testing.TestWeb;
import dev.tributary.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SupplierRoutesTest {
  static final String KEY = "service-key";
  static final ObjectMapper JSON = new ObjectMapper();

  final HttpClient http = HttpClient.newHttpClient();
  final BigBuyFake bigbuy = new BigBuyFake().generate(30);
  Rows rows;
  WebServer web;
  UUID supplier;

  @BeforeEach
  void setUp() {
    rows = Rows.fresh();
    BigBuyClient client =
        new BigBuyClient(
            BigBuyConfig.of(BigBuyFake.KEY, bigbuy.baseUrl(), 100, Clock.systemUTC())
                .withRetrying(
                    new Retrying(2, Duration.ofMillis(1), Duration.ofSeconds(1), d -> {})),
            EndpointQuota.NONE);
    SupplierPipeline pipeline =
        new SupplierPipeline(
            rows.dataSource(),
            new SupplierConnectors().add(client).off("aliexpress", "ALIEXPRESS_API_KEY"),
            Optional.empty(),
            RetryPolicy.DEFAULT,
            Duration.ofSeconds(30),
            Clock.systemUTC());
    web =
        TestWeb.start(
            rows.dataSource(),
            Map.of("SERVICE_ROLE_KEY", KEY),
            List.of(
                new SupplierRoutes(pipeline), new SupplierMetricsRoutes(rows.dataSource(), false)));
    supplier =
        rows.value(
            "INSERT INTO suppliers (name, provider) VALUES ('BigBuy', 'bigbuy') RETURNING id");
  }

  @AfterEach
  void tearDown() {
    web.close();
    bigbuy.close();
    rows.close();
  }

  HttpResponse<String> call(String method, String path, String auth, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", "Bearer " + auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void automated_sync_runs_the_due_jobs_in_priority_order_and_answers_the_seeds_shape()
      throws Exception {
    UUID aliexpress =
        rows.value(
            "INSERT INTO suppliers (name, provider, search_keywords) VALUES ('AE', 'aliexpress', '{lamp}') RETURNING id");
    rows.execute(
        "INSERT INTO import_jobs (supplier_id, job_type, priority) VALUES (?, 'supplier_api', 9)",
        aliexpress);
    rows.execute(
        "INSERT INTO import_jobs (supplier_id, job_type, priority) VALUES (?, 'supplier_api', 1)",
        supplier);
    HttpResponse<String> r = call("POST", SupplierRoutes.AUTOMATED_SYNC, KEY, null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("success").asBoolean()).isTrue();
    assertThat(body.get("processed").asInt()).isEqualTo(2);
    assertThat(body.get("completed").asInt()).isEqualTo(1);
    assertThat(body.get("failed").asInt()).isEqualTo(1);
    assertThat(body.get("jobs").get(0).get("priority").asInt()).isEqualTo(1);
    assertThat(body.get("jobs").get(1).get("lastError").asText()).contains("ALIEXPRESS_API_KEY");
    assertThat(body.get("maintenance").has("scores_updated")).isTrue();
    assertThat(rows.count("SELECT count(*) FROM imported_products WHERE ai_score IS NOT NULL"))
        .isEqualTo(30);
  }

  @Test
  void a_sync_is_queued_per_supplier_and_listed_and_counted() throws Exception {
    HttpResponse<String> r =
        call(
            "POST",
            "/api/suppliers/" + supplier + "/sync",
            KEY,
            "{\"job_type\":\"price_update\",\"priority\":2}");
    assertThat(r.statusCode()).isEqualTo(202);
    JsonNode job = JSON.readTree(r.body()).get("job");
    assertThat(job.get("jobType").asText()).isEqualTo("price_update");
    assertThat(job.get("status").asText()).isEqualTo("pending");
    assertThat(
            rows.count(
                "SELECT count(*) FROM tributary.jobs WHERE kind = 'supplier.import' AND priority = 1"))
        .isEqualTo(1);
    JsonNode list = JSON.readTree(call("GET", "/api/import-jobs?status=pending", KEY, null).body());
    assertThat(list.get("jobs")).hasSize(1);
    JsonNode stats = JSON.readTree(call("GET", "/api/import-jobs/stats", KEY, null).body());
    assertThat(stats.get("byStatus").get("pending").get("count").asInt()).isEqualTo(1);
    String metrics = call("GET", SupplierMetricsRoutes.PATH, null, null).body();
    assertThat(metrics)
        .contains(
            "tributary_supplier_import_jobs{supplier=\"BigBuy\",provider=\"bigbuy\",job_type=\"price_update\",status=\"pending\"} 1");
  }

  @Test
  void bad_input_gets_a_clear_4xx_and_nothing_is_written() throws Exception {
    String path = "/api/suppliers/" + supplier + "/sync";
    assertThat(call("POST", path, null, "{}").statusCode()).isEqualTo(401);
    assertThat(call("GET", "/api/import-jobs", "wrong", null).statusCode()).isEqualTo(401);
    assertThat(call("POST", path, KEY, "{\"job_type\":\"everything\"}").statusCode())
        .isEqualTo(400);
    assertThat(call("POST", path, KEY, "{\"priority\":-1}").statusCode()).isEqualTo(400);
    assertThat(call("POST", path, KEY, "{\"priority\":1000000}").statusCode()).isEqualTo(400);
    assertThat(call("POST", path, KEY, "{\"priority\":\"1\"}").statusCode()).isEqualTo(400);
    assertThat(call("POST", path, KEY, "not json").statusCode()).isEqualTo(400);
    assertThat(call("POST", path, KEY, "{\"surprise\":1}").statusCode()).isEqualTo(400);
    assertThat(call("POST", path, KEY, "{\"webhook_url\":\"ftp://x\"}").statusCode())
        .isEqualTo(400);
    assertThat(call("POST", "/api/suppliers/not-a-uuid/sync", KEY, "{}").statusCode())
        .isEqualTo(400);
    HttpResponse<String> unknown =
        call("POST", "/api/suppliers/" + UUID.randomUUID() + "/sync", KEY, "{}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("not_found");
    assertThat(call("GET", "/api/import-jobs?status=weird", KEY, null).statusCode()).isEqualTo(400);
    assertThat(call("GET", "/api/import-jobs?limit=0", KEY, null).statusCode()).isEqualTo(400);
    assertThat(rows.count("SELECT count(*) FROM import_jobs")).isZero();
  }
}
