package dev.tributary.search;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every embedding space this node holds, and which model answers for each source. Searching a
 * source reads the space of its active model only; switching the active model (after a re-embedding
 * has filled the new space) is one map write, so searches move to the new vectors at once.
 */
public final class SearchIndex implements AutoCloseable {
  /** Threads one query's scan is split over; the machines we target have 2 cores. */
  public static final int DEFAULT_PARALLELISM =
      Math.min(2, Runtime.getRuntime().availableProcessors());

  private final Map<SpaceKey, VectorSpace> spaces = new ConcurrentHashMap<>();
  private final Map<String, String> activeModels = new ConcurrentHashMap<>();
  private final ExecutorService pool;
  private final int parallelism;

  public SearchIndex() {
    this(DEFAULT_PARALLELISM);
  }

  public SearchIndex(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1");
    }
    this.parallelism = parallelism;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            Math.max(1, parallelism - 1),
            r -> {
              Thread t = new Thread(r, "search-scan-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public void upsert(SpaceKey space, IndexedItem item, float[] vector) {
    spaces.computeIfAbsent(space, k -> new VectorSpace(vector.length)).upsert(item, vector);
  }

  public boolean remove(SpaceKey space, String key) {
    VectorSpace s = spaces.get(space);
    return s != null && s.remove(key);
  }

  /** Removes the key from every model's space of the source (a deleted row leaves them all). */
  public void removeFromSource(String source, String key) {
    spaces.forEach(
        (k, s) -> {
          if (k.source().equals(source)) {
            s.remove(key);
          }
        });
  }

  /** Removes the key from the source's spaces other than {@code keep} (its row changed model). */
  public void removeFromSourceExcept(String source, String key, SpaceKey keep) {
    spaces.forEach(
        (k, s) -> {
          if (k.source().equals(source) && !k.equals(keep)) {
            s.remove(key);
          }
        });
  }

  /**
   * Replaces the spaces of {@code source} and its active model at once (after a full reload): the
   * new spaces go in first, then the model switches, then spaces no longer loaded go, so a search
   * meanwhile reads either the old state or the new one, never an empty space.
   */
  public void replaceSource(String source, Map<SpaceKey, VectorSpace> loaded, String activeModel) {
    loaded.forEach(spaces::put);
    if (activeModel == null) {
      activeModels.remove(source);
    } else {
      activeModels.put(source, activeModel);
    }
    spaces.keySet().removeIf(k -> k.source().equals(source) && !loaded.containsKey(k));
  }

  public void setActiveModel(String source, String model) {
    activeModels.put(source, model);
  }

  /** Makes exactly these the active models (sources absent from the map answer nothing). */
  public void setActiveModels(Map<String, String> models) {
    activeModels.putAll(models);
    activeModels.keySet().retainAll(models.keySet());
  }

  public Optional<String> activeModel(String source) {
    return Optional.ofNullable(activeModels.get(source));
  }

  public Optional<VectorSpace> space(SpaceKey key) {
    return Optional.ofNullable(spaces.get(key));
  }

  /** Dimensions of the source's active space, when it holds any vector. */
  public OptionalInt dimensions(String source) {
    return activeModel(source)
        .map(m -> spaces.get(new SpaceKey(source, m)))
        .map(s -> OptionalInt.of(s.dimensions()))
        .orElse(OptionalInt.empty());
  }

  public int size(SpaceKey key) {
    VectorSpace s = spaces.get(key);
    return s == null ? 0 : s.size();
  }

  /**
   * Exact top-{@code count} of the source's active space; empty when it has no active model yet.
   */
  public List<SearchHit> search(
      String source, float[] query, Map<String, String> filter, double threshold, int count) {
    String model = activeModels.get(source);
    if (model == null) {
      return List.of();
    }
    return search(new SpaceKey(source, model), query, filter, threshold, count);
  }

  public List<SearchHit> search(
      SpaceKey key, float[] query, Map<String, String> filter, double threshold, int count) {
    VectorSpace s = spaces.get(key);
    return s == null ? List.of() : s.search(query, filter, threshold, count, pool, parallelism);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
