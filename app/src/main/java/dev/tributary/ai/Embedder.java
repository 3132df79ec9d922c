package dev.tributary.ai;

import java.util.List;

/**
 * Turns texts into vectors. Implementations: {@link LocalOnnxEmbedder} (bundled all-MiniLM-L6-v2,
 * no network) and the OpenAI one. The {@link #modelId()} is stored beside every vector, so vectors
 * of different models are never compared.
 */
public interface Embedder {
  /** One vector per text, in order. Implementations batch internally as their provider allows. */
  List<float[]> embed(List<String> texts);

  /** Stable identifier stored with each vector, e.g. {@code local/all-minilm-l6-v2-q}. */
  String modelId();

  int dimensions();

  default float[] embed(String text) {
    return embed(List.of(text)).get(0);
  }

  /**
   * Vectors with the tokens the provider billed for them, for callers that record usage per job.
   */
  default Embedded embedWithUsage(List<String> texts) {
    return new Embedded(embed(texts), TokenUsage.NONE);
  }

  /** Vectors in input order and what they cost; local models cost {@link TokenUsage#NONE}. */
  record Embedded(List<float[]> vectors, TokenUsage usage) {}

  /**
   * Whether {@link #embedWithPrefix} works: a local transformer reads a text's first characters in
   * the same pass as the whole text, an API that returns one vector per text cannot.
   */
  default boolean readsPrefixes() {
    return false;
  }

  /**
   * Each text's vector, and the vector of its first {@code prefixChars.get(i)} characters as the
   * model read them within the whole text (0, or a null list, for none), from one inference per
   * text. Only when {@link #readsPrefixes()}.
   */
  default List<WithPrefix> embedWithPrefix(List<String> texts, List<Integer> prefixChars) {
    throw new UnsupportedOperationException(modelId() + " returns one vector per text only");
  }

  /**
   * A text's vector and its prefix's; {@code prefix} is null when none was asked for or no token
   * lies wholly within it.
   */
  record WithPrefix(float[] text, float[] prefix) {}
}
