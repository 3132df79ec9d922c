package dev.tributary.ai;

import java.util.List;

/**
 * A classifier that works in an embedding space and can take vectors already computed by the same
 * model (a post's stored embedding), so the cascade embeds a post's text once instead of once per
 * catalogue.
 */
public interface VectorLabelClassifier extends LabelClassifier {
  /**
   * The model whose vectors {@link #classifyVectors} accepts, as stored in {@code embedding_model}.
   */
  String embeddingModel();

  /** The embedder behind it, for texts that have no stored vector yet. */
  Embedder embedder();

  /** Like {@link #classify}, with {@code vectors.get(i)} the embedding of {@code texts.get(i)}. */
  Result classifyVectors(List<String> texts, List<float[]> vectors, List<Label> labels);
}
