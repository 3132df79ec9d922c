package dev.tributary.pipelines.suppliers;

import java.time.Instant;

/**
 * Where one stream of a sync stands: the next page to read, what it read so far, and how it ended.
 *
 * @param status {@code pending}, {@code done}, {@code failed} (a final error: the stream stops, the
 *     others go on), {@code retry} (a retryable error: read again at the job's next attempt) or
 *     {@code waiting} (rate limited until {@code waitUntil})
 */
public record StreamState(
    int page, String status, int items, int failed, String error, Instant waitUntil) {
  public static final StreamState START = new StreamState(0, "pending", 0, 0, null, null);

  public boolean finished() {
    return status.equals("done") || status.equals("failed");
  }

  StreamState pageRead(int newItems, int newFailed, boolean last) {
    return new StreamState(
        page + 1, last ? "done" : "pending", items + newItems, failed + newFailed, null, null);
  }

  StreamState with(String newStatus, String newError, Instant until) {
    return new StreamState(page, newStatus, items, failed, newError, until);
  }
}
