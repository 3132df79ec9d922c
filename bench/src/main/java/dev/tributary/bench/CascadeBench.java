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
 * {@code ./bench/run cascade [--profiles N] [--posts P] [--batch B]}: posts per second through the
 * whole profile cascade with the local model (scrape from the LinkedIn sandbox over HTTP, store, the
 * six workers drained in order on an embedded PostgreSQL) against the local model's raw embedding
 * throughput on the same texts, in the same run; plus the peak RSS of this JVM (the node; the
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
    Path dataDir = Files.createTempDirectory("tributary-cascade-bench");
    SyntheticLinkedIn world = new SyntheticLinkedIn(2026, profiles, posts, 0);
    Embedder embedder = new LocalOnnxEmbedder();
    try (Database db = Database.open(TributaryConfig.from(Map.of("TRIBUTARY_DATA_DIR", dataDir.toString())));
        LinkedInSandbox sandbox = LinkedInSandbox.start(world, null);
        AiProviders ai = AiProviders.local(embedder)) {
      db.migrate();
      List<String> texts = sameTexts(world);
      System.out.printf(Locale.ROOT, "world: %d synthetic profiles x %d posts; %d posts with text to embed%n",
          profiles, posts, texts.size());

      embedder.embed(texts.subList(0, Math.min(64, texts.size())));
      long r0 = System.nanoTime();
      for (int i = 0; i < texts.size(); i += batch) {
        embedder.embed(texts.subList(i, Math.min(texts.size(), i + batch)));
      }
      double rawSeconds = (System.nanoTime() - r0) / 1e9;
      double raw = texts.size() / rawSeconds;
      System.out.printf(Locale.ROOT, "raw embedding: %d texts in %.1f s%n", texts.size(), rawSeconds);

      insertProfiles(db, world);
      LinkedInClientConfig linkedIn = LinkedInClientConfig.builder().apiKey("bench").baseUrl(sandbox.baseUrl())
          .maxPages((posts + 49) / 50).build();
      try (ProfilePipeline pipeline = ProfilePipeline.create(linkedIn, db.dataSource(), ai, Retrying.none(),
          ProfileSync.Options.DEFAULTS)) {
        long c0 = System.nanoTime();
        SyncReport sync = pipeline.sync().run(new SyncRequest(Math.min(profiles + 1, SyncRequest.MAX_PROFILES_LIMIT),
            false, false), "bench");
        Map<String, Cascade.Stage> stages = pipeline.cascade().drain(batch, Integer.MAX_VALUE);
        double cascadeSeconds = (System.nanoTime() - c0) / 1e9;
        int embedded = stages.get("worker_generate_embeddings_v2").result().processed();
        System.out.printf(Locale.ROOT, "scrape: %d profiles, %d posts new, %d reshares skipped in %.1f s%n",
            sync.response().successfulProfiles(), sync.response().postsNew(), sync.resharesSkipped(),
            sync.scrapeTime().toMillis() / 1000.0);
        stages.values().forEach(s -> System.out.printf(Locale.ROOT, "  %-32s %6d done %4d failed %4d skipped %7.1f s%n",
            s.worker(), s.result().processed(), s.result().failed(), s.result().skipped(), s.time().toMillis() / 1000.0));
        if (embedded != texts.size()) {
          System.out.printf("warning: the cascade embedded %d posts, the raw run %d texts%n", embedded, texts.size());
        }
        double rate = embedded / cascadeSeconds;
        System.out.printf(Locale.ROOT, "cascade: posts=%.1f/s raw-embed=%.1f/s efficiency=%.0f%% rss=%dMB%n",
            rate, raw, 100 * rate / raw, peakRssMb());
      }
    } finally {
      deleteTree(dataDir);
    }
  }

  /** The texts the embedding worker will embed: each original post with text, as EmbeddingText builds it. */
  static List<String> sameTexts(SyntheticLinkedIn world) {
    List<String> out = new ArrayList<>();
    for (SyntheticLinkedIn.Profile p : world.profiles()) {
      for (SyntheticPost post : world.posts(p.publicId(), 0)) {
        if (!post.reshared() && post.text() != null && !post.text().isBlank()) {
          out.add(EmbeddingText.of(null, post.text()));
        }
      }
    }
    return out;
  }

  private static void insertProfiles(Database db, SyntheticLinkedIn world) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO profiles (full_name, linkedin_id) VALUES (?, ?)")) {
      for (SyntheticLinkedIn.Profile p : world.profiles()) {
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
