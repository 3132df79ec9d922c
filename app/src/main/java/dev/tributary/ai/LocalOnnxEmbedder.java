package dev.tributary.ai;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (quantized ONNX, 384 dimensions) running in-process. The model and tokenizer ship
 * inside the langchain4j jar, so this works with no key and no network. Vectors are L2-normalised,
 * which makes cosine similarity a plain dot product.
 */
public final class LocalOnnxEmbedder implements Embedder {
  public static final String MODEL_ID = "local/all-minilm-l6-v2-q";
  public static final int DIMENSIONS = 384;

  private final AllMiniLmL6V2QuantizedEmbeddingModel model;

  public LocalOnnxEmbedder() {
    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    // Blank text has no meaning to embed: it gets the zero vector, which matches nothing in search.
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String text : texts) {
      if (text != null && !text.isBlank()) {
        segments.add(TextSegment.from(text));
      }
    }
    List<Embedding> embeddings = segments.isEmpty() ? List.of() : model.embedAll(segments).content();
    List<float[]> vectors = new ArrayList<>(texts.size());
    int next = 0;
    for (String text : texts) {
      vectors.add(text == null || text.isBlank() ? new float[DIMENSIONS] : normalize(embeddings.get(next++).vector()));
    }
    return vectors;
  }

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum == 0) {
      return v;
    }
    float inv = (float) (1.0 / Math.sqrt(sum));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * inv;
    }
    return out;
  }
}
