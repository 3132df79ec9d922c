package dev.tributary.bench;

import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.search.IndexedItem;
import dev.tributary.search.SearchHit;
import dev.tributary.search.SearchIndex;
import dev.tributary.search.SpaceKey;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * <p>Both sides are timed in alternating blocks ({@code --rounds}, 3): the index answers every
 * query, then the scan does, and so on; percentiles are over every timed query.
 *
 * <p>Data: {@link RealTextCorpus} (apt's package descriptions, man page sentences, then the JDK's,
 * Python's, Rust's and C headers' documentation, which is what reaches a million texts). The
 * queries are the texts that follow the first {@code --rows} in that order, so none is in the
 * index. Embedding is slow (500 to 1,300 texts/s on two cores, by text length), so the vectors are
 * cached under {@code bench/target/search-vectors/} and a later run embeds only what is missing.
 * Options: {@code --rows N} (100000), {@code --queries N} (200), {@code --embed-threads T} (all
 * cores).
 */
public final class SearchBench {
  private static final int K = 10;
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private static final SpaceKey SPACE = new SpaceKey("bench", LocalOnnxEmbedder.MODEL_ID);

  private SearchBench() {}

  public static void main(String[] args) throws Exception {
    int rows = intOption(args, "--rows", 100_000);
    int queries = intOption(args, "--queries", 200);
    int threads = intOption(args, "--embed-threads", LocalOnnxEmbedder.DEFAULT_THREADS);
    int rounds = intOption(args, "--rounds", 3);
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

    // cosine on both sides: normalise in place once (the index would normalise them anyway)
    for (float[] v : data) {
      unitInPlace(v);
    }
    float[][] unitQs = new float[queries][];
    for (int i = 0; i < queries; i++) {
      unitQs[i] = qs[i].clone();
      unitInPlace(unitQs[i]);
    }
    try (SearchIndex index = new SearchIndex()) {
      for (int row = 0; row < rows; row++) {
        index.upsert(
            SPACE,
            new IndexedItem(Integer.toString(row), Integer.toString(row), 0, Map.of()),
            data[row]);
      }
      Timings t = time(index, data, unitQs, rounds);
      System.out.printf(
          Locale.ROOT,
          "vector-search: n=%d data=%s p50=%.2f p99=%.2f recall=%.4f exact-scan-p50=%.2f"
              + " exact-scan-p99=%.2f speedup=%.1fx index-threads=%d load=%s%n",
          rows,
          RealTextCorpus.NAME,
          percentile(t.indexMs(), 50),
          percentile(t.indexMs(), 99),
          t.recall(),
          percentile(t.scanMs(), 50),
          percentile(t.scanMs(), 99),
          percentile(t.scanMs(), 50) / percentile(t.indexMs(), 50),
          SearchIndex.DEFAULT_PARALLELISM,
          CpuTime.loadAverage());
    }
  }

  /** Sorted latencies of both sides, and the index's recall@10 against the scan. */
  private record Timings(double[] indexMs, double[] scanMs, double recall) {}

  /**
   * Warms both sides up, then times them in alternating blocks of all queries: each side runs as it
   * would serve a stream of queries, and a load spike hits both sides alike.
   */
  private static Timings time(SearchIndex index, float[][] data, float[][] qs, int rounds) {
    int queries = qs.length;
    for (int i = 0; i < Math.min(50, queries); i++) {
      index.search(SPACE, qs[i], Map.of(), -1, K);
      exactTop(data, qs[i]);
    }
    int[][] truth = new int[queries][];
    List<List<SearchHit>> found = new ArrayList<>();
    double[] indexMs = new double[queries * rounds];
    double[] scanMs = new double[queries * rounds];
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < queries; i++) {
        long t0 = System.nanoTime();
        List<SearchHit> hits = index.search(SPACE, qs[i], Map.of(), -1, K);
        indexMs[round * queries + i] = (System.nanoTime() - t0) / 1e6;
        if (round == 0) {
          found.add(hits);
        }
      }
      for (int i = 0; i < queries; i++) {
        long t0 = System.nanoTime();
        truth[i] = exactTop(data, qs[i]);
        scanMs[round * queries + i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    double recall = 0;
    for (int i = 0; i < queries; i++) {
      Set<Integer> expected = new HashSet<>();
      for (int r : truth[i]) {
        expected.add(r);
      }
      int hit = 0;
      for (SearchHit h : found.get(i)) {
        hit += expected.contains(Integer.parseInt(h.item().key())) ? 1 : 0;
      }
      recall += hit / (double) K;
    }
    Arrays.sort(indexMs);
    Arrays.sort(scanMs);
    return new Timings(indexMs, scanMs, recall / queries);
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

  private static void unitInPlace(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    float inv = (float) (1 / Math.sqrt(s));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
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
