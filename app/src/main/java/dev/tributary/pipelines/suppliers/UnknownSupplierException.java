package dev.tributary.pipelines.suppliers;

import java.util.UUID;

/** The supplier named does not exist. */
public final class UnknownSupplierException extends RuntimeException {
  public UnknownSupplierException(UUID id) {
    super("no supplier " + id);
  }
}
