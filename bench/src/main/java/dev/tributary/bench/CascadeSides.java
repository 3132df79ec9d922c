package dev.tributary.bench;

import dev.tributary.engine.EnqueueOptions;
import dev.tributary.node.TributaryNode;
import dev.tributary.pipelines.enrichment.ProfileCompletionWorker;
import dev.tributary.pipelines.profiles.ProfileJobs;
import dev.tributary.sandbox.SyntheticLinkedIn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The two measured sides of {@link CascadeBench} over one node: raw embedding of the texts, and the
 * whole cascade from the profile sync to the last worker.
 */
final class CascadeSides {
  private static final long RUN_TIMEOUT_NANOS = 600_000_000_000L;

  private final TributaryNode node;
  private final DataSource db;
  private final CountingEmbedder embedder;
  private final int batch;
  private final boolean verbose;
  private final CpuTime cpu;

  CascadeSides(
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

  CascadeBench.RunResult raw(List<String> texts) {
    double[] cpu0 = cpu.now();
    long t0 = System.nanoTime();
    for (int i = 0; i < texts.size(); i += batch) {
      embedder.inner.embed(texts.subList(i, Math.min(texts.size(), i + batch)));
    }
    return new CascadeBench.RunResult(
        texts.size(), (System.nanoTime() - t0) / 1e9, 1, CascadeBench.minus(cpu.now(), cpu0));
  }

  /** Inserts the slice's profiles, enqueues the sync, waits for the whole cascade to be done. */
  CascadeBench.RunResult cascade(List<SyntheticLinkedIn.Profile> slice, int run) throws Exception {
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
                  line.append(' ').append(e.getKey()).append('=').append(e.getValue() / 1_000_000));
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
    return new CascadeBench.RunResult(
        embedded,
        seconds,
        (embedder.texts.get() - texts0) / (double) Math.max(1, embedded),
        CascadeBench.minus(cpu.now(), cpu0));
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
