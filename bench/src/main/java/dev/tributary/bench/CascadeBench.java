package dev.tributary.bench;

import dev.tributary.ai.AiProviders;
import dev.tributary.ai.Embedder;
import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.config.TributaryConfig;
import dev.tributary.connectors.Retrying;
import dev.tributary.connectors.linkedin.LinkedInClientConfig;
import dev.tributary.db.Database;
import dev.tributary.pipelines.profiles.Cascade;
import dev.tributary.pipelines.profiles.EmbeddingText;
import dev.tributary.pipelines.profiles.ProfilePipeline;
import dev.tributary.pipelines.profiles.ProfileSync;
import dev.tributary.pipelines.profiles.SyncReport;
import dev.tributary.pipelines.profiles.SyncRequest;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import dev.tributary.sandbox.SyntheticPost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./bench/run cascade [--profiles N] [--posts P] [--batch B] [--rounds R]}: posts per second through the
 * whole profile cascade with the local model (scrape from the LinkedIn sandbox over HTTP, store, the
 * six workers drained in order on an embedded PostgreSQL) against the local model's raw embedding
 * throughput on the same texts, in the same run (the two alternate over R slices of the profiles);
 * plus the peak RSS of this JVM (the node; the
 * embedded Postgres runs in its own processes). The workers run in-process here, without the job
 * engine's claim and log overhead.
 *
 * <p>Last line: {@code cascade: posts=<n>/s raw-embed=<m>/s efficiency=<pct>% rss=<mb>MB}.
 */
public final class CascadeBench {
  private CascadeBench() {}

  public static void main(String[] args) throws Exception {
    int profiles = intArg(args, "--profiles", 40);
    int posts = intArg(args, "--posts", 50);
    int batch = intArg(args, "--batch", 32);
    int rounds = Math.min(intArg(args, "--rounds", 4), profiles);
    Path dataDir = Files.createTempDirectory("tributary-cascade-bench");
    SyntheticLinkedIn world = new SyntheticLinkedIn(2026, profiles, posts, 0);
    Embedder embedder = new LocalOnnxEmbedder();
    try (Database db = Database.open(TributaryConfig.from(Map.of("TRIBUTARY_DATA_DIR", dataDir.toString())));
        LinkedInSandbox sandbox = LinkedInSandbox.start(world, null);
        AiProviders ai = AiProviders.local(embedder)) {
      db.migrate();
      List<SyntheticLinkedIn.Profile> all = world.profiles();
      System.out.printf(Locale.ROOT, "world: %d synthetic profiles x %d posts, in %d rounds%n", profiles, posts, rounds);
      embedder.embed(sameTexts(world, all.subList(0, 1)));
      LinkedInClientConfig linkedIn = LinkedInClientConfig.builder().apiKey("bench").baseUrl(sandbox.baseUrl())
          .maxPages((posts + 49) / 50).build();
      // raw and cascade alternate over slices of the profiles, so a noisy neighbour on the machine
      // slows both sides alike instead of deciding the efficiency
      double rawSeconds = 0;
      double cascadeSeconds = 0;
      int rawTexts = 0;
      int embedded = 0;
      Map<String, double[]> stageTotals = new java.util.LinkedHashMap<>();
      try (ProfilePipeline pipeline = ProfilePipeline.create(linkedIn, db.dataSource(), ai, Retrying.none(),
          ProfileSync.Options.DEFAULTS)) {
        for (int r = 0; r < rounds; r++) {
          List<SyntheticLinkedIn.Profile> slice = all.subList(r * all.size() / rounds, (r + 1) * all.size() / rounds);
          List<String> texts = sameTexts(world, slice);
          long r0 = System.nanoTime();
          for (int i = 0; i < texts.size(); i += batch) {
            embedder.embed(texts.subList(i, Math.min(texts.size(), i + batch)));
          }
          rawSeconds += (System.nanoTime() - r0) / 1e9;
          rawTexts += texts.size();

          insertProfiles(db, slice);
          long c0 = System.nanoTime();
          SyncReport sync = pipeline.sync().run(new SyncRequest(slice.size(), false, false), "bench");
          Map<String, Cascade.Stage> stages = pipeline.cascade().drain(batch, Integer.MAX_VALUE);
          cascadeSeconds += (System.nanoTime() - c0) / 1e9;
          embedded += stages.get("worker_generate_embeddings_v2").result().processed();
          stageTotals.computeIfAbsent("scrape", k -> new double[3])[0] += sync.response().postsNew();
          stageTotals.get("scrape")[2] += sync.scrapeTime().toNanos() / 1e9;
          for (Cascade.Stage s : stages.values()) {
            double[] t = stageTotals.computeIfAbsent(s.worker(), k -> new double[3]);
            t[0] += s.result().processed();
            t[1] += s.result().failed();
            t[2] += s.time().toNanos() / 1e9;
          }
        }
      }
      stageTotals.forEach((name, t) -> System.out.printf(Locale.ROOT, "  %-32s %6d done %4d failed %7.1f s%n",
          name, (long) t[0], (long) t[1], t[2]));
      System.out.printf(Locale.ROOT, "raw embedding: %d texts in %.1f s; cascade: %d posts embedded in %.1f s%n",
          rawTexts, rawSeconds, embedded, cascadeSeconds);
      if (embedded != rawTexts) {
        System.out.printf("warning: the cascade embedded %d posts, the raw run %d texts%n", embedded, rawTexts);
      }
      double raw = rawTexts / rawSeconds;
      double rate = embedded / cascadeSeconds;
      System.out.printf(Locale.ROOT, "cascade: posts=%.1f/s raw-embed=%.1f/s efficiency=%.0f%% rss=%dMB%n",
          rate, raw, 100 * rate / raw, peakRssMb());
    } finally {
      deleteTree(dataDir);
    }
  }

  /** The texts the embedding worker will embed: each original post with text, as EmbeddingText builds it. */
  static List<String> sameTexts(SyntheticLinkedIn world, List<SyntheticLinkedIn.Profile> profiles) {
    List<String> out = new ArrayList<>();
    for (SyntheticLinkedIn.Profile p : profiles) {
      for (SyntheticPost post : world.posts(p.publicId(), 0)) {
        if (!post.reshared() && post.text() != null && !post.text().isBlank()) {
          out.add(EmbeddingText.of(null, post.text()));
        }
      }
    }
    return out;
  }

  private static void insertProfiles(Database db, List<SyntheticLinkedIn.Profile> profiles) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO profiles (full_name, linkedin_id) VALUES (?, ?)")) {
      for (SyntheticLinkedIn.Profile p : profiles) {
        ps.setString(1, p.fullName());
        ps.setString(2, p.publicId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** VmHWM of /proc/self/status (Linux); -1 where it does not exist. */
  static long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static int intArg(String[] args, String name, int def) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        int v = Integer.parseInt(args[i + 1]);
        if (v < 1) {
          throw new IllegalArgumentException(name + " must be at least 1");
        }
        return v;
      }
    }
    return def;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
