package dev.tributary.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.ai.Embedder;
import dev.tributary.db.Migrations;
import dev.tributary.pipelines.enrichment.EmbeddingText;
import dev.tributary.pipelines.vectorsync.ColumnModelSwitch;
import dev.tributary.pipelines.vectorsync.ColumnSource;
import dev.tributary.pipelines.vectorsync.ModelSwitch;
import dev.tributary.search.IndexSync;
import dev.tributary.search.IndexedSource;
import dev.tributary.search.SearchIndex;
import dev.tributary.search.SpaceKey;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * A model switch of {@code viral_posts_bank} (384-dimension vectors) while a node searches and a
 * writer updates posts: how fast rows are staged (the database side: the embedder here is synthetic
 * and instant, so a real model adds its own time per text), how long the swap holds writers back
 * (the slowest single-row update during the run), how long the node takes to apply the swap, and
 * whether any search missed the row it looks for (the searcher runs a query every 10 ms). Options:
 * {@code --rows N} (20000), {@code --batch N} (64).
 */
public final class SwitchBench {
  private static final int DIM = 384;
  private static final String OLD = "bench/old";
  private static final String NEW = "bench/new";

  private SwitchBench() {}

  /** Deterministic unit vectors from the text's hash: a stand-in model with no cost of its own. */
  private record SyntheticEmbedder(String modelId) implements Embedder {
    @Override
    public List<float[]> embed(List<String> texts) {
      List<float[]> out = new ArrayList<>(texts.size());
      for (String t : texts) {
        out.add(vector((t + "|" + modelId).hashCode()));
      }
      return out;
    }

    @Override
    public int dimensions() {
      return DIM;
    }
  }

