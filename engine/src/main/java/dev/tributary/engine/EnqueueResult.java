package dev.tributary.engine;

/**
 * What an enqueue did: {@code inserted} is false when a live job already held the unique key, and
 * then {@code jobId} is that live job's id.
 */
public record EnqueueResult(long jobId, boolean inserted) {
  public boolean deduplicated() {
    return !inserted;
  }
}
