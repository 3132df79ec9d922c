package dev.tributary.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The vectors of one {@link SpaceKey}, searched exactly. Each vector is stored twice: as int8 codes
 * (a quarter of the bytes, scanned with SIMD on every query) and as floats (read only for the few
 * candidates the codes cannot rule out). Slots live in fixed-size segments so the space grows
 * without copying its vectors; deleted slots are reused.
 *
 * <p>Searches hold the read lock, changes the write lock: a change waits for running searches (a
 * few milliseconds) and searches never see a half-written vector.
 */
public final class VectorSpace {
  static final int SEGMENT_BITS = 14;
  static final int SEGMENT = 1 << SEGMENT_BITS;
  private static final int SEGMENT_MASK = SEGMENT - 1;

  private final int dim;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private byte[][] codes = new byte[0][];
  private float[][] floats = new float[0][];
  private float[] scale = new float[0];
  private float[] residual = new float[0];
  private float[] codeNorm = new float[0];
  private IndexedItem[] items = new IndexedItem[0];
  private long[] live = new long[0];
  private final Map<String, Integer> slotOf = new HashMap<>();
  private final Map<String, AttributeColumn> columns = new HashMap<>();
  private int[] free = new int[16];
  private int freeCount;
  private int highWater;

  public VectorSpace(int dimensions) {
    if (dimensions <= 0) {
      throw new IllegalArgumentException("dimensions must be positive");
    }
    this.dim = dimensions;
  }

  public int dimensions() {
    return dim;
  }