  static float[] vector(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[DIM];
    double s = 0;
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) r.nextGaussian();
      s += v[d] * v[d];
    }
    for (int d = 0; d < DIM; d++) {
      v[d] /= (float) Math.sqrt(s);
    }
    return v;
  }

  public static void main(String[] args) throws Exception {
    int rows = intOption(args, "--rows", 20_000);
    int batch = intOption(args, "--batch", 64);
    SyntheticEmbedder oldModel = new SyntheticEmbedder(OLD);
    SyntheticEmbedder newModel = new SyntheticEmbedder(NEW);
    try (EmbeddedPostgres pg =
            EmbeddedPostgres.builder().setServerConfig("shared_buffers", "512MB").start();
        HikariDataSource ds = pool(pg)) {
      Migrations.apply(ds);
      ModelSwitch.ensureActive(
          ds, OLD, IndexedSource.ALL.stream().map(IndexedSource::name).toList());
      copyPosts(ds, rows, oldModel);
      Probe probe = probe(ds, oldModel, newModel);

      try (SearchIndex index = new SearchIndex();
          IndexSync sync =
              new IndexSync(ds, index, Duration.ofMillis(200), IndexSync.DEFAULT_RETENTION)
                  .start()) {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger searches = new AtomicInteger();
        AtomicInteger misses = new AtomicInteger();
        AtomicLong switchedAt = new AtomicLong();
        Thread searcher = searcher(index, probe, done, searches, misses, switchedAt);
        AtomicLong maxWriteNanos = new AtomicLong();
        Thread writer = writer(ds, probe.ids(), done, maxWriteNanos);
        searcher.start();
        writer.start();
        long t0 = System.nanoTime();
        ColumnModelSwitch.Outcome outcome =
            new ColumnModelSwitch(ds, ColumnSource.POSTS, newModel, batch).run();
        long committed = System.nanoTime();
        while (switchedAt.get() == 0
            && System.nanoTime() - committed < Duration.ofMinutes(2).toNanos()) {
          Thread.sleep(1);
        }
        done.set(true);
        searcher.join();
        writer.join();
        double runSeconds = (committed - t0) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "switch: %d rows staged and swapped in %.1f s, switched=%s%n",
            outcome.embedded(),
            runSeconds,
            outcome.switched());
        System.out.printf(
            Locale.ROOT,
            "model-switch: n=%d rows-per-s=%.0f run=%.1fs max-write-wait=%.0fms index-switch-after-commit=%.0fms"
                + " searches=%d misses=%d%n",
            rows,
            outcome.embedded() / runSeconds,
            runSeconds,
            maxWriteNanos.get() / 1e6,
            Math.max(0, switchedAt.get() - committed) / 1e6,
            searches.get(),
            misses.get());
      }
    }
  }

  /** The probe post: its id, and its vectors under the old and the new model. */
  private record Probe(List<String> ids, String id, float[] queryOld, float[] queryNew) {}

  private static void copyPosts(HikariDataSource ds, int rows, SyntheticEmbedder oldModel)
      throws Exception {
    System.out.printf(Locale.ROOT, "switch: copying %d posts with %s vectors%n", rows, OLD);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      for (int from = 0; from < rows; from += 2_000) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < Math.min(rows, from + 2_000); i++) {
          String content = "post " + i + " about topic " + (i % 97);
          sb.append(content).append('\t').append(content).append("\t{");
          float[] v = oldModel.embed(content);
          for (int d = 0; d < DIM; d++) {
            sb.append(d == 0 ? "" : ",").append(v[d]);
          }
          sb.append("}\t").append(OLD).append('\n');
        }
        copy.copyIn(
            "COPY viral_posts_bank (hook, content, embedding, embedding_model) FROM STDIN",
            new StringReader(sb.toString()));
      }
      s.execute("VACUUM ANALYZE viral_posts_bank");
    }
  }

  private static Probe probe(
      HikariDataSource ds, SyntheticEmbedder oldModel, SyntheticEmbedder newModel)
      throws Exception {
    List<String> ids = new ArrayList<>();
    String probeId = null;
    float[] probeOld = null;
    float[] probeNew = null;
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id::text, hook, content FROM viral_posts_bank ORDER BY content")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
        if (probeId == null) {
          probeId = rs.getString(1);
          probeOld = oldModel.embed(rs.getString(3));
          // the switch embeds what the embedding worker would: hook + content
          probeNew = newModel.embed(EmbeddingText.of(rs.getString(2), rs.getString(3)));
        }
      }
    }
    return new Probe(ids, probeId, probeOld, probeNew);
  }

  /** A steady query load that counts answers missing the probe while a model is active. */
  private static Thread searcher(
      SearchIndex index,
      Probe p,
      AtomicBoolean done,
      AtomicInteger searches,
      AtomicInteger misses,
      AtomicLong switchedAt) {
    String probe = p.id();
    float[] queryOld = p.queryOld();
    float[] queryNew = p.queryNew();
    return new Thread(
        () -> {
          while (!done.get()) {
            String model = index.activeModel("viral_posts_bank").orElseThrow();
            float[] q = model.equals(OLD) ? queryOld : queryNew;
            var hits = index.search(new SpaceKey("viral_posts_bank", model), q, Map.of(), 0.9, 1);
            if (model.equals(NEW)) {
              switchedAt.compareAndSet(0, System.nanoTime());
            }
            if ((hits.isEmpty() || !hits.get(0).item().key().equals(probe))
                && model.equals(index.activeModel("viral_posts_bank").orElseThrow())) {
              misses.incrementAndGet();
            }
            searches.incrementAndGet();
            try {
              Thread.sleep(10); // a steady query load (100 a second), not a core spinning
            } catch (InterruptedException e) {
              return;
            }
          }
        },
        "bench-searcher");
  }

  /** Writes to random posts throughout, and records the longest wait of one write. */
  private static Thread writer(
      HikariDataSource ds, List<String> ids, AtomicBoolean done, AtomicLong maxWriteNanos) {
    return new Thread(
        () -> {
          SplittableRandom r = new SplittableRandom(7);
          try (Connection c = ds.getConnection();
              PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE viral_posts_bank SET likes = likes + 1 WHERE id = ?::uuid")) {
            while (!done.get()) {
              ps.setString(1, ids.get(r.nextInt(ids.size())));
              long t0 = System.nanoTime();
              ps.executeUpdate();
              maxWriteNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
              Thread.sleep(5);
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        "bench-writer");
  }

  /** A pool, as a node has: a new server process for every statement would dominate the timings. */
  private static HikariDataSource pool(EmbeddedPostgres pg) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
    config.setMaximumPoolSize(8);
    return new HikariDataSource(config);
  }

  private static int intOption(String[] args, String name, int defaultValue) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return defaultValue;
  }
}
