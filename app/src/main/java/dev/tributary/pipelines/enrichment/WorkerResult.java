package dev.tributary.pipelines.enrichment;

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
 * @param inline other workers' work done within this batch (see {@link Inline})
 */
public record WorkerResult(
    int processed,
    int failed,
    int skipped,
    TokenUsage usage,
    RuntimeException failure,
    Inline inline) {

  public static final WorkerResult NOTHING = new WorkerResult(0, 0, 0, TokenUsage.NONE, null);

  public WorkerResult(
      int processed, int failed, int skipped, TokenUsage usage, RuntimeException failure) {
    this(processed, failed, skipped, usage, failure, Inline.NONE);
  }

  /**
   * What the embedding worker did for other workers in the same batch, from the vectors it had just
   * computed (local models only, see {@link InlineClassification}): hooks stored, and hook types,
   * topics and audiences classified. Those posts' own flags are cleared, so their workers find
   * nothing left to do.
   */
  public record Inline(int hooks, int hookTypes, int topics, int audiences) {
    public static final Inline NONE = new Inline(0, 0, 0, 0);

    Inline plus(Inline o) {
      return new Inline(
          hooks + o.hooks, hookTypes + o.hookTypes, topics + o.topics, audiences + o.audiences);
    }

    boolean isEmpty() {
      return hooks == 0 && hookTypes == 0 && topics == 0 && audiences == 0;
    }
  }

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
        o.failure != null ? o.failure : failure,
        inline.plus(o.inline));
  }

  /**
   * The result of an execution log as plain values: items and tokens, and the error when there was
   * one. A mutable map in a stable order, so a caller may add its own keys.
   */
  public java.util.Map<String, Object> toLog() {
    java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
    o.put("items_processed", processed);
    o.put("items_failed", failed);
    o.put("items_skipped", skipped);
    o.put("prompt_tokens", usage.promptTokens());
    o.put("completion_tokens", usage.completionTokens());
    o.put("total_tokens", usage.totalTokens());
    if (!inline.isEmpty()) {
      java.util.Map<String, Object> in = new java.util.LinkedHashMap<>();
      in.put("hooks_extracted", inline.hooks());
      in.put("hook_types", inline.hookTypes());
      in.put("topics", inline.topics());
      in.put("audiences", inline.audiences());
      o.put("inline", in);
    }
    if (failure != null) {
      o.put("error", failure.getMessage());
    }
    return o;
  }
}