  public int size() {
    lock.readLock().lock();
    try {
      return slotOf.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  public boolean contains(String key) {
    lock.readLock().lock();
    try {
      return slotOf.containsKey(key);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Adds or replaces the vector under {@code item.key()}; a zero vector removes it (it matches
   * nothing).
   */
  public void upsert(IndexedItem item, float[] vector) {
    if (vector.length != dim) {
      throw new IllegalArgumentException(
          "vector of " + vector.length + " dimensions in a space of " + dim);
    }
    float[] unit = Quantized.unit(vector);
    if (unit == null) {
      remove(item.key());
      return;
    }
    Quantized q = Quantized.of(unit);
    lock.writeLock().lock();
    try {
      Integer existing = slotOf.get(item.key());
      int slot = existing != null ? existing : allocate();
      int seg = slot >>> SEGMENT_BITS;
      int off = (slot & SEGMENT_MASK) * dim;
      System.arraycopy(q.codes(), 0, codes[seg], off, dim);
      System.arraycopy(unit, 0, floats[seg], off, dim);
      scale[slot] = q.scale();
      residual[slot] = q.residualNorm();
      codeNorm[slot] = q.codeNorm();
      items[slot] = item;
      for (AttributeColumn column : columns.values()) {
        column.set(slot, null);
      }
      for (Map.Entry<String, String> a : item.attributes().entrySet()) {
        columns.computeIfAbsent(a.getKey(), k -> new AttributeColumn()).set(slot, a.getValue());
      }
      slotOf.put(item.key(), slot);
      live[slot >>> 6] |= 1L << slot;
    } finally {
      lock.writeLock().unlock();
    }
  }

  public boolean remove(String key) {
    lock.writeLock().lock();
    try {
      Integer slot = slotOf.remove(key);
      if (slot == null) {
        return false;
      }
      live[slot >>> 6] &= ~(1L << slot);
      items[slot] = null;
      if (freeCount == free.length) {
        free = Arrays.copyOf(free, free.length * 2);
      }
      free[freeCount++] = slot;
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private int allocate() {
    if (freeCount > 0) {
      return free[--freeCount];
    }
    int slot = highWater++;
    int seg = slot >>> SEGMENT_BITS;
    if (seg >= codes.length) {
      codes = Arrays.copyOf(codes, seg + 1);
      floats = Arrays.copyOf(floats, seg + 1);
      codes[seg] = new byte[SEGMENT * dim];
      floats[seg] = new float[SEGMENT * dim];
      int capacity = (seg + 1) * SEGMENT;
      scale = Arrays.copyOf(scale, capacity);
      residual = Arrays.copyOf(residual, capacity);
      codeNorm = Arrays.copyOf(codeNorm, capacity);
      items = Arrays.copyOf(items, capacity);
      live = Arrays.copyOf(live, capacity >>> 6);
      for (AttributeColumn column : columns.values()) {
        column.ensure(capacity);
      }
    }
    return slot;
  }

  /**
   * The {@code count} items most similar to {@code query} (cosine) among those whose attributes
   * equal every entry of {@code filter}, keeping only similarities above {@code threshold}, best
   * first.
   */
  public List<SearchHit> search(
      float[] query,
      Map<String, String> filter,
      double threshold,
      int count,
      ExecutorService pool,
      int parallelism) {
    if (query.length != dim) {
      throw new IllegalArgumentException(
          "query of " + query.length + " dimensions in a space of " + dim);
    }
    float[] unit = Quantized.unit(query);
    if (unit == null || count <= 0) {
      return List.of();
    }
    Quantized q = Quantized.of(unit);
    short[] qCodes = q.codesAsShorts();
    lock.readLock().lock();
    try {
      long[] mask = mask(filter);
      if (mask == null || highWater == 0) {
        return List.of();
      }
      int words = (highWater + 63) >>> 6;
      int parts = Math.max(1, Math.min(parallelism, words / 64));
      List<Future<Partial>> futures = new ArrayList<>(parts - 1);
      for (int p = 1; p < parts; p++) {
        int from = words * p / parts;
        int to = words * (p + 1) / parts;
        futures.add(pool.submit(() -> scan(mask, from, to, q, qCodes, count, threshold)));
      }
      List<Partial> partials = new ArrayList<>(parts);
      partials.add(scan(mask, 0, words / parts, q, qCodes, count, threshold));
      for (Future<Partial> f : futures) {
        partials.add(join(f));
      }
      float cutoff = Math.max(kthLargest(partials, count), (float) threshold);
      return rerank(partials, cutoff, unit, threshold, count);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * What one thread's scan keeps: the k best lower bounds it saw, and every slot whose upper bound
   * reached its running k-th lower bound (and the threshold). The global k-th lower bound is at
   * least each thread's, so the final cut below loses none of the true top k.
   */
  private record Partial(float[] lowers, int[] slots, float[] uppers, int size) {}

  private Partial scan(
      long[] mask, int fromWord, int toWord, Quantized q, short[] qCodes, int k, double threshold) {
    TopFloats top = new TopFloats(k);
    float qScale = q.scale();
    float qResidual = q.residualNorm();
    float floor = (float) threshold;
    int[] slots = new int[64];
    float[] uppers = new float[64];
    int n = 0;
    for (int w = fromWord; w < toWord; w++) {
      long bits = mask[w];
      while (bits != 0) {
        int slot = (w << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        int dot =
            Kernels.dotInt8(codes[slot >>> SEGMENT_BITS], (slot & SEGMENT_MASK) * dim, qCodes, dim);
        float a = scale[slot] * qScale * dot;
        float err = residual[slot] + codeNorm[slot] * qResidual + 1e-5f;
        float upper = a + err;
        if (upper >= floor && (!top.full() || upper >= top.min())) {
          if (n == slots.length) {
            slots = Arrays.copyOf(slots, n * 2);
            uppers = Arrays.copyOf(uppers, n * 2);
          }
          slots[n] = slot;
          uppers[n++] = upper;
          top.offer(a - err);
        }
      }
    }
    return new Partial(top.values(), slots, uppers, n);
  }

  private List<SearchHit> rerank(
      List<Partial> partials, float cutoff, float[] unit, double threshold, int count) {
    List<SearchHit> hits = new ArrayList<>();
    for (Partial p : partials) {
      for (int i = 0; i < p.size(); i++) {
        if (p.uppers()[i] >= cutoff) {
          int slot = p.slots()[i];
          float exact =
              Kernels.dotFloat(
                  floats[slot >>> SEGMENT_BITS], (slot & SEGMENT_MASK) * dim, unit, dim);
          if (exact > threshold) {
            hits.add(new SearchHit(items[slot], exact));
          }
        }
      }
    }
    hits.sort(
        Comparator.comparingDouble(SearchHit::similarity)
            .reversed()
            .thenComparing(h -> h.item().key()));
    return hits.size() > count ? List.copyOf(hits.subList(0, count)) : hits;
  }

  /** Live slots whose attributes match every filter entry; null when no slot can match. */
  private long[] mask(Map<String, String> filter) {
    if (filter == null || filter.isEmpty()) {
      return live;
    }
    long[] mask = live.clone();
    for (Map.Entry<String, String> f : filter.entrySet()) {
      AttributeColumn column = columns.get(f.getKey());
      if (column == null || !column.restrict(mask, f.getValue(), highWater)) {
        return null;
      }
    }
    return mask;
  }

  private static float kthLargest(List<Partial> partials, int k) {
    int total = 0;
    for (Partial p : partials) {
      total += p.lowers().length;
    }
    if (total < k) {
      return Float.NEGATIVE_INFINITY;
    }
    float[] all = new float[total];
    int n = 0;
    for (Partial p : partials) {
      System.arraycopy(p.lowers(), 0, all, n, p.lowers().length);
      n += p.lowers().length;
    }
    Arrays.sort(all);
    return all[total - k];
  }

  private static Partial join(Future<Partial> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("search interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("search scan failed", e.getCause());
    }
  }
}
