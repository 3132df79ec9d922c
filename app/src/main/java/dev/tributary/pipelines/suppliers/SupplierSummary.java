package dev.tributary.pipelines.suppliers;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A supplier as {@code tributary suppliers list} shows it: its products per status and its last
 * sync.
 */
public record SupplierSummary(
    UUID id,
    String name,
    String provider,
    boolean active,
    Map<String, Long> productsByStatus,
    Instant lastSyncAt) {
  public long products() {
    return productsByStatus.values().stream().mapToLong(Long::longValue).sum();
  }
}
