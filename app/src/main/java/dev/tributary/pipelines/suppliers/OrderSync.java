package dev.tributary.pipelines.suppliers;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.suppliers.OrderTracker;
import dev.tributary.connectors.suppliers.OrderTracking;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code order_sync}: asks the supplier where each open order is (pending, processing, shipped
 * orders with a supplier order id) and writes tracking number, carrier and status. One order's
 * failure is counted and the others go on.
 */
final class OrderSync {
  static final int MAX_ORDERS = 500;

  record Result(int checked, int updated, int failed, String lastError) {}

  private final Jdbc jdbc;
  private final Clock clock;

  OrderSync(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  Result run(ClaimedImport job, SupplierConnectors connectors) {
    Optional<OrderTracker> tracker =
        connectors
            .get(job.provider())
            .filter(c -> c instanceof OrderTracker)
            .map(c -> (OrderTracker) c);
    if (tracker.isEmpty()) {
      return new Result(
          0,
          0,
          0,
          connectors.get(job.provider()).isEmpty()
              ? connectors.whyMissing(job.provider())
              : job.provider() + " has no order tracking");
    }
    List<String[]> open =
        jdbc.query(
            """
            SELECT id::text, supplier_order_id FROM orders
             WHERE supplier_id = :supplier AND supplier_order_id IS NOT NULL
               AND status IN ('pending', 'processing', 'shipped')
             ORDER BY last_synced_at NULLS FIRST LIMIT :limit""",
            Params.of("supplier", job.supplierId(), "limit", MAX_ORDERS),
            rs -> new String[] {rs.getString(1), rs.getString(2)});
    int updated = 0;
    int failed = 0;
    String lastError = null;
    for (String[] o : open) {
      try {
        Optional<OrderTracking> t = tracker.get().tracking(o[1]);
        updated +=
            jdbc.update(
                """
                UPDATE orders SET tracking_number = coalesce(:number, tracking_number),
                       carrier = coalesce(:carrier, carrier),
                       status = coalesce(:status, status), last_synced_at = :now
                 WHERE id = :id::uuid""",
                Params.with("number", t.map(OrderTracking::trackingNumber).orElse(null))
                    .and("carrier", t.map(OrderTracking::carrier).orElse(null))
                    .and("status", t.map(OrderTracking::status).orElse(null))
                    .and("now", clock.instant())
                    .and("id", o[0]));
      } catch (ConnectorException e) {
        failed++;
        lastError = "order " + o[1] + ": " + e.getMessage();
      }
    }
    return new Result(open.size(), updated, failed, lastError);
  }
}
