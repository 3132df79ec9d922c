package dev.tributary.bench;

import dev.tributary.db.Migrations;
import dev.tributary.search.IndexedItem;
import dev.tributary.search.SearchHit;
import dev.tributary.search.SearchIndex;
import dev.tributary.search.SpaceKey;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Top-10 cosine search over 384-dimension vectors: Tributary's in-process index against the same
 * query as an exact scan in PostgreSQL ({@code tributary_dot} over {@code real[]} and a stored
 * norm, as the {@code match_*} SQL functions do), in the same run, on the same vectors.
 *
 * <p>The vectors are synthetic and clustered (1,000 centroids, each vector a centroid plus noise,
 * so neighbours are close as they are for real embeddings); queries are drawn the same way.
 * Recall@10 is measured against exact float scoring of every vector. Options: {@code --rows N}
 * (100000), {@code --queries N} (200), {@code --sql-queries N} (5), {@code --big N} (1000000; 0
 * skips it). At the big size only the index is measured: a SQL scan of 1M rows takes tens of
 * seconds a query.
 */
public final class SearchBench {
  private static final int DIM = 384;
  private static final int CLUSTERS = 1000;
  private static final int K = 10;
  private static final long SEED = 42;

  private SearchBench() {}

  public static void main(String[] args) throws Exception {
    int rows = intOption(args, "--rows", 100_000);
    int queries = intOption(args, "--queries", 200);
    int sqlQueries = intOption(args, "--sql-queries", 5);
    int big = intOption(args, "--big", 1_000_000);
    float[][] centroids = centroids();

    Result small = measureIndex(rows, queries, centroids);
    double sqlP50 = sqlQueries > 0 ? measureSql(rows, sqlQueries, centroids, small) : Double.NaN;
    if (big > 0) {
      Result large = measureIndex(big, Math.max(20, queries / 4), centroids);
      System.out.printf(
          Locale.ROOT,
          "vector-search-index-only: n=%d p50=%.2f p99=%.2f recall=%.4f sql-scan-p50=not-run%n",
          big,
          large.p50,
          large.p99,
          large.recall);
    }
    System.out.printf(
        Locale.ROOT,
        "vector-search: n=%d p50=%.2f p99=%.2f recall=%.4f sql-scan-p50=%.1f speedup=%.0fx%n",
        rows,
        small.p50,
        small.p99,
        small.recall,
        sqlP50,
        sqlP50 / small.p50);
  }

  private record Result(
      double p50,
      double p99,
      double recall,
      List<float[]> queryVectors,
      List<Set<Integer>> truth) {}

