package dev.tributary.bench;

import dev.tributary.ai.AiProviders;
import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.config.TributaryConfig;
import dev.tributary.connectors.linkedin.LinkedInClientConfig;
import dev.tributary.db.Database;
import dev.tributary.engine.EnqueueOptions;
import dev.tributary.node.TributaryNode;
import dev.tributary.pipelines.enrichment.EmbeddingText;
import dev.tributary.pipelines.enrichment.ProfileCompletionWorker;
import dev.tributary.pipelines.profiles.ProfileJobs;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import dev.tributary.sandbox.SyntheticPost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * {@code ./bench/run cascade [--profiles 40] [--posts 50] [--runs 5] [--batch 32] [--concurrency 1]
 * [--embed-threads N] [--verbose 1]}: posts per second through the whole profile cascade on the job
 * engine with the local model, against the local model's raw embedding throughput on the same
 * texts.
 *
 * <p>A {@link TributaryNode} (no web) runs on an embedded PostgreSQL with the LinkedIn sandbox as
 * its provider. One cascade run inserts a slice of the synthetic profiles and enqueues the {@code
 * profile_sync} job (scrape only, as the workers then do the rest); the inserted posts' triggers
 * enqueue the six drain jobs, and the run ends when the sync job is completed, no post has a {@code
 * needs_*} flag left and every profile with enough posts has its style. The raw side embeds the
 * same slice's post texts with the node's own {@link LocalOnnxEmbedder}, in batches of the drain
 * batch size. Raw and cascade alternate (the order flips each run) so that load from other
 * processes hits both alike; the rates are the medians of {@code --runs} runs per side, after two
 * warm-up rounds. RSS is the peak resident size of this JVM (VmHWM), which is the node plus the
 * sandbox.
 *
 * <p>Last line: {@code cascade: posts=<n>/s raw-embed=<m>/s efficiency=<pct>% rss=<mb>MB}.
 */
public final class CascadeBench {
  private static final String SANDBOX_KEY = "bench-sandbox-key";
  private static final long RUN_TIMEOUT_NANOS = 600_000_000_000L;

  private CascadeBench() {}

