package dev.tributary.search;

import dev.tributary.ai.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic test embedder: each word adds +-1 to a few dimensions chosen by hashing it (the
 * seed varies with the model id, so two "models" disagree), then the vector is normalised. Texts
 * sharing words are similar. It counts the texts it embedded, and can be told to fail.
 */
public final class HashingEmbedder implements Embedder {
  public static final int DIMENSIONS = 64;
  private final String model;
  private final AtomicInteger embedded = new AtomicInteger();
  private volatile String failure;

  public HashingEmbedder(String model) {
    this.model = model;
  }

  public void failWith(String message) {
    this.failure = message;
  }

  public int embeddedTexts() {
    return embedded.get();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
    List<float[]> out = new ArrayList<>();
    for (String t : texts) {
      embedded.incrementAndGet();
      out.add(vector(t));
    }
    return out;
  }

  float[] vector(String text) {
    float[] v = new float[DIMENSIONS];
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (w.isEmpty()) {
        continue;
      }
      int h = (w + "|" + model).hashCode();
      for (int k = 0; k < 3; k++) {
        int x = Integer.rotateLeft(h * 0x9E3779B1, k * 11);
        v[Math.floorMod(x, DIMENSIONS)] += (x & 0x100) == 0 ? 1 : -1;
      }
    }
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    if (s > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] /= (float) Math.sqrt(s);
      }
    }
    return v;
  }

  @Override
  public String modelId() {
    return model;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }
}
