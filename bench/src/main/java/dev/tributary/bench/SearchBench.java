package dev.tributary.bench;

import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.search.IndexedItem;
import dev.tributary.search.SearchHit;
import dev.tributary.search.SearchIndex;
import dev.tributary.search.SpaceKey;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Top-10 cosine search over embeddings of real text made by the bundled model (MiniLM, 384
 * dimensions): Tributary's in-process index against a plain exact float scan in Java (every vector
 * unit-normalised once, one float dot product per row per query with the Vector API's FMA on one
 * thread, a top-10 insertion list), in the same run, on the same vectors and queries. The scan is
 * also the ground truth of recall@10.
 *
 * <p>Data: {@link RealTextCorpus} (apt's package descriptions, then man page sentences). The
 * queries are the texts that follow the first {@code --rows} in that order, so none is in the
 * index. Embedding is slow (about 100 texts/s on two free cores), so the vectors are cached under
 * {@code bench/target/search-vectors/} and a later run embeds only what is missing. Options: {@code
 * --rows N} (100000), {@code --queries N} (200), {@code --embed-threads T} (all cores).
 */
public final class SearchBench {
  private static final int K = 10;
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private SearchBench() {}

  public static void main(String[] args) throws Exception {
    int rows = intOption(args, "--rows", 100_000);
    int queries = intOption(args, "--queries", 200);
    int threads = intOption(args, "--embed-threads", LocalOnnxEmbedder.DEFAULT_THREADS);
    List<String> texts = RealTextCorpus.texts(rows + queries);
    float[][] all =
        VectorCache.vectors(
            new LocalOnnxEmbedder(threads), texts, Path.of("bench/target/search-vectors"));
    float[][] data = Arrays.copyOfRange(all, 0, rows);
    float[][] qs = Arrays.copyOfRange(all, rows, rows + queries);
    System.out.printf(
        Locale.ROOT,
        "data: %d texts of %s embedded by %s, %d held-out queries; load %s%n",
        rows,
        RealTextCorpus.NAME,
        LocalOnnxEmbedder.MODEL_ID,
        queries,
        CpuTime.loadAverage());

    float[][] units = new float[rows][];
    for (int i = 0; i < rows; i++) {
      units[i] = unit(data[i]);
    }
    // warm both sides, then alternate them query by query so load spikes hit both alike
    SpaceKey space = new SpaceKey("bench", LocalOnnxEmbedder.MODEL_ID);
    try (SearchIndex index = new SearchIndex()) {
      for (int row = 0; row < rows; row++) {
        index.upsert(
            space,
            new IndexedItem(Integer.toString(row), Integer.toString(row), 0, Map.of()),
            data[row]);
      }
      for (int i = 0; i < Math.min(50, queries); i++) {
        index.search(space, qs[i], Map.of(), -1, K);
        exactTop(units, unit(qs[i]));
      }
      double[] indexMs = new double[queries];
      double[] scanMs = new double[queries];
      double recall = 0;
      for (int i = 0; i < queries; i++) {
        long t0 = System.nanoTime();
        float[] q = unit(qs[i]);
        int[] truth = exactTop(units, q);
        scanMs[i] = (System.nanoTime() - t0) / 1e6;
        long t1 = System.nanoTime();
        List<SearchHit> hits = index.search(space, qs[i], Map.of(), -1, K);
        indexMs[i] = (System.nanoTime() - t1) / 1e6;
        Set<Integer> expected = new HashSet<>();
        for (int r : truth) {
          expected.add(r);
        }
        int found = 0;
        for (SearchHit h : hits) {
          found += expected.contains(Integer.parseInt(h.item().key())) ? 1 : 0;
        }
        recall += found / (double) K;
      }
      Arrays.sort(indexMs);
      Arrays.sort(scanMs);
      System.out.printf(
          Locale.ROOT,
          "vector-search: n=%d data=%s p50=%.2f p99=%.2f recall=%.4f exact-scan-p50=%.2f"
              + " exact-scan-p99=%.2f speedup=%.1fx index-threads=%d load=%s%n",
          rows,
          RealTextCorpus.NAME,
          percentile(indexMs, 50),
          percentile(indexMs, 99),
          recall / queries,
          percentile(scanMs, 50),
          percentile(scanMs, 99),
          percentile(scanMs, 50) / percentile(indexMs, 50),
          SearchIndex.DEFAULT_PARALLELISM,
          CpuTime.loadAverage());
    }
  }

  /** The reference: rows of the K best dot products with {@code q}, every row scored in floats. */
  static int[] exactTop(float[][] units, float[] q) {
    float[] bs = new float[K];
    int[] br = new int[K];
    Arrays.fill(bs, Float.NEGATIVE_INFINITY);
    for (int row = 0; row < units.length; row++) {
      float s = dot(units[row], q);
      if (s > bs[K - 1]) {
        int j = K - 1;
        while (j > 0 && bs[j - 1] < s) {
          bs[j] = bs[j - 1];
          br[j] = br[j - 1];
          j--;
        }
        bs[j] = s;
        br[j] = row;
      }
    }
    return br;
  }

  /** Float dot product with the Vector API (FMA lanes, the machine's widest), tail in scalar. */
  static float dot(float[] a, float[] b) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int d = 0;
    for (int upper = SPECIES.loopBound(a.length); d < upper; d += SPECIES.length()) {
      acc = FloatVector.fromArray(SPECIES, a, d).fma(FloatVector.fromArray(SPECIES, b, d), acc);
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; d < a.length; d++) {
      s += a[d] * b[d];
    }
    return s;
  }

  private static float[] unit(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    float inv = (float) (1 / Math.sqrt(s));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * inv;
    }
    return out;
  }

  private static double percentile(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static int intOption(String[] args, String name, int defaultValue) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return defaultValue;
  }
}
