package dev.tributary.bench;

import dev.tributary.ai.Embedder;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The node's embedder, counting what goes through the model (posts, hooks, label prototypes). */
final class CountingEmbedder implements Embedder {
  final Embedder inner;
  final AtomicLong calls = new AtomicLong();
  final AtomicLong texts = new AtomicLong();

  CountingEmbedder(Embedder inner) {
    this.inner = inner;
  }

  @Override
  public List<float[]> embed(List<String> batch) {
    calls.incrementAndGet();
    texts.addAndGet(batch.size());
    return inner.embed(batch);
  }

  @Override
  public boolean readsPrefixes() {
    return inner.readsPrefixes();
  }

  @Override
  public List<WithPrefix> embedWithPrefix(List<String> batch, List<Integer> prefixChars) {
    calls.incrementAndGet();
    texts.addAndGet(batch.size());
    return inner.embedWithPrefix(batch, prefixChars);
  }

  @Override
  public String modelId() {
    return inner.modelId();
  }

  @Override
  public int dimensions() {
    return inner.dimensions();
  }
}
