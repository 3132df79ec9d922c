package dev.tributary.pipelines.suppliers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.bigbuy.BigBuyClient;
import dev.tributary.connectors.bigbuy.BigBuyConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.RetryPolicy;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.testing.BigBuyFake;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import dev.tributary.testing.Rows;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code order_sync} over real HTTP against a fake of BigBuy's {@code GET
 * /rest/tracking/order/{id}.json}: open orders get their tracking number, carrier and status; a
 * carrier text that only mentions delivery ("Undelivered", "Out for delivery", "Delivery attempt
 * failed") does not mark an order delivered; an order without tracking yet is left as it is; one
 * order's error is counted and the others go on.
 */
class OrderSyncTest {
  final SettableClock clock = SettableClock.startingNow();
  final FakeHttpServer bigbuy = new FakeHttpServer();
  final Map<String, Reply> tracking =
      Map.of(
          "BB-1", track("Delivered"),
          "BB-2", track("Undelivered - recipient absent"),
          "BB-3", track("Out for delivery"),
          "BB-4", track("Delivery attempt failed, new attempt tomorrow"),
          "BB-5", Reply.json(200, ""),
          "BB-6", Reply.json(200, "[{\"code\":0,\"message\":\"Order not found\"}]"),
          "BB-7", track("Paquete entregado"));
  DataSource ds;
  Rows rows;
  SupplierPipeline pipeline;
  UUID supplier;

  static Reply track(String description) {
    return Reply.json(
        200,
        "[{\"id\":1,\"trackings\":[{\"trackingNumber\":\"TRK-%08d\",\"carrier\":{\"id\":3,\"name\":\"GLS\"},\"statusDescription\":\"%s\",\"statusDate\":\"2026-10-02 09:00:00\"}]}]"
            .formatted(Math.abs(description.hashCode() % 100_000_000), description));
  }

  @BeforeEach
  void setUp() {
    bigbuy.otherwise(
        r -> {
          if (!("Bearer " + BigBuyFake.KEY).equals(r.header("Authorization"))) {
            return Reply.json(401, "{\"message\":\"Invalid Token\"}");
          }
          String id = r.path().replace("/rest/tracking/order/", "").replace(".json", "");
          return tracking.getOrDefault(id, Reply.json(200, ""));
        });
    ds = TestPostgres.freshDatabase(Migrations.LOCATIONS);
    rows = new Rows(ds);
    BigBuyClient client =
        new BigBuyClient(
            BigBuyConfig.of(BigBuyFake.KEY, bigbuy.baseUrl(), 20, clock)
                .withRetrying(
                    new Retrying(2, Duration.ofMillis(1), Duration.ofSeconds(1), d -> {})),
            new PostgresEndpointQuota(new Jdbc(ds), "bigbuy"));
    pipeline =
        new SupplierPipeline(
            ds,
            new SupplierConnectors().add(client),
            Optional.empty(),
            new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(1), 0),
            Duration.ofSeconds(30),
            clock);
    supplier =
        rows.value(
            "INSERT INTO suppliers (name, provider) VALUES ('BigBuy EU', 'bigbuy') RETURNING id");
  }

  @AfterEach
  void tearDown() {
    bigbuy.close();
    rows.close();
  }

  void order(UUID supplierId, String supplierOrderId, String status) {
    rows.update(
        "INSERT INTO orders (supplier_id, supplier_order_id, status) VALUES (?, ?, ?)",
        supplierId,
        supplierOrderId,
        status);
  }

  Map<String, Object> order(String supplierOrderId) {
    return rows.row(
        "SELECT status, tracking_number, carrier, last_synced_at FROM orders WHERE supplier_order_id = ?",
        supplierOrderId);
  }

  @Test
  void open_orders_get_their_tracking_and_only_a_delivered_parcel_counts_as_delivered() {
    for (String id : new String[] {"BB-1", "BB-2", "BB-3", "BB-4", "BB-5", "BB-6", "BB-7"}) {
      order(supplier, id, "shipped");
    }
    order(supplier, "BB-DONE", "delivered");
    UUID other =
        rows.value(
            "INSERT INTO suppliers (name, provider) VALUES ('Other', 'bigbuy') RETURNING id");
    order(other, "BB-OTHER", "processing");
    UUID job = pipeline.create(new ImportJobRequest(supplier, "order_sync", 1, null)).id();

    ImportJobView done = pipeline.runNow(job).orElseThrow();

    assertThat(done.status()).isEqualTo("completed");
    assertThat(done.result())
        .containsEntry("orders_checked", 7)
        .containsEntry("orders_updated", 6)
        .containsEntry("failed", 1);
    assertThat(done.lastError()).contains("BB-6").contains("Order not found");
    assertThat(order("BB-1")).containsEntry("status", "delivered").containsEntry("carrier", "GLS");
    assertThat((String) order("BB-1").get("tracking_number")).startsWith("TRK-");
    assertThat(order("BB-7").get("status")).as("'entregado' is delivered").isEqualTo("delivered");
    for (String notYet : new String[] {"BB-2", "BB-3", "BB-4"}) {
      assertThat(order(notYet).get("status")).as(notYet).isEqualTo("shipped");
      assertThat(order(notYet).get("tracking_number")).as(notYet).isNotNull();
    }
    assertThat(order("BB-5"))
        .as("no tracking yet: nothing changes but the check time")
        .containsEntry("status", "shipped")
        .containsEntry("tracking_number", null);
    assertThat(order("BB-5").get("last_synced_at")).isNotNull();
    assertThat(order("BB-6").get("last_synced_at")).as("the failed check").isNull();
    assertThat(bigbuy.requests())
        .extracting(FakeHttpServer.Request::path)
        .doesNotContain("/rest/tracking/order/BB-DONE.json", "/rest/tracking/order/BB-OTHER.json")
        .hasSize(7);
  }

  @Test
  void a_refused_key_fails_every_check_and_the_job_with_the_reason() {
    order(supplier, "BB-1", "shipped");
    order(supplier, "BB-2", "processing");
    bigbuy.otherwise(r -> Reply.json(401, "{\"message\":\"Invalid Token\"}"));
    UUID job = pipeline.create(new ImportJobRequest(supplier, "order_sync", 1, null)).id();

    ImportJobView done = pipeline.runNow(job).orElseThrow();

    assertThat(done.status()).isEqualTo("failed");
    assertThat(done.result()).containsEntry("orders_checked", 2).containsEntry("failed", 2);
    assertThat(done.lastError()).contains("401");
    assertThat(order("BB-1"))
        .containsEntry("status", "shipped")
        .containsEntry("last_synced_at", null);
  }
}
