package dev.tributary.pipelines.suppliers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.bigbuy.BigBuyClient;
import dev.tributary.connectors.bigbuy.BigBuyConfig;
import dev.tributary.connectors.webhook.SignedWebhook;
import dev.tributary.db.Migrations;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.RetryPolicy;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestEngines;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.testing.BigBuyFake;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import dev.tributary.testing.Rows;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SupplierSyncTest {
  static final String SECRET = "webhook-secret";
  static final int PAGE = 20;

  DataSource ds;
  Rows rows;
  final SettableClock clock = SettableClock.startingNow();
  final BigBuyFake bigbuy = new BigBuyFake();
  final List<Engine> engines = new ArrayList<>();
  SupplierPipeline pipeline;
  UUID supplier;

  @BeforeEach
  void setUp() {
    ds = TestPostgres.freshDatabase(Migrations.LOCATIONS);
    rows = new Rows(ds);
    pipeline = pipeline();
    supplier =
        rows.value(
            "INSERT INTO suppliers (name, provider, settings) VALUES ('BigBuy EU', 'bigbuy', '{}') RETURNING id");
  }

  SupplierPipeline pipeline() {
    BigBuyClient client =
        new BigBuyClient(
            BigBuyConfig.of(BigBuyFake.KEY, bigbuy.baseUrl(), PAGE, clock)
                .withRetrying(
                    new Retrying(3, Duration.ofMillis(1), Duration.ofSeconds(30), d -> {})),
            new PostgresEndpointQuota(new Jdbc(ds), "bigbuy"));
    return new SupplierPipeline(
        ds,
        new SupplierConnectors().add(client),
        Optional.of(SECRET),
        new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(1), 0),
        Duration.ofSeconds(30),
        clock);
  }

  Engine engine(String node, SupplierPipeline p) {
    EngineBuilder b = TestEngines.builder(ds, clock, node);
    p.register(b, 2);
    Engine e = b.build().start();
    engines.add(e);
    return e;
  }

  @AfterEach
  void tearDown() {
    engines.forEach(Engine::close);
    bigbuy.close();
    rows.close();
  }

  UUID job(String type) {
    return rows.value(
        "INSERT INTO import_jobs (supplier_id, job_type, run_after) VALUES (?, ?, ?) RETURNING id",
        supplier,
        type,
        Timestamp.from(clock.instant()));
  }

  String status(UUID job) {
    return rows.text("SELECT status FROM import_jobs WHERE id = ?", job);
  }

  void awaitStatus(UUID job, String status) {
    Await.until("import job " + job + " is " + status, () -> status.equals(status(job)));
  }

  Map<String, Object> result(UUID job) {
    return pipeline.get(job).orElseThrow().result();
  }

  @Test
  void text_with_tabs_backslashes_and_line_breaks_survives_the_copy_into_staging() {
    bigbuy.generate(3);
    BigBuyFake.Product p = bigbuy.get(1001);
    // JSON escapes: the vendor's name holds a tab, a backslash, a line break and a \\N lookalike
    bigbuy.put(
        new BigBuyFake.Product(
            p.id(),
            "SKU\\\\N",
            "Lamp\\tshade \\\\ brass\\nline \\r end",
            p.wholesale(),
            p.retail(),
            p.stock(),
            true));
    UUID job = job("supplier_api");
    assertThat(pipeline.runNow(job).orElseThrow().status()).isEqualTo("completed");
    Map<String, Object> row =
        rows.row("SELECT name, sku FROM imported_products WHERE external_id = '1001'");
    assertThat(row.get("name")).isEqualTo("Lamp\tshade \\ brass\nline \r end");
    assertThat(row.get("sku")).isEqualTo("SKU\\N");
    assertThat(rows.count("SELECT count(*) FROM imported_products")).isEqualTo(3);
  }

  @Test
  void a_full_sync_joins_the_four_endpoints_by_product_id_whatever_their_order() {
    bigbuy.generate(50);
    engine("n1", pipeline);
    UUID job = job("supplier_api");
    awaitStatus(job, "completed");
    assertThat(rows.count("SELECT count(*) FROM imported_products WHERE supplier_id = ?", supplier))
        .isEqualTo(50);
    Map<String, Object> p =
        rows.row(
            "SELECT name, sku, price, cost_price, stock_quantity, status FROM imported_products WHERE external_id = '1007'");
    BigBuyFake.Product expected = bigbuy.get(1007);
    assertThat(p.get("name")).isEqualTo("Product 1007");
    assertThat((BigDecimal) p.get("price")).isEqualByComparingTo(expected.retail());
    assertThat((BigDecimal) p.get("cost_price")).isEqualByComparingTo(expected.wholesale());
    assertThat(p.get("stock_quantity")).isEqualTo(expected.stock());
    assertThat(result(job)).containsEntry("inserted", 50).containsEntry("updated", 0);
    assertThat(rows.count("SELECT count(*) FROM supplier_sync_pages")).isZero();
  }

  @Test
  void a_resync_writes_only_what_changed_and_marks_what_disappeared_as_discontinued() {
    bigbuy.generate(50);
    engine("n1", pipeline);
    awaitStatus(job("supplier_api"), "completed");
    Map<String, Object> before =
        rows.row("SELECT updated_at FROM imported_products WHERE external_id = '1001'");
    for (long id = 1010; id < 1015; id++) {
      BigBuyFake.Product old = bigbuy.get(id);
      bigbuy.put(
          new BigBuyFake.Product(
              id,
              old.sku(),
              old.name(),
              old.wholesale(),
              old.retail().add(BigDecimal.ONE),
              old.stock(),
              true));
    }
    bigbuy.remove(1040).remove(1041);
    UUID second = job("supplier_api");
    awaitStatus(second, "completed");
    assertThat(result(second))
        .containsEntry("inserted", 0)
        .containsEntry("updated", 5)
        .containsEntry("unchanged", 43)
        .containsEntry("discontinued", 2);
    assertThat(rows.row("SELECT updated_at FROM imported_products WHERE external_id = '1001'"))
        .isEqualTo(before);
    assertThat(rows.text("SELECT status FROM imported_products WHERE external_id = '1040'"))
        .isEqualTo("discontinued");
  }

  @Test
  void a_failing_page_sends_the_job_back_as_retrying_with_backoff_and_it_resumes_at_its_cursor() {
    bigbuy.generate(50);
    for (int i = 0; i < 3; i++) {
      bigbuy.failOnce(BigBuyFake.page("productprices", 1), BigBuyFake.htmlBadGateway());
    }
    engine("n1", pipeline);
    UUID job = job("supplier_api");
    Await.until(
        "the job is pending again after a failed attempt",
        () ->
            rows.count(
                    "SELECT count(*) FROM import_jobs WHERE id = ? AND status = 'pending' AND attempts = 1",
                    job)
                == 1);
    ImportJobView view = pipeline.get(job).orElseThrow();
    assertThat(view.phase()).isEqualTo("retrying");
    assertThat(view.lastError()).contains("502");
    assertThat(view.runAfter()).isAfter(clock.instant());
    clock.advance(Duration.ofSeconds(6));
    awaitStatus(job, "completed");
    assertThat(bigbuy.catalogRequests("products", 0)).isEqualTo(1);
    assertThat(bigbuy.catalogRequests("productprices", 0)).isEqualTo(1);
    assertThat(bigbuy.catalogRequests("productprices", 1)).isEqualTo(4);
    assertThat(rows.count("SELECT count(*) FROM imported_products")).isEqualTo(50);
    assertThat(rows.count("SELECT attempts FROM import_jobs WHERE id = ?", job)).isEqualTo(2);
  }

  @Test
  void an_hour_long_rate_limit_frees_the_worker_and_the_job_comes_back_at_the_reset() {
    bigbuy.generate(30);
    Instant reset = clock.instant().plus(Duration.ofHours(1));
    bigbuy.failOnce(
        BigBuyFake.page("productsstockbyhandlingdays", 0),
        BigBuyFake.tooManyRequests(reset.getEpochSecond()));
    Engine engine = engine("n1", pipeline);
    UUID job = job("supplier_api");
    Await.until(
        "the job waits for the reset",
        () -> "waiting".equals(pipeline.get(job).orElseThrow().phase()));
    // the run that paused returns right after it rescheduled the job: its worker is then free
    Await.until("the worker is free while the job waits", () -> engine.heldCount() == 0);
    assertThat(rows.count("SELECT attempts FROM import_jobs WHERE id = ?", job)).isZero();
    assertThat(pipeline.get(job).orElseThrow().progress().toString()).contains("waiting");
    clock.advance(Duration.ofHours(1).plusSeconds(2));
    awaitStatus(job, "completed");
    assertThat(bigbuy.catalogRequests("products", 0)).isEqualTo(1);
    assertThat(rows.count("SELECT count(*) FROM imported_products WHERE stock_quantity > 0"))
        .isPositive();
  }

  @Test
  void a_crash_mid_sync_resumes_after_the_last_saved_page_without_duplicates() {
    bigbuy.generate(50);
    UUID job = job("supplier_api");
    ImportJobRunner runner =
        new ImportJobRunner(
            new ImportJobStore(new Jdbc(ds)),
            new SupplierConnectors().add(pipeline.connectors().get("bigbuy").orElseThrow()),
            RetryPolicy.DEFAULT,
            Duration.ofSeconds(30),
            clock);
    int[] beats = {0};
    assertThatThrownBy(
            () ->
                runner.run(
                    job,
                    new ImportJobRunner.Run() {
                      public long engineJobId() {
                        return 42;
                      }

                      public void heartbeat() {
                        if (++beats[0] == 6) {
                          throw new IllegalStateException("node died");
                        }
                      }
                    }))
        .hasMessage("node died");
    assertThat(status(job)).isEqualTo("running");
    // pages are staged as the streams deliver them: which ones were saved depends on the readers
    List<String> streams =
        List.of("products", "productsinformation", "productprices", "productsstockbyhandlingdays");
    Map<String, Integer> saved = new HashMap<>();
    for (String stream : streams) {
      String page =
          rows.text(
              "SELECT sync_state->'streams'->?->>'page' FROM import_jobs WHERE id = ?",
              stream,
              job);
      saved.put(stream, page == null ? 0 : Integer.parseInt(page));
    }
    assertThat(saved.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
    runner.run(
        job,
        new ImportJobRunner.Run() {
          public long engineJobId() {
            return 42; // the engine re-runs the same job after the lease expires
          }

          public void heartbeat() {}
        });
    assertThat(status(job)).isEqualTo("completed");
    saved.forEach(
        (stream, pages) -> {
          for (int page = 0; page < pages; page++) {
            assertThat(bigbuy.catalogRequests(stream, page)).as(stream + " " + page).isEqualTo(1);
          }
        });
    assertThat(rows.count("SELECT count(*) FROM imported_products")).isEqualTo(50);
    assertThat(rows.count("SELECT processed_items FROM import_jobs WHERE id = ?", job))
        .isEqualTo(200);
  }

  @Test
  void a_webhook_receiver_that_fails_twice_then_accepts_gets_the_webhook_once_signed()
      throws Exception {
    bigbuy.generate(5);
    try (FakeHttpServer receiver = new FakeHttpServer()) {
      receiver.enqueue(Reply.json(500, "{}"), Reply.json(503, "{}"));
      receiver.otherwise(r -> Reply.json(200, "{\"ok\":true}"));
      engine("n1", pipeline);
      engine("n2", pipeline());
      UUID job =
          rows.value(
              "INSERT INTO import_jobs (supplier_id, job_type, webhook_url, run_after) VALUES (?, 'supplier_api', ?, ?) RETURNING id",
              supplier,
              receiver.baseUrl() + "/hooks/sync",
              Timestamp.from(clock.instant()));
      awaitStatus(job, "completed");
      awaitWebhookRetry(1);
      clock.advance(Duration.ofSeconds(11));
      awaitWebhookRetry(2);
      clock.advance(Duration.ofSeconds(21));
      Await.until(
          "delivered",
          () -> rows.value("SELECT webhook_sent_at FROM import_jobs WHERE id = ?", job) != null);
      clock.advance(Duration.ofMinutes(10));
      Thread.sleep(300); // any stray redelivery would show up now
      assertThat(receiver.requests()).hasSize(3);
      var accepted = receiver.requests().get(2);
      assertThat(accepted.header(SignedWebhook.SIGNATURE_HEADER))
          .isEqualTo(
              SignedWebhook.signature(SECRET, accepted.body().getBytes(StandardCharsets.UTF_8)));
      assertThat(accepted.body())
          .contains("\"job_id\": \"" + job)
          .contains("\"status\": \"completed\"")
          .contains("\"inserted\": 5")
          .contains("duration_ms");
    }
  }

  void awaitWebhookRetry(int failedAttempts) {
    Await.until(
        "the webhook job failed " + failedAttempts + " time(s) and waits for its retry",
        () ->
            rows.count(
                    "SELECT count(*) FROM tributary.jobs WHERE kind = 'supplier.webhook' AND state = 'available' AND attempt = ?",
                    failedAttempts)
                == 1);
  }

  @Test
  void two_nodes_on_one_queue_run_each_import_job_once() {
    bigbuy.generate(40);
    UUID other =
        rows.value(
            "INSERT INTO suppliers (name, provider) VALUES ('BigBuy 2', 'bigbuy') RETURNING id");
    engine("n1", pipeline);
    engine("n2", pipeline());
    List<UUID> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobs.add(job("price_update"));
      jobs.add(
          rows.value(
              "INSERT INTO import_jobs (supplier_id, job_type, run_after) VALUES (?, 'inventory_update', ?) RETURNING id",
              other,
              Timestamp.from(clock.instant())));
    }
    for (UUID j : jobs) {
      awaitStatus(j, "completed");
    }
    assertThat(bigbuy.catalogRequests("productprices", 0)).isEqualTo(3);
    assertThat(bigbuy.catalogRequests("productsstockbyhandlingdays", 1)).isEqualTo(3);
    assertThat(rows.count("SELECT count(*) FROM import_jobs WHERE attempts <> 1")).isZero();
  }
}