  public static void main(String[] args) throws Exception {
    int profiles = intArg(args, "--profiles", 40);
    int posts = intArg(args, "--posts", 50);
    int runs = Math.min(intArg(args, "--runs", 5), profiles);
    int batch = intArg(args, "--batch", ProfileJobs.DEFAULT_DRAIN_BATCH);
    int concurrency = intArg(args, "--concurrency", TributaryNode.DEFAULT_CASCADE_CONCURRENCY);
    int embedThreads = intArg(args, "--embed-threads", LocalOnnxEmbedder.DEFAULT_THREADS);
    boolean verbose = intArg(args, "--verbose", 0) == 1;
    if (runs < 3) {
      throw new IllegalArgumentException("--runs must be at least 3: the rates are medians");
    }
    // the cascade runs much more Java than raw embedding (JDBC, JSON, engine): two warm-up rounds
    // let
    // the JIT compile it first, as it would have long since in a node that has been up for a while
    int warmUpRounds = 2;
    int warmUpPerRound = Math.max(2, profiles / runs / 2);
    int warmUpProfiles = warmUpRounds * warmUpPerRound;
    SyntheticLinkedIn world = new SyntheticLinkedIn(2026, profiles + warmUpProfiles, posts, 0);
    List<SyntheticLinkedIn.Profile> all = world.profiles();
    Path dataDir = Files.createTempDirectory("tributary-cascade-bench");
    CountingEmbedder embedder = new CountingEmbedder(new LocalOnnxEmbedder(embedThreads));
    System.out.printf(
        Locale.ROOT,
        "world: %d synthetic profiles x %d posts, %d runs per side; batch %d, cascade"
            + " concurrency %d, %d embedding threads, %d cores, max heap %d MB%n",
        profiles,
        posts,
        runs,
        batch,
        concurrency,
        embedThreads,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    try (Database db =
            Database.open(TributaryConfig.from(Map.of("TRIBUTARY_DATA_DIR", dataDir.toString())));
        LinkedInSandbox sandbox = LinkedInSandbox.start(world, SANDBOX_KEY)) {
      db.migrate();
      // the default plan limit (60 calls a minute, cluster-wide) stays on unless the run needs more
      // calls
      int calls = (profiles + warmUpProfiles) * ((posts + 49) / 50);
      TributaryConfig nodeConfig =
          TributaryConfig.from(
              Map.of(
                  "RAPIDAPI_KEY", SANDBOX_KEY,
                  "RAPIDAPI_RATE_LIMIT",
                      calls > 60 ? "off" : LinkedInClientConfig.DEFAULT_RATE_LIMIT,
                  "LINKEDIN_API_BASE_URL", sandbox.baseUrl(),
                  "LINKEDIN_MAX_PAGES", String.valueOf((posts + 49) / 50),
                  "TRIBUTARY_CASCADE_BATCH", String.valueOf(batch),
                  "TRIBUTARY_CASCADE_CONCURRENCY", String.valueOf(concurrency)));
      try (TributaryNode node =
          TributaryNode.start(
              nodeConfig,
              db.dataSource(),
              new TributaryNode.Options("bench-node", 2, null),
              AiProviders.local(embedder))) {
        Side side = new Side(node, db.dataSource(), embedder, batch, verbose, new CpuTime(dataDir));
        for (int w = 0; w < warmUpRounds; w++) {
          List<SyntheticLinkedIn.Profile> slice =
              all.subList(w * warmUpPerRound, (w + 1) * warmUpPerRound);
          side.raw(texts(world, slice));
          side.cascade(slice, -1 - w);
        }
        System.out.printf(
            "warm-up done (%d rounds of %d profiles)%n", warmUpRounds, warmUpPerRound);

        List<SyntheticLinkedIn.Profile> measured = all.subList(warmUpProfiles, all.size());
        double[] rawRates = new double[runs];
        double[] cascadeRates = new double[runs];
        double[] rawCpu = new double[runs];
        double[] cascadeCpu = new double[runs];
        double[] rawCpuWarm = new double[runs];
        double[] cascadeCpuWarm = new double[runs];
        for (int r = 0; r < runs; r++) {
          List<SyntheticLinkedIn.Profile> slice =
              measured.subList(r * measured.size() / runs, (r + 1) * measured.size() / runs);
          List<String> texts = texts(world, slice);
          String loadBefore = CpuTime.loadAverage();
          RunResult raw;
          RunResult cascade;
          if (r % 2 == 0) {
            raw = side.raw(texts);
            cascade = side.cascade(slice, r);
          } else {
            cascade = side.cascade(slice, r);
            raw = side.raw(texts);
          }
          rawRates[r] = raw.rate();
          cascadeRates[r] = cascade.rate();
          rawCpu[r] = (raw.cpu()[0] + raw.cpu()[1]) / raw.items();
          cascadeCpu[r] = (cascade.cpu()[0] + cascade.cpu()[1]) / cascade.items();
          rawCpuWarm[r] = (raw.cpu()[0] + raw.cpu()[1] - raw.cpu()[2]) / raw.items();
          cascadeCpuWarm[r] =
              (cascade.cpu()[0] + cascade.cpu()[1] - cascade.cpu()[2]) / cascade.items();
          if (cascade.items() != texts.size()) {
            System.out.printf(
                "warning: run %d embedded %d posts in the cascade, %d texts raw%n",
                r + 1, cascade.items(), texts.size());
          }
          System.out.printf(
              Locale.ROOT,
              "run %d: raw %d texts %.2f s = %.1f/s; cascade %d posts %.2f s = %.1f/s"
                  + " (%.0f%%), %.2f model texts per post; CPU ms per post raw %.1f jvm (jit %.1f) + %.1f pg, cascade"
                  + " %.1f jvm (jit %.1f) + %.1f pg; load %s -> %s%n",
              r + 1,
              raw.items(),
              raw.seconds(),
              raw.rate(),
              cascade.items(),
              cascade.seconds(),
              cascade.rate(),
              100 * cascade.rate() / raw.rate(),
              cascade.modelTextsPerPost(),
              1000 * raw.cpu()[0] / raw.items(),
              1000 * raw.cpu()[2] / raw.items(),
              1000 * raw.cpu()[1] / raw.items(),
              1000 * cascade.cpu()[0] / cascade.items(),
              1000 * cascade.cpu()[2] / cascade.items(),
              1000 * cascade.cpu()[1] / cascade.items(),
              loadBefore,
              CpuTime.loadAverage());
        }
        side.printStages(verbose);
        // CPU per post is steadier than wall time on a shared machine: other processes take cores,
        // not CPU seconds
        System.out.printf(
            Locale.ROOT,
            "CPU per post (node JVM + PostgreSQL), medians: raw %.1f ms, cascade %.1f ms:"
                + " cpu-efficiency=%.0f%%; without the JIT compiler's share (still warming up in a short run):"
                + " raw %.1f ms, cascade %.1f ms: %.0f%%%n",
            1000 * median(rawCpu),
            1000 * median(cascadeCpu),
            100 * median(rawCpu) / median(cascadeCpu),
            1000 * median(rawCpuWarm),
            1000 * median(cascadeCpuWarm),
            100 * median(rawCpuWarm) / median(cascadeCpuWarm));
        double raw = median(rawRates);
        double rate = median(cascadeRates);
        System.out.printf(
            Locale.ROOT,
            "cascade: posts=%.1f/s raw-embed=%.1f/s efficiency=%.0f%% rss=%dMB%n",
            rate,
            raw,
            100 * rate / raw,
            CpuTime.peakRssMb());
      }
    } finally {
      deleteTree(dataDir);
    }
  }

  /** {@code cpu}: {jvm, postgres, jit (part of jvm)} CPU seconds the run used. */
  record RunResult(int items, double seconds, double modelTextsPerPost, double[] cpu) {
    double rate() {
      return items / seconds;
    }
  }

  /** The two measured sides over one node. */
  private static final class Side {
    private final TributaryNode node;
    private final DataSource db;
    private final CountingEmbedder embedder;
    private final int batch;
    private final boolean verbose;
    private final CpuTime cpu;

    Side(
        TributaryNode node,
        DataSource db,
        CountingEmbedder embedder,
        int batch,
        boolean verbose,
        CpuTime cpu) {
      this.verbose = verbose;
      this.cpu = cpu;
      this.node = node;
      this.db = db;
      this.embedder = embedder;
      this.batch = batch;
    }

    RunResult raw(List<String> texts) {
      double[] cpu0 = cpu.now();
      long t0 = System.nanoTime();
      for (int i = 0; i < texts.size(); i += batch) {
        embedder.inner.embed(texts.subList(i, Math.min(texts.size(), i + batch)));
      }
      return new RunResult(texts.size(), (System.nanoTime() - t0) / 1e9, 1, minus(cpu.now(), cpu0));
    }

    /** Inserts the slice's profiles, enqueues the sync, waits for the whole cascade to be done. */
    RunResult cascade(List<SyntheticLinkedIn.Profile> slice, int run) throws Exception {
      String tag = "run-" + run;
      try (Connection c = db.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO profiles (full_name, linkedin_id, type, headline) VALUES (?, ?, 'external_influencer', ?)")) {
        for (SyntheticLinkedIn.Profile p : slice) {
          ps.setString(1, p.fullName());
          ps.setString(2, p.publicId());
          ps.setString(3, tag);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      long texts0 = embedder.texts.get();
      double[] cpu0 = cpu.now();
      Map<String, Long> threads0 = CpuTime.threadCpu();
      Map<String, Double> pg0 = verbose ? cpu.postgresByKind() : Map.of();
      long firstJob = count("SELECT coalesce(max(id), 0) + 1 FROM tributary.jobs");
      long t0 = System.nanoTime();
      long jobId =
          node.engine()
              .jobs()
              .enqueue(
                  ProfileJobs.PROFILE_SYNC,
                  Map.of(
                      "max_profiles",
                      slice.size(),
                      "generate_embeddings",
                      false,
                      "classify_hooks",
                      false),
                  EnqueueOptions.DEFAULTS.queue(ProfileJobs.SYNC_QUEUE).maxAttempts(1))
              .jobId();
      while (!done(jobId)) {
        if (System.nanoTime() - t0 > RUN_TIMEOUT_NANOS) {
          throw new IllegalStateException(
              "the cascade did not finish within 10 minutes: " + pending());
        }
        Thread.sleep(25);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (verbose) {
        printTimeline(firstJob);
        Map<String, Long> threads1 = CpuTime.threadCpu();
        StringBuilder line = new StringBuilder("    JVM CPU ms by thread:");
        threads1.entrySet().stream()
            .map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
            .filter(e -> e.getValue() > 20_000_000L)
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .forEach(
                e ->
                    line.append(' ')
                        .append(e.getKey())
                        .append('=')
                        .append(e.getValue() / 1_000_000));
        System.out.println(line);
        StringBuilder pgLine = new StringBuilder("    PostgreSQL CPU ms by process:");
        cpu.postgresByKind()
            .forEach(
                (k, v) -> {
                  long ms = Math.round(1000 * (v - pg0.getOrDefault(k, 0.0)));
                  if (ms > 0) {
                    pgLine.append(' ').append(k).append('=').append(ms);
                  }
                });
        System.out.println(pgLine);
      }
      int embedded =
          (int)
              count(
                  "SELECT count(*) FROM viral_posts_bank v JOIN profiles p ON p.id = v.author_id"
                      + " WHERE p.headline = '"
                      + tag
                      + "' AND v.embedding IS NOT NULL");
      return new RunResult(
          embedded,
          seconds,
          (embedder.texts.get() - texts0) / (double) Math.max(1, embedded),
          minus(cpu.now(), cpu0));
    }

    /** Cheap checks first (partial indexes), the per-profile style check only when they pass. */
    private boolean done(long syncJobId) throws SQLException {
      try (Connection c = db.getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  """
              SELECT (SELECT state FROM tributary.jobs WHERE id = %d),
                     EXISTS (SELECT 1 FROM viral_posts_bank
                              WHERE needs_hook_extraction OR needs_embedding OR needs_hook_classification
                                 OR needs_topic_classification OR needs_audience_classification),
                     EXISTS (SELECT 1 FROM tributary.jobs WHERE state = 'dead')
              """
                      .formatted(syncJobId))) {
        rs.next();
        if (rs.getBoolean(3)) {
          throw new IllegalStateException("a job died: " + pending());
        }
        String sync = rs.getString(1);
        if ("dead".equals(sync) || "cancelled".equals(sync)) {
          throw new IllegalStateException("the sync job is " + sync);
        }
        if (!"completed".equals(sync) || rs.getBoolean(2)) {
          return false;
        }
      }
      return count(
              """
          SELECT count(*) FROM profiles p
           WHERE (p.writing_style_prompt IS NULL OR p.needs_style_analysis)
             AND (SELECT count(*) FROM viral_posts_bank v WHERE v.author_id = p.id AND btrim(v.content) <> '') >= %d
          """
                  .formatted(ProfileCompletionWorker.DEFAULT_MIN_POSTS))
          == 0;
    }

    /**
     * Each job of the run: when it was created, claimed and finished (ms after the first), items
     * done.
     */
    private void printTimeline(long firstJob) throws SQLException {
      try (Connection c = db.getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  """
              WITH j AS (SELECT * FROM tributary.jobs WHERE id >= %d)
              SELECT j.kind, j.state,
                     extract(epoch FROM j.created_at - t.t0) * 1000,
                     extract(epoch FROM j.attempted_at - t.t0) * 1000,
                     extract(epoch FROM j.finished_at - t.t0) * 1000,
                     (SELECT sum(items_processed) FROM task_execution_logs_v2 l WHERE l.job_id = j.id)
                FROM j, (SELECT min(created_at) AS t0 FROM j) t ORDER BY j.attempted_at NULLS LAST, j.id
              """
                      .formatted(firstJob))) {
        while (rs.next()) {
          System.out.printf(
              Locale.ROOT,
              "    %-30s %-9s created %6.0f claimed %6.0f finished %6.0f ms, %s items%n",
              rs.getString(1),
              rs.getString(2),
              rs.getDouble(3),
              rs.getDouble(4),
              rs.getDouble(5),
              rs.getString(6));
        }
      }
    }

    private String pending() throws SQLException {
      StringBuilder out = new StringBuilder();
      try (Connection c = db.getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT kind, state, last_error FROM tributary.jobs"
                      + " WHERE state NOT IN ('completed') ORDER BY id")) {
        while (rs.next()) {
          out.append(rs.getString(1)).append('=').append(rs.getString(2));
          if (rs.getString(3) != null) {
            out.append(" (").append(rs.getString(3)).append(')');
          }
          out.append("; ");
        }
      }
      return out.toString();
    }

    /** Time and items per worker from the execution logs (every run, warm-up included). */
    void printStages(boolean verbose) throws SQLException {
      try (Connection c = db.getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  """
              SELECT worker_name, count(*), sum(items_processed), sum(items_failed),
                     sum(extract(epoch FROM completed_at - started_at))
                FROM task_execution_logs_v2 GROUP BY worker_name ORDER BY 5 DESC""")) {
        System.out.println("per worker, all runs (jobs, items, failed, seconds):");
        while (rs.next()) {
          System.out.printf(
              Locale.ROOT,
              "  %-32s %5d jobs %6d done %4d failed %7.1f s%n",
              rs.getString(1),
              rs.getLong(2),
              rs.getLong(3),
              rs.getLong(4),
              rs.getDouble(5));
        }
      }
      System.out.printf("model: %d calls, %d texts%n", embedder.calls.get(), embedder.texts.get());
      for (java.lang.management.GarbageCollectorMXBean gc :
          java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
        System.out.printf(
            "gc %s: %d collections, %d ms%n",
            gc.getName(), gc.getCollectionCount(), gc.getCollectionTime());
      }
      if (verbose) {
        try (Connection c = db.getConnection();
            Statement s = c.createStatement();
            ResultSet rs =
                s.executeQuery("SELECT kind, count(*) FROM tributary.jobs GROUP BY 1 ORDER BY 1")) {
          while (rs.next()) {
            System.out.printf("  jobs %-32s %d%n", rs.getString(1), rs.getLong(2));
          }
        }
      }
    }

    private long count(String sql) throws SQLException {
      try (Connection c = db.getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * The texts the embedding worker will embed: each original post with text, as EmbeddingText
   * builds it.
   */
  static List<String> texts(SyntheticLinkedIn world, List<SyntheticLinkedIn.Profile> profiles) {
    List<String> out = new ArrayList<>();
    for (SyntheticLinkedIn.Profile p : profiles) {
      Map<String, String> unique = new LinkedHashMap<>();
      for (SyntheticPost post : world.posts(p.publicId(), 0)) {
        if (!post.reshared() && post.text() != null && !post.text().isBlank()) {
          unique.putIfAbsent(
              post.postUrl() != null ? post.postUrl() : post.urn(),
              EmbeddingText.of(null, post.text()));
        }
      }
      out.addAll(unique.values());
    }
    return out;
  }

  static double[] minus(double[] a, double[] b) {
    return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static int intArg(String[] args, String name, int def) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        int v = Integer.parseInt(args[i + 1]);
        if (v < 0 || (v == 0 && !name.equals("--verbose"))) {
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
