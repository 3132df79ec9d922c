package dev.tributary.pipelines.vectorsync;

import dev.tributary.ai.Embedder;
import java.util.ArrayList;
import java.util.List;

/** Vectors from a switch's target model, checked before anything is stored. */
final class TargetVectors {
  private TargetVectors() {}

  /** One vector per text from the target model; null for a blank text (nothing to embed). */
  static List<float[]> embed(Embedder target, List<String> texts) {
    List<String> todo = texts.stream().filter(t -> t != null && !t.isBlank()).toList();
    List<float[]> vectors = todo.isEmpty() ? List.of() : target.embed(todo);
    if (vectors.size() != todo.size()) {
      throw new IllegalStateException(
          target.modelId()
              + " returned "
              + vectors.size()
              + " vectors for "
              + todo.size()
              + " texts");
    }
    List<float[]> out = new ArrayList<>(texts.size());
    int next = 0;
    for (String t : texts) {
      if (t == null || t.isBlank()) {
        out.add(null);
        continue;
      }
      float[] v = vectors.get(next++);
      if (v.length != target.dimensions()) {
        throw new IllegalStateException(
            target.modelId()
                + " returned a vector of "
                + v.length
                + " dimensions instead of "
                + target.dimensions());
      }
      for (float x : v) {
        if (!Float.isFinite(x)) {
          throw new IllegalStateException(
              target.modelId() + " returned a vector with a non-finite value");
        }
      }
      out.add(v);
    }
    return out;
  }
}
