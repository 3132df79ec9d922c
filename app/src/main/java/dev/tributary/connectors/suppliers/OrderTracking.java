package dev.tributary.connectors.suppliers;

/**
 * Where a BigBuy order is: its tracking number and carrier, and whether it was delivered.
 *
 * @param status {@code shipped} or {@code delivered}, as {@code orders.status} names them
 */
public record OrderTracking(String orderId, String trackingNumber, String carrier, String status) {}
