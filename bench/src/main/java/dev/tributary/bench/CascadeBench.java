package dev.tributary.bench;

import dev.tributary.ai.AiProviders;
import dev.tributary.ai.LocalOnnxEmbedder;
import dev.tributary.config.TributaryConfig;
import dev.tributary.connectors.linkedin.LinkedInClientConfig;
import dev.tributary.db.Database;
import dev.tributary.node.TributaryNode;
import dev.tributary.pipelines.enrichment.EmbeddingText;
import dev.tributary.pipelines.profiles.ProfileJobs;
import dev.tributary.sandbox.LinkedInSandbox;
import dev.tributary.sandbox.SyntheticLinkedIn;
import dev.tributary.sandbox.SyntheticPost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

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
        CascadeSides side =
            new CascadeSides(node, db.dataSource(), embedder, batch, verbose, new CpuTime(dataDir));
        for (int w = 0; w < warmUpRounds; w++) {
          List<SyntheticLinkedIn.Profile> slice =
              all.subList(w * warmUpPerRound, (w + 1) * warmUpPerRound);
          side.raw(texts(world, slice));
          side.cascade(slice, -1 - w);
        }
        System.out.printf(
            "warm-up done (%d rounds of %d profiles)%n", warmUpRounds, warmUpPerRound);

        List<SyntheticLinkedIn.Profile> measured = all.subList(warmUpProfiles, all.size());
        Measured m = measure(side, world, measured, runs);
        side.printStages(verbose);
        printSummary(m);
      }
    } finally {
      deleteTree(dataDir);
    }
  }

  /** Rates and CPU per item of each measured run, raw and cascade. */
  private record Measured(
      double[] rawRates,
      double[] cascadeRates,
      double[] rawCpu,
      double[] cascadeCpu,
      double[] rawCpuWarm,
      double[] cascadeCpuWarm) {
    Measured(int runs) {
      this(
          new double[runs],
          new double[runs],
          new double[runs],
          new double[runs],
          new double[runs],
          new double[runs]);
    }
  }

  /** Alternates raw and cascade over {@code runs} slices of the measured profiles. */
  private static Measured measure(
      CascadeSides side,
      SyntheticLinkedIn world,
      List<SyntheticLinkedIn.Profile> measured,
      int runs)
      throws Exception {
    Measured m = new Measured(runs);
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
      m.rawRates()[r] = raw.rate();
      m.cascadeRates()[r] = cascade.rate();
      m.rawCpu()[r] = (raw.cpu()[0] + raw.cpu()[1]) / raw.items();
      m.cascadeCpu()[r] = (cascade.cpu()[0] + cascade.cpu()[1]) / cascade.items();
      m.rawCpuWarm()[r] = (raw.cpu()[0] + raw.cpu()[1] - raw.cpu()[2]) / raw.items();
      m.cascadeCpuWarm()[r] =
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
    return m;
  }

  private static void printSummary(Measured m) {
    // CPU per post is steadier than wall time on a shared machine: other processes take cores,
    // not CPU seconds
    System.out.printf(
        Locale.ROOT,
        "CPU per post (node JVM + PostgreSQL), medians: raw %.1f ms, cascade %.1f ms:"
            + " cpu-efficiency=%.0f%%; without the JIT compiler's share (still warming up in a short run):"
            + " raw %.1f ms, cascade %.1f ms: %.0f%%%n",
        1000 * median(m.rawCpu()),
        1000 * median(m.cascadeCpu()),
        100 * median(m.rawCpu()) / median(m.cascadeCpu()),
        1000 * median(m.rawCpuWarm()),
        1000 * median(m.cascadeCpuWarm()),
        100 * median(m.rawCpuWarm()) / median(m.cascadeCpuWarm()));
    double raw = median(m.rawRates());
    double rate = median(m.cascadeRates());
    System.out.printf(
        Locale.ROOT,
        "cascade: posts=%.1f/s raw-embed=%.1f/s efficiency=%.0f%% rss=%dMB%n",
        rate,
        raw,
        100 * rate / raw,
        CpuTime.peakRssMb());
  }

  /** {@code cpu}: {jvm, postgres, jit (part of jvm)} CPU seconds the run used. */
  record RunResult(int items, double seconds, double modelTextsPerPost, double[] cpu) {
    double rate() {
      return items / seconds;
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
