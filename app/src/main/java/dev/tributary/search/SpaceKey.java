package dev.tributary.search;

/**
 * An embedding space: vectors of one source (a vector table such as {@code viral_posts_bank} or
 * {@code documentation_embeddings}) made by one model. Vectors of different models are never
 * compared, even when their dimensions agree.
 */
public record SpaceKey(String source, String model) {
  public SpaceKey {
    if (source == null || source.isBlank() || model == null || model.isBlank()) {
      throw new IllegalArgumentException("a space needs a source and a model");
    }
  }

  @Override
  public String toString() {
    return source + "@" + model;
  }
}
