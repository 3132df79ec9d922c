package dev.tributary.ai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedders this node can run, by model id. {@link #current()} embeds new content; the others
 * are kept while a model switch is under way, so queries can still be embedded in the model that
 * answers until the new one takes over.
 */
public final class Embedders {
  private final Embedder current;
  private final Map<String, Embedder> byModel = new LinkedHashMap<>();

  public Embedders(Embedder current, Embedder... others) {
    this.current = current;
    byModel.put(current.modelId(), current);
    for (Embedder e : others) {
      byModel.putIfAbsent(e.modelId(), e);
    }
  }

  public Embedder current() {
    return current;
  }

  public Optional<Embedder> forModel(String model) {
    return Optional.ofNullable(byModel.get(model));
  }

  public List<Embedder> all() {
    return List.copyOf(byModel.values());
  }
}
