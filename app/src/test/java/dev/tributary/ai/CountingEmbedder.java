package dev.tributary.ai;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delegates to a real embedder and counts the texts that reach it, to see what is (not)
 * re-embedded.
 */
public final class CountingEmbedder implements Embedder {
  private final Embedder real;
  private final AtomicInteger texts = new AtomicInteger();

  public CountingEmbedder(Embedder real) {
    this.real = real;
  }

  public int texts() {
    return texts.get();
  }

  @Override
  public List<float[]> embed(List<String> t) {
    texts.addAndGet(t.size());
    return real.embed(t);
  }

  @Override
  public boolean readsPrefixes() {
    return real.readsPrefixes();
  }

  @Override
  public List<WithPrefix> embedWithPrefix(List<String> t, List<Integer> prefixChars) {
    texts.addAndGet(t.size());
    return real.embedWithPrefix(t, prefixChars);
  }

  @Override
  public String modelId() {
    return real.modelId();
  }

  @Override
  public int dimensions() {
    return real.dimensions();
  }
}
