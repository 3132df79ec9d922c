package dev.tributary.pipelines.suppliers;

import java.util.Set;
import java.util.UUID;

/** A new import job. {@code priority} 1 (first) to 10, as {@code import_jobs.priority}. */
public record ImportJobRequest(UUID supplierId, String jobType, int priority, String webhookUrl) {
  public static final Set<String> JOB_TYPES =
      Set.of("supplier_api", "inventory_update", "price_update", "order_sync");
  public static final int DEFAULT_PRIORITY = 5;

  public ImportJobRequest {
    if (supplierId == null) {
      throw new IllegalArgumentException("a supplier id is required");
    }
    if (jobType == null || !JOB_TYPES.contains(jobType)) {
      throw new IllegalArgumentException(
          "job_type must be one of supplier_api, inventory_update, price_update, order_sync, got "
              + (jobType == null ? "nothing" : "'" + jobType + "'"));
    }
    if (priority < 1 || priority > 10) {
      throw new IllegalArgumentException(
          "priority must be between 1 (first) and 10, got " + priority);
    }
    if (webhookUrl != null && !webhookUrl.matches("https?://[^\\s]{1,2000}")) {
      throw new IllegalArgumentException("webhook_url must be an http(s) URL");
    }
  }
}
