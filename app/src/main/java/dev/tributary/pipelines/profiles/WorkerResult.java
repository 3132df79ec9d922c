package dev.tributary.pipelines.profiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.ai.TokenUsage;
import java.util.Optional;

/**
 * What one batch of a cascade worker did, in the terms of the seed's execution logs (S1.2).
 *
 * @param processed rows done (flag cleared, result stored)
 * @param failed rows claimed but not done: their flag stays set and their claim is released, so a
 *     later batch tries again
 * @param skipped rows with nothing to work on (e.g. no text): flag cleared, nothing stored
 * @param failure the error behind {@code failed}, so a job handler can rethrow it for a retry with
 *     backoff (a {@link dev.tributary.connectors.ConnectorException} says whether that may help)
 */
public record WorkerResult(
    int processed, int failed, int skipped, TokenUsage usage, RuntimeException failure) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final WorkerResult NOTHING = new WorkerResult(0, 0, 0, TokenUsage.NONE, null);

  /** Rows this batch claimed. Zero means the queue was empty. */
  public int claimed() {
    return processed + failed + skipped;
  }

  public Optional<RuntimeException> failureCause() {
    return Optional.ofNullable(failure);
  }

  public WorkerResult plus(WorkerResult o) {
    return new WorkerResult(
        processed + o.processed,
        failed + o.failed,
        skipped + o.skipped,
        usage.plus(o.usage),
        o.failure != null ? o.failure : failure);
  }

  /** The result JSON of an execution log: items and tokens, and the error when there was one. */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("items_processed", processed);
    o.put("items_failed", failed);
    o.put("items_skipped", skipped);
    o.put("prompt_tokens", usage.promptTokens());
    o.put("completion_tokens", usage.completionTokens());
    o.put("total_tokens", usage.totalTokens());
    if (failure != null) {
      o.put("error", failure.getMessage());
    }
    return o;
  }
}
