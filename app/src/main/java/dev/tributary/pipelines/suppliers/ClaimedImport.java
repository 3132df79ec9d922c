package dev.tributary.pipelines.suppliers;

import dev.tributary.connectors.suppliers.SupplierRef;
import java.time.Instant;
import java.util.UUID;

/** An import job this run holds ({@code status = 'running'}), with its supplier. */
record ClaimedImport(
    UUID id,
    UUID userId,
    String jobType,
    int attempts,
    int maxAttempts,
    Instant startedAt,
    SyncState state,
    String provider,
    boolean supplierActive,
    SupplierRef supplier) {

  UUID supplierId() {
    return supplier == null ? null : UUID.fromString(supplier.id());
  }
}
