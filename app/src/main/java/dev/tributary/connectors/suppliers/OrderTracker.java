package dev.tributary.connectors.suppliers;

import java.util.Optional;

/** A supplier that can say where an order is ({@code order_sync}). */
public interface OrderTracker {
  /** Empty while the supplier has no tracking for the order yet. */
  Optional<OrderTracking> tracking(String supplierOrderId);
}
