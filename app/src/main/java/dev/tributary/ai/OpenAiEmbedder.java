package dev.tributary.ai;

import dev.tributary.connectors.openai.OpenAiClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings from OpenAI (text-embedding-3-small by default), batched by {@link OpenAiClient}.
 * Blank texts get the zero vector without a call, as with {@link LocalOnnxEmbedder}: the API
 * rejects empty inputs, and an empty text means nothing to search for.
 */
public final class OpenAiEmbedder implements Embedder {
  private final OpenAiClient client;

  public OpenAiEmbedder(OpenAiClient client) {
    this.client = client;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    return embedWithUsage(texts).vectors();
  }

  @Override
  public Embedded embedWithUsage(List<String> texts) {
    List<String> nonBlank = new ArrayList<>(texts.size());
    for (String t : texts) {
      if (t != null && !t.isBlank()) {
        nonBlank.add(t);
      }
    }
    OpenAiClient.EmbeddingResult result = nonBlank.isEmpty() ? null : client.embed(nonBlank);
    List<float[]> out = new ArrayList<>(texts.size());
    int next = 0;
    for (String t : texts) {
      if (t == null || t.isBlank()) {
        out.add(new float[dimensions()]);
      } else {
        float[] v = result.vectors().get(next++);
        if (v.length != dimensions()) {
          throw new IllegalStateException(
              "OpenAI returned "
                  + v.length
                  + "-dimension vectors; "
                  + modelId()
                  + " is configured for "
                  + dimensions());
        }
        out.add(v);
      }
    }
    return new Embedded(out, result == null ? TokenUsage.NONE : TokenUsage.of(result.usage()));
  }

  /**
   * {@code openai/text-embedding-3-small}, with {@code @<dims>} when shortened, so vectors of
   * different sizes never mix.
   */
  @Override
  public String modelId() {
    var c = client.config();
    return "openai/"
        + c.embeddingModel()
        + (c.embeddingDimensions()
                == dev.tributary.connectors.openai.OpenAiConfig.DEFAULT_EMBEDDING_DIMENSIONS
            ? ""
            : "@" + c.embeddingDimensions());
  }

  @Override
  public int dimensions() {
    return client.config().embeddingDimensions();
  }
}