  private static Result measureIndex(int n, int queries, float[][] centroids) {
    System.out.printf(Locale.ROOT, "index: loading %d x %d vectors%n", n, DIM);
    SpaceKey space = new SpaceKey("bench", "synthetic");
    List<float[]> qs = new ArrayList<>();
    SplittableRandom qr = new SplittableRandom(SEED + n);
    for (int i = 0; i < queries; i++) {
      qs.add(point(centroids[qr.nextInt(CLUSTERS)], qr));
    }
    try (SearchIndex index = new SearchIndex()) {
      long t0 = System.nanoTime();
      float[] v = new float[DIM];
      for (int row = 0; row < n; row++) {
        vector(row, centroids, v);
        index.upsert(
            space, new IndexedItem(Integer.toString(row), Integer.toString(row), 0, Map.of()), v);
      }
      System.out.printf(Locale.ROOT, "index: loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      List<Set<Integer>> truth = exactTopK(n, centroids, qs);
      for (int i = 0; i < Math.min(50, queries); i++) {
        index.search(space, qs.get(i), Map.of(), -1, K);
      }
      double[] ms = new double[queries];
      double recall = 0;
      for (int i = 0; i < queries; i++) {
        long s = System.nanoTime();
        List<SearchHit> hits = index.search(space, qs.get(i), Map.of(), -1, K);
        ms[i] = (System.nanoTime() - s) / 1e6;
        int found = 0;
        for (SearchHit h : hits) {
          if (truth.get(i).contains(Integer.parseInt(h.item().key()))) {
            found++;
          }
        }
        recall += found / (double) K;
      }
      Arrays.sort(ms);
      Result r = new Result(percentile(ms, 50), percentile(ms, 99), recall / queries, qs, truth);
      System.out.printf(
          Locale.ROOT,
          "index: n=%d queries=%d p50=%.2f ms p99=%.2f ms recall@10=%.4f (%d threads)%n",
          n,
          queries,
          r.p50,
          r.p99,
          r.recall,
          SearchIndex.DEFAULT_PARALLELISM);
      return r;
    }
  }

  /** Exact float top-10 of every query, scoring all n vectors (regenerated row by row). */
  private static List<Set<Integer>> exactTopK(int n, float[][] centroids, List<float[]> queries) {
    long t0 = System.nanoTime();
    int q = queries.size();
    float[][] units = new float[q][];
    for (int i = 0; i < q; i++) {
      units[i] = unit(queries.get(i));
    }
    float[][] bestScore = new float[q][K];
    int[][] bestRow = new int[q][K];
    for (float[] b : bestScore) {
      Arrays.fill(b, Float.NEGATIVE_INFINITY);
    }
    float[] v = new float[DIM];
    for (int row = 0; row < n; row++) {
      vector(row, centroids, v);
      float[] u = unit(v);
      for (int i = 0; i < q; i++) {
        float s = 0;
        float[] qu = units[i];
        for (int d = 0; d < DIM; d++) {
          s += u[d] * qu[d];
        }
        float[] bs = bestScore[i];
        if (s > bs[K - 1]) {
          int j = K - 1;
          while (j > 0 && bs[j - 1] < s) {
            bs[j] = bs[j - 1];
            bestRow[i][j] = bestRow[i][j - 1];
            j--;
          }
          bs[j] = s;
          bestRow[i][j] = row;
        }
      }
    }
    List<Set<Integer>> truth = new ArrayList<>();
    for (int i = 0; i < q; i++) {
      Set<Integer> set = new HashSet<>();
      for (int r : bestRow[i]) {
        set.add(r);
      }
      truth.add(set);
    }
    System.out.printf(
        Locale.ROOT,
        "exact float scoring of %d queries over %d rows: %.1f s%n",
        q,
        n,
        (System.nanoTime() - t0) / 1e9);
    return truth;
  }

  private static double measureSql(int n, int queries, float[][] centroids, Result index)
      throws Exception {
    System.out.printf(Locale.ROOT, "sql: starting embedded PostgreSQL and copying %d rows%n", n);
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setServerConfig("shared_buffers", "512MB")
            .setServerConfig("max_parallel_workers_per_gather", "2")
            .start()) {
      DataSource ds = pg.getPostgresDatabase();
      Migrations.apply(ds);
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE bench_vectors (id int PRIMARY KEY, embedding real[] NOT NULL)");
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        float[] v = new float[DIM];
        int batch = 5_000;
        for (int from = 0; from < n; from += batch) {
          StringBuilder sb = new StringBuilder();
          for (int row = from; row < Math.min(n, from + batch); row++) {
            vector(row, centroids, v);
            sb.append(row).append("\t{");
            for (int d = 0; d < DIM; d++) {
              if (d > 0) {
                sb.append(',');
              }
              sb.append(v[d]);
            }
            sb.append("}\n");
          }
          copy.copyIn(
              "COPY bench_vectors (id, embedding) FROM STDIN", new StringReader(sb.toString()));
        }
        s.execute(
            "ALTER TABLE bench_vectors ADD COLUMN embedding_norm double precision"
                + " GENERATED ALWAYS AS (tributary_norm(embedding)) STORED");
        s.execute("VACUUM ANALYZE bench_vectors");
      }
      // the shape of the match_* SQL functions: one dot product a row over a stored norm
      String sql =
          """
          WITH q AS (SELECT ?::real[] AS e, tributary_norm(?::real[]) AS n)
          SELECT id, similarity FROM (
            SELECT b.id, tributary_dot(b.embedding, q.e) / (b.embedding_norm * q.n) AS similarity
            FROM bench_vectors b, q
            WHERE b.embedding_norm > 0
            OFFSET 0) s
          WHERE similarity > ?
          ORDER BY similarity DESC
          LIMIT ?""";
      double[] ms = new double[queries];
      double recall = 0;
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < queries; i++) {
          Array arr = c.createArrayOf("real", box(index.queryVectors().get(i)));
          ps.setArray(1, arr);
          ps.setArray(2, arr);
          ps.setDouble(3, -1);
          ps.setInt(4, K);
          long t0 = System.nanoTime();
          int found = 0;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              if (index.truth().get(i).contains(rs.getInt(1))) {
                found++;
              }
            }
          }
          ms[i] = (System.nanoTime() - t0) / 1e6;
          recall += found / (double) K;
          System.out.printf(Locale.ROOT, "sql: query %d took %.0f ms%n", i + 1, ms[i]);
        }
      }
      Arrays.sort(ms);
      double p50 = percentile(ms, 50);
      System.out.printf(
          Locale.ROOT,
          "sql: n=%d queries=%d p50=%.1f ms recall@10=%.4f%n",
          n,
          queries,
          p50,
          recall / queries);
      return p50;
    }
  }

  private static Float[] box(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static float[][] centroids() {
    SplittableRandom r = new SplittableRandom(SEED);
    float[][] c = new float[CLUSTERS][DIM];
    for (float[] centroid : c) {
      for (int d = 0; d < DIM; d++) {
        centroid[d] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    return c;
  }

  /**
   * Row {@code row}'s vector, the same every time it is asked for (so 1M rows need not be kept).
   */
  private static void vector(int row, float[][] centroids, float[] out) {
    SplittableRandom r = new SplittableRandom(SEED * 31 + row);
    float[] c = centroids[r.nextInt(CLUSTERS)];
    for (int d = 0; d < DIM; d++) {
      out[d] = c[d] + (float) (r.nextDouble() * 2 - 1);
    }
  }

  private static float[] point(float[] centroid, SplittableRandom r) {
    float[] out = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      out[d] = centroid[d] + (float) (r.nextDouble() * 2 - 1);
    }
    return out;
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
